import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from festival.enums import EditionPhase
from media_pipeline.models import VideoStatus
from public.views.home import duration_label
from tests import factories
from tests.festival.palmares import award, cleared_film, publish, unpublish
from tests.media_pipeline.versions import make_version

HOME = reverse("public:home")
DEADLINE_RE = re.compile(r"<strong>(Les films sont à déposer[^<]*)</strong>")


def hrefs(response, url):
    return response.content.decode().count(f'href="{url}"')


def test_home_without_any_edition(client, db, django_assert_num_queries):
    # The festivals: there is none, so no edition nor palmarès to look for.
    with django_assert_num_queries(1):
        response = client.get(HOME)
    assert response.status_code == 200
    assert response.context["edition"] is None
    assert [t.name for t in response.templates][0] == "public/home.html"


def test_home_presents_the_current_edition(client, edition):
    factories.make_category(edition, name="Collège", slug="college", position=1)
    factories.make_category(
        edition,
        name="Lycée",
        slug="lycee",
        position=2,
        max_duration=timedelta(minutes=4, seconds=30),
    )
    response = client.get(HOME)
    assert response.context["edition"] == edition
    assert response.context["phase"] == EditionPhase.SUBMISSIONS
    assert response.context["submissions_open"] is True
    assert [(c.name, label) for c, label in response.context["categories"]] == [
        ("Collège", "5 min"),
        ("Lycée", "4 min 30 s"),
    ]
    assert [(s.label, s.current) for s in response.context["timeline"]] == [
        ("Dépôt des films", True),
        ("Vérification des films par l'organisation", False),
        ("Évaluation par le jury", False),
        ("Délibération du jury", False),
        ("Remise des prix", False),
    ]


def test_home_ignores_editions_that_are_not_current(client, festival):
    factories.make_edition(festival, is_current=False)
    assert client.get(HOME).context["edition"] is None


def test_home_before_submissions_open(client, festival):
    now = timezone.now()
    edition = factories.make_edition(
        festival,
        submissions_open_at=now + timedelta(days=5),
        submissions_close_at=now + timedelta(days=50),
    )
    response = client.get(HOME)
    assert (response.context["edition"], response.context["phase"]) == (
        edition,
        EditionPhase.UPCOMING,
    )
    assert response.context["submissions_open"] is False
    assert [s.current for s in response.context["timeline"]] == [False] * 5


def test_home_after_the_results(client, festival):
    factories.make_publication(factories.make_edition(festival, open_now=False))
    response = client.get(HOME)
    assert response.context["phase"] == EditionPhase.PUBLISHED
    assert [(s.label, s.current) for s in response.context["timeline"]][-1] == (
        "Publication du palmarès",
        True,
    )


@pytest.mark.parametrize("count", [1, 6])
def test_home_queries_do_not_grow_with_categories(
    client, edition, count, django_assert_num_queries
):
    for _ in range(count):
        factories.make_category(edition)
    # The festivals, their current editions, the editions' palmarès dates, the categories, the
    # latest palmarès, the announced finalists, the ceremony page if open: the header and
    # footer read the festival the view found.
    with django_assert_num_queries(7):
        response = client.get(HOME)
    assert len(response.context["categories"]) == count


def test_home_queries_for_a_teacher(teacher_client, edition, django_assert_num_queries):
    factories.make_category(edition)
    # Plus the session, the user and the festivals that approved the teacher.
    with django_assert_num_queries(10):
        teacher_client.get(HOME)


def test_home_invites_strangers_to_sign_up(client, edition):
    response = client.get(HOME)
    # Header, then the calls to action of the presentation and of the edition.
    assert hrefs(response, reverse("festival:signup")) == 3
    assert hrefs(response, reverse("festival:teacher_dashboard")) == 0


def test_home_sends_teachers_to_their_films(teacher_client, edition):
    response = teacher_client.get(HOME)
    assert hrefs(response, reverse("festival:teacher_dashboard")) == 3
    assert hrefs(response, reverse("festival:signup")) == 0


def test_home_tells_a_pending_teacher_where_they_stand(client, pending_teacher, edition):
    client.force_login(pending_teacher)
    response = client.get(HOME)
    assert hrefs(response, reverse("festival:after_login")) == 2


def test_home_without_edition_still_invites_to_sign_up(client, db):
    response = client.get(HOME)
    assert hrefs(response, reverse("festival:signup")) == 2


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (timedelta(minutes=5), "5 min"),
        (timedelta(minutes=4, seconds=30), "4 min 30 s"),
        (timedelta(seconds=90), "1 min 30 s"),
        (timedelta(minutes=3, seconds=5), "3 min 05 s"),
    ],
)
def test_duration_label(value, label):
    assert duration_label(value) == label


def test_home_states_the_deadline(client, festival):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    factories.make_edition(
        festival,
        submissions_open_at=timezone.now() - timedelta(days=1),
        submissions_close_at=datetime(2099, 3, 20, 23, 59, tzinfo=paris),
    )
    response = client.get(HOME)
    assert DEADLINE_RE.findall(response.content.decode()) == [
        "Les films sont à déposer au plus tard le 20 mars 2099 à 23:59."
    ]


# The latest palmarès, pictures first.


def test_home_leads_with_the_latest_palmares_and_its_posters(client, festival, category):
    old = factories.make_edition(festival, year=2024, is_current=False, title="FILM'IT 2024")
    edition = category.edition
    winner = cleared_film(category, title="Les mains d'or")
    make_version(winner, status=VideoStatus.READY)
    hidden = factories.make_film(category=category, status="accepted", title="Sans autorisation")
    publish(old, [])
    publish(edition, [award(winner), award(hidden, "2e prix", kind="second")])

    response = client.get(HOME)

    palmares = response.context["palmares"]
    assert palmares["edition"] == edition
    assert [(a["film_title"], a["poster"] is not None) for a in palmares["awards"]] == [
        ("Les mains d'or", True),
        ("Sans autorisation", False),
    ]
    html = response.content.decode()
    assert html.count(f'href="{reverse("public:film", args=[winner.pk])}"') == 1
    assert reverse("public:film", args=[hidden.pk]) not in html
    assert palmares["awards"][0]["poster"].webp in html
    assert html.index('id="palmares-title"') < html.index('id="how-title"')


def test_home_without_a_live_palmares(client, edition):
    unpublish(publish(edition, []))
    assert client.get(HOME).context["palmares"] is None


@pytest.mark.parametrize("count", [1, 8])
def test_home_palmares_queries_do_not_grow_with_winners(
    client, edition, category, count, django_assert_num_queries
):
    films = [cleared_film(category) for _ in range(count)]
    for film in films:
        make_version(film, status=VideoStatus.READY)
    publish(edition, [award(film) for film in films])
    # The festivals, their current editions, the editions' palmarès dates, the categories; the
    # latest palmarès, its public films and their posters' versions; the companies agreeing
    # to be named; the announced finalists, the ceremony page if open.
    with django_assert_num_queries(10):
        response = client.get(HOME)
    assert len(response.context["palmares"]["awards"]) == min(count, 6)
