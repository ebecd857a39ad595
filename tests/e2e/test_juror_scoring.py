"""Scoring without friction, in Debian's Chromium: a score typed with a comma or a dot on a
French and an English browser, live feedback, the validation dialog, the storyboard and the
watch page's theatre layout."""

import os
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from playwright.sync_api import expect

from festival.enums import FilmStatus
from judging.enums import EvaluationState
from judging.models import Evaluation
from media_pipeline.models import VideoStatus, VideoVersion
from tests import factories
from tests.e2e.conftest import close_when_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECONDS = 2.0
STORYBOARD_VTT = (
    "WEBVTT\n\n"
    "00:00:00.000 --> 00:00:01.000\nstoryboard.jpg#xywh=0,0,160,90\n\n"
    "00:00:01.000 --> 00:00:02.000\nstoryboard.jpg#xywh=160,0,160,90\n"
)


def ready_video(film, seconds=SECONDS) -> VideoVersion:
    """A processed version: a real tiny MP4, and a storyboard (its sprite and WebVTT track)."""
    prefix = f"renditions/{film.pk}/1/{uuid.uuid4().hex}/"
    video = factories.tiny_video_bytes(seconds)
    default_storage.save(prefix + "film.mp4", ContentFile(video))
    default_storage.save(prefix + "storyboard/storyboard.vtt", ContentFile(STORYBOARD_VTT))
    default_storage.save(prefix + "storyboard/storyboard.jpg", ContentFile(b"\xff\xd8\xff"))
    original = default_storage.save(
        f"originals/{film.edition_id}/{uuid.uuid4().hex}", ContentFile(video)
    )
    return VideoVersion.objects.create(
        film=film,
        number=1,
        original=original,
        original_filename="montage.mp4",
        original_size=len(video),
        status=VideoStatus.READY,
        percent=100,
        output_prefix=prefix,
        outputs={
            "mp4": "film.mp4",
            "storyboard": {
                "image": "storyboard/storyboard.jpg",
                "vtt": "storyboard/storyboard.vtt",
            },
        },
        probe={"duration": seconds},
    )


@pytest.fixture
def scene(transactional_db):
    festival = factories.make_festival(name="FILM'IT Franche-Comté")
    edition = factories.make_edition(festival)
    category = factories.make_category(edition, name="Lycée")
    film = factories.make_film(
        category=category,
        status=FilmStatus.SUBMITTED,
        title="Les mains de l'usine",
        synopsis="Une classe suit les régleurs d'une usine de décolletage pendant un mois.",
    )
    scenario = factories.make_criterion(edition, name="Scénario", weight=Decimal(2))
    image = factories.make_criterion(edition, name="Qualité de l'image")
    juror = factories.make_juror(festival, first_name="Marc", last_name="Petit")
    jury = factories.make_jury(edition, categories=[category], name="Jury lycées")
    factories.make_assignment(jury=jury, juror=juror, film=film)
    ready_video(film)
    return {"film": film, "juror": juror, "criteria": (scenario, image)}


