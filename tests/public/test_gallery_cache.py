"""The gallery's fragment cache: shared by anonymous visitors, dropped by every change that
matters, and never holding a signed poster link past a tenth of its life."""

import html
import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from festival.domain.consents import review_consent
from festival.enums import ConsentStatus
from media_pipeline.models import VideoStatus
from public.cache import cache_seconds
from tests.festival.palmares import cleared_film, open_gallery
from tests.media_pipeline.versions import make_version

GALLERY = reverse("public:gallery")


def poster_url(response) -> str:
    """The first card's poster as the page shows it (not as the view would sign it now)."""
    return html.unescape(re.search(r'srcset="([^"]+)"', response.content.decode()).group(1))


def queries(client, url=GALLERY) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_anonymous_visitors_are_served_the_rendered_gallery_without_its_queries(
    edition, category, client
):
    cleared_film(category, title="Les mains d'or")
    open_gallery(edition)
    cache.clear()

    # A visitor with a session (anonymous still) is not served a whole page kept for others:
    # the fragments are what is shared then.
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    first, _html = queries(client)
    second, second_html = queries(client)

    assert "Les mains d&#x27;or" in second_html
    # Only the header's current edition is read; films, filters and palmarès come from the cache.
    assert (first, second) == (first, 1)
    assert first > 5


def test_the_filter_choices_are_shared_but_the_cards_follow_the_filters(edition, category, client):
    cleared_film(category, title="Les mains d'or")
    cleared_film(category, title="Tic-tac")
    open_gallery(edition)

    everything = client.get(GALLERY).content.decode()
    searched = client.get(GALLERY + "?q=tic").content.decode()

    assert "Les mains d&#x27;or</a>" in everything
    assert "Les mains d&#x27;or</a>" not in searched
    assert "Tic-tac</a>" in searched


def test_a_refused_consent_takes_the_film_off_the_cached_gallery_at_the_next_request(
    edition, category, organizer, client
):
    film = cleared_film(category, title="Les mains d'or")
    open_gallery(edition)
    assert "Les mains d&#x27;or" in client.get(GALLERY).content.decode()

    review_consent(
        consent=film.consents.get(),
        organizer=organizer,
        status=ConsentStatus.REFUSED,
        note="Une signature manque.",
    )

    html = client.get(GALLERY).content.decode()
    assert "Les mains d&#x27;or" not in html
    assert "Aucun film ne correspond à ces critères." in html


def test_a_new_school_name_shows_at_the_next_request(edition, category, client):
    film = cleared_film(category)
    open_gallery(edition)
    client.get(GALLERY)

    film.school.name = "Lycée Victor Bérard"
    film.school.save()

    assert "Lycée Victor Bérard" in client.get(GALLERY).content.decode()


def test_cached_poster_links_are_signed_again_long_before_they_expire(
    edition, category, client, settings
):
    settings.MEDIA_URL_MAX_AGE = 300
    film = cleared_film(category)
    make_version(film, status=VideoStatus.READY)
    open_gallery(edition)
    lifetime = cache_seconds()
    assert 0 < lifetime <= settings.MEDIA_URL_MAX_AGE / 10

    start = timezone.now()
    with freeze_time(start) as clock:
        first = poster_url(client.get(GALLERY))
        clock.move_to(start + timedelta(seconds=lifetime - 1))
        cached = poster_url(client.get(GALLERY))
        clock.move_to(start + timedelta(seconds=lifetime + 1))
        renewed = poster_url(client.get(GALLERY))
        assert client.get(renewed).status_code == 200

    assert cached == first
    assert renewed != first


def test_signed_in_visitors_get_poster_links_signed_for_them(edition, category, organizer, client):
    film = cleared_film(category)
    make_version(film, status=VideoStatus.READY)
    open_gallery(edition)
    anonymous = poster_url(client.get(GALLERY))

    client.force_login(organizer)
    own = poster_url(client.get(GALLERY))

    assert own != anonymous
    assert client.get(own).status_code == 200
    assert client.get(anonymous).status_code != 200
