"""The teacher's pages, "Mes films": drafts, consent forms and submission.

The film's video is sent to the media pipeline's views (media_pipeline.views.upload_video,
and its resumable uploads); this page shows their form.
"""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.domain.companies import register_company
from festival.domain.consents import OPEN_FOR_CONSENTS, add_consent, delete_consent
from festival.domain.films import (
    allowed_transitions,
    check_submissions_window,
    create_film,
    missing_for_submission,
    set_film_status,
    submission_prefetch,
    submit_film,
    update_film,
    withdraw_film,
)
from festival.domain.rights import declare_rights
from festival.domain.rules_acceptance import (
    latest_acceptance,
    rules_acceptance_needed,
    rules_version,
)
from festival.enums import FilmStatus, Role
from festival.forms.companies import ContactForm
from festival.forms.submission import RightsDeclarationForm, SubmitForm
from festival.forms.teacher import ConsentForm, FilmForm, VideoForm, WithdrawForm
from festival.history import teacher_history, transfer_history
from festival.rules import (
    films_for_teacher,
    get_consent_for_teacher,
    get_film_for_teacher,
    may_edit_film_contacts,
    open_editions,
    teacher_required,
)
from festival.selection_outcome import selection_outcome
from festival.uploads import refuse_oversized

PREPARING = (FilmStatus.DRAFT, FilmStatus.NEEDS_CHANGES)


