"""An organizer watches a submitted film and accepts it: the film goes to the jury's juror."""

import os

import pytest
from playwright.sync_api import expect

from festival.enums import FilmStatus
from judging.domain.juries import create_jury
from judging.models import Assignment
from media_pipeline import originals, processing
from tests import factories
from tests.e2e.conftest import log_in
from tests.media_pipeline import clips

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAYER = "document.querySelector('video.film-player')"
SCREENSHOTS = os.environ.get("FILMIT_SCREENSHOTS")


def shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def submitted_film(teacher, category, tmp_path):
    film = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, complete=True
    )
    clip = clips.compliant_mp4(tmp_path, size="320x180", duration=3)
    version = originals.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )
    processing.process_version(version_id=version.pk)
    return film


@pytest.mark.parametrize("width", [1280, 390])
def test_organizer_watches_and_accepts_a_film(
    page, organizer, juror, edition, category, submitted_film, width
):
    assert not organizer.is_staff
    create_jury(edition=edition, name="Jury lycée", categories=[category], president=juror)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, organizer.email, factories.PASSWORD)

    page.goto(f"/organisation/films/{submitted_film.pk}/")
    page.wait_for_function(f"() => {PLAYER} && {PLAYER}.readyState >= 2")
    page.evaluate(f"() => {{ {PLAYER}.muted = true; {PLAYER}.play(); }}")
    page.wait_for_function(f"() => {PLAYER}.currentTime > 0.5")
    page.evaluate(f"() => {PLAYER}.pause()")
    shoot(page, f"film-{width}")

    page.get_by_role("button", name="Accepter le film").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Accepter le film « {submitted_film.title} » ?"
    )
    shoot(page, f"decision-{width}")
    assert Assignment.objects.filter(film=submitted_film).count() == 0  # not before confirming

    page.get_by_role("button", name="Confirmer : Accepter le film").click()
    expect(page.locator(".messages")).to_have_text(
        f"Le film « {submitted_film.title} » est maintenant « Accepté »."
    )
    shoot(page, f"accepted-{width}")
    submitted_film.refresh_from_db()
    assert submitted_film.status == FilmStatus.ACCEPTED
    assert list(
        Assignment.objects.filter(film=submitted_film, active=True).values_list(
            "juror_id", flat=True
        )
    ) == [juror.pk]
