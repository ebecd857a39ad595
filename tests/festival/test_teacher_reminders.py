"""Teachers' reminders: each kind goes out once, in the teacher's language, never for a film
already submitted; the deadline's reminder lists what is missing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from festival.domain.films import set_film_status, submit_film
from festival.domain.reminders import send_teacher_reminders
from festival.enums import FilmStatus
from festival.models import FilmReminder
from festival.models_outreach import ReminderKind
from tests import factories


@pytest.fixture
def closing_edition(festival):
    """Submissions close in three days."""
    now = timezone.now()
    return factories.make_edition(
        festival,
        submissions_open_at=now - timedelta(days=30),
        submissions_close_at=now + timedelta(days=3),
    )


@pytest.fixture
def closed_edition(festival):
    """Submissions closed yesterday."""
    return factories.make_edition(festival, open_now=False)


def run(now=None):
    out = StringIO()
    if now is None:
        call_command("send_teacher_reminders", stdout=out)
        return out.getvalue()
    return send_teacher_reminders(now=now)


def test_the_deadline_reminder_lists_what_is_missing_once(
    closing_edition, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    category = factories.make_category(closing_edition)
    film = factories.make_film(
        teacher=teacher, category=category, title="Le chant des presses", pupil_count=14
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "DEADLINE_NEAR: 1 teacher reminder(s) sent.\n"
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "No teacher reminder due.\n"

    [message] = mailoutbox
    assert message.to == [teacher.email]
    assert message.subject == (
        "FILM'IT : déposez votre film « Le chant des presses » avant la date limite"
    )
    assert "Bonjour Claire," in message.body
    assert "votre film « Le chant des presses » n'est pas encore déposé" in message.body
    missing = message.body.split("Il manque encore :\n", 1)[1].split("\n\n", 1)[0]
    assert missing.splitlines() == [
        "- un synopsis",
        "- l'entreprise partenaire",
        "- au moins un métier présenté",
        "- le nombre d'élèves à l'écran",
        "- la vidéo du film",
        "- les autorisations de droit à l'image",
        "- la déclaration des droits (musique et contenus de tiers)",
    ]
    assert f"/enseignant/films/{film.pk}/" in message.body
    assert list(FilmReminder.objects.values_list("film_id", "kind")) == [
        (film.pk, ReminderKind.DEADLINE_NEAR)
    ]


def test_the_deadline_reminder_in_english(
    closing_edition, school, mailoutbox, django_capture_on_commit_callbacks
):
    anna = factories.make_teacher(school, first_name="Anna", language="en")
    factories.make_film(
        teacher=anna, category=factories.make_category(closing_edition), title="Sparks"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run()
    [message] = mailoutbox
    assert message.subject == "FILM'IT: submit your film “Sparks” before the deadline"
    assert "Still missing:\n- a synopsis\n" in message.body
    assert "image-rights consent forms" in message.body
    assert "Il manque" not in message.body


def test_nothing_for_submitted_films_nor_too_early(
    closing_edition, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    category = factories.make_category(closing_edition)
    factories.make_film(teacher=teacher, category=category, status=FilmStatus.SUBMITTED)
    factories.make_film(teacher=teacher, category=category, status=FilmStatus.ACCEPTED)
    draft = factories.make_film(teacher=teacher, category=category)
    with django_capture_on_commit_callbacks(execute=True):
        # Ten days before the deadline: too early for the draft.
        assert sum(run(closing_edition.submissions_close_at - timedelta(days=10)).values()) == 0
        assert run(closing_edition.submissions_close_at - timedelta(days=1)) == {
            ReminderKind.DEADLINE_NEAR: 1,
            ReminderKind.NEEDS_CHANGES: 0,
            ReminderKind.DEADLINE_PASSED: 0,
        }
    assert [m.subject for m in mailoutbox] == [
        f"FILM'IT : déposez votre film « {draft.title} » avant la date limite"
    ]


def test_a_moved_deadline_is_reminded_again(
    closing_edition, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    factories.make_film(teacher=teacher, category=factories.make_category(closing_edition))
    with django_capture_on_commit_callbacks(execute=True):
        run()
        closing_edition.submissions_close_at += timedelta(days=2)
        closing_edition.save()
        run()
        run()
    assert len(mailoutbox) == 2


def test_a_film_sent_back_is_reminded_once_per_sending_back(
    edition, teacher, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    category = factories.make_category(edition)
    film = factories.make_film(teacher=teacher, category=category, complete=True)
    film.status = FilmStatus.SUBMITTED
    film.save()
    with django_capture_on_commit_callbacks(execute=True):
        set_film_status(
            film=film, to=FilmStatus.NEEDS_CHANGES, actor=organizer, reason="Le son sature."
        )
    mailoutbox.clear()  # the organizers' decision itself is another email

    soon = timezone.now() + timedelta(days=1)
    later = timezone.now() + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(soon)[ReminderKind.NEEDS_CHANGES] == 0
        assert run(later)[ReminderKind.NEEDS_CHANGES] == 1
        assert run(later)[ReminderKind.NEEDS_CHANGES] == 0
    [message] = mailoutbox
    assert message.subject == (f"FILM'IT : votre film « {film.title} » attend vos compléments")
    assert "\nLe son sature.\n" in message.body
    assert "Il n'a pas encore été déposé à nouveau." in message.body

    # Submitted again, then sent back again: a new reminder for the new request.
    with django_capture_on_commit_callbacks(execute=True):
        submit_film(film=film, user=teacher)
        set_film_status(
            film=film,
            to=FilmStatus.NEEDS_CHANGES,
            actor=organizer,
            reason="Il manque le générique.",
        )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(later)[ReminderKind.NEEDS_CHANGES] == 1
        assert run(later)[ReminderKind.NEEDS_CHANGES] == 0
    [message] = mailoutbox
    assert "Il manque le générique." in message.body
    assert FilmReminder.objects.filter(kind=ReminderKind.NEEDS_CHANGES).count() == 2


def test_resubmitted_films_get_no_changes_reminder(
    edition, teacher, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    film = factories.make_film(
        teacher=teacher, category=factories.make_category(edition), complete=True
    )
    film.status = FilmStatus.SUBMITTED
    film.save()
    set_film_status(film=film, to=FilmStatus.NEEDS_CHANGES, actor=organizer, reason="Son.")
    submit_film(film=film, user=teacher)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sum(run(timezone.now() + timedelta(days=5)).values()) == 0
    assert mailoutbox == []


def test_a_draft_left_after_the_deadline_is_told_once_whom_to_contact(
    closed_edition, teacher, festival, mailoutbox, django_capture_on_commit_callbacks
):
    festival.contact_email = "filmit@uimm-fc.example"
    festival.save()
    category = factories.make_category(closed_edition)
    draft = factories.make_film(teacher=teacher, category=category, title="Tôles et tours")
    factories.make_film(teacher=teacher, category=category, status=FilmStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "DEADLINE_PASSED: 1 teacher reminder(s) sent.\n"
        assert run() == "No teacher reminder due.\n"
    [message] = mailoutbox
    assert message.to == [teacher.email]
    assert message.subject == "FILM'IT : votre film « Tôles et tours » n'a pas été déposé"
    assert "il n'a pas été déposé et ne sera pas présenté au jury" in message.body
    assert "écrivez à l'organisation de FILM'IT Franche-Comté :\nfilmit@uimm-fc.example" in (
        message.body
    )
    assert f"/enseignant/films/{draft.pk}/" in message.body


def test_without_a_festival_address_the_organizers_are_named(
    closed_edition, teacher, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    factories.make_film(teacher=teacher, category=factories.make_category(closed_edition))
    with django_capture_on_commit_callbacks(execute=True):
        run()
    [message] = mailoutbox
    assert f":\n{organizer.email}\n" in message.body


def test_old_editions_and_other_teachers_are_left_alone(
    festival, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    old = factories.make_edition(
        festival,
        is_current=False,
        submissions_open_at=now - timedelta(days=400),
        submissions_close_at=now - timedelta(days=300),
    )
    factories.make_film(teacher=teacher, category=factories.make_category(old))
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "No teacher reminder due.\n"
    assert mailoutbox == []
