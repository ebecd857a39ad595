"""The juror's pages: films to score, the watch page with its scoring form, and deliberation.

Blindness: nothing here reads another juror's evaluation, except the deliberation page, which
opens to the jury's president and the festival's organizers once deliberation has begun.
"""

import logging
import math
from datetime import timedelta
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.models import Film, User
from judging.domain.deliberation import deliberation_table, record_decisions
from judging.domain.juries import declare_conflict
from judging.domain.scoring import (
    is_locked,
    min_watched_ratio,
    record_watch_progress,
    save_draft,
    score_on_20,
    shown_number,
    validate_evaluation,
    validation_refusal,
    watched_percent,
)
from judging.enums import EvaluationState
from judging.forms.juror import (
    ConflictForm,
    DecisionsForm,
    ScoringForm,
    WatchProgressForm,
    watch_session_token,
)
from judging.models import Assignment, Criterion, Evaluation, JuryMember, Score
from judging.rules import (
    assignments_for_juror,
    get_assignment_for_juror,
    get_jury_for_deliberation,
    juror_required,
)
from judging.selectors_results import load_palmares_dates
from media_pipeline import delivery
from media_pipeline.models import VideoVersion

PLAYER_TEMPLATE = "media_pipeline/_film_media.html"

logger = logging.getLogger(__name__)


def _save_failed_message() -> str:
    return _(
        "Vos notes n'ont pas pu être enregistrées à cause d'un incident technique. Elles sont "
        "restées dans le formulaire : réessayez dans un instant."
    )


def _save_failed(request, assignment: Assignment, form: ScoringForm):
    """The database failed in the middle of a save: the transaction wrote nothing, so the
    juror's notes are shown again as typed, with the reason, instead of a server error page."""
    logger.exception(
        "Juror %s: saving the notes of film %s failed", request.user.pk, assignment.film_id
    )
    messages.error(request, _save_failed_message())
    context = _watch_context(request, assignment, form=form)
    return render(request, "judging/juror/watch.html", context, status=503)


def _error_messages(request, error: DomainError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _has_player() -> bool:
    """The media pipeline's player block, when that app provides it."""
    try:
        get_template(PLAYER_TEMPLATE)
    except TemplateDoesNotExist:
        return False
    return True


def _poster_url(film: Film, user: User) -> str:
    """A signed URL of the film's poster, from its prefetched playable version, if it has one.

    The juror's right to see the film was checked by the assignment query the film comes from.
    """
    versions = getattr(film, "ready_versions", [])
    poster = delivery.poster(version=versions[0], user=user, size="list") if versions else None
    return poster.url if poster else ""


def _days_left(deadline, now) -> int:
    return max(0, math.ceil((deadline - now) / timedelta(days=1)))


def _own_evaluations(user: User, film_ids: list[int]) -> dict[int, Evaluation]:
    evaluations = Evaluation.objects.filter(juror=user, film_id__in=film_ids).prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion"))
    )
    return {evaluation.film_id: evaluation for evaluation in evaluations}


def _film_rows(assignments: list[Assignment], evaluations, user: User) -> list[dict]:
    """The films of one edition, by jury and category, each with the juror's state and score."""
    groups = []
    for (jury, category), items in groupby(assignments, key=lambda a: (a.jury, a.film.category)):
        rows = []
        for assignment in items:
            film = assignment.film
            evaluation = evaluations.get(film.pk)
            state = evaluation.state if evaluation else EvaluationState.TO_WATCH
            rows.append(
                {
                    "film": film,
                    "state": state,
                    "state_label": EvaluationState(state).label,
                    "on_20": score_on_20(evaluation) if evaluation else None,
                    "poster": _poster_url(film, user),
                }
            )
        groups.append({"jury": jury, "category": category, "rows": rows})
    return groups


def _edition_order(edition, now) -> tuple:
    """The current edition first, then those still being judged (the nearest deadline first),
    then past ones, the latest first."""
    if edition.is_current:
        return (0, 0)
    if not edition.judging_is_over(now):
        return (1, edition.judging_end_at.timestamp())
    return (2, -edition.judging_end_at.timestamp())


