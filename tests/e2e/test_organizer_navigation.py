"""The organizers' menu in Debian's Chromium: on a phone it opens, every entry is reachable by
keyboard and by touch, and no page scrolls sideways; on a wide screen it is open."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import log_in
from tests.judging.test_awards import make_scored_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ENTRIES = [
    "Tableau de bord",
    "Films",
    "Enseignants",
    "Éditions",
    "Jurys",
    "Classement",
    "Palmarès",
    "Invitations",
]
SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def screenshot(page, name):
    """Pictures for a human to look at, when FILMIT_SCREENSHOTS names a folder."""
    folder = os.environ.get("FILMIT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def organizer(transactional_db):
    festival = factories.make_festival(name="FILM'IT Franche-Comté")
    edition = factories.make_edition(festival, title="FILM'IT 2027")
    factories.make_edition(festival, is_current=False, year=2026, title="FILM'IT 2026")
    category = factories.make_category(edition, name="Lycée", slug="lycee")
    make_scored_category(edition, category)
    return factories.make_organizer(festival, first_name="Sophie", last_name="Morel")


def menu(page):
    return page.get_by_role("navigation", name="Organisation du festival")


def test_on_a_phone_the_menu_opens_and_every_entry_is_reachable(page, organizer):
    page.set_viewport_size(PHONE)
    log_in(page, organizer.email, factories.PASSWORD)
    page.goto("/organisation/")
    summary = page.locator(".org-menu > summary")
    expect(summary).to_be_visible()
    expect(menu(page).get_by_role("link", name="Films")).to_be_hidden()
    assert page.evaluate(SIDEWAYS)
    screenshot(page, "phone-menu-closed")

    # By keyboard: the summary takes the focus and Enter opens the menu.
    summary.focus()
    page.keyboard.press("Enter")
    for name in ENTRIES:
        expect(menu(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    assert page.evaluate(SIDEWAYS)
    screenshot(page, "phone-menu-open")

    # Every entry opens its page, which marks its section and does not scroll sideways.
    for name in ENTRIES:
        summary = page.locator(".org-menu > summary")
        if not page.locator(".org-menu").evaluate("details => details.open"):
            summary.click()
        menu(page).get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.evaluate(SIDEWAYS), f"{name}: {page.url} scrolls sideways"
        summary = page.locator(".org-menu > summary")
        summary.click()
        current = menu(page).locator('a[aria-current="true"]')
        expect(current).to_have_text(name)
        summary.click()
        screenshot(page, f"phone-{name}")


def test_on_a_phone_the_results_pages_do_not_scroll_sideways(page, organizer):
    page.set_viewport_size(PHONE)
    log_in(page, organizer.email, factories.PASSWORD)
    page.goto("/organisation/")
    page.locator(".org-menu > summary").click()
    menu(page).get_by_role("link", name="Classement").click()
    subnav = page.get_by_role("navigation", name="Classement et palmarès")
    for name in (
        "Classement",
        "Explications par film",
        "Accord des jurés",
        "Prix",
        "Aperçu",
        "Publication",
        "Prix du public",
    ):
        subnav = page.get_by_role("navigation", name="Classement et palmarès")
        subnav.get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        expect(subnav.locator('a[aria-current="page"]')).to_have_text(name)
        assert page.evaluate(SIDEWAYS), f"{name}: {page.url} scrolls sideways"
        screenshot(page, f"phone-results-{name}")
    page.goto(page.url.replace("/apercu/", "/prix/").replace("/prix-du-public/", "/prix/"))
    expect(page.get_by_role("heading", name="Lycée")).to_be_visible()
    assert page.evaluate(SIDEWAYS)
    screenshot(page, "phone-prizes-form")


def test_on_a_wide_screen_the_menu_is_open(page, organizer):
    page.set_viewport_size(DESKTOP)
    log_in(page, organizer.email, factories.PASSWORD)
    page.goto("/organisation/")
    expect(page.locator(".org-menu > summary")).to_be_hidden()
    for name in ENTRIES:
        expect(menu(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(menu(page).locator('a[aria-current="true"]')).to_have_text("Tableau de bord")
    # One click on another edition shows it.
    page.get_by_role("navigation", name="Éditions").get_by_role("link", name="FILM'IT 2026").click()
    expect(page.get_by_role("heading", name="FILM'IT 2026")).to_be_visible()
    screenshot(page, "desktop-dashboard")
    menu(page).get_by_role("link", name="Classement").click()
    screenshot(page, "desktop-ranking")
    page.get_by_role("link", name="Accord des jurés").click()
    screenshot(page, "desktop-agreement")
