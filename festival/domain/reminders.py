"""Automatic reminders to teachers about their films, each sent once.

Run by `manage.py send_teacher_reminders` with the hourly chores. Three kinds:

- the submission deadline is near (`TEACHER_REMINDER_DAYS` before it) and the film is still a
  draft: the email lists what is missing;
- the film was sent back for changes and still waits, `TEACHER_CHANGES_REMINDER_DAYS` after the
  organizers' email: one reminder per sending-back, with their reason;
- the deadline passed with the film still a draft (in the `TEACHER_REMINDER_DAYS` after it):
  the film was not submitted, and whom to contact.

A `FilmReminder` row (film, kind, key) is written in the transaction that queues the email: its
unique constraint is what makes a reminder go out once, however often the command runs.
"""

import logging
from datetime import UTC, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation

from festival import emails
from festival.domain.films import missing_for_submission, submission_prefetch
from festival.enums import FilmStatus, Role
from festival.models import Edition, Film, FilmEvent, FilmReminder, User
from festival.models_outreach import ReminderKind

logger = logging.getLogger(__name__)


def _deadline_key(edition: Edition) -> str:
    """A moved deadline is a new deadline: its reminders go out again."""
    return edition.submissions_close_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def _approved_teachers(edition: Edition):
    return User.objects.members_of(edition.festival_id, Role.TEACHER)


def _already_sent(kind: str) -> set[tuple[int, str]]:
    return set(FilmReminder.objects.filter(kind=kind).values_list("film_id", "key"))


def _remind(*, film: Film, kind: str, key: str, template: str, context: dict, now) -> bool:
    """Record the reminder and queue its email, or nothing when it was already sent."""
    try:
        with transaction.atomic():
            FilmReminder.objects.create(film=film, kind=kind, key=key, sent_at=now)
            emails.send_to_user(
                template=template, user=film.teacher, context={"film": film, **context}
            )
    except IntegrityError:  # another run sent it a moment ago
        return False
    logger.info("Film %s: %s reminder sent (%s)", film.pk, kind, key)
    return True


def _draft_films(edition: Edition):
    return (
        edition.films.filter(status=FilmStatus.DRAFT, teacher__in=_approved_teachers(edition))
        .select_related("teacher", "edition__festival", "category")
        .order_by("pk")
    )


def remind_deadline_near(*, now) -> int:
    days = settings.TEACHER_REMINDER_DAYS
    editions = Edition.objects.filter(
        submissions_close_at__gt=now, submissions_close_at__lte=now + timedelta(days=days)
    ).select_related("festival")
    done = _already_sent(ReminderKind.DEADLINE_NEAR)
    count = 0
    for edition in editions:
        key = _deadline_key(edition)
        films = _draft_films(edition).prefetch_related(*submission_prefetch())
        for film in films:
            if (film.pk, key) in done:
                continue
            with translation.override(film.teacher.language or settings.LANGUAGE_CODE):
                missing = [str(item) for item in missing_for_submission(film)]
            count += _remind(
                film=film,
                kind=ReminderKind.DEADLINE_NEAR,
                key=key,
                template="teacher_reminder_deadline",
                context={"edition": edition, "missing": missing},
                now=now,
            )
    return count


def remind_needs_changes(*, now) -> int:
    """One reminder per sending-back (its `FilmEvent`), once the film waited long enough."""
    last_event = FilmEvent.objects.filter(
        film=OuterRef("pk"), to_status=FilmStatus.NEEDS_CHANGES
    ).order_by("-created_at", "-pk")
    films = (
        Film.objects.filter(
            status=FilmStatus.NEEDS_CHANGES,
            teacher__is_active=True,
            edition__judging_end_at__gt=now,
        )
        .annotate(
            event_id=Subquery(last_event.values("pk")[:1]),
            event_at=Subquery(last_event.values("created_at")[:1]),
        )
        .filter(event_at__lte=now - timedelta(days=settings.TEACHER_CHANGES_REMINDER_DAYS))
        .select_related("teacher", "edition__festival", "category")
        .order_by("pk")
    )
    done = _already_sent(ReminderKind.NEEDS_CHANGES)
    count = 0
    for film in films:
        key = str(film.event_id)
        if (film.pk, key) in done:
            continue
        if film.edition.festival_id not in film.teacher.festival_ids(Role.TEACHER):
            continue
        reason = FilmEvent.objects.get(pk=film.event_id).reason or film.status_reason
        count += _remind(
            film=film,
            kind=ReminderKind.NEEDS_CHANGES,
            key=key,
            template="teacher_reminder_changes",
            context={"edition": film.edition, "reason": reason, "sent_back_at": film.event_at},
            now=now,
        )
    return count


def festival_contact(edition: Edition) -> str:
    """Whom a teacher writes to: the festival's address, else its organizers'."""
    if edition.festival.contact_email:
        return edition.festival.contact_email
    organizers = User.objects.members_of(edition.festival_id, Role.ORGANIZER).order_by("pk")
    return ", ".join(organizers.values_list("email", flat=True))


def remind_deadline_passed(*, now) -> int:
    days = settings.TEACHER_REMINDER_DAYS
    editions = Edition.objects.filter(
        submissions_close_at__lte=now, submissions_close_at__gt=now - timedelta(days=days)
    ).select_related("festival")
    done = _already_sent(ReminderKind.DEADLINE_PASSED)
    count = 0
    for edition in editions:
        key = _deadline_key(edition)
        films = [film for film in _draft_films(edition) if (film.pk, key) not in done]
        contact = festival_contact(edition) if films else ""
        for film in films:
            count += _remind(
                film=film,
                kind=ReminderKind.DEADLINE_PASSED,
                key=key,
                template="teacher_reminder_closed",
                context={"edition": edition, "contact": contact},
                now=now,
            )
    return count


def send_teacher_reminders(*, now=None) -> dict[str, int]:
    """Every reminder due now, each sent once: how many of each kind went out."""
    now = now or timezone.now()
    return {
        ReminderKind.DEADLINE_NEAR: remind_deadline_near(now=now),
        ReminderKind.NEEDS_CHANGES: remind_needs_changes(now=now),
        ReminderKind.DEADLINE_PASSED: remind_deadline_passed(now=now),
    }
