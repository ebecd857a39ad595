"""The installation's impact report, festival by festival, in Chromium: its tables scroll
sideways inside their box on a phone, never the page, and it passes axe at both widths."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import log_in
from tests.e2e.test_crawl import AXE, AXE_URL
from tests.e2e.test_structure_signup import serious_violations
from tests.public.test_impact import build_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set to a folder to keep the page's screenshots (desktop and phone) for a look.
SHOTS = os.environ.get("FILMIT_SHOTS")


def test_the_operator_reads_each_festivals_figures(page, live_server):
    festival = factories.make_festival(name="FILM'IT Franche-Comté", slug="filmit-fc")
    build_edition(festival, 2025, films=3)
    build_edition(festival, 2026, films=2)
    final = factories.make_festival(name="FILM'IT — Finale nationale", slug="finale")
    build_edition(final, 2026, films=1)
    operator = factories.make_user(is_superuser=True, is_staff=True)
    page.route(f"{live_server.url}{AXE_URL}", lambda route: route.fulfill(path=AXE))
    log_in(page, operator.email, factories.PASSWORD)

    page.goto("/organisation/bilan/plateforme/")

    expect(page.get_by_role("heading", name="Par festival")).to_be_visible()
    latest = page.get_by_role("table", name="Par festival")
    expect(latest.get_by_role("row")).to_have_count(3)
    expect(page.get_by_role("heading", name="FILM'IT — Finale nationale")).to_be_visible()
    editions = page.get_by_role("table", name="FILM'IT Franche-Comté")
    expect(editions.get_by_role("rowheader")).to_have_text(["2026", "2025"])
    assert serious_violations(page) == []  # the phone's width too, without sideways scrolling
    if SHOTS:
        for name, width in (("desktop", 1280), ("phone", 390)):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(SHOTS) / f"platform-{name}.png"), full_page=True)
