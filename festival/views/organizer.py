"""The organizers' pages: dashboard, films, consents, teachers and invitations.

Every object is reached through `festival.rules`: an organizer only ever sees their festival.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from festival import spreadsheets
from festival.domain import DomainError
from festival.domain.accounts import decide_membership, invite_member, switch_festival
from festival.domain.consents import review_consent
from festival.domain.films import REASON_REQUIRED, allowed_transitions, set_film_status
from festival.domain.rules_acceptance import acceptance_lines
from festival.domain.transfers import offer_errors
from festival.enums import (
    Academie,
    ApprovalStatus,
    ConsentStatus,
    EditionPhase,
    FilmStatus,
    StructureKind,
)
from festival.film_figures import film_figures
from festival.filters import FilmFilter, with_consent_counts
from festival.forms.organizer import (
    ConsentReviewForm,
    EditionSwitchForm,
    FilmDecisionForm,
    FilmStatusForm,
    InvitationForm,
    TeacherDecisionForm,
    TeacherSearchForm,
)
from festival.history import transfer_history
from festival.models import Edition, Invitation, TransferState
from festival.navigation import edition_links
from festival.notices import films_without_jurors
from festival.rules import (
    editions_for_organizer,
    films_for_organizer,
    get_consent_for_organizer,
    get_film_for_organizer,
    get_teacher_membership_for_organizer,
    organized_festivals,
    organizer_required,
    teacher_memberships_for_organizer,
    transfers_received_by_organizer,
)

FILMS_PER_PAGE = 25
TEACHERS_PER_PAGE = 50
INVITATIONS_PER_PAGE = 50

# Films the organizers are handling: their consents must all be validated before screening.
FILMS_IN_PLAY = (FilmStatus.SUBMITTED, FilmStatus.NEEDS_CHANGES, FilmStatus.ACCEPTED)

# Edition dates in order, with the phase each one opens (None: a date inside a phase).
TIMELINE = (
    ("submissions_open_at", EditionPhase.SUBMISSIONS),
    ("submissions_close_at", EditionPhase.SCREENING),
    ("judging_start_at", EditionPhase.JUDGING),
    ("judging_end_at", EditionPhase.DELIBERATION),
    ("deliberation_at", None),
    ("ceremony_at", None),
    ("palmares_published_at", EditionPhase.PUBLISHED),
)
# The palmarès' date is not a field of the edition (judging's publication holds it).
TIMELINE_LABELS = {"palmares_published_at": pgettext_lazy("edition", "publication du palmarès")}


def _action_label(status: str) -> str:
    labels = {
        FilmStatus.ACCEPTED: pgettext("film action", "Accepter le film"),
        FilmStatus.NEEDS_CHANGES: pgettext("film action", "Demander des compléments"),
        FilmStatus.REJECTED: pgettext("film action", "Refuser le film"),
        FilmStatus.SUBMITTED: pgettext("film action", "Réexaminer le film"),
        FilmStatus.WITHDRAWN: pgettext("film action", "Retirer le film"),
        FilmStatus.DRAFT: pgettext("film action", "Remettre en brouillon"),
    }
    return labels.get(status, FilmStatus(status).label)


def _films_url(**params) -> str:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{reverse('festival:organizer_films')}?{query}"


def _redirect_back(request, next_url: str, fallback: str):
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(fallback)


# Dashboard


def _dashboard_url(edition: Edition) -> str:
    return f"{reverse('festival:organizer_dashboard')}?{urlencode({'edition': edition.pk})}"


def _dashboard_edition(request, editions) -> Edition | None:
    """The edition asked for in ?edition=, else the current one, else the latest."""
    if "edition" in request.GET:
        form = EditionSwitchForm(request.GET, editions=editions)
        if not form.is_valid():
            raise Http404
        return form.cleaned_data["edition"]
    return editions.filter(is_current=True).first() or editions.first()


def _timeline(edition: Edition, phase: EditionPhase) -> list[dict]:
    return [
        {
            "label": TIMELINE_LABELS.get(name) or Edition._meta.get_field(name).verbose_name,
            "date": getattr(edition, name),
            "current": opens == phase,
        }
        for name, opens in TIMELINE
    ]


def _status_matrix(edition: Edition, films) -> dict:
    """Films per category × status, from one aggregated query."""
    counts = {
        (row["category_id"], row["status"]): row["n"]
        for row in films.values("category_id", "status").annotate(n=Count("pk")).order_by()
    }
    statuses = list(FilmStatus)
    rows = []
    for category in edition.categories.all():
        cells = [
            {
                "count": counts.get((category.pk, status), 0),
                "url": _films_url(edition=edition.pk, category=category.pk, status=status.value),
            }
            for status in statuses
        ]
        rows.append(
            {
                "category": category,
                "cells": cells,
                "total": sum(cell["count"] for cell in cells),
                "url": _films_url(edition=edition.pk, category=category.pk),
            }
        )
    totals = [
        {
            "count": sum(n for (_category, s), n in counts.items() if s == status),
            "url": _films_url(edition=edition.pk, status=status.value),
        }
        for status in statuses
    ]
    return {
        "statuses": statuses,
        "rows": rows,
        "totals": totals,
        "total": sum(counts.values()),
        "url": _films_url(edition=edition.pk),
    }


@organizer_required
def dashboard(request):
    user = request.user
    editions = editions_for_organizer(user).order_by("-year")
    edition = _dashboard_edition(request, editions)
    context = {"edition": edition}
    if edition is not None:
        films = films_for_organizer(user).filter(edition=edition)
        phase = edition.phase()
        context.update(
            edition_links=edition_links(editions, edition, _dashboard_url),
            phase=phase,
            timeline=_timeline(edition, phase),
            matrix=_status_matrix(edition, films),
            films_missing_consents=with_consent_counts(
                films.filter(status__in=FILMS_IN_PLAY).consents_missing()
            )
            .select_related("category", "school")
            .order_by("category__position", "title", "pk"),
            missing_consents_url=_films_url(edition=edition.pk, consents="missing"),
            films_waiting=films.filter(status=FilmStatus.SUBMITTED)
            .select_related("category", "school", "teacher")
            .order_by("submitted_at", "pk"),
            waiting_url=_films_url(edition=edition.pk, status=FilmStatus.SUBMITTED.value),
            jury_notices=films_without_jurors(edition=edition),
        )
    # Films other festivals offer to this one (a national final), waiting for an answer.
    context["offers_waiting"] = (
        transfers_received_by_organizer(user).filter(state=TransferState.OFFERED).count()
    )
    context["pending_teachers"] = (
        teacher_memberships_for_organizer(user)
        .filter(approval=ApprovalStatus.PENDING, user__is_active=True)
        .order_by("requested_at", "pk")
    )
    return render(request, "festival/organizer/dashboard.html", context)


# Films


def _film_filter(request) -> FilmFilter:
    """The film filters from the query string; without ?edition= the current edition is shown."""
    data = request.GET.copy()
    if "edition" not in data:
        current = editions_for_organizer(request.user).filter(is_current=True).first()
        if current is not None:
            data["edition"] = str(current.pk)
    return FilmFilter(data, queryset=films_for_organizer(request.user), request=request)


def _filtered_films(filterset: FilmFilter):
    films = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return films.select_related("edition", "category", "school", "company", "teacher")


@organizer_required
def film_list(request):
    filterset = _film_filter(request)
    paginator = Paginator(_filtered_films(filterset), FILMS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    export_url = reverse("festival:organizer_films_csv")
    if export_query:
        export_url = f"{export_url}?{export_query.urlencode()}"
    return render(
        request,
        "festival/organizer/film_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "films": page.object_list,
            "export_url": export_url,
        },
    )


def _csv_header() -> list[str]:
    return [
        _("id"),
        _("titre"),
        pgettext("festival", "édition"),
        _("catégorie"),
        _("statut"),
        _("établissement"),
        _("type de structure"),
        _("UAI"),
        _("SIRET de l'établissement"),
        _("académie"),
        _("commune"),
        _("entreprise"),
        _("SIRET"),
        _("enseignant"),
        _("e-mail enseignant"),
        _("métiers"),
        _("nombre d'élèves"),
        _("autorisations (validées / total)"),
        _("vidéo envoyée"),
        _("déposé le"),
    ]


class _CsvLabels:
    """Every translated word of the rows, resolved while the request's language is active:
    the body is written after the view has returned."""

    def __init__(self):
        self.statuses = {status.value: str(status.label) for status in FilmStatus}
        self.academies = {academie.value: str(academie.label) for academie in Academie}
        self.kinds = {kind.value: str(kind.label) for kind in StructureKind}
        self.yes, self.no = _("oui"), _("non")


def _csv_row(film, labels: _CsvLabels) -> list:
    submitted_at = (
        timezone.localtime(film.submitted_at).strftime("%d/%m/%Y %H:%M")
        if film.submitted_at
        else ""
    )
    school, company, teacher = film.school, film.company, film.teacher
    return [
        film.pk,
        film.title,
        film.edition.title,
        film.category.name,
        labels.statuses.get(film.status, film.status),
        school.name,
        labels.kinds.get(school.kind, school.kind),
        school.uai or "",
        school.siret or "",
        labels.academies.get(school.academie, school.academie),
        school.town,
        company.name if company else "",
        company.siret if company else "",
        teacher.get_full_name(),
        teacher.email,
        ", ".join(trade.name for trade in film.trades.all()),
        film.pupil_count,
        # Spaces around the slash: French Excel would read "2/3" as the 2nd of March.
        f"{film.consents_validated} / {film.consents_total}",
        labels.yes if film.original_video else labels.no,
        submitted_at,
    ]


def _csv_lines(films, header: list[str], labels: _CsvLabels):
    rows = (_csv_row(film, labels) for film in films.iterator(chunk_size=500))
    # The byte order mark makes Excel read the file as UTF-8.
    return spreadsheets.csv_lines(header, rows, delimiter=";", bom=True)


@organizer_required
def film_export(request):
    """The film list's films, as a spreadsheet: streamed, so big editions stay flat in memory."""
    films = _filtered_films(_film_filter(request)).prefetch_related("trades")
    response = StreamingHttpResponse(
        _csv_lines(films, _csv_header(), _CsvLabels()), content_type="text/csv; charset=utf-8"
    )
    filename = f"films-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _action(to: str) -> dict:
    return {
        "to": to,
        "label": _action_label(to),
        "status_label": FilmStatus(to).label,
        "danger": to in (FilmStatus.REJECTED, FilmStatus.WITHDRAWN),
        "reason_required": to in REASON_REQUIRED,
    }


