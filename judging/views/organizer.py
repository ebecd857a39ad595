"""The organizers' judging pages: juries and members, conflicts, settings and scoring form,
assignments, the progress matrix and reminders.

Every object is reached through `festival.rules` and `judging.rules`: an organizer only ever
sees their festival.
"""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.domain.accounts import invite_member
from festival.enums import Role
from festival.forms.organizer import EditionSwitchForm
from festival.models import Category
from festival.navigation import edition_links
from festival.rules import editions_for_organizer, get_edition_for_organizer, organizer_required
from judging.domain.assignment import add_assignment, compute_assignments, remove_assignment
from judging.domain.juries import (
    add_member,
    create_jury,
    ensure_judging_settings,
    remove_member,
    reopen_evaluation,
    save_criteria,
    set_affiliations,
    set_trainee,
    update_judging_settings,
    update_jury,
)
from judging.domain.reminders import reminder_due, send_reminders
from judging.enums import AssignmentMode, JuryStage
from judging.forms.organizer import (
    AffiliationsForm,
    AssignmentForm,
    CriterionFormSet,
    InviteJurorForm,
    JudgingSettingsForm,
    JuryForm,
    MemberForm,
    TraineeForm,
)
from judging.models import Affiliation, Jury, JuryMember
from judging.models_results import Prize
from judging.rules import (
    films_of_jury,
    get_assignment_for_organizer,
    get_evaluation_for_organizer,
    get_juror_for_organizer,
    get_jury_for_organizer,
    get_member_for_organizer,
    juries_for_organizer,
    jurors_for_organizer,
)
from judging.selectors import (
    criteria_locked,
    judging_settings_of,
    jury_progress,
    progress_matrix,
)
from judging.unassigned import film_gaps


def _redirect_back(request, fallback: str):
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(fallback)


# The edition: juries, settings, scoring form, reminders


def _juries_url(edition) -> str:
    return reverse("judging:organizer_juries", args=[edition.pk])


@organizer_required
def home(request):
    """The current edition's juries (else the latest edition's)."""
    editions = editions_for_organizer(request.user).order_by("-year")
    edition = editions.filter(is_current=True).first() or editions.first()
    if edition is None:
        return render(request, "judging/organizer/no_edition.html")
    return redirect("judging:organizer_juries", edition_pk=edition.pk)


@organizer_required
def jury_list(request, edition_pk):
    user = request.user
    edition = get_edition_for_organizer(user, edition_pk)
    judging_settings = judging_settings_of(edition)
    juries = list(
        Jury.objects.filter(edition=edition)
        .select_related("president")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("position")))
        .annotate(
            member_count=Count("members", filter=Q(members__active=True)),
            trainee_count=Count(
                "members", filter=Q(members__active=True, members__is_trainee=True)
            ),
        )
        .order_by("name", "pk")
    )
    progress = jury_progress(juries)
    for jury in juries:
        jury.progress = progress[jury.pk]
    uncovered = edition.categories.filter(juries__isnull=True).order_by("position", "name")
    editions = editions_for_organizer(user).order_by("-year")
    return render(
        request,
        "judging/organizer/jury_list.html",
        {
            "edition": edition,
            "edition_links": edition_links(editions, edition, _juries_url),
            "judging_settings": judging_settings,
            "set_up": judging_settings.pk is not None,
            "reminder_due_now": reminder_due(judging_settings),
            "criteria": edition.criteria.all(),
            "juries": juries,
            "uncovered": uncovered,
        },
    )


