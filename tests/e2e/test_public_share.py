"""A visitor on the public pages: the latest winners, sharing a film, the gallery on a phone."""

import os

import pytest
from playwright.sync_api import expect

from festival.enums import ConsentStatus, FilmStatus
from media_pipeline import originals, processing
from tests import factories
from tests.e2e.conftest import close_when_idle
from tests.festival.palmares import award, publish
from tests.media_pipeline import clips

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Set FILMIT_SCREENSHOTS to a folder to look at the pages at both widths.
SHOTS = os.environ.get("FILMIT_SCREENSHOTS", "")


@pytest.fixture
def winning_film(category, teacher, tmp_path):
    """An accepted film, its consents validated, its video processed, in a live palmarès."""
    film = factories.make_film(
        teacher=teacher,
        category=category,
        status=FilmStatus.ACCEPTED,
        complete=True,
        title="Les mains d'or",
        crew="Léa\nTom B.",
    )
    film.consents.update(status=ConsentStatus.VALIDATED)
    clip = clips.compliant_mp4(tmp_path, size="320x180", duration=3)
    version = originals.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )
    processing.process_version(version_id=version.pk)
    publish(category.edition, [award(film)])
    return film


@pytest.fixture
def visitor(browser, live_server):
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, viewport=DESKTOP, reduced_motion="reduce"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    close_when_idle(context)


def shoot(page, name):
    if not SHOTS:
        return
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_a_visitor_shares_a_film(visitor, live_server, edition, winning_film):
    visitor.goto("/")
    winners = visitor.get_by_role("region", name=f"Les lauréats — {edition.title}")
    expect(winners.locator(".prize-poster img")).to_have_count(1)
    shoot(visitor, "home")
    winners.get_by_role("link", name="Les mains d'or").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Les mains d'or")

    link = visitor.get_by_label("Lien du film")
    embed = visitor.get_by_label("Code d'intégration")
    expect(link).to_be_hidden()
    visitor.get_by_text("Partager / Intégrer").click()
    page_url = f"{live_server.url}/films/{winning_film.pk}/"
    expect(link).to_have_value(page_url)
    expect(embed).to_have_value(
        f'<iframe src="{live_server.url}/films/{winning_film.pk}/integrer/" width="640" '
        f'height="360" title="Les mains d&#x27;or — FILM\'IT" '
        'allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy" '
        'style="border:0"></iframe>'
    )
    shoot(visitor, "film")

    visitor.get_by_role("button", name="Copier le lien").click()
    expect(visitor.get_by_role("status").filter(has_text="Copié !")).to_be_visible()
    assert visitor.evaluate("navigator.clipboard.readText()") == page_url
    visitor.get_by_role("button", name="Copier le code").click()
    # The copy is asynchronous: wait for the clipboard to hold the embed code.
    visitor.wait_for_function(
        "async () => (await navigator.clipboard.readText()).startsWith('<iframe src=')"
    )

    visitor.goto(f"/palmares/{edition.festival.slug}/{edition.year}/")
    expect(visitor.locator(".prize-poster img")).to_have_count(1)
    shoot(visitor, "palmares")


def test_the_gallery_filters_fold_on_a_phone(visitor, edition, winning_film):
    visitor.goto("/galerie/")
    filters = visitor.get_by_role("form", name="Filtrer les films")
    # On a wide screen the filters are simply there.
    expect(filters).to_be_visible()
    expect(visitor.locator(".filters-panel > summary")).to_be_hidden()
    shoot(visitor, "gallery")

    visitor.set_viewport_size(PHONE)
    button = visitor.locator(".filters-panel > summary")
    expect(button).to_be_visible()
    expect(button).to_have_text("Filtrer les films")
    expect(filters).to_be_hidden()
    # The first film's poster is in the first screen, not pushed below by the filters.
    assert visitor.locator(".film-card").first.bounding_box()["y"] < PHONE["height"]

    button.click()
    expect(filters).to_be_visible()
    filters.get_by_label("Édition").select_option(value=str(edition.pk))
    filters.get_by_role("button", name="Filtrer").click()
    # Once used, the filters stay open to show what is chosen.
    expect(visitor.get_by_role("form", name="Filtrer les films")).to_be_visible()
    expect(visitor.locator(".film-card")).to_have_count(1)
