"""Reminder emails to jurors with films left to watch or score.

Organizers send one whenever they like from the progress page. The automatic one goes out once
per edition, `JudgingSettings.reminder_days_before` days before `Edition.judging_end_at`
(0 turns it off): run `manage.py send_jury_reminders` daily from cron, or enqueue
`judging.tasks.send_due_jury_reminders`.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from festival import emails
from festival.models import Edition, User
from judging.models import JudgingSettings
from judging.selectors import films_left_by_juror

logger = logging.getLogger(__name__)


def send_reminders(*, edition: Edition, organizer: User | None = None) -> int:
    """Email every juror with films left the list of those films and the deadline.

    Returns how many jurors were written to. Emails leave after the transaction commits.
    """
    login_path = reverse("festival:login")
    sent = 0
    for entry in films_left_by_juror(edition):
        emails.send_to_user(
            template="jury_reminder",
            user=entry.juror,
            context={
                "edition": edition,
                "films": entry.films,
                "deadline": edition.judging_end_at,
                "login_path": login_path,
            },
        )
        sent += 1
    logger.info(
        "Edition %s: jury reminder sent to %s juror(s) (by user %s)",
        edition.pk,
        sent,
        getattr(organizer, "pk", "automatic"),
    )
    return sent


def reminder_due(judging_settings: JudgingSettings, now=None) -> bool:
    now = now or timezone.now()
    edition = judging_settings.edition
    if judging_settings.reminder_sent_at is not None or not judging_settings.reminder_days_before:
        return False
    due_at = edition.judging_end_at - timedelta(days=judging_settings.reminder_days_before)
    return edition.judging_is_open(now) and now >= due_at


def send_due_reminders(*, now=None) -> list[Edition]:
    """Send each edition's automatic reminder once, when it is due. Safe to run often.

    The edition is claimed with a conditional update before anything is sent: two runs at the
    same moment never send it twice.
    """
    now = now or timezone.now()
    sent_for = []
    candidates = JudgingSettings.objects.filter(
        reminder_sent_at__isnull=True,
        reminder_days_before__gt=0,
        edition__in=Edition.objects.judging_open(now),
    ).select_related("edition")
    for judging_settings in candidates:
        if not reminder_due(judging_settings, now):
            continue
        with transaction.atomic():
            claimed = JudgingSettings.objects.filter(
                pk=judging_settings.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                send_reminders(edition=judging_settings.edition)
                sent_for.append(judging_settings.edition)
    return sent_for
