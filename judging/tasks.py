"""Background tasks of the judging app: thin wrappers that take ids and call the domain."""

import logging

from django.tasks import task

from festival.models import Edition, User
from judging.domain import ceremony_invitations, reminders, scheduled_publication, selection
from judging.models_selection import SelectionRound

logger = logging.getLogger(__name__)


@task
def send_due_jury_reminders() -> None:
    """The automatic reminders due now, each sent once (see `reminders.send_due_reminders`)."""
    reminders.send_due_reminders()


@task
def send_jury_reminders(edition_id: int, organizer_id: int | None = None) -> None:
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        logger.info("Jury reminders: edition %s is gone", edition_id)
        return
    organizer = User.objects.filter(pk=organizer_id).first() if organizer_id else None
    reminders.send_reminders(edition=edition, organizer=organizer)


@task(queue_name="default")
def send_ceremony_invitations(edition_id: int) -> None:
    """Send the ceremony's waiting invitations, batch after batch (`send_pending`)."""
    edition = Edition.objects.select_related("festival").filter(pk=edition_id).first()
    if edition is None:
        logger.info("Ceremony invitations: edition %s is gone", edition_id)
        return
    ceremony_invitations.send_pending(edition=edition)


@task(queue_name="default")
def publish_scheduled_palmares(scheduled_id: int, expected_at: str) -> None:
    """Queued to run at the scheduled time; a stale one (the time changed) does nothing."""
    scheduled_publication.publish_scheduled(scheduled_id=scheduled_id, expected_at=expected_at)
@task
def announce_finalists(round_id: int) -> None:
    """Queued for the announcement's date (`run_after`); does nothing if no longer due."""
    selection_round = SelectionRound.objects.filter(pk=round_id).first()
    if selection_round is None:
        logger.info("Finalists' announcement: round %s is gone", round_id)
        return
    selection.announce_if_due(selection_round=selection_round)
