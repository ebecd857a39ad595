"""The film page's player reports a play once the film has really played 30 seconds: one POST,
no cookie; less than that (or seeking) sends nothing."""

import pytest

from festival.enums import ConsentStatus, FilmStatus
from media_pipeline import originals, processing
from public.models import FilmDay
from tests import factories
from tests.e2e.conftest import close_when_idle
from tests.festival.palmares import open_gallery
from tests.media_pipeline import clips

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAYER = "document.querySelector('video.film-player')"
# A visitor's browser: the headless one's own user agent says HeadlessChrome, a robot.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def public_film(category, teacher, tmp_path):
    film = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.ACCEPTED, complete=True
    )
    film.consents.update(status=ConsentStatus.VALIDATED)
    clip = clips.compliant_mp4(tmp_path, size="320x180", duration=3)
    version = originals.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )
    processing.process_version(version_id=version.pk)
    open_gallery(category.edition)
    return film


@pytest.fixture
def visitor(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, user_agent=USER_AGENT)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    close_when_idle(context)


def plays(film) -> int:
    row = FilmDay.objects.filter(film=film).first()
    return row.plays if row else 0


def test_a_play_is_reported_once_after_30_seconds_of_playing(visitor, public_film):
    posts = []
    visitor.on("request", lambda request: request.method == "POST" and posts.append(request))
    visitor.goto(f"/films/{public_film.pk}/")
    visitor.wait_for_function(f"() => {PLAYER} && {PLAYER}.readyState >= 2")

    # The whole 3-second clip, with a jump forward on the way: far from 30 s, nothing is sent.
    visitor.evaluate(
        f"""() => {{ const v = {PLAYER}; v.muted = true; v.play();
            setTimeout(() => {{ v.currentTime = 2.5; }}, 300); }}"""
    )
    visitor.wait_for_function(f"() => {PLAYER}.ended")
    assert posts == []
    assert plays(public_film) == 0

    # Watched again and again, fast: once 30 s have played, one POST, and no more after.
    visitor.evaluate(
        f"""() => {{ const v = {PLAYER};
            v.addEventListener('ended', () => {{ v.currentTime = 0; v.play(); }});
            v.playbackRate = 8; v.currentTime = 0; v.play(); }}"""
    )
    with visitor.expect_response(lambda response: response.request.method == "POST") as sent:
        visitor.wait_for_function("() => document.querySelector('[data-play-sent]') !== null")
    assert sent.value.status == 204
    visitor.wait_for_timeout(1500)  # a few more rounds of the clip
    visitor.evaluate(f"() => {PLAYER}.pause()")

    assert [request.url for request in posts] == [
        f"{visitor.url.split('/films/')[0]}/films/{public_film.pk}/lecture/"
    ]
    assert plays(public_film) == 1
    assert FilmDay.objects.get(film=public_film).views == 1
    assert visitor.context.cookies() == []
