"""The ceremony page: written by the organizers (its date is the edition's), hidden from the
public until opened, then linked from the festival's home and placed in the calendar file."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from festival.domain import DomainError
from festival.domain.ceremony import close_ceremony, open_ceremony, save_ceremony
from festival.models import Ceremony
from tests import factories
from tests.conftest import login

PLACE = {
    "place": "Théâtre Ledoux",
    "address": "1 place du Théâtre\n25000 Besançon",
    "programme": "18 h : accueil\n18 h 30 : palmarès",
    "transport": "Tram 1, arrêt Révolution",
    "parking": "Parking Marché-Beaux-Arts",
    "accessibility": "Salle de plain-pied, boucle magnétique",
}


def form_data(edition, **changes):
    when = timezone.localtime(edition.ceremony_at).strftime("%Y-%m-%dT%H:%M")
    return {"ceremony_at": when, **PLACE, **changes}


@pytest.fixture
def ceremony(edition, organizer):
    return save_ceremony(
        edition=edition, organizer=organizer, ceremony_at=edition.ceremony_at, **PLACE
    )


def test_the_organizer_writes_the_page_and_moves_the_date(organizer_client, edition):
    url = reverse("festival:organizer_edition_ceremony", args=[edition.pk])
    assert organizer_client.get(url).status_code == 200
    later = timezone.localtime(edition.ceremony_at + timedelta(days=1)).replace(
        second=0, microsecond=0
    )
    response = organizer_client.post(
        url, form_data(edition, ceremony_at=later.strftime("%Y-%m-%dT%H:%M"))
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.ceremony_at == later
    ceremony = Ceremony.objects.get(edition=edition)
    assert (ceremony.place, ceremony.opened_at) == ("Théâtre Ledoux", None)


def test_a_date_before_the_deliberation_is_refused_beside_its_field(organizer_client, edition):
    before = timezone.localtime(edition.deliberation_at - timedelta(days=1))
    url = reverse("festival:organizer_edition_ceremony", args=[edition.pk])
    response = organizer_client.post(
        url, form_data(edition, ceremony_at=before.strftime("%Y-%m-%dT%H:%M"))
    )
    assert response.status_code == 200
    assert "Cette date doit être le même jour ou après la date" in response.text
    assert not Ceremony.objects.exists()


def test_the_public_page_is_a_404_until_opened(client, edition, ceremony, organizer):
    url = reverse("public:ceremony", args=[edition.festival.slug, edition.year])
    assert client.get(url).status_code == 404
    home = reverse("public:festival", args=[edition.festival.slug])
    assert url not in client.get(home).text

    open_ceremony(ceremony=ceremony, organizer=organizer)
    response = client.get(url)
    assert response.status_code == 200
    for text in ("Théâtre Ledoux", "25000 Besançon", "Tram 1", "boucle magnétique"):
        assert text in response.text
    assert url in client.get(home).text

    close_ceremony(ceremony=ceremony, organizer=organizer)
    assert client.get(url).status_code == 404


def test_opening_twice_is_refused(ceremony, organizer):
    open_ceremony(ceremony=ceremony, organizer=organizer)
    with pytest.raises(DomainError):
        open_ceremony(ceremony=ceremony, organizer=organizer)


def test_open_and_close_buttons(organizer_client, edition, ceremony):
    organizer_client.post(reverse("festival:organizer_edition_ceremony_open", args=[edition.pk]))
    ceremony.refresh_from_db()
    assert ceremony.is_open
    organizer_client.post(reverse("festival:organizer_edition_ceremony_close", args=[edition.pk]))
    ceremony.refresh_from_db()
    assert not ceremony.is_open


def test_opening_before_writing_the_page_says_what_to_do(organizer_client, edition):
    response = organizer_client.post(
        reverse("festival:organizer_edition_ceremony_open", args=[edition.pk]), follow=True
    )
    assert "Enregistrez d&#x27;abord le lieu" in response.text
    assert not Ceremony.objects.exists()


def test_the_calendar_file_places_the_open_ceremony(client, edition, ceremony, organizer):
    url = reverse("public:edition_calendar", args=[edition.festival.slug, edition.year])
    assert "LOCATION" not in client.get(url).content.decode()
    open_ceremony(ceremony=ceremony, organizer=organizer)
    text = client.get(url).content.decode().replace("\r\n ", "")
    page = reverse("public:ceremony", args=[edition.festival.slug, edition.year])
    assert "LOCATION:Théâtre Ledoux\\, 1 place du Théâtre\\, 25000 Besançon" in text
    assert f"URL:http://testserver{page}" in text


@pytest.mark.parametrize("name", ["organizer_edition_ceremony", "organizer_edition_ceremony_open"])
def test_strangers_get_a_404(client, edition, name, other_organizer, teacher):
    url = reverse(f"festival:{name}", args=[edition.pk])
    for user in (other_organizer, teacher):
        login(client, user)
        assert client.post(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_another_festivals_edition_is_a_404(organizer_client):
    other = factories.make_edition(factories.make_festival())
    url = reverse("festival:organizer_edition_ceremony", args=[other.pk])
    assert organizer_client.get(url).status_code == 404
