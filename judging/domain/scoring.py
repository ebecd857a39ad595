"""Scoring: a juror's draft as they type, the watched passages, validation and the score sur 20.

Every change to an evaluation is written with the ScoreChange that records it, in the same
transaction, under a lock on the evaluation row: two tabs or a double click are applied one
after the other, and a save that loses a race on a unique constraint is replayed on the rows
the other one wrote, so nothing is duplicated and nothing is lost.
"""

import logging
import math
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import Film, User
from judging.enums import EvaluationState
from judging.marks import on_20
from judging.models import (
    Assignment,
    Criterion,
    Evaluation,
    JudgingSettings,
    Score,
    ScoreChange,
)
from media_pipeline.models import VideoVersion

logger = logging.getLogger(__name__)

DEFAULT_MIN_WATCHED_RATIO = Decimal("0.90")
# A player reports the passage played since its last report, every ten seconds or so. A longer
# passage is a seek taken for playback, a sleeping laptop or a forged request: it is ignored.
MAX_REPORTED_SPAN = 30.0
# A juror may play the film up to twice as fast: a viewing session credits at most twice the
# real time elapsed since the watch page was opened, so a few forged requests cannot fake it.
MAX_PLAYBACK_SPEED = 2.0
# The player reports every 10 s of playback and on each pause or seek: a longer wait between two
# reports is a pause or an idle page, which must not save up watching credit.
MAX_REPORT_GAP = MAX_REPORTED_SPAN
# Passages closer than this are one: players report their position a few times a second.
MERGE_GAP = 0.5
# How many times a save that lost a race against another tab is replayed.
SAVE_ATTEMPTS = 3
TWO_PLACES = Decimal("0.01")


# Reading.


def score_field(criterion: Criterion) -> str:
    """The audit trail's name for a criterion's score."""
    return f"score:{criterion.name}"[:120]


def shown_number(value: Decimal | float) -> str:
    """7,5 or 10: a score as a French jury writes it."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return number_format(value.quantize(Decimal(1)))
    return number_format(value.normalize())


def _audit_value(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def score_on_20(evaluation: Evaluation) -> Decimal | None:
    """The evaluation's score sur 20, as the ranking computes it; reads `evaluation.scores.all()`
    (prefetch-friendly)."""
    return on_20((score.criterion, score.value) for score in evaluation.scores.all())


def min_watched_ratio(edition) -> Decimal:
    try:
        return edition.judging_settings.min_watched_ratio
    except JudgingSettings.DoesNotExist:
        return DEFAULT_MIN_WATCHED_RATIO


def watched_ratio(evaluation: Evaluation) -> float:
    if not evaluation.film_duration:
        return 0.0
    return min(1.0, evaluation.watched_seconds / evaluation.film_duration)


def watched_percent(evaluation: Evaluation) -> int:
    """Rounded down: 89.7 % watched is never shown as the 90 % asked for."""
    return math.floor(watched_ratio(evaluation) * 100 + 1e-9)


def is_locked(evaluation: Evaluation | None, edition, now: datetime | None = None) -> bool:
    validated = evaluation is not None and evaluation.state == EvaluationState.VALIDATED
    return validated or edition.judging_is_over(now)


# Checks, each with the message a juror reads.


def out_of_scale_message(criterion: Criterion) -> str:
    return _("« %(criterion)s » : la note doit être comprise entre %(min)s et %(max)s.") % {
        "criterion": criterion.name,
        "min": shown_number(criterion.min_score),
        "max": shown_number(criterion.max_score),
    }


def too_many_places_message(criterion: Criterion) -> str:
    return _("« %(criterion)s » : la note a deux décimales au plus.") % {
        "criterion": criterion.name
    }


def off_step_message(criterion: Criterion, *, below: str, above: str) -> str:
    """`below` and `above` are the nearest scores on the step, as shown: the juror's page
    fills them in as the juror types, from placeholders."""
    return _(
        "« %(criterion)s » : la note va de %(step)s en %(step)s, par exemple "
        "%(below)s ou %(above)s."
    ) % {
        "criterion": criterion.name,
        "step": shown_number(criterion.step),
        "below": below,
        "above": above,
    }


def check_value(*, criterion: Criterion, value: Decimal) -> None:
    """Refuse a score outside the criterion's scale or off its step."""
    low, high = criterion.min_score, criterion.max_score
    if not value.is_finite() or value < low or value > high:
        raise DomainError(out_of_scale_message(criterion), code="out_of_scale")
    if value != value.quantize(TWO_PLACES):
        raise DomainError(too_many_places_message(criterion), code="off_step")
    step = criterion.step
    if step > 0 and (value - low) % step != 0:
        below = low + (value - low) // step * step
        raise DomainError(
            off_step_message(
                criterion,
                below=shown_number(below),
                above=shown_number(min(below + step, high)),
            ),
            code="off_step",
        )


