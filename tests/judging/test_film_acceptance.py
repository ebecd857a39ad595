"""Accepting a film sends it to its jurors at once; a film short of jurors is said in words on
the film page, the organizers' dashboard and the jury's follow-up page."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from festival.domain.films import set_film_status
from festival.enums import FilmStatus
from festival.models import Film
from festival.notices import films_without_jurors
from judging.domain.juries import create_jury, ensure_judging_settings
from judging.enums import AssignmentMode, EvaluationState
from judging.models import Affiliation, Assignment
from judging.unassigned import film_gaps
from tests import factories


@pytest.fixture
def jury(edition, category, juror):
    return create_jury(edition=edition, name="Jury lycée", categories=[category], president=juror)


@pytest.fixture
def submitted_film(teacher, category):
    return factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, complete=True
    )


def accept(client, film, capture):
    with capture(execute=True):
        response = client.post(
            reverse("festival:organizer_film_status", args=[film.pk]), {"to": "accepted"}
        )
    assert response.status_code == 302
    return response


def active_pairs(film) -> list[tuple[int, int]]:
    return list(
        Assignment.objects.filter(film=film, active=True)
        .order_by("juror_id")
        .values_list("film_id", "juror_id")
    )


def pages(client, film, jury) -> list[str]:
    urls = [
        reverse("festival:organizer_film", args=[film.pk]),
        reverse("festival:organizer_dashboard"),
        reverse("judging:organizer_progress", args=[jury.pk]),
    ]
    return [html.unescape(client.get(url).content.decode()) for url in urls]


def test_accepting_a_film_assigns_it_to_the_jury(
    organizer_client, jury, juror, submitted_film, django_capture_on_commit_callbacks
):
    accept(organizer_client, submitted_film, django_capture_on_commit_callbacks)
    assert active_pairs(submitted_film) == [(submitted_film.pk, juror.pk)]
    assert films_without_jurors(edition=submitted_film.edition) == []


def test_the_assignment_waits_for_the_commit(
    organizer, jury, submitted_film, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        set_film_status(film=submitted_film, to=FilmStatus.ACCEPTED, actor=organizer)
    assert active_pairs(submitted_film) == []
    assert [callback.__qualname__ for callback in callbacks][:1] == [
        "film_status_changed.<locals>.run"
    ]


def test_submitting_does_not_assign(teacher, jury, category, django_capture_on_commit_callbacks):
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.REJECTED)
    organizer = factories.make_organizer(category.edition.festival)
    with django_capture_on_commit_callbacks(execute=True):
        set_film_status(film=film, to=FilmStatus.SUBMITTED, actor=organizer)
    assert active_pairs(film) == []


def test_a_rejected_film_leaves_its_jurors(
    organizer, jury, juror, submitted_film, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_film_status(film=submitted_film, to=FilmStatus.ACCEPTED, actor=organizer)
        set_film_status(film=submitted_film, to=FilmStatus.REJECTED, actor=organizer, reason="x")
    assert active_pairs(submitted_film) == []


def test_started_assignments_are_kept(
    organizer, edition, category, jury, juror, submitted_film, django_capture_on_commit_callbacks
):
    ensure_judging_settings(edition=edition)
    edition.judging_settings.assignment_mode = AssignmentMode.AT_LEAST_K
    edition.judging_settings.jurors_per_film = 1
    edition.judging_settings.save()
    other = factories.make_juror(edition.festival)
    factories.make_jury_member(jury, other)
    first = factories.make_film(category=category, status=FilmStatus.ACCEPTED)
    started = factories.make_assignment(jury=jury, juror=juror, film=first)
    factories.make_assignment(jury=jury, juror=other, film=first)
    factories.make_evaluation(juror=juror, film=first, state=EvaluationState.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        set_film_status(film=submitted_film, to=FilmStatus.ACCEPTED, actor=organizer)
    started.refresh_from_db()
    assert started.active is True
    assert active_pairs(first) == [(first.pk, juror.pk)]
    assert active_pairs(submitted_film) == [(submitted_film.pk, other.pk)]


def test_a_conflict_is_shown_on_the_three_pages(
    organizer_client, jury, juror, submitted_film, django_capture_on_commit_callbacks
):
    Affiliation.objects.create(juror=juror, school=submitted_film.school)
    accept(organizer_client, submitted_film, django_capture_on_commit_callbacks)
    assert active_pairs(submitted_film) == []
    message = (
        f"« {submitted_film.title} » n'a aucun juré : aucun des 1 jurés titulaires du jury ne "
        "peut le noter (1 en conflit d'intérêts). Ajoutez des jurés au jury."
    )
    assert [page.count(message) for page in pages(organizer_client, submitted_film, jury)] == [
        1,
        1,
        1,
    ]


def test_the_cap_is_shown_on_the_three_pages(
    organizer_client,
    edition,
    category,
    jury,
    juror,
    submitted_film,
    django_capture_on_commit_callbacks,
):
    ensure_judging_settings(edition=edition)
    edition.judging_settings.assignment_mode = AssignmentMode.AT_LEAST_K
    edition.judging_settings.jurors_per_film = 1
    edition.judging_settings.max_films_per_juror = 1
    edition.judging_settings.save()
    first = factories.make_film(category=category, status=FilmStatus.ACCEPTED)
    factories.make_assignment(jury=jury, juror=juror, film=first)
    factories.make_evaluation(juror=juror, film=first, state=EvaluationState.DRAFT)
    accept(organizer_client, submitted_film, django_capture_on_commit_callbacks)
    assert active_pairs(submitted_film) == []
    message = (
        f"« {submitted_film.title} » n'a aucun juré : le seul autre juré qui pourrait le noter "
        "a déjà atteint la limite de 1 films par juré."
    )
    assert [page.count(message) for page in pages(organizer_client, submitted_film, jury)] == [
        1,
        1,
        1,
    ]


def test_a_category_without_jury_is_shown(
    organizer_client, edition, submitted_film, django_capture_on_commit_callbacks
):
    accept(organizer_client, submitted_film, django_capture_on_commit_callbacks)
    message = (
        f"« {submitted_film.title} » n'a aucun juré : aucun jury ne juge la catégorie "
        f"« {submitted_film.category.name} ». Ajoutez cette catégorie à un jury."
    )
    film_page = organizer_client.get(reverse("festival:organizer_film", args=[submitted_film.pk]))
    dashboard = organizer_client.get(reverse("festival:organizer_dashboard"))
    assert [
        html.unescape(film_page.content.decode()).count(message),
        html.unescape(dashboard.content.decode()).count(message),
    ] == [1, 1]


def test_a_film_not_yet_computed_says_so(edition, category, jury):
    film = factories.make_film(category=category, status=FilmStatus.ACCEPTED, title="Tôle")
    assert [gap.message for gap in film_gaps(edition=edition)] == [
        "« Tôle » n'a pas encore tous ses jurés dans le jury « Jury lycée » : calculez les "
        "attributions sur la page de suivi du jury."
    ]
    assert [notice.film for notice in films_without_jurors(edition=edition, films=[film])] == [film]


@pytest.mark.parametrize("count", [1, 12])
def test_film_gaps_read_in_a_fixed_number_of_queries(
    edition, category, jury, juror, count, django_assert_num_queries
):
    ensure_judging_settings(edition=edition)
    for _ in range(count):
        film = factories.make_film(category=category, status=FilmStatus.ACCEPTED)
        Affiliation.objects.create(juror=juror, school=film.school)
    with django_assert_num_queries(8):
        gaps = film_gaps(edition=edition)
    assert len(gaps) == count


def short_films(count, *, category, juror):
    for _ in range(count):
        film = factories.make_film(category=category, status=FilmStatus.ACCEPTED)
        Affiliation.objects.create(juror=juror, school=film.school)


@pytest.mark.parametrize("page", ["progress", "dashboard", "film"])
def test_pages_read_the_gaps_in_a_fixed_number_of_queries(
    organizer_client, edition, category, jury, juror, page, django_assert_num_queries
):
    ensure_judging_settings(edition=edition)
    short_films(1, category=category, juror=juror)
    film = Film.objects.get()
    url = {
        "progress": reverse("judging:organizer_progress", args=[jury.pk]),
        "dashboard": reverse("festival:organizer_dashboard"),
        "film": reverse("festival:organizer_film", args=[film.pk]),
    }[page]
    with CaptureQueriesContext(connection) as first:
        response = organizer_client.get(url)
    assert len(response.context["gaps" if page == "progress" else "jury_notices"]) == 1
    short_films(9, category=category, juror=juror)
    with django_assert_num_queries(len(first.captured_queries)):
        response = organizer_client.get(url)
    expected = 1 if page == "film" else 10
    assert len(response.context["gaps" if page == "progress" else "jury_notices"]) == expected