@organizer_required
def film_detail(request, pk):
    film = get_film_for_organizer(request.user, pk)
    transitions = allowed_transitions(film=film, user=request.user)
    return render(
        request,
        "festival/organizer/film_detail.html",
        {
            "film": film,
            "trades": film.trades.all(),
            "consents": film.consents.select_related("uploaded_by", "reviewed_by"),
            "events": film.events.select_related("actor"),
            "actions": [_action(to) for to in transitions],
            "consent_form": ConsentReviewForm(),
            "jury_notices": films_without_jurors(edition=film.edition, films=[film]),
            "rules_acceptances": acceptance_lines(film),
            "transfer_lines": transfer_history(film),
            "may_offer": not offer_errors(film=film),
            "figures": film_figures(film=film),
        },
    )


def _render_decision(request, film, form, to: str, status: int = 200):
    """The "check your answers" page of a decision: what will happen, then the button."""
    consents = list(film.consents.all())
    return render(
        request,
        "festival/organizer/film_decision.html",
        {
            "film": film,
            "form": form,
            "action": _action(to),
            "consents_total": len(consents),
            "consents_unvalidated": sum(1 for c in consents if c.status != ConsentStatus.VALIDATED),
        },
        status=status,
    )


@organizer_required
def film_decision(request, pk):
    """Asks to confirm a decision on a film (GET only: the button posts to `film_status`)."""
    film = get_film_for_organizer(request.user, pk)
    form = FilmDecisionForm(request.GET)
    if not form.is_valid() or form.cleaned_data["to"] not in allowed_transitions(
        film=film, user=request.user
    ):
        messages.error(request, _("Cette action n'existe pas. Rechargez la page et réessayez."))
        return redirect("festival:organizer_film", pk=film.pk)
    to = form.cleaned_data["to"]
    return _render_decision(request, film, FilmStatusForm(initial={"to": to}), to)


