"""The organizers' page for their festival's personal-data page and legal notice."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from festival.models import FestivalLegalTexts
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

URL = reverse("festival:organizer_legal_texts")

DATA = {
    "data_controller": "UIMM Franche-Comté",
    "rights_email": "rgpd@uimm-fc.example",
    "rights_postal_address": "",
    "dpo_contact": "",
    "hosting_provider": "Hébergeur Exemple SAS",
    "publication_director": "Jean Martin",
    "publisher": "",
    "privacy_extra": "<em>Ligne un</em>\n\nLigne deux",
    "legal_extra": "",
}


def test_the_page_shows_the_form_and_links_to_the_public_pages(organizer_client, festival):
    response = organizer_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Données personnelles et mentions légales</h1>" in unescape(html)
    assert reverse("public:festival_privacy", args=[festival.slug]) in html
    assert response.context["menu_section"] == "edition"


def test_saving_the_texts(organizer_client, organizer, festival):
    response = organizer_client.post(URL, DATA)

    assert response.status_code == 302
    texts = FestivalLegalTexts.objects.get(festival=festival)
    assert (texts.data_controller, texts.rights_email, texts.updated_by) == (
        "UIMM Franche-Comté",
        "rgpd@uimm-fc.example",
        organizer,
    )
    # Saved again: the same row.
    organizer_client.post(URL, {**DATA, "publication_director": "Anne Petit"})
    assert FestivalLegalTexts.objects.get().publication_director == "Anne Petit"


def test_preview_shows_the_pages_and_saves_nothing(organizer_client, festival):
    response = organizer_client.post(URL, {**DATA, "preview": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert FestivalLegalTexts.objects.count() == 0
    assert "Aperçu (non enregistré)" in unescape(html)
    assert "<p>UIMM Franche-Comté</p>" in html
    # Plain text: what looks like HTML is shown, never interpreted.
    assert "<p>&lt;em&gt;Ligne un&lt;/em&gt;</p>\n\n<p>Ligne deux</p>" in html
    assert "<p>Jean Martin</p>" in html


def test_an_invalid_email_is_reported(organizer_client):
    response = organizer_client.post(URL, {**DATA, "rights_email": "pas une adresse"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["rights_email"]
    assert FestivalLegalTexts.objects.count() == 0


def test_each_organizer_writes_their_own_festival(client, festival):
    other = factories.make_festival(name="FILM'IT Grand Est", slug="filmit-ge")
    login(client, factories.make_organizer(other, festivals=[other]))

    client.post(URL, DATA)

    assert list(FestivalLegalTexts.objects.values_list("festival", flat=True)) == [other.pk]


@pytest.mark.parametrize("who", ["teacher", "juror"])
def test_others_may_not_edit(who, request):
    client = login(Client(), request.getfixturevalue(who))

    assert client.get(URL).status_code == 404
    assert client.post(URL, DATA).status_code == 404
    assert FestivalLegalTexts.objects.count() == 0


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.post(URL, DATA)

    assert response.status_code == 302
    assert response.url.startswith(reverse("festival:login"))
    assert FestivalLegalTexts.objects.count() == 0