def _check_open(*, evaluation: Evaluation, film: Film, now: datetime) -> None:
    edition = film.edition
    if edition.judging_is_over(now):
        raise DomainError(
            _("L'évaluation s'est terminée le %(date)s : les notes ne peuvent plus être modifiées.")
            % {"date": date_format(timezone.localtime(edition.judging_end_at), "DATETIME_FORMAT")},
            code="deadline",
        )
    if evaluation.state == EvaluationState.VALIDATED:
        raise DomainError(
            _(
                "Vous avez déjà validé vos notes pour ce film : elles ne peuvent plus être "
                "modifiées. Demandez à l'organisation de les rouvrir si nécessaire."
            ),
            code="validated",
        )


def _check_assigned(*, juror: User, film: Film) -> None:
    if not Assignment.objects.filter(juror=juror, film=film, active=True).exists():
        raise DomainError(_("Ce film ne vous est pas attribué."), code="not_assigned")


# Writing.


def get_or_create_evaluation(*, juror: User, film: Film) -> Evaluation:
    # get_or_create catches the IntegrityError of a concurrent create and reads that row.
    evaluation, _created = Evaluation.objects.get_or_create(juror=juror, film=film)
    return evaluation


def _locked_evaluation(*, juror: User, film: Film) -> Evaluation:
    pk = get_or_create_evaluation(juror=juror, film=film).pk
    evaluation = Evaluation.objects.select_for_update().get(pk=pk)
    evaluation.film = film
    return evaluation


def _current_scores(evaluation: Evaluation) -> dict[int, Score]:
    return {score.criterion_id: score for score in evaluation.scores.select_for_update()}


def _with_retries(save):
    """Run `save` in a transaction; replay it when it lost a race on a unique constraint."""
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return save()
        except IntegrityError:
            if attempt == SAVE_ATTEMPTS:
                raise
            logger.info("Scoring save lost a race, replayed (attempt %s)", attempt + 1)


def _checked_criteria(film: Film, values: dict[int, Decimal | None]) -> dict[int, Criterion]:
    """The edition's criteria by id, once every value is known to be on its criterion's scale."""
    criteria = {c.pk: c for c in Criterion.objects.filter(edition_id=film.edition_id)}
    if set(values) - set(criteria):
        raise DomainError(
            _("Ce critère ne fait pas partie de la grille d'évaluation de cette édition."),
            code="unknown_criterion",
        )
    for criterion_id, value in values.items():
        if value is not None:
            check_value(criterion=criteria[criterion_id], value=value)
    return criteria


def _apply_draft(
    *,
    evaluation: Evaluation,
    juror: User,
    criteria: dict[int, Criterion],
    values: dict[int, Decimal | None],
    comment: str | None,
    favourite: bool | None,
) -> None:
    """Write what changed on a locked evaluation, each change with its ScoreChange."""
    scores = _current_scores(evaluation)
    changes: list[tuple[str, str, str]] = []
    for criterion_id, value in values.items():
        criterion, score = criteria[criterion_id], scores.get(criterion_id)
        before = score.value if score is not None else None
        if value == before:
            continue
        if value is None:
            score.delete()
        elif score is None:
            Score.objects.create(evaluation=evaluation, criterion=criterion, value=value)
        else:
            score.value = value
            score.save(update_fields=["value"])
        changes.append((score_field(criterion), _audit_value(before), _audit_value(value)))
    fields = []
    if comment is not None and comment != evaluation.comment:
        changes.append(("comment", evaluation.comment, comment))
        evaluation.comment = comment
        fields.append("comment")
    if favourite is not None and favourite != evaluation.favourite:
        changes.append(("favourite", _flag(evaluation.favourite), _flag(favourite)))
        evaluation.favourite = favourite
        fields.append("favourite")
    if changes and evaluation.state == EvaluationState.TO_WATCH:
        changes.append(("state", evaluation.state, EvaluationState.DRAFT))
        evaluation.state = EvaluationState.DRAFT
        fields.append("state")
    if changes:
        # updated_at tells when the draft was last saved, scores included.
        evaluation.save(update_fields=[*fields, "updated_at"])
        _audit(evaluation, juror, changes)