def _error_messages(request, error: DomainError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _window_state(edition, now) -> str:
    if edition.submissions_not_yet_open(now):
        return "upcoming"
    if edition.submissions_are_open(now):
        return "open"
    return "closed"


@teacher_required
def dashboard(request):
    films = list(
        films_for_teacher(request.user)
        .select_related(
            "edition__festival", "category", "company", "forwarded_from__edition__festival"
        )
        .prefetch_related(*submission_prefetch())
    )
    for film in films:
        film.missing = missing_for_submission(film) if film.status in PREPARING else []
    now = timezone.now()
    # A film forwarded to another festival's final is shown under that festival.
    several = len(request.user.festival_ids(Role.TEACHER)) > 1 or any(
        film.forwarded_from_id for film in films
    )
    editions = []
    for edition in open_editions(request.user):
        # A teacher of several festivals reads which festival each calendar is of.
        edition.display_title = (
            f"{edition.festival.name} — {edition.title}" if several else edition.title
        )
        editions.append({"edition": edition, "state": _window_state(edition, now)})
    return render(
        request,
        "festival/teacher/dashboard.html",
        {
            "films": films,
            "editions": editions,
            "can_create": any(item["state"] != "closed" for item in editions),
            "several_festivals": several,
        },
    )


def _editions_accepting_films(user):
    # A draft may be prepared before submissions open, never after they close.
    return [edition for edition in open_editions(user) if not edition.submissions_are_closed()]


def _company_from(form, user):
    if form.adds_company:
        return register_company(user=user, **form.new_company_data())
    return form.cleaned_data["company"]


@teacher_required
def film_create(request):
    editions = _editions_accepting_films(request.user)
    if not editions:
        messages.error(request, _("Aucune édition n'accepte de nouveaux films en ce moment."))
        return redirect("festival:teacher_dashboard")
    form = FilmForm(request.POST if request.method == "POST" else None, editions=editions)
    if form.is_valid():
        try:
            # A company added with the film is not kept when the film is refused.
            with transaction.atomic():
                film = create_film(
                    teacher=request.user,
                    edition=form.cleaned_data["edition"],
                    company=_company_from(form, request.user),
                    **form.film_data(),
                )
        except DomainError as error:
            _error_messages(request, error)
        else:
            messages.success(
                request,
                _(
                    "Le film « %(title)s » est créé. Ajoutez sa vidéo et les autorisations "
                    "de droit à l'image, puis déposez-le."
                )
                % {"title": film.title},
            )
            return redirect(film)
    return render(request, "festival/teacher/film_form.html", {"form": form, "film": None})


@teacher_required
def film_edit(request, pk):
    film = get_film_for_teacher(request.user, pk)
    if not film.is_editable:
        messages.error(
            request,
            _(
                "Ce film est « %(status)s » : il ne peut plus être modifié, sauf si "
                "l'organisation demande des compléments."
            )
            % {"status": film.get_status_display()},
        )
        return redirect(film)
    form = FilmForm(request.POST if request.method == "POST" else None, film=film)
    if form.is_valid():
        try:
            with transaction.atomic():
                update_film(
                    film=film,
                    user=request.user,
                    company=_company_from(form, request.user),
                    **form.film_data(),
                )
        except DomainError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect(film)
    return render(request, "festival/teacher/film_form.html", {"form": form, "film": film})


@teacher_required
def film_detail(request, pk):
    film = get_film_for_teacher(request.user, pk)
    # Read once here, by the checklist and by the page.
    prefetch_related_objects([film], *submission_prefetch())
    allowed = allowed_transitions(film=film, user=request.user)
    missing = missing_for_submission(film) if film.status in PREPARING else []
    window_error = ""
    if film.status == FilmStatus.DRAFT:
        try:
            check_submissions_window(edition=film.edition)
        except DomainError as error:
            window_error = error.messages[0]
    return render(
        request,
        "festival/teacher/film_detail.html",
        {
            "film": film,
            "trades": film.trades.all(),
            "consents": film.consents.all(),
            "history": sorted(
                teacher_history(list(film.events.all()), request.user)
                + transfer_history(film, for_teacher=True),
                key=lambda line: line.at,
            ),
            "missing": missing,
            "window_error": window_error,
            "can_submit": FilmStatus.SUBMITTED in allowed and not missing and not window_error,
            "can_withdraw": FilmStatus.WITHDRAWN in allowed,
            "can_restore": FilmStatus.DRAFT in allowed,
            "video_form": VideoForm() if film.is_editable else None,
            "consent_form": ConsentForm()
            if film.status in OPEN_FOR_CONSENTS and film.forwarded_from_id is None
            else None,
            "withdraw_form": WithdrawForm(),
            "rights_form": RightsDeclarationForm(film=film) if film.is_editable else None,
            "max_video_bytes": settings.FILMIT_MAX_UPLOAD_BYTES,
            "max_consent_bytes": settings.FILMIT_MAX_CONSENT_BYTES,
            "palmares_published": film.edition.palmares_is_published(),
            "selection_outcome": selection_outcome(film),
            "contacts": film.company.contacts.order_by("name", "pk") if film.company_id else [],
            "contact_form": ContactForm() if may_edit_film_contacts(request.user, film) else None,
        },
    )


# Consent uploads: CsrfViewMiddleware reads request.POST, which would receive the whole body
# before the size check. The view is exempted from the middleware only to check the declared
# size first; the token is then checked by csrf_protect before anything is read or saved.


@csrf_exempt
@teacher_required
@require_POST
def consent_upload(request, pk):
    film = get_film_for_teacher(request.user, pk)
    limit = settings.FILMIT_MAX_CONSENT_BYTES * ConsentForm.MAX_FILES
    refused = refuse_oversized(request, film, limit=limit, anchor="autorisations")
    return refused or _receive_consents(request, film)


@csrf_protect
def _receive_consents(request, film):
    form = ConsentForm(request.POST, request.FILES)
    if not form.is_valid():
        for text in form.errors["files"]:
            messages.error(request, text)
        return redirect(f"{film.get_absolute_url()}#autorisations")
    added = 0
    for uploaded in form.cleaned_data["files"]:
        try:
            add_consent(film=film, user=request.user, uploaded_file=uploaded)
        except DomainError as error:
            # One bad file does not lose the others: each is reported by its name.
            for text in error.messages:
                messages.error(
                    request,
                    _("« %(name)s » : %(error)s") % {"name": uploaded.name, "error": text},
                )
        else:
            added += 1
    if added:
        messages.success(
            request,
            ngettext("%(count)d autorisation ajoutée.", "%(count)d autorisations ajoutées.", added)
            % {"count": added},
        )
    return redirect(f"{film.get_absolute_url()}#autorisations")


@teacher_required
@require_POST
def consent_delete(request, pk, consent_pk):
    consent = get_consent_for_teacher(request.user, pk, consent_pk)
    film = consent.film
    try:
        delete_consent(consent=consent, user=request.user)
    except DomainError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("L'autorisation « %(name)s » est supprimée.") % {"name": consent.original_filename},
        )
    return redirect(f"{film.get_absolute_url()}#autorisations")


