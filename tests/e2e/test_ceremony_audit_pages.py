"""Pages an attacker's review changed: the ceremony's send page while the finalists are not
announced (the classes wait), and an answer link whose invitation is gone; at 1280 and 390 px,
accessible, no sideways scroll."""

import pytest
from playwright.sync_api import expect

from judging.domain.selection import choose_finalists
from tests import factories
from tests.e2e.conftest import close_when_idle, log_in
from tests.e2e.test_crawl import AXE, AXE_RUN, AXE_URL, SIDEWAYS
from tests.festival.factories_schooldata import school_world
from tests.judging.factories_selection import make_round, make_selection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(SIZES))
def screen(request, browser, live_server):
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, viewport=SIZES[request.param]
    )
    context.route(f"{live_server.url}{AXE_URL}", lambda route: route.fulfill(path=AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_when_idle(context)


def check_page(page):
    page.add_script_tag(url=AXE_URL)
    assert page.evaluate(AXE_RUN) == []
    assert page.evaluate(SIDEWAYS) <= 0


def test_the_send_page_says_the_finalists_wait_for_their_announcement(
    screen, edition, category, organizer
):
    selection = make_selection(
        edition, category, teachers=[factories.make_teacher() for _ in range(4)]
    )
    choose_finalists(selection_round=make_round(edition), films=selection.films[:2], user=organizer)
    log_in(screen, organizer.email, factories.PASSWORD)
    screen.goto(f"/jury/remise-des-prix/editions/{edition.pk}/envoyer/")
    expect(screen.get_by_text("Les finalistes ne sont pas encore annoncés")).to_be_visible()
    expect(screen.get_by_role("link", name="Présélection et finalistes")).to_be_visible()
    check_page(screen)


def test_a_link_whose_invitation_is_gone_says_what_to_do(screen):
    screen.goto("/remise-des-prix/reponse/" + "x" * 43 + "/")
    expect(
        screen.get_by_role("heading", name="Ce lien de réponse ne correspond à aucune invitation")
    ).to_be_visible()
    expect(screen.get_by_text("écrivez à l'organisation du festival")).to_be_visible()
    check_page(screen)


def test_the_erasure_check_page_lists_the_ceremony_invitations(screen):
    world = school_world()
    log_in(screen, world.organizer.email, factories.PASSWORD)
    screen.goto(f"/organisation/etablissements/{world.school.pk}/effacement/")
    screen.get_by_label("Qui a fait la demande ?").fill("Mme Martin, proviseure")
    screen.get_by_label("Date de la demande").fill("2026-12-01")
    screen.get_by_label("Non, tous ses films sont retirés").check()
    screen.get_by_role("button", name="Continuer").click()
    expect(
        screen.get_by_text("Les invitations de ses enseignants aux remises des prix du festival")
    ).to_be_visible()
    check_page(screen)
