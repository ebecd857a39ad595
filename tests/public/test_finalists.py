"""The public finalists page: a 404 until the finalists are announced (issue 13, selection)."""

import pytest
from django.urls import reverse

from judging.domain.selection import announce_now, choose_finalists
from tests import factories
from tests.judging.factories_selection import make_round, make_selection


def finalists_url(edition) -> str:
    return reverse("public:finalists", args=[edition.festival.slug, edition.year])


@pytest.fixture
def chosen(edition, category, organizer):
    selection = make_selection(edition, category)
    selection_round = make_round(edition)
    choose_finalists(selection_round=selection_round, films=selection.films[:2], user=organizer)
    return selection, selection_round


def test_the_path_is_the_published_one(edition):
    assert finalists_url(edition) == f"/festivals/filmit-fc/{edition.year}/finalistes/"


def test_404_before_the_announcement_even_for_a_kept_link(client, chosen, organizer):
    selection, selection_round = chosen
    assert client.get(finalists_url(selection.edition)).status_code == 404
    # A round without finalists announced, or turned off, stays a 404 too.
    selection_round.enabled = False
    selection_round.save()
    assert client.get(finalists_url(selection.edition)).status_code == 404


def test_404_for_an_edition_without_round(client, edition):
    assert client.get(finalists_url(edition)).status_code == 404


def test_200_after_with_the_finalists_only(client, chosen, organizer, django_assert_num_queries):
    selection, selection_round = chosen
    announce_now(selection_round=selection_round, user=organizer)
    response = client.get(finalists_url(selection.edition))
    assert response.status_code == 200
    [block] = response.context["categories"]
    assert (block["category"], [card["film"] for card in block["cards"]]) == (
        selection.category,
        selection.films[:2],
    )
    assert selection.films[0].school.name in response.text
    assert selection.films[2].title not in response.text


@pytest.mark.parametrize("count", [1, 5])
def test_queries_do_not_grow_with_finalists(
    client, edition, category, organizer, count, django_assert_num_queries
):
    films = [factories.make_film(category=category, status="submitted") for _ in range(count)]
    selection_round = make_round(edition)
    choose_finalists(selection_round=selection_round, films=films, user=organizer)
    announce_now(selection_round=selection_round, user=organizer)
    with django_assert_num_queries(6):
        response = client.get(finalists_url(edition))
    assert len(response.context["categories"][0]["cards"]) == count


def test_the_festival_home_links_to_the_finalists_once_announced(client, chosen, organizer):
    selection, selection_round = chosen
    home = reverse("public:festival", args=[selection.edition.festival.slug])
    assert finalists_url(selection.edition) not in client.get(home).text
    announce_now(selection_round=selection_round, user=organizer)
    assert finalists_url(selection.edition) in client.get(home).text


def test_announced_finalists_with_validated_consents_become_public(client, chosen, organizer):
    selection, selection_round = chosen
    a, b, c, d = selection.films
    for film in (a, c):
        factories.make_consent(film, status="validated")
    film_url = reverse("public:film", args=[a.pk])
    assert client.get(film_url).status_code == 404
    announce_now(selection_round=selection_round, user=organizer)
    assert client.get(film_url).status_code == 200
    # A finalist without validated consents, a film not chosen: still not public.
    assert client.get(reverse("public:film", args=[b.pk])).status_code == 404
    assert client.get(reverse("public:film", args=[c.pk])).status_code == 404
    response = client.get(finalists_url(selection.edition))
    assert [card["public"] for card in response.context["categories"][0]["cards"]] == [True, False]
