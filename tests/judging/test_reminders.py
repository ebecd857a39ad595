"""Reminder emails: only to jurors with films left, and the automatic one only once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from festival.enums import FilmStatus
from judging.domain.assignment import compute_assignments
from judging.domain.juries import add_member, create_jury, ensure_judging_settings
from judging.domain.reminders import send_due_reminders, send_reminders
from judging.enums import EvaluationState
from judging.models import Assignment, Evaluation
from judging.tasks import send_due_jury_reminders, send_jury_reminders
from tests import factories


@pytest.fixture
def judging_edition(festival):
    """An edition in its judging weeks: ten days left."""
    now = timezone.now()
    return factories.make_edition(
        festival,
        open_now=False,
        submissions_open_at=now - timedelta(days=60),
        submissions_close_at=now - timedelta(days=30),
        judging_start_at=now - timedelta(days=20),
        judging_end_at=now + timedelta(days=10),
        deliberation_at=now + timedelta(days=12),
        ceremony_at=now + timedelta(days=15),
    )


@pytest.fixture
def cast(judging_edition, festival):
    """Three jurors: one with two films left, one with a draft left, one done."""
    category = factories.make_category(judging_edition, name="Collège", slug="college")
    jury = create_jury(edition=judging_edition, name="Jury collège", categories=[category])
    late = factories.make_juror(festival, first_name="Léa", last_name="Arnaud")
    drafting = factories.make_juror(festival, first_name="Hugo", last_name="Bernard")
    done = factories.make_juror(festival, first_name="Inès", last_name="Colin")
    for juror in (late, drafting, done):
        add_member(jury=jury, juror=juror)
    films = [
        factories.make_film(category=category, status=FilmStatus.ACCEPTED, title=title)
        for title in ("Acier trempé", "Bielles et pistons")
    ]
    compute_assignments(jury=jury)
    for film in films:
        Evaluation.objects.create(juror=done, film=film, state=EvaluationState.VALIDATED)
    Evaluation.objects.create(juror=drafting, film=films[0], state=EvaluationState.VALIDATED)
    Evaluation.objects.create(juror=drafting, film=films[1], state=EvaluationState.DRAFT)
    return {"jury": jury, "late": late, "drafting": drafting, "done": done, "films": films}


def test_reminders_go_to_jurors_with_films_left(
    judging_edition, cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(edition=judging_edition) == 2
    assert [message.to for message in mailoutbox] == [
        [cast["late"].email],
        [cast["drafting"].email],
    ]
    late, drafting = mailoutbox
    assert late.subject == "FILM'IT : des films vous attendent pour FILM'IT 2027"
    assert "Il vous reste 2 films à regarder ou à noter" in late.body
    assert "- « Acier trempé » (Collège)\n- « Bielles et pistons » (Collège)" in late.body
    deadline = timezone.localtime(judging_edition.judging_end_at)
    assert f"{deadline.year}" in late.body
    assert "Il vous reste 1 film à regarder ou à noter" in drafting.body
    assert "Bielles et pistons" in drafting.body
    assert "Acier trempé" not in drafting.body


def test_ended_assignments_and_other_editions_are_left_out(
    judging_edition, cast, festival, mailoutbox, django_capture_on_commit_callbacks
):
    Assignment.objects.filter(juror=cast["late"]).update(active=False)
    other_edition = factories.make_edition(festival, is_current=False)
    category = factories.make_category(other_edition)
    jury = create_jury(edition=other_edition, name="Autre", categories=[category])
    add_member(jury=jury, juror=cast["done"])
    factories.make_film(category=category, status=FilmStatus.ACCEPTED)
    compute_assignments(jury=jury)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(edition=judging_edition)
    assert [message.to for message in mailoutbox] == [[cast["drafting"].email]]


def test_the_automatic_reminder_is_sent_once_when_due(
    judging_edition, cast, mailoutbox, django_capture_on_commit_callbacks
):
    settings = ensure_judging_settings(edition=judging_edition)
    settings.reminder_days_before = 3
    settings.save()
    end = judging_edition.judging_end_at
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=end - timedelta(days=4)) == []
    assert mailoutbox == []

    due = end - timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=due) == [judging_edition]
    assert len(mailoutbox) == 2
    settings.refresh_from_db()
    assert settings.reminder_sent_at == due

    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=due + timedelta(hours=12)) == []
    assert len(mailoutbox) == 2


def test_no_automatic_reminder_after_the_deadline_or_when_turned_off(
    judging_edition, cast, mailoutbox, django_capture_on_commit_callbacks
):
    settings = ensure_judging_settings(edition=judging_edition)
    end = judging_edition.judging_end_at
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=end + timedelta(minutes=1)) == []
        settings.reminder_days_before = 0
        settings.save()
        assert send_due_reminders(now=end - timedelta(hours=1)) == []
    assert mailoutbox == []


def test_a_manual_reminder_leaves_the_automatic_one_scheduled(
    judging_edition, cast, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(edition=judging_edition, organizer=organizer)
    assert ensure_judging_settings(edition=judging_edition).reminder_sent_at is None


def test_the_command_sends_what_is_due(
    judging_edition, cast, mailoutbox, django_capture_on_commit_callbacks
):
    settings = ensure_judging_settings(edition=judging_edition)
    settings.reminder_days_before = 20
    settings.save()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_jury_reminders", stdout=out)
    assert out.getvalue() == (
        f"Jury reminder sent for edition {judging_edition.pk} « FILM'IT 2027 ».\n"
    )
    assert len(mailoutbox) == 2
    out = StringIO()
    call_command("send_jury_reminders", stdout=out)
    assert out.getvalue() == "No jury reminder due.\n"
    assert len(mailoutbox) == 2


def test_the_command_can_hand_the_work_to_the_worker(db):
    from django_tasks_db.models import DBTaskResult

    out = StringIO()
    call_command("send_jury_reminders", "--enqueue", stdout=out)
    assert out.getvalue() == "Jury reminders queued.\n"
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "judging.tasks.send_due_jury_reminders"
    ]


def test_the_tasks_call_the_domain(
    judging_edition, cast, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    settings = ensure_judging_settings(edition=judging_edition)
    settings.reminder_days_before = 20
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_jury_reminders.call()
        send_jury_reminders.call(judging_edition.pk, organizer.pk)
        send_jury_reminders.call(judging_edition.pk + 1000)
    assert len(mailoutbox) == 4
