"""End-to-end tests in Debian's Chromium, driven by Playwright against a live server."""

import pytest


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_when_idle(context)


def close_when_idle(context):
    """Close a browser context once its pages have no request in flight: a draft still being
    saved by the live server would otherwise hold its rows while the test database is flushed
    (a deadlock on PostgreSQL)."""
    for open_page in context.pages:
        open_page.wait_for_load_state("networkidle")
    context.close()


def log_in(page, email, password):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
