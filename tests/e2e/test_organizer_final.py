"""A regional festival offers its winner to a national final and withdraws the offer, in
Chromium; every page of the finals and of the organizers' privacy tools read by each role at
desktop and phone widths: no serious axe violation, no sideways scroll on a phone."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from festival.domain.transfers import accept_transfer, offer_film
from festival.models import FilmTransfer, TransferState
from tests import factories
from tests.e2e.conftest import log_in
from tests.e2e.test_crawl import AXE, AXE_URL
from tests.e2e.test_structure_signup import serious_violations
from tests.festival.factories_transfer import make_journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("FILMIT_SCREENSHOTS")


def check(page, name):
    """axe at both widths (and no sideways scroll on a phone), then a picture of each width."""
    page.wait_for_load_state()
    assert serious_violations(page) == [], name
    if SCREENSHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def journey(page, live_server):
    page.route(f"{live_server.url}{AXE_URL}", lambda route: route.fulfill(path=AXE))
    return make_journey(media=False)


def test_the_region_offers_its_winner_then_withdraws_the_offer(page, journey):
    title = journey.film.title
    log_in(page, journey.region_organizer.email, factories.PASSWORD)
    page.goto("/organisation/finales/")
    check(page, "finales-region")
    page.get_by_role("link", name=f"Proposer « {title} » à une finale").click()
    page.get_by_label("FILM'IT — Finale nationale — Finale nationale 2027").check()
    page.get_by_label("Message à l'organisation").fill("Le coup de cœur de notre jury.")
    check(page, "finales-offre")
    page.get_by_role("button", name="Continuer").click()
    check(page, "finales-offre-verification")
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text("En attente de sa réponse")).to_be_visible()
    check(page, "finales-region-envoye")

    page.get_by_role("button", name=f"Retirer l'offre de « {title} »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retirer l'offre ?")
    check(page, "finales-retrait-verification")
    page.get_by_role("button", name="Retirer l'offre").click()

    date = timezone.localdate().strftime("%d/%m/%Y")
    expect(page.get_by_text(f"Offre retirée le {date}")).to_be_visible()
    expect(page.get_by_role("button", name=f"Retirer l'offre de « {title} »")).to_have_count(0)
    assert FilmTransfer.objects.get().state == TransferState.WITHDRAWN
    check(page, "finales-region-retire")

    # The final has nothing left to decide.
    page.context.clear_cookies()
    log_in(page, journey.final_organizer.email, factories.PASSWORD)
    page.goto("/organisation/finales/")
    expect(page.get_by_text("Aucune proposition n'attend votre réponse.")).to_be_visible()


def test_each_role_reads_the_finals_and_privacy_pages(page, journey):
    transfer = offer_film(
        film=journey.film,
        target_edition=journey.final_edition,
        user=journey.region_organizer,
        message="Le coup de cœur de notre jury.",
    )
    log_in(page, journey.final_organizer.email, factories.PASSWORD)
    page.goto("/organisation/finales/")
    check(page, "finales-accueil")
    page.goto(f"/organisation/finales/propositions/{transfer.pk}/")
    check(page, "finales-proposition")
    page.get_by_role("link", name="Accepter le film").click()
    check(page, "finales-accepter")
    page.get_by_label(journey.final_category.name).check()
    page.get_by_role("button", name="Continuer").click()
    check(page, "finales-accepter-verification")
    page.goto(f"/organisation/finales/propositions/{transfer.pk}/decliner/")
    check(page, "finales-decliner")

    forwarded = accept_transfer(
        transfer=transfer, user=journey.final_organizer, category=journey.final_category
    )
    page.context.clear_cookies()
    log_in(page, journey.teacher.email, factories.PASSWORD)
    page.goto(f"/enseignant/films/{forwarded.pk}/")
    check(page, "finales-enseignant")

    page.context.clear_cookies()
    log_in(page, journey.region_organizer.email, factories.PASSWORD)
    page.goto("/organisation/festival/donnees-personnelles/")
    check(page, "textes-legaux")
    page.get_by_role("button", name="Prévisualiser").click()
    check(page, "textes-legaux-apercu")
    page.goto(f"/organisation/etablissements/{journey.film.school_id}/effacement/")
    check(page, "effacement")
    page.get_by_label("Qui a fait la demande ?").fill("La principale, Mme Durand")
    page.get_by_label("Date de la demande").fill(timezone.localdate().isoformat())
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Continuer").click()
    check(page, "effacement-verification")
