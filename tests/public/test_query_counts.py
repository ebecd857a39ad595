"""Every page reads the database a fixed number of times, whether the festival has 2 films or 300.

Two festivals are built in bulk (tests/bulk.py): one with a film in each edition, then one with
300. Each page is asked for by the same kind of visitor in each festival; the queries it runs
must not grow with the festival. The gallery's fragment cache is emptied first, so that its
full rendering is what is counted.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from media_pipeline.models import VideoStatus
from tests import bulk
from tests.media_pipeline.versions import make_version

pytestmark = pytest.mark.django_db


def pages(data) -> dict[str, tuple[str, object]]:
    """page name -> (path, who asks for it: None for an anonymous visitor)."""
    organizer, juror = data["organizer"], data["jurors"][0]
    watched = juror.assignments.order_by("pk").first().film_id
    award = data["publication"].snapshot["awards"][0]
    return {
        "gallery": ("/galerie/", None),
        "gallery_signed_in": ("/galerie/", organizer),
        "palmares": (f"/palmares/{data['festival'].slug}/{data['past'].year}/", None),
        "film": (f"/films/{award['film_id']}/", None),
        "juror_dashboard": ("/jury/jure/", juror),
        "watch": (f"/jury/jure/films/{watched}/", juror),
        "organizer_dashboard": ("/organisation/", organizer),
        "organizer_films": ("/organisation/films/", organizer),
        "organizer_teachers": ("/organisation/enseignants/", organizer),
    }


def count_queries(data) -> dict[str, int]:
    counts = {}
    for name, (path, user) in pages(data).items():
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(path)  # once before: sessions and per-process caches settled
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def festival(films: int) -> dict:
    data = bulk.build_festival(films=films, jurors=2, per_juror=films // 2)
    video = make_version(data["films"][0], status=VideoStatus.READY)
    bulk.share_version(video, data["films"])
    return data


def test_pages_run_as_many_queries_for_300_films_as_for_2():
    small = count_queries(festival(2))

    large = count_queries(festival(300))

    assert large == small
