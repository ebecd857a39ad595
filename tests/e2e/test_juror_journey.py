"""A juror, from the login form to validated notes, in Debian's Chromium."""

import re
import uuid
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from festival.enums import FilmStatus
from judging.enums import EvaluationState
from judging.models import Evaluation
from media_pipeline.models import VideoStatus, VideoVersion
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECONDS = 2.0


def ready_video(film, seconds=SECONDS) -> VideoVersion:
    """A processed version whose MP4 is a real, tiny film: the page's player plays it."""
    prefix = f"renditions/{film.pk}/1/{uuid.uuid4().hex}/"
    default_storage.save(prefix + "film.mp4", ContentFile(factories.tiny_video_bytes(seconds)))
    original = default_storage.save(
        f"originals/{film.edition_id}/{uuid.uuid4().hex}",
        ContentFile(factories.tiny_video_bytes(seconds)),
    )
    return VideoVersion.objects.create(
        film=film,
        number=1,
        original=original,
        original_filename="montage.mp4",
        original_size=len(factories.tiny_video_bytes(seconds)),
        status=VideoStatus.READY,
        percent=100,
        output_prefix=prefix,
        outputs={"mp4": "film.mp4"},
        probe={"duration": seconds},
    )


@pytest.fixture
def scene(transactional_db):
    festival = factories.make_festival(name="FILM'IT Franche-Comté")
    edition = factories.make_edition(festival)
    category = factories.make_category(edition, name="Lycée")
    film = factories.make_film(
        category=category, status=FilmStatus.SUBMITTED, title="Les mains de l'usine"
    )
    scenario = factories.make_criterion(edition, name="Scénario", weight=Decimal(2))
    image = factories.make_criterion(edition, name="Qualité de l'image")
    juror = factories.make_juror(festival, first_name="Marc", last_name="Petit")
    jury = factories.make_jury(edition, categories=[category], name="Jury lycées")
    factories.make_assignment(jury=jury, juror=juror, film=film)
    ready_video(film)
    return {"film": film, "juror": juror, "criteria": (scenario, image)}


def test_a_juror_watches_scores_and_validates_a_film(page, scene):
    film, juror = scene["film"], scene["juror"]
    scenario, image = scene["criteria"]

    log_in(page, juror.email, factories.PASSWORD)
    # A juror lands on the films to score; the menu leads there too.
    page.wait_for_url("**/jury/jure/")
    page.get_by_role("link", name="Mes films à noter").click()
    expect(page.get_by_role("heading", name="Mes films à noter")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "0")
    page.get_by_role("link", name="Les mains de l'usine").click()
    expect(page.get_by_role("heading", name="Les mains de l'usine", level=1)).to_be_visible()

    # The juror plays the whole film; watch.js reports what was played.
    video = page.locator("video.film-player")
    expect(video).to_be_visible()
    video.evaluate("v => { v.muted = true; return v.play(); }")
    expect(video).to_have_js_property("ended", True)
    # A few hundredths of a second may go unreported at either end: 90 % is what validation needs.
    expect(page.locator("[data-watched-value]")).to_have_text(re.compile(r"^(9\d|100)$"))

    # Typed as a juror types: each pause saves the draft. A score off the scale is refused in
    # words, and the others are kept.
    page.get_by_label("Scénario").press_sequentially("7.5")
    image_score = page.get_by_label("Qualité de l'image")
    image_score.press_sequentially("12")
    refusal = page.get_by_text("« Qualité de l'image » : la note doit être comprise entre 0 et 10.")
    expect(refusal).to_be_visible()
    expect(image_score).to_have_attribute("aria-describedby", re.compile("_errors$"))
    image_score.fill("")
    image_score.press_sequentially("8")
    expect(refusal).to_have_count(0)
    page.get_by_label("Commentaire général").fill("Un film juste sur le métier de régleur.")
    page.get_by_label("Coup de cœur").check()
    status = page.locator("#draft-status")
    expect(status).to_contain_text("Brouillon enregistré à")
    # 20 × (2 × 0.75 + 0.8) / 3
    expect(status).to_contain_text("15,3 sur 20")

    # Validating asks first: it cannot be undone.
    page.get_by_role("button", name="Valider mes notes", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Oui, valider mes notes").click()

    expect(
        page.get_by_text("Vos notes pour « Les mains de l'usine » sont validées.")
    ).to_be_visible()
    expect(page.get_by_text("Vos notes sont validées depuis le")).to_be_visible()
    expect(page.get_by_label("Scénario")).to_be_disabled()
    expect(page.get_by_label("Scénario")).to_have_value("7.5")
    expect(page.get_by_role("button", name="Valider mes notes")).to_have_count(0)

    evaluation = Evaluation.objects.get(juror=juror, film=film)
    assert evaluation.state == EvaluationState.VALIDATED
    assert {s.criterion_id: s.value for s in evaluation.scores.all()} == {
        scenario.pk: Decimal("7.5"),
        image.pk: Decimal("8"),
    }
    assert (evaluation.comment, evaluation.favourite) == (
        "Un film juste sur le métier de régleur.",
        True,
    )
    assert evaluation.watched_seconds >= 0.9 * SECONDS
