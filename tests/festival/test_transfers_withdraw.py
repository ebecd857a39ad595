"""festival.domain.transfers.withdraw_transfer: the offering festival takes back its offer
while the final has not decided."""

import pytest
from django.core import mail

from festival.domain import DomainError
from festival.domain.transfers import (
    accept_transfer,
    decline_transfer,
    offer_film,
    withdraw_transfer,
)
from festival.history import transfer_history
from festival.models import Film, FilmTransfer, TransferState
from tests import factories
from tests.festival.factories_transfer import make_journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    return make_journey(media=False)


def _offer(journey, edition=None):
    return offer_film(
        film=journey.film,
        target_edition=edition or journey.final_edition,
        user=journey.region_organizer,
    )


def test_the_region_withdraws_its_offer_and_the_final_is_told(
    journey, django_capture_on_commit_callbacks
):
    transfer = _offer(journey)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_transfer(transfer=transfer, user=journey.region_organizer)

    transfer.refresh_from_db()
    assert (transfer.state, transfer.withdrawn_by, transfer.decided_by) == (
        TransferState.WITHDRAWN,
        journey.region_organizer,
        None,
    )
    assert transfer.closed_at == transfer.withdrawn_at
    assert [m.to for m in mail.outbox] == [[journey.final_organizer.email]]
    assert mail.outbox[0].subject == (
        f"FILM'IT : FILM'IT Franche-Comté a retiré sa proposition de « {journey.film.title} »"
    )
    assert "/organisation/finales/" in mail.outbox[0].body
    assert Film.objects.filter(forwarded_from=journey.film).count() == 0
    texts = [line.text for line in transfer_history(journey.film)]
    assert texts == [
        "Proposé à l'édition « FILM'IT — Finale nationale — Finale nationale 2027 »",
        "Offre à l'édition « FILM'IT — Finale nationale — Finale nationale 2027 » retirée",
    ]
    # The teacher was never told of the offer: nothing to read about its withdrawal either.
    assert transfer_history(journey.film, for_teacher=True) == []


def test_the_final_is_written_to_in_each_organizers_language(
    journey, django_capture_on_commit_callbacks
):
    english = factories.make_organizer(journey.final, language="en")
    transfer = _offer(journey)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_transfer(transfer=transfer, user=journey.region_organizer)

    by_address = {tuple(m.to): (m.subject, m.body.split("\n")[0]) for m in mail.outbox}
    title = journey.film.title
    assert by_address == {
        (english.email,): (
            f"FILM'IT: FILM'IT Franche-Comté has withdrawn its offer of “{title}”",
            "Hello,",
        ),
        (journey.final_organizer.email,): (
            f"FILM'IT : FILM'IT Franche-Comté a retiré sa proposition de « {title} »",
            "Bonjour,",
        ),
    }


def test_only_the_films_organizers_withdraw(journey):
    transfer = _offer(journey)
    strangers = [
        journey.final_organizer,
        factories.make_organizer(factories.make_festival()),
        journey.teacher,
    ]
    for user in strangers:
        with pytest.raises(DomainError) as error:
            withdraw_transfer(transfer=transfer, user=user)
        assert error.value.code == "not_allowed"
    transfer.refresh_from_db()
    assert transfer.state == TransferState.OFFERED


def test_an_offer_accepted_a_moment_ago_stays_accepted(journey, django_capture_on_commit_callbacks):
    # The region's page was read before the final accepted: its copy still says "offered".
    seen_by_region = _offer(journey)
    accept_transfer(
        transfer=FilmTransfer.objects.get(pk=seen_by_region.pk),
        user=journey.final_organizer,
        category=journey.final_category,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError) as error:
            withdraw_transfer(transfer=seen_by_region, user=journey.region_organizer)

    assert error.value.code == "decided"
    assert error.value.messages == [
        "Cette proposition ne peut plus être retirée : elle a reçu une réponse entre-temps "
        "(« Accepté »)."
    ]
    transfer = FilmTransfer.objects.get()
    assert (transfer.state, transfer.withdrawn_at) == (TransferState.ACCEPTED, None)
    assert mail.outbox == []


def test_a_withdrawn_offer_can_no_longer_be_decided_nor_withdrawn_twice(journey):
    seen_by_final = _offer(journey)
    withdraw_transfer(
        transfer=FilmTransfer.objects.get(pk=seen_by_final.pk), user=journey.region_organizer
    )
    with pytest.raises(DomainError) as error:
        accept_transfer(
            transfer=seen_by_final, user=journey.final_organizer, category=journey.final_category
        )
    assert error.value.messages == [
        "L'organisation du festival d'origine a retiré cette proposition."
    ]
    with pytest.raises(DomainError) as error:
        decline_transfer(transfer=seen_by_final, user=journey.final_organizer, reason="Non.")
    assert error.value.code == "decided"
    with pytest.raises(DomainError) as error:
        withdraw_transfer(transfer=seen_by_final, user=journey.region_organizer)
    assert error.value.code == "withdrawn"
    assert FilmTransfer.objects.get().state == TransferState.WITHDRAWN
    assert Film.objects.filter(forwarded_from=journey.film).count() == 0


def test_after_a_withdrawal_the_film_is_offered_again(journey):
    other_final = factories.make_festival(name="Finale du Grand Est")
    other_edition = factories.make_edition(other_final, title="Finale Grand Est 2027")
    withdraw_transfer(transfer=_offer(journey), user=journey.region_organizer)

    again = _offer(journey)
    elsewhere = _offer(journey, edition=other_edition)
    assert [(t.target_edition, t.state) for t in FilmTransfer.objects.order_by("pk")] == [
        (journey.final_edition, TransferState.WITHDRAWN),
        (journey.final_edition, TransferState.OFFERED),
        (other_edition, TransferState.OFFERED),
    ]
    # The new offer is decided as any other.
    accept_transfer(transfer=again, user=journey.final_organizer, category=journey.final_category)
    assert elsewhere.state == TransferState.OFFERED
