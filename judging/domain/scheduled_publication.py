"""The palmarès published by itself at the time of its announcement during the ceremony.

An organizer schedules it instead of publishing now; at that time the task queue publishes it
through `publication.publish_palmares`, the same function as a manual publication, so its emails
leave then. The task carries the time it was queued for: a task whose schedule was changed or
cancelled since does nothing. If no worker ran it (a worker down at the time), the hourly chore
`manage.py publish_scheduled_palmares` publishes what is due. A refusal (no prize decided, a
palmarès already online) is kept with the schedule and emailed to the festival's organizers.
"""

import logging
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival import emails
from festival.enums import Role
from festival.models import Edition, User
from judging.domain import DomainError
from judging.domain.publication import publish_palmares
from judging.models_ceremony import ScheduledPublication, ScheduleState
from judging.selectors_results import live_publication

logger = logging.getLogger(__name__)

# The task that publishes at the scheduled time calls `publish_scheduled`: judging.apps hands
# it over, so this module does not import the tasks.
_publishing_task = None


def register_publishing_task(task) -> None:
    global _publishing_task
    _publishing_task = task


def time_stamp(value: datetime) -> str:
    """The scheduled time as the task carries it (UTC, to the second)."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def pending_schedule(edition: Edition) -> ScheduledPublication | None:
    return (
        ScheduledPublication.objects.filter(edition=edition, state=ScheduleState.SCHEDULED)
        .select_related("scheduled_by")
        .first()
    )


def _enqueue(scheduled: ScheduledPublication) -> None:
    publish_at = scheduled.publish_at
    transaction.on_commit(
        lambda: _publishing_task.using(run_after=publish_at).enqueue(
            scheduled.pk, time_stamp(publish_at)
        )
    )


def schedule_publication(
    *, edition: Edition, user: User, publish_at: datetime, now: datetime | None = None
) -> ScheduledPublication:
    """Schedule the palmarès at `publish_at`, or move the time of the one already scheduled."""
    now = now or timezone.now()
    publish_at = publish_at.replace(microsecond=0)
    if publish_at <= now:
        raise DomainError(
            {"publish_at": [_("Choisissez une date et une heure à venir.")]}, code="past"
        )
    if live_publication(edition) is not None:
        raise DomainError(
            _("Le palmarès est déjà en ligne : il n'y a rien à programmer."),
            code="already_published",
        )
    with transaction.atomic():
        scheduled = (
            ScheduledPublication.objects.select_for_update()
            .filter(edition=edition, state=ScheduleState.SCHEDULED)
            .first()
        )
        if scheduled is None:
            scheduled = ScheduledPublication.objects.create(
                edition=edition, publish_at=publish_at, scheduled_by=user
            )
        else:
            scheduled.publish_at = publish_at
            scheduled.scheduled_by = user
            scheduled.save(update_fields=["publish_at", "scheduled_by", "updated_at"])
        _enqueue(scheduled)
    logger.info(
        "Palmarès of edition %s scheduled at %s by user %s (schedule %s)",
        edition.pk,
        time_stamp(publish_at),
        user.pk,
        scheduled.pk,
    )
    return scheduled


def cancel_schedule(*, scheduled: ScheduledPublication, user: User) -> ScheduledPublication:
    updated = ScheduledPublication.objects.filter(
        pk=scheduled.pk, state=ScheduleState.SCHEDULED
    ).update(state=ScheduleState.CANCELLED, updated_at=timezone.now())
    if not updated:
        raise DomainError(
            _("Cette publication n'est plus programmée : elle ne peut pas être annulée."),
            code="not_scheduled",
        )
    scheduled.refresh_from_db()
    logger.info("Scheduled palmarès %s cancelled by user %s", scheduled.pk, user.pk)
    return scheduled


def publish_scheduled(
    *, scheduled_id: int, expected_at: str | None = None, now: datetime | None = None
) -> ScheduledPublication | None:
    """Publish a scheduled palmarès that is due. `expected_at`: the time the task was queued for;
    a different time (the schedule moved) means a stale task, which does nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        scheduled = (
            ScheduledPublication.objects.select_for_update()
            .select_related("edition__festival", "scheduled_by")
            .filter(pk=scheduled_id)
            .first()
        )
        if scheduled is None or scheduled.state != ScheduleState.SCHEDULED:
            return scheduled
        if expected_at is not None and time_stamp(scheduled.publish_at) != expected_at:
            logger.info("Scheduled palmarès %s: stale task for %s", scheduled.pk, expected_at)
            return scheduled
        if scheduled.publish_at > now:
            return scheduled
        if live_publication(scheduled.edition) is not None:
            # Published by hand in the meantime: nothing left to do, nobody to alarm.
            scheduled.state = ScheduleState.CANCELLED
            scheduled.error = _("Le palmarès était déjà publié à l'heure prévue.")
            scheduled.save(update_fields=["state", "error", "updated_at"])
            return scheduled
        try:
            publication = publish_palmares(edition=scheduled.edition, user=scheduled.scheduled_by)
        except DomainError as error:
            scheduled.state = ScheduleState.FAILED
            scheduled.error = error.text
            scheduled.save(update_fields=["state", "error", "updated_at"])
            logger.warning("Scheduled palmarès %s failed: %s", scheduled.pk, error.text)
            _tell_organizers(scheduled)
            return scheduled
        scheduled.state = ScheduleState.PUBLISHED
        scheduled.publication = publication
        scheduled.save(update_fields=["state", "publication", "updated_at"])
    logger.info("Scheduled palmarès %s published (publication %s)", scheduled.pk, publication.pk)
    return scheduled


def _tell_organizers(scheduled: ScheduledPublication) -> None:
    edition = scheduled.edition
    organizers = User.objects.members_of(edition.festival_id, Role.ORGANIZER)
    emails.send_to_users(
        template="palmares_schedule_failed",
        users=organizers,
        context={"edition": edition, "scheduled": scheduled},
    )


def publish_due(*, now: datetime | None = None) -> list[ScheduledPublication]:
    """The hourly chore: publish every scheduled palmarès whose time has come (a worker down at
    that time, a task lost)."""
    now = now or timezone.now()
    due = ScheduledPublication.objects.filter(
        state=ScheduleState.SCHEDULED, publish_at__lte=now
    ).values_list("pk", flat=True)
    return [publish_scheduled(scheduled_id=pk, now=now) for pk in list(due)]