def save_draft(
    *,
    juror: User,
    film: Film,
    values: dict[int, Decimal | None],
    comment: str | None = None,
    favourite: bool | None = None,
    now: datetime | None = None,
) -> Evaluation:
    """Save what changed in a juror's scores, comment and coup de cœur, each change audited.

    `values` maps criterion ids to a score, or None to clear it; criteria left out, and a
    comment or favourite left as None, are not touched. Saving the same values again writes
    nothing.
    """
    now = now or timezone.now()
    criteria = _checked_criteria(film, values)
    _check_assigned(juror=juror, film=film)

    def save() -> Evaluation:
        evaluation = _locked_evaluation(juror=juror, film=film)
        _check_open(evaluation=evaluation, film=film, now=now)
        _apply_draft(
            evaluation=evaluation,
            juror=juror,
            criteria=criteria,
            values=values,
            comment=comment,
            favourite=favourite,
        )
        return evaluation

    return _with_retries(save)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _audit(evaluation: Evaluation, user: User, changes: list[tuple[str, str, str]]) -> None:
    ScoreChange.objects.bulk_create(
        ScoreChange(evaluation=evaluation, field=field, before=before, after=after, changed_by=user)
        for field, before, after in changes
    )


def merge_ranges(ranges: Iterable[Iterable[float]]) -> list[list[float]]:
    """Sorted, non-overlapping passages; passages closer than MERGE_GAP are joined."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in ranges):
        if merged and start <= merged[-1][1] + MERGE_GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [[round(start, 2), round(end, 2)] for start, end in merged]


def film_duration(version: VideoVersion) -> float | None:
    """The duration the media pipeline measured for the film's playable video."""
    duration = (version.probe or {}).get("duration")
    return float(duration) if duration else None


def _no_video() -> DomainError:
    return DomainError(
        _("La vidéo de ce film n'est pas encore disponible : rien n'est enregistré."),
        code="no_video",
    )


def _session_budget(evaluation: Evaluation, opened_at: datetime, now: datetime) -> float | None:
    """How many seconds of film this report may credit; None for a stale tab.

    The latest session wins: a report from a page opened before the latest one is ignored, so
    two sessions never credit the same real time twice. Within a session, a report credits at
    most MAX_PLAYBACK_SPEED times the real time since the previous report (or the opening),
    counting at most MAX_REPORT_GAP of it: a page left open, or a paused film, saves up no
    credit, so reaching 90 % always takes real time close to the film's own.
    """
    current = evaluation.watch_opened_at
    if current is not None and opened_at < current:
        return None
    if current is None or opened_at > current:
        evaluation.watch_opened_at = opened_at
        evaluation.watch_session_seconds = 0.0
        evaluation.watch_reported_at = None
    since = evaluation.watch_reported_at or opened_at
    gap = min(max(0.0, (now - since).total_seconds()), MAX_REPORT_GAP)
    evaluation.watch_reported_at = now
    return MAX_PLAYBACK_SPEED * gap


