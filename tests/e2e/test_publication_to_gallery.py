"""From an organizer publishing the palmarès to a visitor watching a winning film."""

import pytest
from playwright.sync_api import expect

from festival.enums import ConsentStatus, FilmStatus
from judging.enums import PrizeKind
from judging.models_results import Award, Prize
from media_pipeline import originals, processing
from tests import factories
from tests.e2e.conftest import close_when_idle, log_in
from tests.media_pipeline import clips

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAYER = "document.querySelector('video.film-player')"


@pytest.fixture
def winning_film(category, teacher, organizer, tmp_path):
    """An accepted film, its consents validated, its video processed, awarded the 1er prix."""
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
    prize = Prize.objects.create(
        edition=category.edition, category=category, kind=PrizeKind.CATEGORY_FIRST, name="1er prix"
    )
    Award.objects.create(prize=prize, film=film, decided_by=organizer)
    return film


def test_organizer_publishes_and_a_visitor_watches_the_winner(
    browser, page, live_server, edition, organizer, winning_film
):
    # The organizer previews the palmarès and publishes it.
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, organizer.email, factories.PASSWORD)
    page.goto(f"/jury/palmares/editions/{edition.pk}/apercu/")
    page.get_by_role("button", name="Publier le palmarès").click()
    page.wait_for_load_state()
    assert edition.publications.filter(unpublished_at__isnull=True).count() == 1

    # A visitor, not logged in, finds it from the home page.
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    visitor = context.new_page()
    visitor.set_default_timeout(15_000)
    console = []
    visitor.on("console", lambda message: console.append(message.text))
    try:
        visitor.goto("/")
        visitor.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Palmarès"
        ).click()
        visitor.get_by_role("link", name=edition.title, exact=True).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(f"Palmarès — {edition.title}")
        visitor.get_by_role("link", name="Les mains d'or").click()

        expect(visitor.get_by_role("heading", level=1)).to_have_text("Les mains d'or")
        assert visitor.locator("meta[property='og:type']").get_attribute("content") == (
            "video.other"
        )
        visitor.wait_for_function(f"() => {PLAYER} && {PLAYER}.readyState >= 2")
        # The first play() can be dropped while a busy machine still loads the stream: asked
        # again while the player stands paused, it must then play.
        visitor.wait_for_function(
            f"() => {{ const p = {PLAYER}; p.muted = true;"
            " if (p.paused) p.play().catch(() => {}); return p.currentTime > 0.5; }",
            polling=250,
        )
        assert [text for text in console if "Content Security Policy" in text] == []
    finally:
        close_when_idle(context)
