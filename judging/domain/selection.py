"""The pre-selection round: its settings, the finalists' choice, their announcement, and the
thanks to the other films once the palmarès is out.

Workflow (`SelectionState`, moved only by `set_round_state`):

- OPEN: the organizers set the round up, a pre-selection jury scores, the finalists are chosen
  (and changed) freely;
- SCHEDULED: the finalists are fixed and the announcement is queued for `announce_at` (the task
  queue, `run_after`); back to OPEN to change anything;
- ANNOUNCED: the finalists are public, their teachers are told. Final.

Every email is recorded (`SelectionNotice`, one per film, teacher and kind): the task, the
hourly chore (`manage.py announce_finalists`) and an organizer's "announce now" may all run,
each teacher still gets one message per film.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival import emails
from festival.models import Edition, Film, User
from judging.domain import DomainError
from judging.domain.assignment import compute_assignments
from judging.enums import ELIGIBLE_FILM_STATUSES, JuryStage, SelectionNoticeKind, SelectionState
from judging.models import Jury
from judging.models_selection import Finalist, SelectionNotice, SelectionRound
from judging.selectors_selection import finalist_films, has_preselection

logger = logging.getLogger(__name__)

TRANSITIONS = {
    SelectionState.OPEN: {SelectionState.SCHEDULED, SelectionState.ANNOUNCED},
    SelectionState.SCHEDULED: {SelectionState.OPEN, SelectionState.ANNOUNCED},
    SelectionState.ANNOUNCED: set(),
}

# Set by `judging.apps`: the task that announces a round at its date (the task module imports
# this one).
_announcement_task = None


def register_announcement_task(task) -> None:
    global _announcement_task
    _announcement_task = task


def ensure_round(*, edition: Edition) -> SelectionRound:
    selection_round, _created = SelectionRound.objects.get_or_create(edition=edition)
    return selection_round


def _check_not_announced(selection_round: SelectionRound) -> None:
    if selection_round.is_announced:
        raise DomainError(
            _("Les finalistes sont déjà annoncés : la présélection ne peut plus changer."),
            code="announced",
        )


def _refresh_final_juries(edition: Edition, user: User | None) -> None:
    """The final juries follow the finalists: non-finalists' untouched assignments end,
    finalists get their jurors (started work is kept, `compute_assignments`)."""
    for jury in Jury.objects.filter(edition=edition, stage=JuryStage.FINAL).order_by("pk"):
        compute_assignments(jury=jury, organizer=user)


def save_round_settings(
    *,
    edition: Edition,
    enabled: bool,
    finalists_per_category: int,
    announce_at: datetime | None,
    user: User,
) -> SelectionRound:
    """Turn the round on or off, set the suggested number of finalists and the announcement's
    date. Not once announced. A scheduled announcement follows its new date."""
    with transaction.atomic():
        selection_round = ensure_round(edition=edition)
        selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
        _check_not_announced(selection_round)
        if enabled and announce_at is None and selection_round.state == SelectionState.SCHEDULED:
            raise DomainError(
                _("L'annonce est programmée : gardez une date d'annonce."), code="date_required"
            )
        switched = selection_round.enabled != enabled
        moved = selection_round.announce_at != announce_at
        selection_round.enabled = enabled
        selection_round.finalists_per_category = finalists_per_category
        selection_round.announce_at = announce_at
        selection_round.updated_by = user
        selection_round.save(
            update_fields=["enabled", "finalists_per_category", "announce_at", "updated_by"]
        )
        if not enabled and selection_round.state == SelectionState.SCHEDULED:
            set_round_state(selection_round=selection_round, state=SelectionState.OPEN, user=user)
        elif moved and selection_round.state == SelectionState.SCHEDULED:
            _queue_announcement(selection_round)
        if switched:
            _refresh_final_juries(edition, user)
    logger.info(
        "Selection round of edition %s set by user %s (enabled %s, %s per category, at %s)",
        edition.pk,
        user.pk,
        enabled,
        finalists_per_category,
        announce_at,
    )
    return selection_round


def choose_finalists(
    *, selection_round: SelectionRound, films: Iterable[Film], user: User
) -> list[Finalist]:
    """The finalists are these films (the others stop being finalists). Only while the round is
    open; films must be in competition in the round's edition."""
    films = list(films)
    if not selection_round.enabled:
        raise DomainError(
            _("La présélection n'est pas activée pour cette édition."), code="disabled"
        )
    _check_not_announced(selection_round)
    if selection_round.state != SelectionState.OPEN:
        raise DomainError(
            _("L'annonce est programmée : annulez-la avant de changer les finalistes."),
            code="scheduled",
        )
    edition = selection_round.edition
    allowed = set(
        Film.objects.filter(
            edition=edition, status__in=ELIGIBLE_FILM_STATUSES, pk__in=[f.pk for f in films]
        ).values_list("pk", flat=True)
    )
    for film in films:
        if film.pk not in allowed:
            raise DomainError(
                _("« %(title)s » n'est pas en compétition dans cette édition.")
                % {"title": film.title},
                code="not_eligible",
            )
    chosen = {film.pk: film for film in films}
    with transaction.atomic():
        Finalist.objects.filter(round=selection_round).exclude(film_id__in=chosen).delete()
        kept = set(Finalist.objects.filter(round=selection_round).values_list("film_id", flat=True))
        Finalist.objects.bulk_create(
            Finalist(round=selection_round, film=film, category_id=film.category_id, chosen_by=user)
            for pk, film in sorted(chosen.items())
            if pk not in kept
        )
        _refresh_final_juries(edition, user)
    logger.info(
        "Finalists of edition %s chosen by user %s: %s", edition.pk, user.pk, sorted(chosen)
    )
    return list(Finalist.objects.filter(round=selection_round).select_related("film"))


