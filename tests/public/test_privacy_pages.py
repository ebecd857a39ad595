"""The "Données personnelles" and "Mentions légales" pages: default wording, the organizers'
texts (escaped), per festival, linked from every page's footer, in English too."""

from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from festival.models import FestivalLegalTexts
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

PRIVACY = reverse("public:privacy")
LEGAL = reverse("public:legal_notice")


def festival_privacy(festival):
    return reverse("public:festival_privacy", args=[festival.slug])


def festival_legal(festival):
    return reverse("public:festival_legal_notice", args=[festival.slug])


def page(url, client=None, **headers) -> str:
    response = (client or Client()).get(url, **headers)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def texts(festival, organizer):
    return FestivalLegalTexts.objects.create(
        festival=festival,
        data_controller="UIMM Franche-Comté, 5 rue de la Forge, 25000 Besançon",
        rights_email="rgpd@uimm-fc.example",
        rights_postal_address="UIMM Franche-Comté\nService RGPD\n25000 Besançon",
        dpo_contact="Mme Durand, dpo@uimm-fc.example",
        hosting_provider="Hébergeur Exemple SAS, 1 rue du Serveur, 75000 Paris",
        publication_director="Jean Martin",
        publisher="UIMM Franche-Comté, SIRET 123 456 789 00012",
        privacy_extra="Premier paragraphe.\n\nSecond paragraphe.",
        legal_extra="Crédits : l'équipe du festival.",
        updated_by=organizer,
    )


def test_default_privacy_page_says_what_who_why_how_long_and_rights(festival, settings):
    settings.RETENTION_ORIGINALS_DAYS = 200
    settings.RETENTION_CONSENTS_DAYS = 90
    festival.organizing_body = "UIMM Franche-Comté"
    festival.contact_email = "contact@filmit.example"
    festival.save()

    html = page(festival_privacy(festival))

    for expected in [
        "<h1>Données personnelles</h1>",
        "Le responsable du traitement est UIMM Franche-Comté, qui organise FILM'IT Franche-Comté.",
        "jamais par leur nom de famille",
        "sans cookie et sans service tiers",
        "article 6-1-a du RGPD",
        "Les vidéos originales sont supprimées 200 jours après la remise des prix",
        "supprimées 90 jours après la remise des prix",
        "retirer son autorisation de droit à l'image : le film publié est alors retiré",
        '<a href="mailto:contact@filmit.example">contact@filmit.example</a>',
        "réclamation à la Commission nationale de l'informatique et des libertés (CNIL)",
    ]:
        assert expected in html


def test_default_page_gives_the_current_edition_dates(festival, edition, settings):
    settings.RETENTION_ORIGINALS_DAYS = 365

    html = page(festival_privacy(festival))

    assert f"Pour {edition.title} (remise des prix le" in html


def test_organizers_texts_replace_the_defaults(festival, texts):
    html = page(festival_privacy(festival))

    assert "<p>UIMM Franche-Comté, 5 rue de la Forge, 25000 Besançon</p>" in html
    assert "Le responsable du traitement est" not in html
    assert '<a href="mailto:rgpd@uimm-fc.example">rgpd@uimm-fc.example</a>' in html
    assert "<p>UIMM Franche-Comté<br>Service RGPD<br>25000 Besançon</p>" in html
    assert "<p>Mme Durand, dpo@uimm-fc.example</p>" in html
    assert "<p>Premier paragraphe.</p>\n\n<p>Second paragraphe.</p>" in html


def test_legal_notice_with_the_organizers_texts(festival, texts):
    html = page(festival_legal(festival))

    assert "<h1>Mentions légales</h1>" in html
    assert "<p>UIMM Franche-Comté, SIRET 123 456 789 00012</p>" in html
    assert "<p>Jean Martin</p>" in html
    assert "<p>Hébergeur Exemple SAS, 1 rue du Serveur, 75000 Paris</p>" in html
    assert "<p>Crédits : l'équipe du festival.</p>" in html
    assert f'href="{festival_privacy(festival)}"' in html


def test_default_legal_notice(festival):
    html = page(festival_legal(festival))

    assert "Le site est édité par FILM'IT Franche-Comté." in html
    assert "L'hébergeur n'est pas encore indiqué par l'organisation du festival." in html


def test_organizers_text_is_escaped(festival, organizer):
    FestivalLegalTexts.objects.create(
        festival=festival,
        data_controller='<script>alert("x")</script>',
        publication_director="<b>Jean</b>",
    )

    privacy = Client().get(festival_privacy(festival)).content.decode()
    legal = Client().get(festival_legal(festival)).content.decode()

    assert "<script>alert" not in privacy
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in privacy
    assert "<b>Jean</b>" not in legal
    assert "&lt;b&gt;Jean&lt;/b&gt;" in legal


def test_the_installation_pages_show_its_only_festival(festival, texts):
    assert "<p>Jean Martin</p>" in page(LEGAL)
    assert "rgpd@uimm-fc.example" in page(PRIVACY)


def test_with_several_festivals_the_installation_pages_use_the_defaults(festival, texts):
    factories.make_festival(name="FILM'IT Grand Est", slug="filmit-ge")

    html = page(PRIVACY)

    assert "rgpd@uimm-fc.example" not in html
    assert "Le responsable du traitement est FILM'IT, qui organise FILM'IT." in html


def test_each_festival_has_its_own_texts(festival, texts):
    other = factories.make_festival(name="FILM'IT Grand Est", slug="filmit-ge")

    html = page(festival_privacy(other))

    assert "rgpd@uimm-fc.example" not in html
    assert "FILM'IT Grand Est" in html


def test_unknown_festival_is_a_404(db):
    assert Client().get("/festivals/inconnu/donnees-personnelles/").status_code == 404
    assert Client().get("/festivals/inconnu/mentions-legales/").status_code == 404


def test_public_urls_keep_their_french_slugs(festival):
    assert (PRIVACY, LEGAL) == ("/donnees-personnelles/", "/mentions-legales/")
    assert festival_privacy(festival) == "/festivals/filmit-fc/donnees-personnelles/"
    assert festival_legal(festival) == "/festivals/filmit-fc/mentions-legales/"


# The footer of every page links to them.


def test_footer_links_on_a_public_page(festival):
    html = page(reverse("public:festival", args=[festival.slug]))

    assert f'<a href="{festival_privacy(festival)}">Données personnelles</a>' in html
    assert f'<a href="{festival_legal(festival)}">Mentions légales</a>' in html


def test_footer_links_without_a_festival(db):
    html = page(reverse("festival:login"))

    assert f'<a href="{PRIVACY}">Données personnelles</a>' in html
    assert f'<a href="{LEGAL}">Mentions légales</a>' in html


@pytest.mark.parametrize("who", ["teacher", "organizer"])
def test_footer_links_on_signed_in_pages(who, festival, request):
    # A second festival: the pages belong to the installation, not to one festival.
    factories.make_festival(name="FILM'IT Grand Est", slug="filmit-ge")
    user = request.getfixturevalue(who)
    url = reverse(
        "festival:teacher_dashboard" if who == "teacher" else "festival:organizer_dashboard"
    )

    html = page(url, login(Client(), user))

    assert f'<a href="{PRIVACY}">Données personnelles</a>' in html


def test_the_pages_in_english(festival):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    privacy = page(festival_privacy(festival), client)
    legal = page(festival_legal(festival), client)

    assert "<h1>Personal data</h1>" in privacy
    assert "How long?" in privacy
    assert "complaint" in privacy
    assert "<h1>Legal notice</h1>" in legal
    assert '">Personal data</a>' in legal