@juror_required
def dashboard(request):
    user = request.user
    now = timezone.now()
    assignments = list(
        assignments_for_juror(user)
        .select_related("jury", "jury__edition__festival", "film", "film__category")
        .prefetch_related(
            Prefetch(
                "film__video_versions",
                queryset=VideoVersion.objects.playable(),
                to_attr="ready_versions",
            )
        )
        .order_by(
            "jury__edition_id",
            "jury__name",
            "jury_id",
            "film__category__position",
            "film__category__name",
            "film__title",
            "film_id",
        )
    )
    evaluations = _own_evaluations(user, [a.film_id for a in assignments])
    presided = {a.jury.pk: a.jury for a in assignments if a.jury.president_id == user.pk}
    load_palmares_dates(jury.edition for jury in presided.values())  # one query, not one a jury
    editions = []
    # Each edition counts only its own films: nothing of one is added to another.
    for _edition_id, items in groupby(assignments, key=lambda a: a.jury.edition_id):
        items = list(items)
        edition = items[0].jury.edition
        validated = sum(
            evaluations[a.film_id].state == EvaluationState.VALIDATED
            for a in items
            if a.film_id in evaluations
        )
        passed = edition.judging_is_over(now)
        editions.append(
            {
                "edition": edition,
                "folded": passed and not edition.is_current,
                "passed": passed,
                "days_left": _days_left(edition.judging_end_at, now),
                "assigned": len(items),
                "validated": validated,
                "percent": round(100 * validated / len(items)),
                "groups": _film_rows(items, evaluations, user),
                "deliberations": [
                    jury
                    for jury in presided.values()
                    # The presided jury's own edition object carries the palmarès date read above.
                    if jury.edition_id == edition.pk and jury.edition.deliberation_is_open(now)
                ],
            }
        )
    editions.sort(key=lambda item: _edition_order(item["edition"], now))
    return render(
        request,
        "judging/juror/dashboard.html",
        {
            "editions": editions,
            "assigned": len(assignments),
            # A juror of several festivals (a regional jury and the national final) reads
            # which festival each edition belongs to.
            "several_festivals": len({a.jury.edition.festival_id for a in assignments}) > 1,
        },
    )


# The watch page and its form.


def _criteria(film: Film) -> list[Criterion]:
    return list(Criterion.objects.filter(edition_id=film.edition_id))


def _evaluation(user: User, film: Film) -> Evaluation | None:
    return (
        Evaluation.objects.filter(juror=user, film=film)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .first()
    )


def _watch_context(request, assignment: Assignment, *, form=None, conflict_form=None) -> dict:
    film = assignment.film
    edition = film.edition
    evaluation = _evaluation(request.user, film)
    criteria = _criteria(film)
    locked = is_locked(evaluation, edition)
    if form is None:
        form = ScoringForm(criteria=criteria, evaluation=evaluation, locked=locked)
    required = min_watched_ratio(edition)
    return {
        "film": film,
        "jury": assignment.jury,
        "edition": edition,
        "evaluation": evaluation,
        "state": evaluation.state if evaluation else EvaluationState.TO_WATCH,
        "form": form,
        "conflict_form": conflict_form or ConflictForm(),
        "locked": locked,
        "validated": evaluation is not None and evaluation.state == EvaluationState.VALIDATED,
        "deadline_passed": edition.judging_is_over(),
        "on_20": score_on_20(evaluation) if evaluation else None,
        "watched_percent": watched_percent(evaluation) if evaluation else 0,
        "required_percent": shown_number(required * 100),
        "is_trainee": JuryMember.objects.filter(
            jury=assignment.jury, juror=request.user, is_trainee=True
        ).exists(),
        "has_player": _has_player(),
        "decimal_separator": get_format("DECIMAL_SEPARATOR"),
        "watch_session": watch_session_token(
            juror_id=request.user.pk, film_id=film.pk, opened_at=timezone.now()
        ),
    }


@juror_required
def watch(request, film_pk):
    assignment = get_assignment_for_juror(request.user, film_pk)
    return render(request, "judging/juror/watch.html", _watch_context(request, assignment))


