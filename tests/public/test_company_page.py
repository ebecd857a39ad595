"""A partner company on the public site: named only once it agreed (film page, gallery,
palmarès, feed, certificates), and its own page listing the public films shot there."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from festival.domain.companies import record_agreement, withdraw_agreement
from festival.enums import FilmStatus
from judging import certificates
from judging.visibility import public_films
from public.filters import GalleryFilter
from tests import factories
from tests.festival.palmares import award, cleared_film, open_gallery, publish
from tests.judging.test_exports import pdf_text

NAME = "Forges de Franche-Comté"


@pytest.fixture
def company(db):
    return factories.make_company(name=NAME, town="Audincourt", sector="Forge et estampage")


@pytest.fixture
def winner(edition, category, company):
    """A prize winner with validated consents, shot at the company: public."""
    film = cleared_film(category, title="Le feu de la forge", company=company)
    return film


@pytest.fixture
def publication(edition, winner):
    return publish(edition, [award(winner)])


def company_url(company):
    return reverse("public:company", args=[company.pk])


def palmares_url(edition):
    return reverse("public:palmares", args=[edition.festival.slug, edition.year])


def agree(company, organizer):
    record_agreement(company=company, user=organizer, note="Courriel")


def test_without_agreement_the_name_is_shown_nowhere(
    client, edition, winner, publication, company, monkeypatch
):
    open_gallery(edition)
    pages = [
        reverse("public:film", args=[winner.pk]),
        reverse("public:gallery"),
        palmares_url(edition),
        reverse("public:palmares_feed", args=[edition.festival.slug, edition.year]),
        reverse("public:oembed") + f"?format=json&url={reverse('public:film', args=[winner.pk])}",
        reverse("public:sitemap"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert NAME not in html and escape(NAME) not in html, url
    assert client.get(company_url(company)).status_code == 404
    # The gallery neither offers it as a filter nor finds films by its name.
    films = public_films()
    assert list(GalleryFilter(None, queryset=films).filters["company"].queryset) == []
    assert list(GalleryFilter({"q": "Forges"}, queryset=films).qs) == []
    monkeypatch.setattr(certificates, "_font_files", lambda: None)
    for pdf in (
        certificates.certificates_pdf(publication.snapshot, crews={}),
        certificates.palmares_pdf(publication.snapshot),
    ):
        assert "Forges" not in pdf_text(pdf)


def test_once_agreed_the_name_shows_and_links_its_page(
    client, edition, winner, publication, company, organizer, monkeypatch
):
    open_gallery(edition)
    agree(company, organizer)
    page = company_url(company)

    film_html = client.get(reverse("public:film", args=[winner.pk])).content.decode()
    assert f'<a href="{page}">{escape(NAME)}</a>, Audincourt' in film_html
    gallery_html = client.get(reverse("public:gallery")).content.decode()
    assert f"Tourné chez {escape(NAME)}" in gallery_html
    palmares_html = client.get(palmares_url(edition)).content.decode()
    assert f'tourné chez <a href="{page}">{escape(NAME)}</a>' in palmares_html
    feed = client.get(reverse("public:palmares_feed", args=[edition.festival.slug, edition.year]))
    assert f"tourné chez {escape(NAME)}" in feed.content.decode()
    films = public_films()
    assert list(GalleryFilter(None, queryset=films).filters["company"].queryset) == [company]
    assert list(GalleryFilter({"q": "Forges"}, queryset=films).qs) == [winner]
    monkeypatch.setattr(certificates, "_font_files", lambda: None)
    certificate = pdf_text(certificates.certificates_pdf(publication.snapshot, crews={}))
    assert "avec l'entreprise Forges de Franche-Comt" in certificate

    # Withdrawn: hidden again at the next request, although pages are kept for anonymous
    # visitors (the company's change drops them).
    withdraw_agreement(company=company, user=organizer)
    assert NAME not in client.get(reverse("public:film", args=[winner.pk])).content.decode()
    assert client.get(page).status_code == 404


def test_the_company_page_lists_only_its_public_films(
    client, edition, category, winner, company, organizer
):
    agree(company, organizer)
    # Shot there too, but not public: consents pending, or not a winner and the gallery shut.
    pending = factories.make_film(
        category=category,
        status=FilmStatus.ACCEPTED,
        complete=True,
        company=company,
        title="Autorisations en attente",
    )
    not_awarded = cleared_film(category, title="Pas primé", company=company)
    elsewhere = cleared_film(category, title="Ailleurs")
    publish(edition, [award(winner), award(pending), award(elsewhere)])

    response = client.get(company_url(company))

    assert response.status_code == 200
    assert [card["film"] for card in response.context["cards"]] == [winner]
    html = response.content.decode()
    assert f"<h1>{escape(NAME)}</h1>" in html
    assert "Audincourt — Forge et estampage" in html
    for hidden in (pending, not_awarded, elsewhere):
        assert escape(hidden.title) not in html
    assert response.context["page_festival"] == edition.festival


@pytest.mark.parametrize("count", [1, 5])
def test_the_company_page_queries_do_not_grow_with_films(
    client, edition, category, company, organizer, count, django_assert_num_queries
):
    agree(company, organizer)
    films = [cleared_film(category, company=company) for _ in range(count)]
    publish(edition, [award(film) for film in films])
    # The company, the live palmarès, the films, their trades and their versions; the
    # header's festivals.
    with django_assert_num_queries(6):
        response = client.get(company_url(company))
    assert len(response.context["cards"]) == count


def test_the_sitemap_lists_agreed_companies_with_public_films(
    client, edition, winner, publication, company, organizer
):
    bare = factories.make_company(name="Sans film public")
    agree(bare, organizer)
    assert company_url(company) not in client.get(reverse("public:sitemap")).content.decode()

    agree(company, organizer)
    xml = client.get(reverse("public:sitemap")).content.decode()
    assert company_url(company) in xml
    assert company_url(bare) not in xml


def test_an_unknown_company_is_a_404(client, db):
    assert client.get(reverse("public:company", args=[999999])).status_code == 404


def test_the_agreement_is_read_at_render_time_from_an_older_snapshot(
    client, edition, winner, company, organizer
):
    """A palmarès published before companies had ids in the snapshot: matched by its film."""
    old = award(winner)
    del old["company_id"], old["sponsor"], old["sponsor_id"]
    publish(edition, [old])
    assert NAME not in client.get(palmares_url(edition)).content.decode()
    agree(company, organizer)
    assert escape(NAME) in client.get(palmares_url(edition)).content.decode()


def test_agreement_time_is_recorded(company, organizer):
    before = timezone.now()
    agree(company, organizer)
    company.refresh_from_db()
    assert company.public_agreement_at >= before
    assert company.may_be_named