def record_watch_progress(
    *,
    juror: User,
    film: Film,
    start: float,
    end: float,
    duration: float,
    opened_at: datetime,
    now: datetime | None = None,
) -> Evaluation:
    """Add a passage the player reports as watched, during a viewing session opened at
    `opened_at` (the watch page's signed time).

    Only a film with a playable video is watched. Its duration is the one the media pipeline
    measured, the player's when it measured none. Passages are clamped to the film, and a
    report credits at most MAX_PLAYBACK_SPEED times the real time since the previous one: a
    passage beyond that is cut to what the clock allows (see `_session_budget`). An absurd one
    (backwards, longer than a
    report can be, not a number) changes nothing. Nothing is recorded once the notes are
    validated: the gate they passed is behind them.
    """
    now = now or timezone.now()
    _check_assigned(juror=juror, film=film)
    version = VideoVersion.objects.playable_for(film)
    if version is None:
        raise _no_video()
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (start, end, duration)):
        return get_or_create_evaluation(juror=juror, film=film)
    known = film_duration(version)

    def save() -> Evaluation:
        evaluation = _locked_evaluation(juror=juror, film=film)
        if evaluation.state == EvaluationState.VALIDATED:
            return evaluation
        length = known or evaluation.film_duration or duration
        if not length or length <= 0:
            return evaluation
        low, high = max(0.0, start), min(float(length), end)
        if end < start or end - start > MAX_REPORTED_SPAN or high <= low:
            return evaluation
        budget = _session_budget(evaluation, opened_at, now)
        if budget is None:
            return evaluation
        high = min(high, low + budget)
        fields = ["watch_opened_at", "watch_session_seconds", "watch_reported_at"]
        if high > low:
            evaluation.watch_session_seconds = round(
                evaluation.watch_session_seconds + (high - low), 3
            )
            ranges = merge_ranges([*evaluation.watched_ranges, [low, high]])
            evaluation.watched_ranges = ranges
            evaluation.watched_seconds = round(sum(e - s for s, e in ranges), 2)
            evaluation.film_duration = float(length)
            fields += ["watched_ranges", "watched_seconds", "film_duration"]
        evaluation.save(update_fields=fields)
        return evaluation

    return _with_retries(save)


def missing_criteria(evaluation: Evaluation, criteria: Iterable[Criterion]) -> list[Criterion]:
    scored = {score.criterion_id for score in evaluation.scores.all()}
    return [c for c in criteria if c.required and c.pk not in scored]


def _refusal(
    evaluation: Evaluation, criteria: Iterable[Criterion], required_ratio: Decimal
) -> DomainError | None:
    """Why these notes may not be validated yet, if they may not."""
    missing = missing_criteria(evaluation, criteria)
    if missing:
        return DomainError(
            _("Il manque encore la note de : %(criteria)s.")
            % {"criteria": ", ".join(c.name for c in missing)},
            code="missing_scores",
        )
    if watched_ratio(evaluation) + 1e-9 < float(required_ratio):
        return DomainError(
            _(
                "Vous avez regardé %(watched)s %% du film : il faut en avoir vu au moins "
                "%(required)s %% pour valider vos notes. Regardez la suite du film, puis "
                "validez à nouveau."
            )
            % {
                "watched": watched_percent(evaluation),
                "required": shown_number(required_ratio * 100),
            },
            code="not_watched",
        )
    return None


def validation_refusal(*, evaluation: Evaluation) -> DomainError | None:
    """Why these saved notes may not be validated yet, if they may not: what the confirmation
    step checks before asking."""
    film = evaluation.film
    criteria = Criterion.objects.filter(edition_id=film.edition_id)
    return _refusal(evaluation, criteria, min_watched_ratio(film.edition))


def validate_evaluation(
    *,
    juror: User,
    film: Film,
    values: dict[int, Decimal | None] | None = None,
    comment: str | None = None,
    favourite: bool | None = None,
    now: datetime | None = None,
) -> Evaluation:
    """Lock the juror's notes for this film: every required score given, the film watched.

    The notes on the juror's screen (`values`, `comment`, `favourite`, as for save_draft) are
    saved first, under the same lock: a draft from another tab cannot slip in between what
    the juror saw and what is validated. When validation is refused, they stay saved.
    """
    now = now or timezone.now()
    values = values or {}
    criteria = _checked_criteria(film, values)
    _check_assigned(juror=juror, film=film)
    required_ratio = min_watched_ratio(film.edition)

    def save() -> tuple[Evaluation, DomainError | None]:
        evaluation = _locked_evaluation(juror=juror, film=film)
        _check_open(evaluation=evaluation, film=film, now=now)
        _apply_draft(
            evaluation=evaluation,
            juror=juror,
            criteria=criteria,
            values=values,
            comment=comment,
            favourite=favourite,
        )
        refusal = _refusal(evaluation, criteria.values(), required_ratio)
        if refusal is not None:
            return evaluation, refusal
        _audit(evaluation, juror, [("state", evaluation.state, EvaluationState.VALIDATED)])
        evaluation.state = EvaluationState.VALIDATED
        evaluation.validated_at = now
        evaluation.save(update_fields=["state", "validated_at", "updated_at"])
        logger.info("Evaluation %s validated by user %s", evaluation.pk, juror.pk)
        return evaluation, None

    evaluation, refusal = _with_retries(save)
    if refusal is not None:
        raise refusal
    return evaluation