@teacher_required
def film_rights(request, pk):
    """The music and third-party rights declaration (also shown on the film's page)."""
    film = get_film_for_teacher(request.user, pk)
    if not film.is_editable:
        messages.error(
            request,
            _("Le film est « %(status)s » : sa déclaration des droits ne peut plus changer.")
            % {"status": film.get_status_display()},
        )
        return redirect(film)
    form = RightsDeclarationForm(request.POST if request.method == "POST" else None, film=film)
    if form.is_valid():
        try:
            declare_rights(
                film=film,
                user=request.user,
                music_rights=form.cleaned_data["music_rights"],
                third_party_credits=form.cleaned_data["third_party_credits"],
            )
        except DomainError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("La déclaration des droits est enregistrée."))
            return redirect(f"{film.get_absolute_url()}#droits")
    return render(request, "festival/teacher/film_rights.html", {"film": film, "form": form})


@teacher_required
def film_submit(request, pk):
    """GOV.UK "check your answers": what will be sent, the rules to accept, then the button."""
    film = get_film_for_teacher(request.user, pk)
    rules_needed = rules_acceptance_needed(film)
    form = SubmitForm(
        request.POST if request.method == "POST" else None,
        rules_needed=rules_needed,
        rules_version=rules_version(film.edition.rules),
    )
    if request.method == "POST" and form.is_valid():
        try:
            submit_film(
                film=film,
                user=request.user,
                rules_accepted=form.cleaned_data.get("accept_rules", False),
            )
        except DomainError as error:
            _error_messages(request, error)
            return redirect(film)
        return redirect("festival:teacher_film_submitted", pk=film.pk)
    # A refused form is shown again with its error; a film not ready goes back to its page.
    prefetch_related_objects([film], *submission_prefetch())
    try:
        if film.status == FilmStatus.DRAFT:
            check_submissions_window(edition=film.edition)
    except DomainError:
        return redirect(film)
    if film.status not in PREPARING or missing_for_submission(film):
        # Nothing to check: the film page says what is missing or where the film stands.
        return redirect(film)
    return render(
        request,
        "festival/teacher/film_submit.html",
        {
            "film": film,
            "form": form,
            "rules_needed": rules_needed,
            "accepted": latest_acceptance(film),
            "trades": film.trades.all(),
            "consents": film.consents.all(),
            "resubmission": film.status == FilmStatus.NEEDS_CHANGES,
        },
    )


@teacher_required
def film_submitted(request, pk):
    """The confirmation page: the film is sent, and what happens next."""
    film = get_film_for_teacher(request.user, pk)
    if film.status != FilmStatus.SUBMITTED:
        return redirect(film)
    return render(request, "festival/teacher/film_submitted.html", {"film": film})


@teacher_required
@require_POST
def film_withdraw(request, pk):
    film = get_film_for_teacher(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        for text in form.errors["reason"]:
            messages.error(request, text)
        return redirect(film)
    try:
        withdraw_film(film=film, user=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("Le film « %(title)s » est retiré du festival. Vous pouvez le reprendre plus tard.")
            % {"title": film.title},
        )
    return redirect(film)


@teacher_required
@require_POST
def film_restore(request, pk):
    film = get_film_for_teacher(request.user, pk)
    try:
        set_film_status(film=film, to=FilmStatus.DRAFT, actor=request.user)
    except DomainError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("Le film « %(title)s » est de nouveau un brouillon : complétez-le puis déposez-le.")
            % {"title": film.title},
        )
    return redirect(film)
