"""The public gallery: editions archive, palmarès, the gallery and its filters, film pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from festival.enums import Academie
from festival.models import Company
from judging.visibility import public_films
from media_pipeline.models import VideoStatus
from public.filters import GalleryFilter
from tests import factories
from tests.festival.palmares import award, cleared_film, open_gallery, publish, unpublish
from tests.media_pipeline.versions import make_version

GALLERY = reverse("public:gallery")
ARCHIVE = reverse("public:archive")


def palmares_url(edition):
    return reverse("public:palmares", args=[edition.festival.slug, edition.year])


def film_url(film):
    return reverse("public:film", args=[film.pk])


def card_ids(response):
    return [card["film"].pk for card in response.context["cards"]]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# Editions archive.


def test_archive_lists_editions_with_a_live_palmares_newest_first(festival, client):
    old = factories.make_edition(festival, year=2024, is_current=False, title="FILM'IT 2024")
    new = factories.make_edition(festival, year=2026, is_current=False, title="FILM'IT 2026")
    withdrawn = factories.make_edition(festival, year=2025, is_current=False, title="FILM'IT 2025")
    factories.make_edition(festival, year=2027, title="FILM'IT 2027")  # nothing published yet
    other = factories.make_edition(year=2025, title="FILM'IT Grand Est 2025")
    for edition in (old, new, other):
        publish(edition, [])
    unpublish(publish(withdrawn, []))

    response = client.get(ARCHIVE)

    assert list(response.context["editions"]) == [new, other, old]
    assert response.content.decode().count(palmares_url(new)) == 1


# Palmarès.


@pytest.fixture
def palmares(edition, category):
    """A palmarès with a public winner, a winner without consents and a special prize."""
    public = cleared_film(category, title="Les mains d'or")
    hidden = factories.make_film(category=category, status="accepted", title="Sans autorisation")
    special = award(public, "Prix spécial métier", kind="special", special=True)
    publish(edition, [award(public), award(hidden, "2e prix", kind="second"), special])
    return public, hidden


def test_palmares_shows_prizes_from_the_snapshot(palmares, edition, category, client):
    public, hidden = palmares
    # Later edits never reach the published palmarès.
    public.title = "Titre changé après la publication"
    public.save()

    response = client.get(palmares_url(edition))

    assert response.status_code == 200
    sections = response.context["categories"]
    assert [section["name"] for section in sections] == ["Lycée"]
    assert [(a["prize"], a["film_title"]) for a in sections[0]["awards"]] == [
        ("1er prix", "Les mains d'or"),
        ("2e prix", "Sans autorisation"),
    ]
    assert [a["prize"] for a in response.context["specials"]] == ["Prix spécial métier"]
    html = response.content.decode()
    assert "Titre changé" not in html
    # Film links only for films the public may see.
    assert html.count(f'href="{film_url(public)}"') == 2
    assert film_url(hidden) not in html
    assert '<html lang="fr">' in html
    assert re.findall(r"<h1[ >]", html) == ["<h1>"]


def test_palmares_cards_carry_the_posters_of_public_films(edition, category, client):
    public = cleared_film(category, title="Les mains d'or")
    make_version(public, status=VideoStatus.READY)
    hidden = factories.make_film(category=category, status="accepted", title="Sans autorisation")
    make_version(hidden, status=VideoStatus.READY)
    publish(edition, [award(public), award(hidden, "2e prix", kind="second")])

    response = client.get(palmares_url(edition))

    awards = response.context["categories"][0]["awards"]
    assert [(a["film_title"], a["poster"] is not None) for a in awards] == [
        ("Les mains d'or", True),
        ("Sans autorisation", False),
    ]
    html = response.content.decode()
    assert html.count(awards[0]["poster"].webp) == 1
    assert html.count('class="poster-placeholder prize-poster"') == 1


def test_palmares_of_an_unpublished_edition_is_a_404(edition, client):
    assert client.get(palmares_url(edition)).status_code == 404
    unpublish(publish(edition, []))
    assert client.get(palmares_url(edition)).status_code == 404


# The gallery.


def test_gallery_shows_winners_then_the_open_gallery(edition, category, client):
    winner = cleared_film(category, title="Zéro défaut")
    other = cleared_film(category, title="Atelier")
    publish(edition, [award(winner)])

    assert card_ids(client.get(GALLERY)) == [winner.pk]

    open_gallery(edition)
    response = client.get(GALLERY)
    assert card_ids(response) == [winner.pk, other.pk]  # winners first
    assert [a["prize"] for a in response.context["cards"][0]["prizes"]] == ["1er prix"]


def test_gallery_is_paginated(edition, category, client):
    films = [cleared_film(category, title=f"Film {n:02d}") for n in range(26)]
    open_gallery(edition)

    first = client.get(GALLERY)
    second = client.get(GALLERY + "?page=2")

    assert card_ids(first) == [film.pk for film in films[:24]]
    assert card_ids(second) == [film.pk for film in films[24:]]


def test_gallery_posters_have_alt_text_and_signed_urls(edition, category, client):
    film = cleared_film(category, title="Les mains d'or")
    make_version(film, status=VideoStatus.READY)
    open_gallery(edition)

    response = client.get(GALLERY)

    poster = response.context["cards"][0]["poster"]
    assert poster.jpg == ""  # the fake version only has a WebP list size
    assert poster.webp.startswith("/medias/v/")
    assert client.get(poster.webp).status_code == 200
    assert 'alt="Affiche du film « Les mains d&#x27;or »"' in response.content.decode()


def _fill(edition, category, count):
    films = [cleared_film(category) for _ in range(count)]
    for film in films:
        make_version(film, status=VideoStatus.READY)
    publish(edition, [award(film) for film in films])
    return films


@pytest.mark.parametrize("url", [GALLERY, "palmares"])
def test_query_count_does_not_grow_with_films(
    url, edition, category, festival, client, django_assert_num_queries
):
    other_category = factories.make_category(edition)
    _fill(edition, category, 1)
    url = palmares_url(edition) if url == "palmares" else url
    one = queries(client, url)

    unpublish(edition.publications.get())
    _fill(edition, other_category, 50)
    open_gallery(edition)

    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.status_code == 200
    if url == GALLERY:
        assert len(response.context["cards"]) == 24


# Filters.


@pytest.fixture
def catalogue(festival, edition, category):
    """Four public films that differ by edition, category, trade, school, company, académie."""
    other_edition = factories.make_edition(festival, is_current=False, title="FILM'IT 2019")
    other_category = factories.make_category(other_edition, name="Collège", slug="college")
    dijon = factories.make_school(name="Lycée Hilaire de Chardonnet", academie=Academie.DIJON)
    soudeur = factories.make_trade(name="Soudeur")
    films = {
        "usinage": cleared_film(category, title="Usinage de précision", synopsis="Un tour."),
        "soudure": cleared_film(category, title="Étincelles"),
        "dijon": cleared_film(
            category,
            title="Chaudronnerie",
            teacher=factories.make_teacher(dijon),
            synopsis="Les chaudronniers de Chalon.",
        ),
        "ancien": cleared_film(other_category, title="Les robots d'hier"),
    }
    films["soudure"].trades.set([soudeur])
    # Their companies agreed to appear: the public may find the films by company.
    Company.objects.filter(films__in=films.values()).update(public_agreement_at=timezone.now())
    for each in (edition, other_edition):
        open_gallery(each)
    return films, soudeur, dijon, other_edition, other_category


def filtered(data):
    return sorted(GalleryFilter(data, queryset=public_films()).qs.values_list("pk", flat=True))


def ids(*films):
    return sorted(film.pk for film in films)


def test_filter_by_edition_and_category(catalogue, category):
    films, _trade, _school, other_edition, other_category = catalogue

    assert filtered({"edition": other_edition.pk}) == ids(films["ancien"])
    assert filtered({"category": category.pk}) == ids(
        films["usinage"], films["soudure"], films["dijon"]
    )
    assert filtered({"category": other_category.pk}) == ids(films["ancien"])


def test_filter_by_trade_school_company_and_academie(catalogue):
    films, soudeur, dijon, _edition, _category = catalogue

    assert filtered({"trade": soudeur.pk}) == ids(films["soudure"])
    assert filtered({"school": dijon.pk}) == ids(films["dijon"])
    assert filtered({"company": films["usinage"].company_id}) == ids(films["usinage"])
    assert filtered({"academie": Academie.DIJON}) == ids(films["dijon"])
    assert filtered({"academie": Academie.BESANCON}) == ids(
        films["usinage"], films["soudure"], films["ancien"]
    )


def test_search_matches_title_synopsis_school_company_and_trade(catalogue):
    films, _trade, _school, _edition, _category = catalogue

    assert filtered({"q": "précision"}) == ids(films["usinage"])
    assert filtered({"q": "chalon"}) == ids(films["dijon"])
    assert filtered({"q": "Chardonnet"}) == ids(films["dijon"])
    assert filtered({"q": "soudeur"}) == ids(films["soudure"])
    assert filtered({"q": films["ancien"].company.name}) == ids(films["ancien"])
    assert filtered({"q": "robots hier"}) == ids(films["ancien"])
    assert filtered({"q": "robots précision"}) == []


def test_filter_choices_list_only_public_things(catalogue, category):
    films, soudeur, dijon, _edition, _category = catalogue
    hidden_school = factories.make_school(name="Lycée caché")
    factories.make_film(
        category=category, teacher=factories.make_teacher(hidden_school), status="accepted"
    )

    form = GalleryFilter({}, queryset=public_films()).form

    schools = list(form.fields["school"].queryset)
    assert hidden_school not in schools
    assert sorted(s.pk for s in schools) == sorted({f.school_id for f in films.values()})


def test_gallery_page_applies_filters(catalogue, client):
    films, soudeur, _school, _edition, _category = catalogue

    response = client.get(GALLERY, {"trade": soudeur.pk})

    assert card_ids(response) == [films["soudure"].pk]


# A film's page.


@pytest.fixture
def public_film(edition, category, teacher):
    film = cleared_film(
        category,
        teacher=teacher,
        title="Les mains d'or",
        synopsis="Une journée avec les régleurs de l'atelier.",
        crew="Léa\nTom B.\n  \nInès",
    )
    # The company agreed to appear on the public site (without it, its name is hidden).
    film.company.public_agreement_at = timezone.now()
    film.company.save()
    publish(edition, [award(film)])
    make_version(film, status=VideoStatus.READY)
    return film


def test_film_page_shows_the_film_without_personal_data(public_film, teacher, client):
    response = client.get(film_url(public_film))

    assert response.status_code == 200
    assert response.context["crew"] == ["Léa", "Tom B.", "Inès"]
    html = response.content.decode()
    assert "Une journée avec les régleurs" in html
    assert escape(public_film.school.name) in html
    assert escape(public_film.company.name) in html
    assert escape(public_film.trades.get().name) in html
    assert "1er prix" in html
    for private in (teacher.email, teacher.last_name, public_film.original_filename or "@"):
        assert private not in html


def test_film_page_player_with_captions(public_film, client):
    html = client.get(film_url(public_film)).content.decode()

    assert re.search(r'<video class="film-player"[^>]*data-hls-src="/medias/v/', html)
    assert '<source src="/medias/v/' in html
    assert re.search(r'<track kind="captions" src="/medias/v/[^"]+" srclang="fr"', html)


def test_film_page_opengraph_tags(public_film, client):
    html = client.get(film_url(public_film)).content.decode()
    tags = dict(re.findall(r'<meta property="(og:[a-z_:]+)" content="([^"]*)"', html))

    page = f"http://testserver{film_url(public_film)}"
    assert tags == {
        "og:type": "video.other",
        "og:title": "Les mains d&#x27;or",
        "og:description": "Une journée avec les régleurs de l&#x27;atelier.",
        "og:url": page,
        "og:site_name": "FILM'IT",
        "og:image": f"http://testserver/films/{public_film.pk}/affiche.jpg",
        "og:image:alt": "Affiche du film « Les mains d&#x27;or »",
    }
    oembed = re.search(r'rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
    assert oembed.group(1).startswith("http://testserver/oembed/?url=http%3A%2F%2Ftestserver%2F")


def test_stable_poster_url_redirects_to_the_signed_file(public_film, client):
    # The fake version has no page.jpg: give it one, as the pipeline does.
    version = public_film.video_versions.get()
    version.outputs["poster"]["sizes"]["page.jpg"] = "poster/first/poster-page.jpg"
    version.save()

    response = client.get(reverse("public:poster", args=[public_film.pk]))

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("name", ["film", "embed", "poster"])
def test_non_public_film_pages_are_404(name, category, client, organizer):
    film = factories.make_film(category=category, status="accepted", complete=True)
    make_version(film, status=VideoStatus.READY)

    assert client.get(reverse(f"public:{name}", args=[film.pk])).status_code == 404
    client.force_login(organizer)  # not even for the festival's organizers: not public
    assert client.get(reverse(f"public:{name}", args=[film.pk])).status_code == 404


def test_film_page_cannot_be_framed_but_the_embed_page_can(public_film, client):
    page = client.get(film_url(public_film))
    embed = client.get(reverse("public:embed", args=[public_film.pk]))

    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "script-src 'self'" in embed["Content-Security-Policy"]
    assert b'<video class="film-player"' in embed.content


def test_a_play_on_a_partners_site_is_reported_like_one_on_the_film_page(public_film, client):
    embed = client.get(reverse("public:embed", args=[public_film.pk]))
    box = re.search(
        r'<div class="film-player-box" data-play-url="([^"]+)" data-play-seconds="(\d+)"',
        embed.text,
    )
    assert box.groups() == (reverse("public:film_play", args=[public_film.pk]), "30")
    assert "/static/filmit/audience.js" in embed.text
    assert "Set-Cookie" not in embed


def test_palmares_gives_its_publication_date_in_a_machine_readable_time(palmares, edition, client):
    from django.utils import timezone

    from judging.selectors_results import live_publication

    body = client.get(palmares_url(edition)).content.decode()

    published = timezone.localtime(live_publication(edition).published_at).isoformat()
    # To the minute: the test helper stamps the snapshot a moment after the publication row.
    assert [iso[:16] for iso in re.findall(r'<time datetime="([^"]+)"', body)] == [published[:16]]


def test_film_page_shares_the_link_and_the_oembed_code(public_film, client):
    response = client.get(film_url(public_film))

    html = response.content.decode()
    page_url = f"http://testserver{film_url(public_film)}"
    oembed = client.get(reverse("public:oembed"), {"url": page_url}).json()
    assert response.context["embed_code"] == oembed["html"]
    assert f'<input type="text" id="share-link" value="{page_url}" readonly' in html
    assert f"{escape(oembed['html'])}</textarea>" in html
    # The copy buttons wait for their script; without it the texts are there to select.
    assert html.count("data-copy=") == 2
    assert html.count('data-copy="share-link" hidden>') == 1


def test_gallery_filters_fold_and_open_once_used(edition, category, client):
    cleared_film(category)
    open_gallery(edition)

    assert '<details class="filters-panel">' in client.get(GALLERY).content.decode()
    next_page = client.get(GALLERY, {"page": "2", "q": ""}).content.decode()
    assert '<details class="filters-panel">' in next_page
    filtered_page = client.get(GALLERY, {"edition": edition.pk}).content.decode()
    assert '<details class="filters-panel" open>' in filtered_page
