"""An installation hosting several festivals: the festivals list at `/`, each festival's home
and archive, and the header and footer naming the festival of the page."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from tests import factories
from tests.festival.palmares import award, cleared_film, publish

HOME = reverse("public:home")
FOOTER_RE = re.compile(r'<footer class="site-footer">(.*?)</footer>', re.S)
BRAND_RE = re.compile(r'<a class="brand" href="([^"]*)">([^<]*)<')


def footer(response) -> str:
    return FOOTER_RE.search(response.content.decode()).group(1)


def brand(response) -> tuple[str, str]:
    href, name = BRAND_RE.search(response.content.decode()).groups()
    return href, htmllib.unescape(name)


def make_festival_with_palmares(name, slug, email, *, year):
    """A festival whose current edition has a category and a published palmarès."""
    festival = factories.make_festival(
        name=name,
        slug=slug,
        region=f"Région {name}",
        organizing_body=f"UIMM {name}",
        contact_email=email,
    )
    edition = factories.make_edition(festival, year=year, title=f"{name} {year}")
    category = factories.make_category(edition, name=f"Lycée {name}")
    winner = cleared_film(category, title=f"Les ateliers de {name}")
    publish(edition, [award(winner)])
    return festival, edition, winner


@pytest.fixture
def two_festivals(db):
    a = make_festival_with_palmares("Festival Alpha", "alpha", "alpha@filmit.example", year=2026)
    b = make_festival_with_palmares("Festival Bêta", "beta", "beta@filmit.example", year=2027)
    return a, b


def test_the_list_shows_every_festival(client, two_festivals):
    (alpha, alpha_edition, _), (beta, beta_edition, _) = two_festivals
    response = client.get(HOME)
    assert [t.name for t in response.templates][0] == "public/festivals.html"
    assert [card.festival for card in response.context["festivals"]] == [alpha, beta]
    html = response.content.decode()
    for festival, edition in ((alpha, alpha_edition), (beta, beta_edition)):
        assert f'href="{reverse("public:festival", args=[festival.slug])}"' in html
        assert festival.region in html
        assert festival.organizing_body in html
        assert edition.title in html
    # An installation-wide page: the platform's name, no festival's contact.
    assert brand(response) == (HOME, "FILM'IT")
    assert "mailto:" not in footer(response)


def test_a_festival_without_current_edition_is_listed(client, two_festivals):
    quiet = factories.make_festival(name="Festival Gamma", slug="gamma")
    factories.make_edition(quiet, is_current=False)
    cards = client.get(HOME).context["festivals"]
    assert [(c.festival, c.edition) for c in cards][-1] == (quiet, None)


def test_each_festival_home_shows_only_its_edition(client, two_festivals):
    (alpha, alpha_edition, alpha_film), (beta, beta_edition, beta_film) = two_festivals
    response = client.get(reverse("public:festival", args=[beta.slug]))
    assert response.context["edition"] == beta_edition
    assert response.context["palmares"]["edition"] == beta_edition
    assert [c.name for c, _ in response.context["categories"]] == ["Lycée Festival Bêta"]
    html = response.content.decode()
    assert beta_film.title in html
    assert alpha_edition.title not in html
    assert alpha_film.title not in html
    assert brand(response) == (reverse("public:festival", args=[beta.slug]), beta.name)
    assert "beta@filmit.example" in footer(response)
    assert "alpha@filmit.example" not in html


def test_header_and_footer_of_a_film_page_name_its_festival(client, two_festivals):
    _, (beta, beta_edition, beta_film) = two_festivals
    response = client.get(reverse("public:film", args=[beta_film.pk]))
    assert response.status_code == 200
    assert brand(response)[1] == beta.name
    assert beta.name in footer(response)
    assert beta_edition.title in footer(response)
    assert 'href="mailto:beta@filmit.example"' in footer(response)
    assert "alpha" not in footer(response).lower()


def test_palmares_page_names_its_festival(client, two_festivals):
    (alpha, alpha_edition, _), _ = two_festivals
    response = client.get(reverse("public:palmares", args=[alpha.slug, alpha_edition.year]))
    assert brand(response)[1] == alpha.name
    assert "alpha@filmit.example" in footer(response)


def test_archive_of_a_festival_never_lists_another(client, two_festivals):
    (alpha, alpha_edition, _), (beta, beta_edition, _) = two_festivals
    older = factories.make_edition(alpha, is_current=False, year=2020, title="Alpha 2020")
    publish(older, [])
    response = client.get(reverse("public:festival_archive", args=[alpha.slug]))
    assert list(response.context["editions"]) == [alpha_edition, older]
    html = response.content.decode()
    assert beta_edition.title not in html
    assert reverse("public:palmares", args=[beta.slug, beta_edition.year]) not in html
    assert brand(response)[1] == alpha.name
    # The installation-wide archive, at its old address, still lists both.
    everything = client.get(reverse("public:archive")).context["editions"]
    assert set(everything) == {alpha_edition, beta_edition, older}


def test_unknown_festival_is_a_404(client, two_festivals):
    assert client.get(reverse("public:festival", args=["nulle-part"])).status_code == 404
    assert client.get(reverse("public:festival_archive", args=["nulle-part"])).status_code == 404


def test_gallery_filtered_on_a_festival(client, two_festivals):
    (alpha, _, alpha_film), (beta, _, beta_film) = two_festivals
    gallery = reverse("public:gallery")
    unscoped = client.get(gallery)
    assert {c["film"] for c in unscoped.context["cards"]} == {alpha_film, beta_film}
    assert brand(unscoped)[1] == "FILM'IT"
    assert "mailto:" not in footer(unscoped)

    response = client.get(gallery, {"festival": beta.slug})
    assert [c["film"] for c in response.context["cards"]] == [beta_film]
    assert brand(response)[1] == beta.name
    assert "beta@filmit.example" in footer(response)


def test_gallery_filtered_on_an_edition_names_its_festival(client, two_festivals):
    (alpha, alpha_edition, alpha_film), _ = two_festivals
    response = client.get(reverse("public:gallery"), {"edition": alpha_edition.pk})
    assert [c["film"] for c in response.context["cards"]] == [alpha_film]
    assert brand(response)[1] == alpha.name


def test_login_page_names_the_platform(client, two_festivals):
    response = client.get(reverse("festival:login"))
    assert brand(response) == (HOME, "FILM'IT")
    assert "mailto:" not in footer(response)


def test_with_one_festival_home_is_that_festival(client, festival, edition):
    festival.contact_email = "contact@filmit.example"
    festival.save()
    response = client.get(HOME)
    assert [t.name for t in response.templates][0] == "public/home.html"
    assert response.context["festival"] == festival
    assert response.context["edition"] == edition
    assert brand(response)[1] == festival.name
    assert "contact@filmit.example" in footer(response)
    # Its own address answers too, with the same page.
    same = client.get(reverse("public:festival", args=[festival.slug]))
    assert same.context["edition"] == edition
    # A page naming no festival belongs to the only one.
    assert brand(client.get(reverse("festival:login")))[1] == festival.name


def test_festival_feed_lists_its_palmares_only(client, two_festivals):
    (alpha, alpha_edition, _), (beta, beta_edition, _) = two_festivals
    response = client.get(reverse("public:festival_feed", args=[beta.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    content = response.content.decode()
    assert reverse("public:palmares", args=[beta.slug, beta_edition.year]) in content
    assert alpha_edition.title not in content


def test_sitemap_lists_every_festival(client, two_festivals):
    content = client.get("/sitemap.xml").content.decode()
    for slug in ("alpha", "beta"):
        assert f"/festivals/{slug}/</loc>" in content
        assert f"/festivals/{slug}/editions/</loc>" in content


@pytest.mark.parametrize("count", [1, 5])
def test_list_queries_do_not_grow_with_festivals(client, db, count, django_assert_num_queries):
    # Two festivals at least, so that `/` is the list; then `count` more.
    for n in range(count + 1):
        festival = factories.make_festival(name=f"Festival {n:02d}")
        edition = factories.make_edition(festival)
        publish(edition, [])
    # The festivals, their current editions, the editions' palmarès dates.
    with django_assert_num_queries(3):
        response = client.get(HOME)
    assert len(response.context["festivals"]) == count + 1
