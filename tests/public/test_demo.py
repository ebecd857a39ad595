from django.core.management import call_command

from festival.enums import FilmStatus, Role
from festival.models import Category, Company, Edition, Film, School, User
from public import demo


def test_demo_edition_is_complete_and_valid(db):
    created = demo.load(with_videos=False)

    edition = created["edition"]
    assert edition.is_current
    assert edition.submissions_are_open()
    assert [c.slug for c in Category.objects.filter(edition=edition)] == [
        "college", "lycee", "etudiants", "apprentis", "insertion",
    ]  # fmt: skip
    assert Film.objects.filter(edition=edition).count() == 13
    assert set(User.objects.values_list("role", flat=True)) == {
        Role.TEACHER,
        Role.JUROR,
        Role.ORGANIZER,
    }
    # Every identifier passes the same validation as a teacher's input.
    for obj in [*School.objects.all(), *Company.objects.all(), *Edition.objects.all()]:
        obj.full_clean()
    for film in Film.objects.all():
        film.full_clean()
    assert (
        Film.objects.filter(status=FilmStatus.NEEDS_CHANGES).exclude(status_reason="").count() == 1
    )
    for email in (demo.TEACHER_EMAIL, demo.JUROR_EMAIL, demo.ORGANIZER_EMAIL):
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)


def test_demo_command_is_idempotent(db, capsys):
    call_command("load_demo_data", "--no-videos")
    call_command("load_demo_data", "--no-videos")

    output = capsys.readouterr().out
    assert Film.objects.count() == 20  # 19, and the winner accepted by the national final
    assert output.count("Comptes de démonstration") == 2
    assert "déjà chargées" in output


def test_demo_has_a_published_palmares_and_a_jury_at_work(db):
    from judging.domain.publication import hash_matches
    from judging.enums import EvaluationState
    from judging.models import Assignment, Evaluation
    from judging.selectors_results import live_publication, winning_film_ids
    from judging.selectors_selection import finalist_films
    from judging.visibility import public_films

    created = demo.load(with_videos=False)

    past = Edition.objects.get(is_current=False)
    publication = live_publication(past)
    assert hash_matches(publication)
    assert set(Evaluation.objects.filter(film__edition=past).values_list("state", flat=True)) == {
        EvaluationState.VALIDATED
    }
    winners = winning_film_ids(past)
    assert len(winners) >= 5
    # This year's finalists are announced (public/demo_selection.py): those whose consents are
    # validated are public too, and the final jury scores the finalists only.
    finalists = set(finalist_films(created["edition"]).values_list("pk", flat=True))
    assert finalists < set(
        Film.objects.filter(
            edition=created["edition"], status__in=[FilmStatus.SUBMITTED, FilmStatus.ACCEPTED]
        ).values_list("pk", flat=True)
    )
    cleared = set(
        Film.objects.consents_validated().filter(pk__in=finalists).values_list("pk", flat=True)
    )
    assert cleared
    assert set(public_films().values_list("pk", flat=True)) == winners | cleared
    current_films = finalists
    juror = User.objects.get(email=demo.JUROR_EMAIL)
    assert (
        set(
            Assignment.objects.filter(
                juror=juror, film__edition=created["edition"], active=True
            ).values_list("film", flat=True)
        )
        == current_films
    )


def test_demo_has_a_second_festival_with_people_of_both(db):
    from festival.enums import ApprovalStatus, Role
    from festival.models import Membership

    created = demo.load(with_videos=False)
    first, second = created["festival"], created["second_festival"]
    organizer = User.objects.get(email=demo.ORGANIZER_EMAIL)
    assert organizer.festival_ids(Role.ORGANIZER) == {first.pk, second.pk}
    assert User.objects.get(email=demo.TEACHER_EMAIL).festival_ids(Role.TEACHER) == {
        first.pk,
        second.pk,
    }
    assert User.objects.get(email=demo.JUROR_EMAIL).festival_ids(Role.JUROR) == {
        first.pk,
        second.pk,
    }
    assert set(User.objects.members_of(second.pk, Role.ORGANIZER)) == {
        organizer,
        User.objects.get(email=demo.SECOND_ORGANIZER_EMAIL),
    }
    waiting = Membership.objects.get(festival=second, approval=ApprovalStatus.PENDING)
    assert waiting.user.festival_ids(Role.TEACHER) == frozenset()
    assert second.editions.get().is_current
