"""The consents counted against the pupils on screen the teacher declares: the gap shown to
organizers and teachers, and the consent gate that keeps a film private until it is covered."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from festival.domain import DomainError
from festival.domain.films import missing_for_submission, submit_film
from festival.enums import ConsentStatus, FilmStatus
from festival.models import Film
from festival.templatetags.festival_consents import consent_gap_text
from judging.models_results import ResultsSettings
from judging.visibility import is_public
from tests import factories

pytestmark = pytest.mark.django_db

GAP = "3 autorisations validées sur 5 élèves à l'écran : il en manque 2"


def with_consents(film, *statuses):
    for status in statuses:
        factories.make_consent(film, status=status)
    return film


V = ConsentStatus.VALIDATED


@pytest.fixture
def short_film(teacher, category):
    """Five pupils on screen, three validated consents."""
    film = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.ACCEPTED, pupils_on_screen=5
    )
    return with_consents(film, V, V, V)


@pytest.mark.parametrize(
    ("pupils", "validated", "expected"),
    [
        (5, 3, GAP),
        (3, 1, "1 autorisation validée sur 3 élèves à l'écran : il en manque 2"),
        (2, 1, "1 autorisation validée sur 2 élèves à l'écran : il en manque 1"),
        (3, 3, ""),
        (2, 4, ""),
        (None, 0, ""),
    ],
)
def test_gap_in_words(pupils, validated, expected):
    assert consent_gap_text(pupils_on_screen=pupils, validated=validated) == expected


def test_gate_needs_a_validated_consent_per_pupil_on_screen(short_film):
    def gate():
        return (
            list(Film.objects.consents_validated()),
            list(Film.objects.consents_missing()),
        )

    assert gate() == ([], [short_film])
    with_consents(short_film, V)
    assert gate() == ([], [short_film])
    with_consents(short_film, V)
    assert gate() == ([short_film], [])
    # Fewer pupils declared: still covered; a pending one still closes the gate.
    Film.objects.filter(pk=short_film.pk).update(pupils_on_screen=2)
    assert gate() == ([short_film], [])
    with_consents(short_film, ConsentStatus.PENDING)
    assert gate() == ([], [short_film])


def test_no_declaration_keeps_the_rule_of_one_consent_at_least(film):
    """Films submitted before the count existed have no declaration."""
    with_consents(film, V)

    assert list(Film.objects.consents_validated()) == [film]


def test_a_film_short_of_consents_is_not_public(short_film, edition):
    ResultsSettings.objects.create(edition=edition, gallery_open=True)

    assert is_public(short_film) is False
    with_consents(short_film, V, V)
    assert is_public(Film.objects.get(pk=short_film.pk)) is True


# The teacher declares it before submission.


def test_submission_needs_the_pupils_on_screen(complete_film, teacher):
    Film.objects.filter(pk=complete_film.pk).update(pupils_on_screen=None)
    complete_film.refresh_from_db()

    assert missing_for_submission(complete_film) == ["le nombre d'élèves à l'écran"]
    with pytest.raises(DomainError):
        submit_film(film=complete_film, user=teacher)


def test_teacher_declares_the_pupils_on_screen(teacher_client, complete_film):
    data = {
        "category": complete_film.category_id,
        "title": complete_film.title,
        "synopsis": complete_film.synopsis,
        "company": complete_film.company_id,
        "trades": [t.pk for t in complete_film.trades.all()],
        "pupil_count": "12",
        "pupils_on_screen": "4",
        "crew": "",
    }

    response = teacher_client.post(
        reverse("festival:teacher_film_edit", args=[complete_film.pk]), data
    )

    assert response.status_code == 302
    complete_film.refresh_from_db()
    assert complete_film.pupils_on_screen == 4


def test_teacher_sees_the_gap_on_their_film_page(teacher_client, short_film):
    response = teacher_client.get(reverse("festival:teacher_film", args=[short_film.pk]))

    assert f"<strong>{GAP}.</strong>" in unescape(response.content.decode())


def test_covered_film_says_so(teacher_client, short_film):
    with_consents(short_film, V, V)

    response = teacher_client.get(reverse("festival:teacher_film", args=[short_film.pk]))

    html = unescape(response.content.decode())
    assert "il en manque" not in html
    assert "Les autorisations validées couvrent les 5 élèves à l'écran." in html


# The organizer sees it on the film list (annotated, no query per row) and the film page.


def test_organizer_sees_the_gap_on_the_film_page(organizer_client, short_film):
    response = organizer_client.get(reverse("festival:organizer_film", args=[short_film.pk]))

    assert f"<strong>{GAP}.</strong>" in unescape(response.content.decode())


def test_organizer_sees_the_gap_on_the_film_list(organizer_client, short_film, teacher, category):
    covered = factories.make_film(teacher=teacher, category=category, pupils_on_screen=1)
    with_consents(covered, V)

    response = organizer_client.get(reverse("festival:organizer_films"))

    html = unescape(response.content.decode())
    assert html.count("il en manque") == 1
    assert f'<span class="badge needs_changes consent-gap">{GAP}</span>' in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def make_short_films(count, *, teacher, category):
    for _ in range(count):
        film = factories.make_film(teacher=teacher, category=category, pupils_on_screen=3)
        with_consents(film, V, ConsentStatus.PENDING)


def test_film_list_gap_costs_no_query_per_film(
    organizer_client, teacher, category, django_assert_num_queries
):
    url = reverse("festival:organizer_films")
    make_short_films(1, teacher=teacher, category=category)
    expected = count_queries(organizer_client, url)
    make_short_films(9, teacher=teacher, category=category)

    with django_assert_num_queries(expected):
        response = organizer_client.get(url)

    assert response.content.decode().count("il en manque 2") == 10