@organizer_required
@require_POST
def film_status(request, pk):
    film = get_film_for_organizer(request.user, pk)
    form = FilmStatusForm(request.POST)
    if not form.is_valid():
        if "to" in form.cleaned_data:
            return _render_decision(request, film, form, form.cleaned_data["to"], status=400)
        messages.error(request, _("Cette action n'existe pas. Rechargez la page et réessayez."))
        return redirect("festival:organizer_film", pk=film.pk)
    to = form.cleaned_data["to"]
    try:
        set_film_status(film=film, to=to, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        if error.code == "reason_required":
            form.add_error("reason", error.text)
            return _render_decision(request, film, form, to, status=400)
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            _("Le film « %(title)s » est maintenant « %(status)s ».")
            % {"title": film.title, "status": film.get_status_display()},
        )
    return redirect("festival:organizer_film", pk=film.pk)


@organizer_required
@require_POST
def consent_review(request, pk):
    consent = get_consent_for_organizer(request.user, pk)
    form = ConsentReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez de valider ou de refuser l'autorisation."))
        return redirect("festival:organizer_film", pk=consent.film_id)
    try:
        review_consent(
            consent=consent,
            organizer=request.user,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            _("L'autorisation « %(name)s » est « %(status)s ».")
            % {"name": consent.original_filename, "status": consent.get_status_display()},
        )
    return redirect("festival:organizer_film", pk=consent.film_id)


