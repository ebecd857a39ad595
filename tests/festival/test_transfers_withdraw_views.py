"""Withdrawing an offer from the organizers' "Finales" page: a check page, then the withdrawal."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from festival.domain.transfers import accept_transfer, offer_film
from festival.models import FilmTransfer, TransferState
from tests import factories
from tests.festival.factories_transfer import make_journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    return make_journey(media=False)


def _offer(journey):
    return offer_film(
        film=journey.film, target_edition=journey.final_edition, user=journey.region_organizer
    )


def _url(transfer):
    return reverse("festival:organizer_transfer_withdraw", args=[transfer.pk])


def test_the_region_checks_then_withdraws_and_both_sides_see_it(
    journey, client, django_capture_on_commit_callbacks
):
    transfer = _offer(journey)
    client.force_login(journey.region_organizer)
    listing = client.get(reverse("festival:organizer_transfers")).content.decode()
    assert f'action="{_url(transfer)}"' in listing

    check = client.post(_url(transfer))
    content = check.content.decode()
    assert check.status_code == 200
    assert "<h1>Retirer l'offre ?</h1>" in content
    assert "Ce qui va se passer" in content
    assert FilmTransfer.objects.get().state == TransferState.OFFERED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(transfer), {"confirm": "1"}, follow=True)
    assert response.redirect_chain == [(reverse("festival:organizer_transfers"), 302)]
    transfer.refresh_from_db()
    assert transfer.state == TransferState.WITHDRAWN
    page = response.content.decode()
    assert "est retirée" in page
    assert f"Offre retirée le {transfer.withdrawn_at:%d/%m/%Y}" in page
    assert f'action="{_url(transfer)}"' not in page
    assert [m.to for m in mail.outbox] == [[journey.final_organizer.email]]

    # The final has nothing left to decide; the offer reads as withdrawn.
    client.force_login(journey.final_organizer)
    listing = client.get(reverse("festival:organizer_transfers")).content.decode()
    assert "Aucune proposition n'attend votre réponse." in listing
    detail = client.get(reverse("festival:organizer_transfer", args=[transfer.pk]))
    assert "a retiré son offre le" in detail.content.decode()
    assert reverse("festival:organizer_transfer_accept", args=[transfer.pk]) not in (
        detail.content.decode()
    )
    accept = client.get(reverse("festival:organizer_transfer_accept", args=[transfer.pk]))
    assert accept["Location"] == reverse("festival:organizer_transfer", args=[transfer.pk])


def test_withdrawing_an_offer_accepted_meanwhile_changes_nothing(journey, client):
    transfer = _offer(journey)
    accept_transfer(
        transfer=transfer, user=journey.final_organizer, category=journey.final_category
    )
    client.force_login(journey.region_organizer)
    for data in ({}, {"confirm": "1"}):
        response = client.post(_url(transfer), data, follow=True)
        assert response.redirect_chain == [(reverse("festival:organizer_transfers"), 302)]
        assert "ne peut plus être retirée" in response.content.decode()
    assert FilmTransfer.objects.get().state == TransferState.ACCEPTED


def test_the_withdrawal_is_post_only(journey, client):
    transfer = _offer(journey)
    client.force_login(journey.region_organizer)
    assert client.get(_url(transfer)).status_code == 405
    assert FilmTransfer.objects.get().state == TransferState.OFFERED


@pytest.mark.parametrize("who", ["final", "stranger", "teacher", "juror", "anonymous"])
def test_only_the_offering_organizers_withdraw(journey, client, who):
    transfer = _offer(journey)
    user = {
        "final": journey.final_organizer,
        "stranger": factories.make_organizer(factories.make_festival()),
        "teacher": journey.teacher,
        "juror": factories.make_juror(journey.region),
        "anonymous": None,
    }[who]
    if user is not None:
        client.force_login(user)
    for data in ({}, {"confirm": "1"}):
        response = client.post(_url(transfer), data)
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("festival:login"))
        else:
            assert response.status_code == 404
    assert FilmTransfer.objects.get().state == TransferState.OFFERED


def test_after_a_withdrawal_the_winner_is_offered_again(journey, client):
    transfer = _offer(journey)
    client.force_login(journey.region_organizer)
    client.post(_url(transfer), {"confirm": "1"})
    url = reverse("festival:organizer_transfer_offer", args=[journey.film.pk])
    answers = {"edition": journey.final_edition.pk, "message": "", "confirm": "1"}
    assert client.post(url, answers).status_code == 302
    assert [t.state for t in FilmTransfer.objects.order_by("pk")] == [
        TransferState.WITHDRAWN,
        TransferState.OFFERED,
    ]
    listing = client.get(reverse("festival:organizer_transfers")).content.decode()
    assert listing.count(escape(journey.film.title)) >= 2