def _save_from_form(request, film: Film, form: ScoringForm) -> tuple[Evaluation | None, list]:
    """Save every valid part of the posted form; the errors of the rest, as messages."""
    form.is_valid()
    cleaned = form.cleaned_data
    try:
        evaluation = save_draft(
            juror=request.user,
            film=film,
            values=form.valid_values(),
            comment=cleaned.get("comment"),
            favourite=cleaned.get("favourite"),
        )
    except DomainError as error:
        return None, error.messages
    return evaluation, []


@juror_required
@require_POST
def draft(request, film_pk):
    """The scoring form, saved as a draft: by htmx as the juror types, or by its button."""
    assignment = get_assignment_for_juror(request.user, film_pk)
    film = assignment.film
    form = ScoringForm(request.POST, criteria=_criteria(film))
    try:
        evaluation, errors = _save_from_form(request, film, form)
    except DatabaseError:
        if not _is_htmx(request):
            return _save_failed(request, assignment, form)
        # The page stays as it is, the juror's typing with it: the status says why.
        logger.exception("Juror %s: saving a draft of film %s failed", request.user.pk, film.pk)
        evaluation, errors = None, [_save_failed_message()]
    if _is_htmx(request):
        if evaluation is not None:
            evaluation = _evaluation(request.user, film)
        return render(
            request,
            "judging/juror/watch.html#draft_response",
            {
                "film": film,
                "form": form,
                "errors": errors,
                "evaluation": evaluation,
                "state": evaluation.state if evaluation else EvaluationState.TO_WATCH,
                "on_20": score_on_20(evaluation) if evaluation else None,
            },
        )
    for text in errors:
        messages.error(request, text)
    if form.errors:
        messages.error(request, _("Certaines notes ne sont pas valables : corrigez-les."))
        context = _watch_context(request, assignment, form=form)
        return render(request, "judging/juror/watch.html", context)
    if not errors:
        messages.success(request, _("Brouillon enregistré."))
    return redirect("judging:juror_film", film_pk=film.pk)


@juror_required
@require_POST
def validate(request, film_pk):
    assignment = get_assignment_for_juror(request.user, film_pk)
    form = ScoringForm(request.POST, criteria=_criteria(assignment.film))
    try:
        return _validate(request, assignment, form)
    except DatabaseError:
        return _save_failed(request, assignment, form)


def _validate(request, assignment: Assignment, form: ScoringForm):
    film = assignment.film
    if not form.is_valid():
        # The good scores are kept as a draft; nothing is validated until the bad ones are fixed.
        _evaluation_saved, errors = _save_from_form(request, film, form)
        for text in errors:
            messages.error(request, text)
        messages.error(
            request,
            _("Certaines notes ne sont pas valables : corrigez-les, puis validez à nouveau."),
        )
        context = _watch_context(request, assignment, form=form)
        return render(request, "judging/juror/watch.html", context)
    if not form.cleaned_data["confirmed"]:
        return _confirmation(request, assignment, form)
    try:
        # The notes as posted are saved and validated at once: a draft still on its way from
        # htmx cannot come in between.
        validate_evaluation(
            juror=request.user,
            film=film,
            values=form.valid_values(),
            comment=form.cleaned_data["comment"],
            favourite=form.cleaned_data["favourite"],
        )
    except DomainError as error:
        if error.code != "validated" or not _same_as_validated(request.user, film, form):
            _error_messages(request, error)
            return redirect("judging:juror_film", film_pk=film.pk)
        # The same notes sent again (a double click, a second tab): they are validated already.
    messages.success(
        request,
        _("Vos notes pour « %(title)s » sont validées. Merci !") % {"title": film.title},
    )
    return redirect("judging:juror_film", film_pk=film.pk)


