"""An organizer (not staff) sets an edition up in a real Chromium, without the Django admin."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from festival.models import Edition
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the phone-width screenshot is kept for a person to look at (layout review).
SCREENSHOTS = Path(os.environ.get("FILMIT_SCREENSHOTS", "var/screenshots"))


def test_organizer_creates_an_edition_and_its_categories(page, browser, live_server):
    festival = factories.make_festival(name="FILM'IT Franche-Comté", slug="filmit-fc")
    current = factories.make_edition(festival, year=2030, title="FILM'IT 2030")
    organizer = factories.make_organizer(festival, first_name="Sophie", last_name="Morel")
    assert (organizer.is_staff, organizer.is_superuser) == (False, False)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, organizer.email, factories.PASSWORD)
    page.goto("/organisation/editions/")
    page.get_by_role("link", name="Créer une édition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle édition")

    page.get_by_label("Titre").fill("FILM'IT 2031")
    page.get_by_label("Année").fill("2031")
    page.get_by_label("Thème").fill("L'usine du futur")
    page.get_by_label("Ouverture des dépôts").fill("2030-10-01T09:00")
    page.get_by_label("Clôture des dépôts").fill("2030-09-01T09:00")  # before it opens
    page.get_by_label("Début de l'évaluation").fill("2031-03-20T09:00")
    page.get_by_label("Fin de l'évaluation").fill("2031-04-20T18:00")
    page.get_by_label("Délibération").fill("2031-04-25T14:00")
    page.get_by_label("Remise des prix").fill("2031-05-20T18:00")
    page.get_by_role("button", name="Créer l'édition").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("L'édition n'est pas enregistrée")
    summary.get_by_role("link", name="Clôture des dépôts").click()
    expect(page.get_by_label("Clôture des dépôts")).to_be_focused()
    page.get_by_label("Clôture des dépôts").fill("2031-03-15T18:00")
    page.get_by_label("Édition en cours").check()
    page.get_by_role("button", name="Créer l'édition").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("FILM'IT 2031")
    expect(page.locator(".message.success")).to_contain_text("Ajoutez maintenant ses catégories")

    for name, audience in (("Collège", "De la 6e à la 3e"), ("Lycée", "Lycées généraux et pros")):
        page.get_by_role("link", name="Ajouter une catégorie").first.click()
        page.get_by_label("Nom").fill(name)
        page.get_by_label("Public et description").fill(audience)
        page.get_by_role("button", name="Ajouter la catégorie").click()
        expect(page.locator(".message.success")).to_contain_text(name)

    categories = page.get_by_role("region", name="Catégories")
    expect(categories.get_by_role("row")).to_have_count(3)

    edition = Edition.objects.get(festival=festival, year=2031)
    current.refresh_from_db()
    assert (edition.is_current, current.is_current) == (True, False)
    assert list(edition.categories.values_list("name", "slug", "position")) == [
        ("Collège", "college", 1),
        ("Lycée", "lycee", 2),
    ]

    # The same page at phone width: kept as a picture for a layout review.
    phone = browser.new_context(
        locale="fr-FR", base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    phone.add_cookies(page.context.cookies())
    phone_page = phone.new_page()
    phone_page.goto(f"/organisation/editions/{edition.pk}/")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("FILM'IT 2031")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone_page.screenshot(path=SCREENSHOTS / "organizer-edition-390.png", full_page=True)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    phone.close()
