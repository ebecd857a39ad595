"""The audience counted by the platform (public.audience): film page views on every request,
cached or not, plays reported by the player, unique visitors per day; no cookie, no robot."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from festival.enums import ConsentStatus, FilmStatus
from public import audience
from public.models import AudienceSalt, EditionDay, FilmDay, VisitorHash
from tests import factories
from tests.festival.palmares import cleared_film, open_gallery

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Firefox/140.0"


@pytest.fixture
def public_film(edition, category):
    film = cleared_film(category, title="Les mains d'or")
    open_gallery(edition)
    return film


def visitor(address="203.0.113.7", agent=BROWSER) -> Client:
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def film_day(film) -> tuple[int, int]:
    row = FilmDay.objects.filter(film=film).first()
    return (row.views, row.plays) if row else (0, 0)


def assert_no_cookie(response):
    assert response.cookies == {}
    assert not response.has_header("Set-Cookie")


def test_every_view_counts_whether_served_from_the_cache_or_not(public_film):
    url = reverse("public:film", args=[public_film.pk])
    first = visitor().get(url)
    with CaptureQueriesContext(connection) as cached:
        second = visitor().get(url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content  # the shared page is still shared
    assert film_day(public_film) == (2, 0)
    # Served from the cache, the page costs only the count: an UPDATE and an INSERT.
    assert len(cached.captured_queries) == 2
    assert_no_cookie(first)
    assert_no_cookie(second)
    assert "Cookie" not in second.get("Vary", "")


def test_the_page_carries_the_players_report_address(public_film):
    html = visitor().get(reverse("public:film", args=[public_film.pk])).content.decode()
    play_url = reverse("public:film_play", args=[public_film.pk])
    assert f'data-play-url="{play_url}" data-play-seconds="30"' in html
    assert "filmit/audience.js" in html


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "facebookexternalhit/1.1",
    ],
)
def test_robots_are_not_counted(public_film, agent):
    response = visitor(agent=agent).get(reverse("public:film", args=[public_film.pk]))
    post = visitor(agent=agent).post(reverse("public:film_play", args=[public_film.pk]))

    assert response.status_code == 200
    assert post.status_code == 204
    assert film_day(public_film) == (0, 0)
    assert VisitorHash.objects.count() == 0


def test_a_page_fetched_ahead_by_the_browser_is_not_counted(public_film):
    url = reverse("public:film", args=[public_film.pk])
    assert visitor().get(url, headers={"Sec-Purpose": "prefetch"}).status_code == 200
    assert visitor().get(url, headers={"Purpose": "prefetch"}).status_code == 200
    assert film_day(public_film) == (0, 0)


def test_a_page_that_is_not_public_is_not_counted(edition, category):
    hidden = cleared_film(category)  # the gallery is closed and the film has no prize
    response = visitor().get(reverse("public:film", args=[hidden.pk]))
    assert response.status_code == 404
    assert FilmDay.objects.count() == 0


def test_the_same_visitor_twice_a_day_is_one_visitor_and_a_new_one_the_next_day(public_film):
    url = reverse("public:film", args=[public_film.pk])
    visitor().get(url)
    visitor().get(url)
    visitor(address="198.51.100.2").get(url)
    day = audience.today()

    assert VisitorHash.objects.filter(day=day).count() == 2
    digest = VisitorHash.objects.filter(day=day).order_by("pk").first().digest
    same = audience.visitor_digest(address="203.0.113.7", user_agent=BROWSER, day=day)
    next_day = audience.visitor_digest(
        address="203.0.113.7", user_agent=BROWSER, day=day + timedelta(days=1)
    )
    assert digest == same
    assert next_day != same
    assert "203.0.113.7" not in digest
    # Tomorrow's salt, once drawn, destroyed today's.
    assert list(AudienceSalt.objects.values_list("day", flat=True)) == [day + timedelta(days=1)]


def test_folding_a_day_keeps_its_counts_and_destroys_its_hashes_and_salt(public_film):
    url = reverse("public:film", args=[public_film.pk])
    visitor().get(url)
    visitor().get(url)
    visitor(address="198.51.100.2").get(url)
    visitor().post(reverse("public:film_play", args=[public_film.pk]))
    day = audience.today()

    assert audience.fold_audience(day=day) == {"edition_days": 0, "hashes": 0, "salts": 0}
    done = audience.fold_audience(day=day + timedelta(days=1))

    assert done == {"edition_days": 1, "hashes": 3, "salts": 1}
    assert list(EditionDay.objects.values_list("edition_id", "day", "visitors")) == [
        (public_film.edition_id, day, 2)
    ]
    assert VisitorHash.objects.count() == 0
    assert AudienceSalt.objects.count() == 0
    assert film_day(public_film) == (3, 1)


def test_the_chore_folds_the_past_days(public_film, capsys):
    yesterday = audience.today() - timedelta(days=1)
    audience.visitor_digest(address="a", user_agent=BROWSER, day=yesterday)  # its salt
    VisitorHash.objects.create(day=yesterday, film=public_film, digest="x" * 64)

    call_command("fold_audience")

    assert capsys.readouterr().out == (
        "1 edition day(s) folded, 1 visitor hash(es) and 1 salt(s) deleted.\n"
    )
    assert EditionDay.objects.get().visitors == 1


# The player's report of a play.


def test_a_play_counts_once_per_visitor_film_and_day(public_film):
    url = reverse("public:film_play", args=[public_film.pk])
    first = visitor().post(url)
    again = visitor().post(url)
    other = visitor(address="198.51.100.2").post(url)

    assert [first.status_code, again.status_code, other.status_code] == [204, 204, 204]
    assert film_day(public_film) == (0, 2)
    for response in (first, again, other):
        assert_no_cookie(response)


def test_the_play_needs_no_csrf_token_and_no_cookie(public_film):
    response = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER).post(
        reverse("public:film_play", args=[public_film.pk])
    )
    assert response.status_code == 204
    assert_no_cookie(response)
    assert film_day(public_film) == (0, 1)


def test_a_play_of_a_film_that_is_not_public_is_refused(edition, category):
    hidden = cleared_film(category)
    response = visitor().post(reverse("public:film_play", args=[hidden.pk]))
    assert response.status_code == 404
    assert FilmDay.objects.count() == 0


@pytest.mark.parametrize("hidden", ["submitted", "pending_consent", "other_edition"])
def test_a_hidden_film_answers_a_play_as_a_missing_one(public_film, category, hidden):
    """Unpublished, not cleared, or of an edition that shows nothing yet: the same 404 as an
    id that does not exist, so the beacon tells nothing about private films."""
    if hidden == "submitted":
        film = cleared_film(category, status=FilmStatus.SUBMITTED)
    elif hidden == "pending_consent":
        film = cleared_film(category)
        film.consents.update(status=ConsentStatus.PENDING)
    else:
        other = factories.make_category(factories.make_edition(factories.make_festival()))
        film = cleared_film(other)
    missing = visitor().post(reverse("public:film_play", args=[film.pk + 1000]))
    response = visitor().post(reverse("public:film_play", args=[film.pk]))
    assert (response.status_code, response.content) == (missing.status_code, missing.content)
    assert response.status_code == 404
    assert FilmDay.objects.count() == 0
    assert VisitorHash.objects.count() == 0


def test_a_play_is_only_posted(public_film):
    response = visitor().get(reverse("public:film_play", args=[public_film.pk]))
    assert response.status_code == 405
    assert FilmDay.objects.count() == 0


def test_the_organizers_film_page_shows_its_audience(public_film, organizer_client):
    url = reverse("festival:organizer_film", args=[public_film.pk])
    assert "Audience sur le site public" not in organizer_client.get(url).content.decode()
    film_page = reverse("public:film", args=[public_film.pk])
    visitor().get(film_page)
    visitor(address="198.51.100.2").get(film_page)
    visitor().post(reverse("public:film_play", args=[public_film.pk]))

    html = organizer_client.get(url).content.decode()

    assert (
        "<dt>Vues de sa page publique</dt><dd>2</dd>"
        "<dt>Lectures de 30 secondes et plus</dt><dd>1</dd>"
    ) in html
