"""What partners and machines read: the sitemap, the palmarès Atom feeds and oEmbed."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from media_pipeline.models import VideoStatus
from tests import factories
from tests.festival.palmares import award, cleared_film, open_gallery, publish, unpublish
from tests.media_pipeline.versions import make_version

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SERVER = "http://testserver"


def palmares_path(edition):
    return reverse("public:palmares", args=[edition.festival.slug, edition.year])


def film_path(film):
    return reverse("public:film", args=[film.pk])


@pytest.fixture
def palmares(festival, edition, category):
    winner = cleared_film(category, title="Les mains d'or")
    hidden = factories.make_film(category=category, status="accepted", title="Sans autorisation")
    special = award(winner, "Prix spécial métier", kind="special", special=True)
    publication = publish(edition, [award(winner), award(hidden, "2e prix"), special])
    return winner, hidden, publication


# Sitemap.


def test_sitemap_lists_exactly_the_public_pages(palmares, festival, edition, category, client):
    winner, hidden, _publication = palmares
    withdrawn = factories.make_edition(festival, is_current=False)
    unpublish(publish(withdrawn, []))
    other = factories.make_edition(festival, is_current=False)
    open_film = cleared_film(factories.make_category(other))
    cleared_film(factories.make_category(other), status="submitted")
    open_gallery(other)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = sorted(loc.text for loc in root.iter(f"{SITEMAP}loc"))
    assert locations == sorted(
        SERVER + path
        for path in [
            "/",
            "/palmares/",
            "/galerie/",
            f"/festivals/{festival.slug}/",
            f"/festivals/{festival.slug}/editions/",
            palmares_path(edition),
            film_path(winner),
            film_path(open_film),
            # The trades of the public films only.
            "/metiers/",
            f"/metiers/{winner.trades.get().slug}/",
            f"/metiers/{open_film.trades.get().slug}/",
        ]
    )


# Atom feed.


def test_palmares_atom_feed_lists_the_awards(palmares, edition, client):
    winner, hidden, _publication = palmares

    response = client.get(palmares_path(edition) + "atom.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # valid XML
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "Palmarès — FILM'IT 2027"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "1er prix : « Les mains d'or »",
        "2e prix : « Sans autorisation »",
        "Prix spécial métier : « Les mains d'or »",
    ]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[0] == SERVER + film_path(winner)
    # A film the public may not see links to the palmarès, not to a 404.
    assert links[1].startswith(SERVER + palmares_path(edition) + "#prix-")
    assert len({entry.find(f"{ATOM}id").text for entry in entries}) == 3
    assert "Lycée" in entries[0].find(f"{ATOM}summary").text


def test_palmares_page_advertises_its_feed(palmares, edition, client):
    html = client.get(palmares_path(edition)).content.decode()

    assert (
        f'<link rel="alternate" type="application/atom+xml" '
        f'href="{palmares_path(edition)}atom.xml"' in html
    )


def test_no_feed_without_a_live_palmares(palmares, edition, client):
    *_films, publication = palmares
    unpublish(publication)

    assert client.get(palmares_path(edition) + "atom.xml").status_code == 404


# oEmbed.


def oembed(client, url, **params):
    return client.get("/oembed/?" + urlencode({"url": url, **params}))


def test_oembed_describes_a_public_film(palmares, client):
    winner, *_rest = palmares
    make_version(winner, status=VideoStatus.READY)

    response = oembed(client, SERVER + film_path(winner), format="json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    embed = f"{SERVER}/films/{winner.pk}/integrer/"
    assert data == {
        "version": "1.0",
        "type": "video",
        "title": "Les mains d'or",
        "author_name": winner.school.name,
        "provider_name": "FILM'IT",
        "provider_url": SERVER + "/",
        "width": 640,
        "height": 360,
        "html": (
            f'<iframe src="{embed}" width="640" height="360" '
            'title="Les mains d&#x27;or — FILM\'IT" allow="fullscreen; picture-in-picture" '
            'allowfullscreen loading="lazy" style="border:0"></iframe>'
        ),
    }
    assert client.get(embed).status_code == 200


def test_oembed_honours_maxwidth(palmares, client):
    winner, *_rest = palmares

    data = oembed(client, SERVER + film_path(winner), maxwidth=320).json()

    assert (data["width"], data["height"]) == (320, 180)


@pytest.mark.parametrize("which", ["hidden", "other page", "nonsense"])
def test_oembed_is_404_for_anything_but_a_public_film(which, palmares, edition, client):
    _winner, hidden, _publication = palmares
    url = {
        "hidden": SERVER + film_path(hidden),
        "other page": SERVER + palmares_path(edition),
        "nonsense": "pas une adresse",
    }[which]

    assert oembed(client, url).status_code == 404


def test_oembed_only_speaks_json(palmares, client):
    winner, *_rest = palmares

    assert oembed(client, SERVER + film_path(winner), format="xml").status_code == 501