@organizer_required
@require_POST
def set_up(request, edition_pk):
    """Set up judging for an edition: its settings, the default scoring form and, when its
    categories exist, the usual prizes. Opening a page never does it."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    ensure_judging_settings(edition=edition)
    if Prize.objects.filter(edition=edition).exists():
        done = _(
            "L'évaluation est préparée : la grille par défaut et les prix habituels sont créés. "
            "Adaptez-les si besoin, puis formez les jurys."
        )
    else:
        done = _(
            "L'évaluation est préparée : la grille par défaut est créée. Les prix habituels se "
            "créent depuis la page Palmarès, une fois les catégories de l'édition définies."
        )
    messages.success(request, done)
    return redirect("judging:organizer_juries", edition_pk=edition.pk)


@organizer_required
def switch_edition(request):
    editions = editions_for_organizer(request.user)
    form = EditionSwitchForm(request.GET, editions=editions)
    if not form.is_valid():
        return redirect("judging:organizer_home")
    return redirect("judging:organizer_juries", edition_pk=form.cleaned_data["edition"].pk)


@organizer_required
def settings_edit(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    if request.method == "POST":
        judging_settings = ensure_judging_settings(edition=edition)
    else:
        judging_settings = judging_settings_of(edition)
    form = JudgingSettingsForm(request.POST or None, instance=judging_settings)
    if request.method == "POST" and form.is_valid():
        try:
            update_judging_settings(judging_settings=judging_settings, **form.changes())
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Réglages enregistrés. Recalculez les attributions de chaque jury pour "
                    "appliquer une nouvelle répartition."
                ),
            )
            return redirect("judging:organizer_juries", edition_pk=edition.pk)
    return render(request, "judging/organizer/settings.html", {"edition": edition, "form": form})


@organizer_required
def criteria_edit(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    if judging_settings_of(edition).pk is None:
        # The default scoring form is written by the set-up action, never by opening a page.
        return render(
            request, "judging/organizer/criteria.html", {"edition": edition, "set_up": False}
        )
    criteria = edition.criteria.order_by("position", "pk")
    locked = criteria_locked(edition)
    if locked:
        if request.method == "POST":
            messages.error(
                request,
                _(
                    "La grille d'évaluation ne peut plus être modifiée : des jurés ont déjà "
                    "commencé à noter."
                ),
            )
            return redirect("judging:organizer_criteria", edition_pk=edition.pk)
        return render(
            request,
            "judging/organizer/criteria.html",
            {"edition": edition, "criteria": criteria, "locked": True},
        )
    next_position = max((criterion.position for criterion in criteria), default=-1) + 1
    formset = CriterionFormSet(
        request.POST or None,
        queryset=criteria,
        initial=[{"position": next_position}],
        prefix="criteria",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            save_criteria(
                edition=edition,
                criteria=formset.save(commit=False),
                deleted=formset.deleted_objects,
            )
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("La grille d'évaluation est enregistrée."))
            return redirect("judging:organizer_criteria", edition_pk=edition.pk)
    return render(
        request,
        "judging/organizer/criteria.html",
        {"edition": edition, "formset": formset, "locked": False},
    )


@organizer_required
@require_POST
def reminders_send(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    count = send_reminders(edition=edition, organizer=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "Rappel envoyé au juré qui a encore des films à noter.",
                "Rappel envoyé aux %(count)d jurés qui ont encore des films à noter.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Aucun juré n'a de film en attente : aucun rappel envoyé."))
    return _redirect_back(request, reverse("judging:organizer_juries", args=[edition.pk]))


# Juries


def _jury_form(request, edition, *, jury=None):
    initial = None
    if jury is not None:
        initial = {
            "name": jury.name,
            "categories": list(jury.categories.all()),
            "president": jury.president,
            "stage": jury.stage,
        }
    return JuryForm(
        request.POST or None,
        initial=initial,
        categories=edition.categories.order_by("position", "name"),
        jurors=jurors_for_organizer(request.user).order_by("last_name", "first_name"),
        stage_fixed=jury is not None,
    )


@organizer_required
def jury_create(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    form = _jury_form(request, edition)
    if request.method == "POST" and form.is_valid():
        try:
            jury = create_jury(
                edition=edition,
                name=form.cleaned_data["name"],
                categories=form.cleaned_data["categories"],
                president=form.cleaned_data["president"],
                organizer=request.user,
                stage=form.cleaned_data["stage"] or JuryStage.FINAL,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Le jury « %(name)s » est créé : ajoutez-lui ses jurés.") % {"name": jury.name},
            )
            return redirect("judging:organizer_jury", pk=jury.pk)
    return render(
        request,
        "judging/organizer/jury_form.html",
        {"edition": edition, "form": form, "jury": None},
    )


@organizer_required
def jury_edit(request, pk):
    jury = get_jury_for_organizer(request.user, pk)
    form = _jury_form(request, jury.edition, jury=jury)
    if request.method == "POST" and form.is_valid():
        try:
            update_jury(
                jury=jury,
                name=form.cleaned_data["name"],
                categories=form.cleaned_data["categories"],
                president=form.cleaned_data["president"],
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le jury « %(name)s » est modifié.") % {"name": jury.name})
            return redirect("judging:organizer_jury", pk=jury.pk)
    return render(
        request,
        "judging/organizer/jury_form.html",
        {"edition": jury.edition, "form": form, "jury": jury},
    )


def _jury_page(request, jury, *, member_form=None, invite_form=None, status=200):
    user = request.user
    members = list(
        jury.members.select_related("juror")
        .prefetch_related(
            Prefetch(
                "juror__affiliations",
                queryset=Affiliation.objects.select_related("school", "company"),
            )
        )
        .order_by("-active", "is_trainee", "juror__last_name", "juror__first_name", "pk")
    )
    active_ids = [member.juror_id for member in members if member.active]
    candidates = (
        jurors_for_organizer(user).exclude(pk__in=active_ids).order_by("last_name", "first_name")
    )
    return render(
        request,
        "judging/organizer/jury_detail.html",
        {
            "jury": jury,
            "edition": jury.edition,
            "categories": jury.categories.order_by("position", "name"),
            "members": [member for member in members if member.active],
            "former_members": [member for member in members if not member.active],
            "member_form": member_form or MemberForm(jurors=candidates),
            "invite_form": invite_form or InviteJurorForm(),
            "judging_settings": judging_settings_of(jury.edition),
            "modes": AssignmentMode,
            "film_count": films_of_jury(jury).count(),
        },
        status=status,
    )


@organizer_required
def jury_detail(request, pk):
    return _jury_page(request, get_jury_for_organizer(request.user, pk))


@organizer_required
@require_POST
def member_add(request, pk):
    jury = get_jury_for_organizer(request.user, pk)
    form = MemberForm(request.POST, jurors=jurors_for_organizer(request.user))
    if not form.is_valid():
        return _jury_page(request, jury, member_form=form, status=400)
    juror = form.cleaned_data["juror"]
    try:
        add_member(jury=jury, juror=juror, is_trainee=form.cleaned_data["is_trainee"])
    except DomainError as error:
        form.add_error(None, error)
        return _jury_page(request, jury, member_form=form, status=400)
    messages.success(
        request,
        _("%(name)s rejoint le jury. Recalculez les attributions pour lui donner ses films.")
        % {"name": juror.get_full_name()},
    )
    return redirect("judging:organizer_jury", pk=jury.pk)


@organizer_required
@require_POST
def member_invite(request, pk):
    user = request.user
    jury = get_jury_for_organizer(user, pk)
    form = InviteJurorForm(request.POST)
    if not form.is_valid():
        return _jury_page(request, jury, invite_form=form, status=400)
    try:
        juror = invite_member(
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            role=Role.JUROR,
            festival=user.festival,
            invited_by=user,
        )
        add_member(jury=jury, juror=juror, is_trainee=form.cleaned_data["is_trainee"])
    except DomainError as error:
        form.add_error(None, error)
        return _jury_page(request, jury, invite_form=form, status=400)
    messages.success(
        request,
        _(
            "Invitation envoyée à %(email)s, qui rejoint le jury. Recalculez les attributions "
            "pour lui donner ses films."
        )
        % {"email": juror.email},
    )
    return redirect("judging:organizer_jury", pk=jury.pk)


@organizer_required
@require_POST
def member_trainee(request, pk):
    member = get_member_for_organizer(request.user, pk)
    form = TraineeForm(request.POST)
    form.is_valid()
    try:
        set_trainee(member=member, is_trainee=form.cleaned_data.get("is_trainee", False))
    except DomainError as error:
        messages.error(request, error.text)
    else:
        if member.is_trainee:
            text = _("%(name)s est maintenant juré en formation : ses notes ne compteront pas.")
        else:
            text = _("%(name)s est maintenant juré titulaire : ses notes comptent.")
        messages.success(request, text % {"name": member.juror.get_full_name()})
    return redirect("judging:organizer_jury", pk=member.jury_id)


@organizer_required
@require_POST
def member_remove(request, pk):
    member = get_member_for_organizer(request.user, pk)
    ended = remove_member(member=member, organizer=request.user)
    messages.success(
        request,
        ngettext(
            "%(name)s ne fait plus partie du jury ; %(count)d film lui a été retiré, ses notes "
            "déjà données sont conservées. Recalculez les attributions pour le confier à "
            "d'autres jurés.",
            "%(name)s ne fait plus partie du jury ; %(count)d films lui ont été retirés, ses "
            "notes déjà données sont conservées. Recalculez les attributions pour les confier "
            "à d'autres jurés.",
            ended,
        )
        % {"name": member.juror.get_full_name(), "count": ended},
    )
    return redirect("judging:organizer_jury", pk=member.jury_id)


@organizer_required
def juror_affiliations(request, pk):
    user = request.user
    juror = get_juror_for_organizer(user, pk)
    current = list(Affiliation.objects.filter(juror=juror))
    form = AffiliationsForm(
        request.POST or None,
        initial={
            "schools": [a.school_id for a in current if a.school_id],
            "companies": [a.company_id for a in current if a.company_id],
        },
    )
    if request.method == "POST" and form.is_valid():
        ended = set_affiliations(
            juror=juror,
            schools=form.cleaned_data["schools"],
            companies=form.cleaned_data["companies"],
        )
        messages.success(
            request,
            _("Les affiliations de %(name)s sont enregistrées.") % {"name": juror.get_full_name()},
        )
        if ended:
            messages.warning(
                request,
                ngettext(
                    "%(count)d film lui a été retiré pour conflit d'intérêts : recalculez les "
                    "attributions de son jury.",
                    "%(count)d films lui ont été retirés pour conflit d'intérêts : recalculez "
                    "les attributions de son jury.",
                    ended,
                )
                % {"count": ended},
            )
        return redirect("judging:organizer_juror_affiliations", pk=juror.pk)
    memberships = (
        JuryMember.objects.filter(juror=juror, active=True, jury__in=juries_for_organizer(user))
        .select_related("jury", "jury__edition")
        .order_by("-jury__edition__year", "jury__name")
    )
    return render(
        request,
        "judging/organizer/affiliations.html",
        {"juror": juror, "form": form, "memberships": memberships},
    )


# Assignments and progress


@organizer_required
@require_POST
def assignments_compute(request, pk):
    jury = get_jury_for_organizer(request.user, pk)
    report = compute_assignments(jury=jury, organizer=request.user)
    messages.success(
        request,
        _(
            "Attributions calculées : %(added)d ajoutée(s), %(ended)d retirée(s), "
            "%(unchanged)d inchangée(s)."
        )
        % {"added": report.added, "ended": report.ended, "unchanged": report.unchanged},
    )
    for line in report.shortfalls:
        messages.warning(request, line.message)
    return redirect("judging:organizer_progress", pk=jury.pk)


@organizer_required
def progress(request, pk):
    jury = get_jury_for_organizer(request.user, pk)
    judging_settings = judging_settings_of(jury.edition)
    return render(
        request,
        "judging/organizer/progress.html",
        {
            "jury": jury,
            "edition": jury.edition,
            "judging_settings": judging_settings,
            "matrix": progress_matrix(jury),
            "gaps": film_gaps(edition=jury.edition, jury=jury),
        },
    )


@organizer_required
@require_POST
def assignment_add(request, pk):
    jury = get_jury_for_organizer(request.user, pk)
    members = jury.members.filter(active=True).select_related("juror")
    form = AssignmentForm(request.POST, members=members, films=films_of_jury(jury))
    if not form.is_valid():
        messages.error(request, _("Ce juré ou ce film ne fait pas partie du jury."))
        return redirect("judging:organizer_progress", pk=jury.pk)
    member = members.get(juror_id=form.cleaned_data["juror"])
    film = films_of_jury(jury).select_related("school", "company").get(pk=form.cleaned_data["film"])
    try:
        add_assignment(jury=jury, juror=member.juror, film=film, organizer=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            _("« %(film)s » est attribué à %(juror)s.")
            % {"film": film.title, "juror": member.juror.get_full_name()},
        )
    return redirect("judging:organizer_progress", pk=jury.pk)


@organizer_required
@require_POST
def assignment_remove(request, pk):
    assignment = get_assignment_for_organizer(request.user, pk)
    remove_assignment(assignment=assignment, organizer=request.user)
    messages.success(
        request,
        _(
            "« %(film)s » est retiré à %(juror)s. Ses notes éventuelles sont conservées ; le "
            "calcul des attributions ne le lui rendra pas."
        )
        % {"film": assignment.film.title, "juror": assignment.juror.get_full_name()},
    )
    return redirect("judging:organizer_progress", pk=assignment.jury_id)


@organizer_required
@require_POST
def evaluation_reopen(request, pk):
    evaluation = get_evaluation_for_organizer(request.user, pk)
    try:
        reopen_evaluation(evaluation=evaluation, organizer=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            _("Les notes de %(juror)s pour « %(film)s » sont rouvertes : un e-mail l'en informe.")
            % {"juror": evaluation.juror.get_full_name(), "film": evaluation.film.title},
        )
    assignment = evaluation.juror.assignments.filter(film=evaluation.film).first()
    if assignment is not None:
        return redirect("judging:organizer_progress", pk=assignment.jury_id)
    return redirect("judging:organizer_juries", edition_pk=evaluation.film.edition_id)
