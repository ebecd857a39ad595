"""A tutor of an école de la deuxième chance signs up with its SIRET, in Chromium: the choice
of path shows its own fields, and the page passes axe at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from festival.enums import ApprovalStatus, StructureKind
from festival.models import School, User
from tests import factories
from tests.e2e.test_crawl import AXE, AXE_RUN, AXE_URL, SIDEWAYS, WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tournage-en-atelier-2027"


def serious_violations(page) -> list:
    page.add_script_tag(url=AXE_URL)
    found = []
    for width in WIDTHS.values():
        page.set_viewport_size(width)
        found += [(v["id"], v["targets"]) for v in page.evaluate(AXE_RUN)]
        if width["width"] < 500:
            assert page.evaluate(SIDEWAYS) <= 1
    return found


def test_a_tutor_signs_up_a_structure_with_its_siret(page, live_server):
    festival = factories.make_festival(name="FILM'IT Franche-Comté", slug="filmit-fc")
    factories.make_organizer(festival)
    siret = factories.valid_siret(7_812_345_678)
    page.route(f"{live_server.url}{AXE_URL}", lambda route: route.fulfill(path=AXE))
    page.goto("/compte/inscription/")

    uai_group = page.locator('[data-shown-when="structure_type=uai"]')
    siret_group = page.locator('[data-shown-when="structure_type=siret"]')
    expect(uai_group).to_be_visible()
    expect(siret_group).to_be_hidden()
    assert serious_violations(page) == []

    page.get_by_label("Une autre structure").check()
    expect(uai_group).to_be_hidden()
    expect(siret_group).to_be_visible()
    page.get_by_label("Numéro SIRET de la structure").fill("123")
    page.get_by_label("Nom de la structure").fill("École de la deuxième chance du Doubs")
    page.get_by_label("Type de structure").select_option(StructureKind.E2C)
    siret_group.get_by_label("Commune").fill("Besançon")
    siret_group.get_by_label("Académie").select_option("besancon")
    page.get_by_label("Prénom").fill("Nadia")
    page.locator("#id_last_name").fill("Benali")
    page.get_by_label("Adresse e-mail").fill("nadia.benali@e2c.example")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Envoyer mon inscription").click()

    # Refused in French, the SIRET path still open with what was typed.
    expect(page.get_by_text("Le numéro SIRET doit comporter 14 chiffres.")).to_be_visible()
    # The page's script folds the other path once it has run.
    expect(uai_group).to_be_hidden()
    expect(siret_group).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_label("Numéro SIRET de la structure").fill(siret)
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Envoyer mon inscription").click()
    page.wait_for_url("**/compte/connexion/")

    tutor = User.objects.get(email="nadia.benali@e2c.example")
    assert (tutor.school, tutor.memberships.get().approval) == (
        School.objects.get(siret=siret, uai__isnull=True, kind=StructureKind.E2C),
        ApprovalStatus.PENDING,
    )