def open_watch_page(browser, live_server, scene, *, locale="fr-FR", width=1440, height=900):
    """The juror's watch page in a browser of this language, logged in by session cookie: the
    page speaks the browser's language, French or English."""
    client = Client()
    client.force_login(scene["juror"])
    context = browser.new_context(
        locale=locale, base_url=live_server.url, viewport={"width": width, "height": height}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/jury/jure/films/{scene['film'].pk}/")
    return context, page


def screenshot(page, name):
    """Kept for a person to look at when FILMIT_SCREENSHOTS names a folder."""
    folder = os.environ.get("FILMIT_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def saved_scores(scene):
    evaluation = Evaluation.objects.filter(juror=scene["juror"], film=scene["film"]).first()
    return {s.criterion.name: s.value for s in evaluation.scores.all()} if evaluation else {}


@pytest.mark.parametrize("locale", ["fr-FR", "en-US"])
@pytest.mark.parametrize(("typed", "other"), [("7,5", "8,5"), ("7.5", "8.5")])
def test_a_decimal_comma_or_dot_is_read_the_same_on_any_browser(
    browser, live_server, scene, locale, typed, other
):
    context, page = open_watch_page(browser, live_server, scene, locale=locale)
    scenario = page.get_by_label("Scénario")
    expect(scenario).to_have_attribute("type", "text")
    expect(scenario).to_have_attribute("inputmode", "decimal")

    scenario.press_sequentially(typed)
    page.get_by_label("Qualité de l'image").press_sequentially(other)

    # 20 × (2 × 0.75 + 0.85) / 3, in the page's language: 15,7 in French, 15.7 in English.
    expect(page.locator("[data-on-20]")).to_contain_text(re.compile(r"15[,.]7"))
    expect(page.locator(".field-errors li")).to_have_count(0)
    assert saved_scores(scene) == {
        "Scénario": Decimal("7.5"),
        "Qualité de l'image": Decimal("8.5"),
    }
    close_when_idle(context)


def test_feedback_is_live_and_single(browser, live_server, scene):
    context, page = open_watch_page(browser, live_server, scene)
    badge = page.locator("#evaluation-state")
    missing = page.locator("[data-missing]")
    expect(badge).to_have_text("À regarder")
    expect(missing).to_contain_text("Scénario, Qualité de l'image")

    scenario = page.get_by_label("Scénario")
    scenario.press_sequentially("sept")
    # Said at once, by the page, then by the server in the same words: one message.
    errors = page.locator(f"#{scenario.get_attribute('id')}_errors li")
    expect(errors).to_have_text(["Saisissez une note comme 7,5."])
    expect(scenario).to_have_attribute("aria-invalid", "true")
    expect(missing).to_contain_text("Scénario, Qualité de l'image")
    # The server's answer: nothing kept, the same single message.
    expect(page.locator("[data-invalid-summary]")).to_be_visible()
    expect(errors).to_have_count(1)
    expect(badge).to_have_text("À regarder")

    scenario.fill("")
    scenario.press_sequentially("7,5")
    expect(errors).to_have_count(0)
    expect(badge).to_have_text("Brouillon")
    expect(missing).to_contain_text("Qualité de l'image")
    expect(missing).not_to_contain_text("Scénario")
    image = page.get_by_label("Qualité de l'image")
    image.press_sequentially("12")
    expect(
        page.get_by_text("« Qualité de l'image » : la note doit être comprise entre 0 et 10.")
    ).to_have_count(1)
    expect(page.get_by_text("sur 20")).to_have_count(0)

    image.fill("")
    image.press_sequentially("9")
    expect(missing).to_be_hidden()
    expect(page.locator("[data-on-20]")).to_contain_text("16,0 sur 20")
    expect(page.locator(".field-errors li")).to_have_count(0)
    screenshot(page, "watch-desktop")
    close_when_idle(context)


def test_validating_asks_for_confirmation_and_says_what_happens_next(browser, live_server, scene):
    factories.make_evaluation(juror=scene["juror"], film=scene["film"], watched=SECONDS)
    context, page = open_watch_page(browser, live_server, scene)
    page.get_by_label("Scénario").press_sequentially("7,5")
    page.get_by_label("Qualité de l'image").press_sequentially("8")
    expect(page.locator("[data-on-20]")).to_be_visible()

    page.get_by_role("button", name="Valider mes notes", exact=True).click()
    dialog = page.get_by_role("dialog", name="Valider vos notes ?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Une fois validées, vos notes ne peuvent plus être modifiées.")
    expect(dialog).to_contain_text("le jury les lit lors de la délibération")
    screenshot(page, "watch-dialog")

    dialog.get_by_role("button", name="Revenir à mes notes").click()
    expect(dialog).to_be_hidden()
    assert Evaluation.objects.get().state == EvaluationState.DRAFT

    page.get_by_role("button", name="Valider mes notes", exact=True).click()
    dialog.get_by_role("button", name="Oui, valider mes notes").click()
    expect(page.get_by_text("Vos notes sont validées depuis le")).to_be_visible()
    assert Evaluation.objects.get().state == EvaluationState.VALIDATED
    close_when_idle(context)


def test_an_invalid_score_is_pointed_at_instead_of_asking(browser, live_server, scene):
    context, page = open_watch_page(browser, live_server, scene)
    page.get_by_label("Scénario").press_sequentially("7,5")

    page.get_by_role("button", name="Valider mes notes", exact=True).click()

    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_label("Qualité de l'image")).to_be_focused()
    close_when_idle(context)


def test_scrubbing_the_timeline_shows_the_storyboard(browser, live_server, scene):
    context, page = open_watch_page(browser, live_server, scene)
    scrub = page.get_by_label("Parcourir le film")
    expect(scrub).to_be_visible()
    box = scrub.bounding_box()

    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)

    frame = page.locator(".storyboard-frame")
    expect(frame).to_be_visible()
    style = frame.get_attribute("style")
    assert "storyboard/storyboard.jpg" in style and "-160px 0px" in style
    expect(page.locator(".storyboard-time")).to_have_text("0:01")
    page.mouse.move(box["x"], box["y"] - 200)
    expect(frame).to_be_hidden()
    close_when_idle(context)