def _confirmation(request, assignment: Assignment, form: ScoringForm):
    """Check your notes before validating them: a page that works without JavaScript. The notes
    are saved as a draft first, and nothing is asked while they may not be validated yet."""
    film = assignment.film
    evaluation, errors = _save_from_form(request, film, form)
    if evaluation is not None:
        refusal = validation_refusal(evaluation=evaluation)
        errors = refusal.messages if refusal else []
    if errors:
        for text in errors:
            messages.error(request, text)
        return redirect("judging:juror_film", film_pk=film.pk)
    evaluation = _evaluation(request.user, film)
    return render(
        request,
        "judging/juror/confirm.html",
        {
            "film": film,
            "edition": film.edition,
            "form": form,
            "scores": [
                (criterion, value, shown_number(value) if value is not None else "")
                for criterion in form.criteria
                for value in [form.cleaned_data[form.field_name(criterion.pk)]]
            ],
            "on_20": score_on_20(evaluation),
        },
    )


def _same_as_validated(juror: User, film: Film, form: ScoringForm) -> bool:
    evaluation = Evaluation.objects.filter(juror=juror, film=film).first()
    if evaluation is None:
        return False
    stored = {score.criterion_id: score.value for score in evaluation.scores.all()}
    posted = {pk: value for pk, value in form.valid_values().items() if value is not None}
    return (
        stored == posted
        and evaluation.comment == form.cleaned_data["comment"]
        and evaluation.favourite == form.cleaned_data["favourite"]
    )


@juror_required
@require_POST
def progress(request, film_pk):
    """The passages the player reports as watched (static/judging/watch.js)."""
    assignment = get_assignment_for_juror(request.user, film_pk)
    form = WatchProgressForm(request.POST, juror_id=request.user.pk, film_id=assignment.film_id)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    cleaned = form.cleaned_data
    try:
        evaluation = record_watch_progress(
            juror=request.user,
            film=assignment.film,
            start=cleaned["start"],
            end=cleaned["end"],
            duration=cleaned["duration"],
            opened_at=cleaned["session"],
        )
    except DomainError as error:
        return JsonResponse({"errors": error.messages}, status=409)
    return JsonResponse(
        {
            "watched_percent": watched_percent(evaluation),
            "watched_seconds": evaluation.watched_seconds,
        }
    )


@juror_required
@require_POST
def conflict(request, film_pk):
    assignment = get_assignment_for_juror(request.user, film_pk)
    film = assignment.film
    form = ConflictForm(request.POST)
    if not form.is_valid():
        context = _watch_context(request, assignment, conflict_form=form)
        return render(request, "judging/juror/watch.html", context)
    try:
        declare_conflict(juror=request.user, film=film, reason=form.cleaned_data["reason"])
    except DomainError as error:
        _error_messages(request, error)
        return redirect("judging:juror_film", film_pk=film.pk)
    messages.success(
        request,
        _(
            "Votre conflit d'intérêts est enregistré : « %(title)s » vous est retiré et "
            "l'organisation en est informée."
        )
        % {"title": film.title},
    )
    return redirect("judging:juror_dashboard")


# Deliberation.


@login_required
def deliberation(request, jury_pk):
    jury = get_jury_for_deliberation(request.user, jury_pk)
    if not jury.edition.deliberation_is_open():
        return render(request, "judging/juror/deliberation_closed.html", {"jury": jury})
    return render(
        request,
        "judging/juror/deliberation.html",
        {
            "jury": jury,
            "films": deliberation_table(jury),
            "decisions_form": DecisionsForm(initial={"decisions": jury.decisions}),
            "back_url": (
                reverse("judging:juror_dashboard")
                if request.user.is_juror
                else reverse("judging:organizer_jury", args=[jury.pk])
            ),
        },
    )


@login_required
@require_POST
def decisions(request, jury_pk):
    jury = get_jury_for_deliberation(request.user, jury_pk)
    if not jury.edition.deliberation_is_open():
        messages.error(request, _("La délibération de ce jury n'est pas encore ouverte."))
        return redirect("judging:deliberation", jury_pk=jury.pk)
    form = DecisionsForm(request.POST)
    if form.is_valid():
        record_decisions(jury=jury, user=request.user, decisions=form.cleaned_data["decisions"])
        messages.success(request, _("Les décisions du jury sont enregistrées."))
    return redirect(f"{reverse('judging:deliberation', args=[jury.pk])}#decisions")
