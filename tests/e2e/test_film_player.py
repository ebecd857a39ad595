"""The film media block in Debian's Chromium: live status, the player, the poster chooser."""

import re

import pytest
from playwright.sync_api import expect

from media_pipeline import ladder_job, originals, processing
from tests import factories
from tests.e2e.conftest import log_in
from tests.media_pipeline import clips

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAYER = "document.querySelector('video.film-player')"


def test_teacher_watches_the_film_once_processed(page, film, teacher, tmp_path):
    clip = clips.compliant_mp4(tmp_path, size="320x180", duration=3)
    version = originals.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, teacher.email, factories.PASSWORD)
    page.goto(f"/enseignant/films/{film.pk}/")
    status = page.locator(f"#film-media-status-{film.pk}")
    assert "attend son tour" in status.inner_text()

    processing.process_version(version_id=version.pk)  # the page polls meanwhile

    # The new player is swapped in, and hls.js feeds it through Media Source Extensions.
    page.wait_for_function(f"() => {PLAYER} && {PLAYER}.readyState >= 2")
    expect(status).to_have_text("La vidéo est prête.")
    assert page.evaluate(f"() => {PLAYER}.currentSrc").startswith("blob:")
    page.evaluate(f"() => {{ {PLAYER}.muted = true; {PLAYER}.play(); }}")
    page.wait_for_function(f"() => {PLAYER}.currentTime > 0.5")

    page.get_by_text("Choisir l'affiche du film").click()
    page.locator("input[name=candidate]").nth(2).check()
    page.get_by_role("button", name="Utiliser cette affiche").click()
    expect(page.locator(".messages")).to_have_text("L'affiche du film est enregistrée.")
    version.refresh_from_db()
    assert version.outputs["poster"]["source"] == version.outputs["posters"][2]
    assert [text for text in console if "Content Security Policy" in text] == []


def test_compliant_film_plays_before_and_after_its_lower_qualities(page, film, teacher, tmp_path):
    clip = clips.compliant_mp4(tmp_path, size="854x480", duration=3)
    version = originals.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )
    processing.process_version(version_id=version.pk)
    responses = []
    page.on("response", lambda response: responses.append((response.status, response.url)))
    log_in(page, teacher.email, factories.PASSWORD)

    def watch() -> list[str]:
        responses.clear()
        page.goto(f"/enseignant/films/{film.pk}/")
        page.wait_for_function(f"() => {PLAYER} && {PLAYER}.readyState >= 2")
        page.evaluate(f"() => {{ {PLAYER}.muted = true; {PLAYER}.play(); }}")
        page.wait_for_function(f"() => {PLAYER}.currentTime > 0.5")
        assert [url for status, url in responses if status >= 400] == []
        return [
            re.search(r"/medias/v/[^/]+/(.*)$", url)[1]
            for _status, url in responses
            if url.endswith(".m3u8")
        ]

    # First pass only: the copied 480p plays at once; the page says more is coming.
    assert watch() == ["hls/master.m3u8", "hls/480p/index.m3u8"]
    assert "les qualités réduites pour les connexions lentes sont en préparation" in (
        page.inner_text("body")
    )

    ladder_job.complete_ladder(version_id=version.pk)
    version.refresh_from_db()

    # Both passes: the new master playlist, whose variants the browser resolves itself.
    playlists = watch()
    assert playlists[0] == version.outputs["hls"]
    assert set(playlists[1:]) <= {"hls/480p/index.m3u8", f"{version.ladder_folder}/360p/index.m3u8"}
    assert len(playlists) >= 2
