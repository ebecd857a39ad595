"""An invited guest answers on a phone: the link from the email, a count out of bounds refused
beside its field, then the confirmation with the agenda file; accessible, no sideways scroll."""

import pytest
from playwright.sync_api import expect

from festival.domain.ceremony import save_ceremony
from judging.domain.ceremony_invitations import Guest, add_guests
from judging.models_ceremony import Answer, CeremonyInvitation
from tests.e2e.conftest import close_when_idle
from tests.e2e.test_crawl import AXE, AXE_RUN, AXE_URL, SIDEWAYS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def invitation(edition, organizer):
    save_ceremony(
        edition=edition,
        organizer=organizer,
        ceremony_at=edition.ceremony_at,
        place="Théâtre Ledoux",
        address="49 rue Mégevand\n25000 Besançon",
    )
    add_guests(
        edition=edition,
        organizer=organizer,
        guests=[Guest("Mme la Maire", "maire@besancon.example", "Ville de Besançon")],
    )
    return CeremonyInvitation.objects.get()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
    context.route(f"{live_server.url}{AXE_URL}", lambda route: route.fulfill(path=AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_when_idle(context)


def check_page(page):
    page.add_script_tag(url=AXE_URL)
    assert page.evaluate(AXE_RUN) == []
    assert page.evaluate(SIDEWAYS) <= 0


def test_a_guest_answers_on_a_phone(phone, invitation):
    phone.goto(f"/remise-des-prix/reponse/{invitation.token}/")
    expect(phone.get_by_text("Théâtre Ledoux")).to_be_visible()
    check_page(phone)

    phone.get_by_label("Oui, je viens").check()
    people = phone.get_by_label("Combien serez-vous, vous compris ?")
    people.fill("8")
    phone.get_by_role("button", name="Envoyer ma réponse").click()
    expect(phone.get_by_role("alert")).to_contain_text(
        "Indiquez un nombre de personnes entre 1 et 5."
    )
    check_page(phone)

    people.fill("2")
    phone.get_by_role("button", name="Envoyer ma réponse").click()
    expect(phone.get_by_role("heading", name="Réponse enregistrée")).to_be_visible()
    expect(phone.get_by_text("Nous vous attendons : 2 personnes.")).to_be_visible()
    expect(phone.get_by_role("link", name="Ajouter à mon agenda")).to_be_visible()
    check_page(phone)
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.people) == (Answer.YES, 2)