def set_round_state(
    *, selection_round: SelectionRound, state: str, user: User | None = None
) -> SelectionRound:
    """The round's one transition function: checks the move, saves, logs, queues the work."""
    current = selection_round.state
    if state not in TRANSITIONS[current]:
        raise DomainError(
            _("La présélection ne peut pas passer de « %(from)s » à « %(to)s ».")
            % {"from": SelectionState(current).label, "to": SelectionState(state).label},
            code="transition",
        )
    if state in (SelectionState.SCHEDULED, SelectionState.ANNOUNCED):
        if not selection_round.enabled:
            raise DomainError(
                _("La présélection n'est pas activée pour cette édition."), code="disabled"
            )
        if not selection_round.finalists.exists():
            raise DomainError(
                _("Choisissez au moins un finaliste avant d'annoncer."), code="no_finalists"
            )
    if state == SelectionState.SCHEDULED and selection_round.announce_at is None:
        raise DomainError(
            _("Indiquez la date et l'heure de l'annonce dans les réglages de la présélection."),
            code="date_required",
        )
    fields = ["state"]
    selection_round.state = state
    if state == SelectionState.ANNOUNCED:
        selection_round.announced_at = timezone.now()
        fields.append("announced_at")
    selection_round.save(update_fields=fields)
    logger.info(
        "Selection round %s: %s → %s (user %s)",
        selection_round.pk,
        current,
        state,
        getattr(user, "pk", None),
    )
    if state == SelectionState.SCHEDULED:
        _queue_announcement(selection_round)
    elif state == SelectionState.ANNOUNCED:
        send_finalist_notices(selection_round=selection_round)
    return selection_round


def _queue_announcement(selection_round: SelectionRound) -> None:
    """The task runs at the announcement's date; it announces only what is still due then, so
    a moved date or a cancelled announcement leaves the old task with nothing to do."""
    task, pk, run_after = _announcement_task, selection_round.pk, selection_round.announce_at
    if task is None or run_after is None:
        return
    transaction.on_commit(lambda: task.using(run_after=run_after).enqueue(pk))