def test_the_watch_page_is_a_theatre_on_a_desktop_and_stacks_on_a_phone(
    browser, live_server, scene
):
    context, page = open_watch_page(browser, live_server, scene)
    player = page.locator(".watch-player").bounding_box()
    scoring = page.locator(".watch-scoring").bounding_box()
    assert player["width"] > 2 * scoring["width"]
    assert scoring["x"] > player["x"] + player["width"] - 1
    # The panel fits the screen: scrolled to the film, its status and buttons are in view.
    assert scoring["height"] <= 900
    page.locator(".watch-player video").scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    validate = page.get_by_role("button", name="Valider mes notes", exact=True)
    expect(validate).to_be_in_viewport()
    close_when_idle(context)

    context, page = open_watch_page(browser, live_server, scene, width=390, height=844)
    player = page.locator(".watch-player").bounding_box()
    scoring = page.locator(".watch-scoring").bounding_box()
    assert scoring["y"] >= player["y"] + player["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "watch-phone")
    page.goto("/jury/jure/")
    screenshot(page, "dashboard-phone")
    close_when_idle(context)
    context, page = open_watch_page(browser, live_server, scene)
    page.goto("/jury/jure/")
    screenshot(page, "dashboard-desktop")
    close_when_idle(context)


def test_without_javascript_validating_leads_to_a_confirmation_page(browser, live_server, scene):
    factories.make_evaluation(juror=scene["juror"], film=scene["film"], watched=SECONDS)
    client = Client()
    client.force_login(scene["juror"])
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, java_script_enabled=False
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"/jury/jure/films/{scene['film'].pk}/")
    page.get_by_label("Scénario").fill("7,5")
    page.get_by_label("Qualité de l'image").fill("8")

    page.get_by_role("button", name="Valider mes notes", exact=True).click()

    expect(
        page.get_by_role("heading", name="Vérifiez vos notes avant de les valider")
    ).to_be_visible()
    expect(page.locator(".summary-list")).to_contain_text("7,5")
    expect(page.get_by_text("le jury les lit lors de la délibération")).to_be_visible()
    screenshot(page, "confirm-page")
    assert Evaluation.objects.get().state == EvaluationState.DRAFT

    page.get_by_role("button", name="Oui, valider mes notes").click()

    expect(page.get_by_text("Vos notes sont validées depuis le")).to_be_visible()
    assert saved_scores(scene) == {"Scénario": Decimal("7.5"), "Qualité de l'image": Decimal("8")}
    close_when_idle(context)


def test_past_editions_are_folded_on_the_dashboard(browser, live_server, scene):
    past = factories.make_edition(
        scene["film"].edition.festival, open_now=False, is_current=False, title="FILM'IT 2025"
    )
    past.judging_end_at = past.submissions_close_at
    past.save()
    category = factories.make_category(past, name="Collège", slug="college-2025")
    jury = factories.make_jury(past, categories=[category], name="Jury 2025")
    old = factories.make_film(category=category, status=FilmStatus.ACCEPTED, title="La forge")
    factories.make_assignment(jury=jury, juror=scene["juror"], film=old)
    context, page = open_watch_page(browser, live_server, scene)
    page.goto("/jury/jure/")

    headings = page.get_by_role("heading", level=2)
    expect(headings).to_have_text(["FILM'IT 2027", "FILM'IT 2025"])
    expect(page.get_by_role("link", name="Les mains de l'usine")).to_be_visible()
    expect(page.get_by_role("link", name="La forge")).to_be_hidden()
    screenshot(page, "dashboard-editions")

    page.get_by_text("FILM'IT 2025").click()

    expect(page.get_by_role("link", name="La forge")).to_be_visible()
    close_when_idle(context)