# Teachers


@organizer_required
def teacher_list(request):
    user = request.user
    search = TeacherSearchForm(request.GET)
    memberships = teacher_memberships_for_organizer(user).annotate(
        pending_first=Case(
            When(approval=ApprovalStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        film_count=Count(
            "user__films", filter=Q(user__films__edition__festival_id=user.festival_id)
        ),
    )
    if search.is_valid():
        memberships = search.filter(memberships)
    memberships = memberships.order_by("pending_first", "-requested_at", "pk")
    page = Paginator(memberships, TEACHERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "festival/organizer/teacher_list.html",
        {
            "search_form": search,
            "page_obj": page,
            "memberships": page.object_list,
            "next_url": request.get_full_path(),
        },
    )


@organizer_required
@require_POST
def teacher_decide(request, pk):
    membership = get_teacher_membership_for_organizer(request.user, pk)
    teacher = membership.user
    form = TeacherDecisionForm(request.POST)
    fallback = reverse("festival:organizer_teachers")
    if not form.is_valid():
        messages.error(request, _("Choisissez de valider ou de refuser le compte."))
        return _redirect_back(request, form.cleaned_data.get("next", ""), fallback)
    try:
        decide_membership(
            membership=membership,
            organizer=request.user,
            approve=form.approve,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        if form.approve:
            text = _("La participation de %(name)s est validée : un e-mail l'en informe.")
        else:
            text = _("La participation de %(name)s est refusée : un e-mail lui donne le motif.")
        messages.success(request, text % {"name": teacher.get_full_name()})
    return _redirect_back(request, form.cleaned_data["next"], fallback)


# Invitations


@organizer_required
def invite(request):
    user = request.user
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invited = invite_member(
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                role=form.cleaned_data["role"],
                festival=user.festival,
                invited_by=user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s : le lien reste valable %(days)s jours.")
                % {"email": invited.email, "days": settings.FILMIT_INVITATION_DAYS},
            )
            return redirect("festival:organizer_invite")
    invitations = (
        Invitation.objects.filter(festival_id=user.festival_id)
        .select_related("user", "invited_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(invitations, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    expired_before = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return render(
        request,
        "festival/organizer/invite.html",
        {
            "form": form,
            "page_obj": page,
            "invitations": page.object_list,
            "expired_before": expired_before,
        },
    )


# The festival an organizer works on


@organizer_required
@require_POST
def switch_working_festival(request):
    """An organizer of several festivals (or an operator) chooses the one their pages show."""
    chosen = request.POST.get("festival", "")
    if not chosen.isdigit():
        messages.error(request, _("Choisissez un festival dans la liste."))
        return redirect("festival:organizer_dashboard")
    festival = get_object_or_404(organized_festivals(request.user), pk=chosen)
    try:
        switch_festival(user=request.user, festival=festival)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            _("Vous travaillez maintenant sur le festival %(festival)s.") % {"festival": festival},
        )
    return redirect("festival:organizer_dashboard")