def schedule_announcement(*, selection_round: SelectionRound, user: User) -> SelectionRound:
    return set_round_state(
        selection_round=selection_round, state=SelectionState.SCHEDULED, user=user
    )


def announce_now(*, selection_round: SelectionRound, user: User) -> SelectionRound:
    return set_round_state(
        selection_round=selection_round, state=SelectionState.ANNOUNCED, user=user
    )


def cancel_announcement(*, selection_round: SelectionRound, user: User) -> SelectionRound:
    return set_round_state(selection_round=selection_round, state=SelectionState.OPEN, user=user)


def announce_if_due(*, selection_round: SelectionRound, now: datetime | None = None) -> bool:
    """Announce a scheduled round whose date has come (the task, the chore). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        selection_round = (
            SelectionRound.objects.select_for_update()
            .select_related("edition", "edition__festival")
            .get(pk=selection_round.pk)
        )
        due = (
            selection_round.enabled
            and selection_round.state == SelectionState.SCHEDULED
            and selection_round.announce_at is not None
            and selection_round.announce_at <= now
        )
        if due:
            set_round_state(selection_round=selection_round, state=SelectionState.ANNOUNCED)
        elif selection_round.is_announced and selection_round.enabled:
            send_finalist_notices(selection_round=selection_round)  # any left unsent
    return due


def announce_due_rounds(*, now: datetime | None = None) -> list[SelectionRound]:
    """Every announcement due and not done, and any finalist's email still missing."""
    now = now or timezone.now()
    due = SelectionRound.objects.filter(
        enabled=True, state=SelectionState.SCHEDULED, announce_at__lte=now
    )
    announced = []
    for selection_round in due.order_by("pk"):
        if announce_if_due(selection_round=selection_round, now=now):
            announced.append(selection_round)
    for selection_round in SelectionRound.objects.filter(
        enabled=True, state=SelectionState.ANNOUNCED
    ).select_related("edition", "edition__festival"):
        send_finalist_notices(selection_round=selection_round)
    return announced


def _record_notice(film: Film, kind: str) -> bool:
    """Record the email before sending it: False when it was already sent."""
    try:
        with transaction.atomic():
            _notice, created = SelectionNotice.objects.get_or_create(
                film=film, teacher_id=film.teacher_id, kind=kind
            )
    except IntegrityError:  # recorded at the same moment by another worker
        return False
    return created


def _notify_once(*, films, kind: str, template: str, edition: Edition) -> int:
    """Write to each film's teacher, once per film and kind (a `SelectionNotice` row)."""
    sent = 0
    for film in films.exclude(selection_notices__kind=kind).order_by("pk"):
        if not _record_notice(film, kind):
            continue
        emails.send_to_user(
            template=template, user=film.teacher, context={"film": film, "edition": edition}
        )
        sent += 1
    return sent


def send_finalist_notices(*, selection_round: SelectionRound) -> int:
    """Tell each finalist's teacher, once per film."""
    edition = selection_round.edition
    films = (
        finalist_films(edition)
        .filter(teacher__is_active=True)
        .select_related("teacher", "category", "school")
    )
    sent = _notify_once(
        films=films,
        kind=SelectionNoticeKind.FINALIST,
        template="selection_finalist",
        edition=edition,
    )
    if sent:
        logger.info("Finalists of edition %s: %s teachers told", edition.pk, sent)
    return sent


def thank_non_finalists(*, edition: Edition) -> int:
    """Once the palmarès is published: thank the teachers of the films in competition that were
    not finalists, with their feedback sheet, once per film."""
    if not has_preselection(edition):
        return 0
    films = Film.objects.filter(
        edition=edition,
        status__in=ELIGIBLE_FILM_STATUSES,
        finalist__isnull=True,
        teacher__is_active=True,
    ).select_related("teacher", "category", "edition", "edition__festival")
    sent = _notify_once(
        films=films, kind=SelectionNoticeKind.THANKS, template="selection_thanks", edition=edition
    )
    if sent:
        logger.info("Edition %s: %s non-finalist films thanked", edition.pk, sent)
    return sent
