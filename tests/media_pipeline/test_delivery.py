"""Media delivery: who may watch, signed URLs, Range requests and the film media block."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from media_pipeline import delivery
from media_pipeline.models import LadderStatus, VideoStatus
from tests import factories
from tests.media_pipeline.versions import FILES, MASTER, MP4_BYTES, make_version


@pytest.fixture
def ready(film):
    return make_version(film, status=VideoStatus.READY)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def path_of(url: str) -> str:
    """The file a /medias/v/<token>/<path> URL points to."""
    return url.split("/", 4)[4]


# Who may watch.


@pytest.mark.parametrize("who", ["teacher", "organizer"])
def test_teacher_and_organizers_watch_through_signed_urls(who, ready, request):
    user = request.getfixturevalue(who)

    sources = delivery.sources(version=ready, user=user)

    assert path_of(sources.mp4) == "film.mp4"
    response = client_for(user).get(sources.mp4)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MP4_BYTES
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(MP4_BYTES))
    assert response["Cache-Control"] == "private, max-age=600"


@pytest.mark.parametrize("who", ["other_teacher", "other_organizer", "juror", None])
def test_strangers_and_jurors_get_nothing(who, ready, film, request):
    user = request.getfixturevalue(who) if who else AnonymousUser()

    assert delivery.can_watch(user, film) is False
    assert delivery.sources(version=ready, user=user) is None
    client = client_for(user if who else None)
    for name in ("status", "poster", "subtitles", "retry"):
        method = client.get if name == "status" else client.post
        assert method(reverse(f"media_pipeline:{name}", args=[film.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_teacher", "organizer", "juror", None])
def test_a_url_works_only_for_the_user_it_was_issued_to(who, ready, teacher, request):
    sources = delivery.sources(version=ready, user=teacher)
    user = request.getfixturevalue(who) if who else None

    response = client_for(user).get(sources.mp4)

    assert response.status_code == 403


def test_expired_url_is_refused(ready, teacher, monkeypatch):
    issued = int(time.time()) - 601
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(issued)
    )
    sources = delivery.sources(version=ready, user=teacher)
    monkeypatch.undo()

    assert client_for(teacher).get(sources.mp4).status_code == 403


def test_url_still_valid_just_before_it_expires(ready, teacher, monkeypatch):
    issued = int(time.time()) - 590
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(issued)
    )
    sources = delivery.sources(version=ready, user=teacher)
    monkeypatch.undo()

    assert client_for(teacher).get(sources.mp4).status_code == 200


def test_tampered_token_is_refused(ready, teacher, film):
    token = delivery.sign(version=ready, user=teacher)
    other = make_version(film, status=VideoStatus.READY)
    payload = signing.dumps({"p": other.output_prefix, "u": teacher.pk}, salt="wrong salt")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    client = client_for(teacher)
    assert client.get(delivery.media_url(forged, "film.mp4")).status_code == 403
    assert client.get(delivery.media_url(payload, "film.mp4")).status_code == 403


@pytest.mark.parametrize(
    "path", ["../film.mp4", "hls/../../film.mp4", "hls//master.m3u8", "./film.mp4", "missing.mp4"]
)
def test_files_outside_the_version_folder_are_not_found(path, ready, teacher):
    token = delivery.sign(version=ready, user=teacher)

    response = client_for(teacher).get(f"/medias/v/{token}/{path}")

    assert response.status_code == 404


# Range requests: players seek.


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=100-199", 100, 199), ("bytes=16000-", 16000, 16383), ("bytes=-10", 16374, 16383)],
)
def test_range_request_returns_the_asked_bytes(header, start, end, ready, teacher):
    sources = delivery.sources(version=ready, user=teacher)

    response = client_for(teacher).get(sources.mp4, HTTP_RANGE=header)

    assert response.status_code == 206
    assert b"".join(response.streaming_content) == MP4_BYTES[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(MP4_BYTES)}"
    assert response["Content-Length"] == str(end - start + 1)


def test_unsatisfiable_range(ready, teacher):
    sources = delivery.sources(version=ready, user=teacher)

    response = client_for(teacher).get(sources.mp4, HTTP_RANGE="bytes=20000-")

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(MP4_BYTES)}"


def test_head_request_has_no_body(ready, teacher):
    sources = delivery.sources(version=ready, user=teacher)

    response = client_for(teacher).head(sources.mp4, HTTP_RANGE="bytes=0-9")

    assert response.status_code == 206
    assert response.content == b""
    assert response["Content-Length"] == "10"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-0", (0, 0)),
        ("bytes=5-1000", (5, 99)),
        ("bytes=0-1,5-6", None),
        ("items=0-5", None),
        ("bytes=-", None),
        ("bytes=100-", False),
        ("bytes=9-3", False),
        ("bytes=-0", False),
        ("bytes=-500", (0, 99)),
    ],
)
def test_parse_range(header, expected):
    assert delivery.parse_range(header, 100) == expected


# HLS.


def test_hls_playlists_keep_relative_references_under_the_same_token(ready, teacher):
    sources = delivery.sources(version=ready, user=teacher)
    client = client_for(teacher)

    master = client.get(sources.hls)
    variant_url = sources.hls.rsplit("/", 1)[0] + "/360p/index.m3u8"
    variant = client.get(variant_url)
    segment = client.get(variant_url.rsplit("/", 1)[0] + "/segment-000.m4s")

    assert b"".join(master.streaming_content).decode() == MASTER
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert variant.status_code == 200
    assert b"".join(segment.streaming_content) == FILES["hls/360p/segment-000.m4s"]


def test_s3_playlists_get_presigned_segments(monkeypatch):
    monkeypatch.setattr(delivery, "presigned_url", lambda name: f"https://s3.test/{name}?sig")
    variant = FILES["hls/360p/index.m3u8"].decode()

    rewritten = delivery.rewrite_playlist(
        variant, prefix="renditions/1/1/abc/", path="hls/360p/x.m3u8"
    )
    master = delivery.rewrite_playlist(MASTER, prefix="renditions/1/1/abc/", path="hls/master.m3u8")

    assert rewritten.splitlines() == [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-TARGETDURATION:2",
        '#EXT-X-MAP:URI="https://s3.test/renditions/1/1/abc/hls/360p/init.mp4?sig"',
        "#EXTINF:2.0,",
        "https://s3.test/renditions/1/1/abc/hls/360p/segment-000.m4s?sig",
        "#EXT-X-ENDLIST",
    ]
    assert master == MASTER


def test_s3_second_pass_master_keeps_its_relative_playlists(monkeypatch):
    monkeypatch.setattr(delivery, "presigned_url", lambda name: f"https://s3.test/{name}?sig")
    master = (
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=854x480\n"
        "../hls/480p/index.m3u8\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=640x360\n360p/index.m3u8\n"
    )

    rewritten = delivery.rewrite_playlist(
        master, prefix="renditions/1/1/abc/", path="ladder-0123/master.m3u8"
    )

    # The player resolves them against the signed page URL, which the app serves itself.
    assert rewritten == master


def test_second_pass_variant_is_served_through_its_resolved_path(film, teacher):
    version = make_version(film, status=VideoStatus.READY)
    sources = delivery.sources(version=version, user=teacher)
    base = sources.hls.rsplit("/hls/", 1)[0]
    client = client_for(teacher)

    # "ladder-0123/../hls/360p/index.m3u8" as a browser resolves it: no ".." is sent.
    resolved = client.get(f"{base}/hls/360p/index.m3u8")
    unresolved = client.get(f"{base}/ladder-0123/../hls/360p/index.m3u8")

    assert resolved.status_code == 200
    assert unresolved.status_code == 404


# The film media block.


def render_block(film, user) -> str:
    request = RequestFactory().get(f"/enseignant/films/{film.pk}/")
    request.user = user
    template = engines["django"].from_string('{% include "media_pipeline/_film_media.html" %}')
    return template.render({"film": film, "request": request}, request)


def test_block_shows_the_player_to_the_teacher(ready, film, teacher):
    html = render_block(film, teacher)

    assert 'class="film-player"' in html
    assert 'data-hls-src="/medias/v/' in html
    assert '<source src="/medias/v/' in html
    assert 'kind="subtitles"' in html
    assert 'srclang="fr" label="Français" default' in html
    assert "poster/first/poster-page.jpg" in html
    assert 'kind="metadata" label="thumbnails"' in html
    assert "Choisir l'affiche du film" in html
    assert "Ajouter des sous-titres" in html
    assert "hx-trigger" not in html


def test_block_is_empty_for_a_juror(ready, film, juror):
    assert render_block(film, juror).strip() == ""


def test_block_polls_while_a_new_version_is_processed(ready, film, teacher):
    make_version(film, status=VideoStatus.PROCESSING, percent=42)

    html = render_block(film, teacher)

    assert 'hx-trigger="every 2s"' in html
    assert '<progress id="film-media-progress-' in html and 'value="42"' in html
    assert "la version précédente du film reste celle que l'on regarde" in html
    assert 'class="film-player"' in html  # the previous version still plays


def test_block_shows_the_rejection_message(film, teacher):
    make_version(
        film,
        status=VideoStatus.REJECTED,
        error_code="too_long",
        message="Le film dure 6 min 10 s : la catégorie accepte 5 min au plus.",
    )

    html = render_block(film, teacher)

    assert "Le film dure 6 min 10 s : la catégorie accepte 5 min au plus." in html
    assert "hx-trigger" not in html
    assert "Relancer le traitement" not in html


def test_organizer_can_retry_a_failed_version(film, organizer):
    make_version(film, status=VideoStatus.FAILED, error_code="worker_lost", attempts=3)

    html = render_block(film, organizer)

    assert "Relancer le traitement" in html


LADDER_PENDING = (
    "Le film se regarde déjà dans sa qualité d'origine ; les qualités réduites pour les "
    "connexions lentes sont en préparation."
)
LADDER_FAILED = (
    "Le film se regarde dans sa qualité d'origine : les qualités réduites pour les connexions "
    "lentes n'ont pas pu être préparées."
)
LADDER_RETRY = "Relancer la préparation des qualités réduites"


@pytest.mark.parametrize("ladder_status", [LadderStatus.QUEUED, LadderStatus.PROCESSING])
def test_teacher_sees_that_lower_qualities_are_on_their_way(ladder_status, film, teacher):
    make_version(film, status=VideoStatus.READY, ladder_status=ladder_status)

    html = render_block(film, teacher)

    assert LADDER_PENDING in html
    assert 'class="film-player"' in html  # watchable meanwhile
    assert "hx-trigger" not in html  # nothing to poll for: the film plays already


def test_organizer_relaunches_failed_lower_qualities(film, organizer, teacher):
    make_version(
        film,
        status=VideoStatus.READY,
        ladder_status=LadderStatus.FAILED,
        ladder_error_code="timeout",
        ladder_attempts=3,
    )

    for_organizer = render_block(film, organizer)
    for_teacher = render_block(film, teacher)

    assert LADDER_FAILED in for_organizer
    assert LADDER_RETRY in for_organizer
    assert "code timeout, 3 tentative(s)" in for_organizer
    assert "Relancer le traitement" not in for_organizer
    assert LADDER_FAILED in for_teacher
    assert LADDER_RETRY not in for_teacher


def test_jurors_see_no_processing_notes(film, festival):
    juror = factories.make_juror(festival)
    jury = factories.make_jury(film.edition, categories=[film.category])
    factories.make_assignment(jury=jury, juror=juror, film=film)
    make_version(film, status=VideoStatus.READY, ladder_status=LadderStatus.FAILED)

    html = render_block(film, juror)

    assert 'class="film-player"' in html
    assert LADDER_FAILED not in html


def test_retry_view_requeues_failed_lower_qualities(
    film, organizer, django_capture_on_commit_callbacks
):
    version = make_version(film, status=VideoStatus.READY, ladder_status=LadderStatus.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organizer).post(reverse("media_pipeline:retry", args=[film.pk]))

    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.status, version.ladder_status) == (VideoStatus.READY, LadderStatus.QUEUED)


def test_retry_view_of_lower_qualities_is_a_404_for_the_teacher(film, teacher):
    version = make_version(film, status=VideoStatus.READY, ladder_status=LadderStatus.FAILED)

    response = client_for(teacher).post(reverse("media_pipeline:retry", args=[film.pk]))

    assert response.status_code == 404
    version.refresh_from_db()
    assert version.ladder_status == LadderStatus.FAILED


def test_status_partial_stops_polling_and_swaps_the_player_once_ready(film, teacher):
    version = make_version(film, status=VideoStatus.PROCESSING)
    client = client_for(teacher)
    url = reverse("media_pipeline:status", args=[film.pk])

    polling = client.get(url).content.decode()
    version.delete()
    make_version(film, status=VideoStatus.READY)
    done = client.get(url).content.decode()

    assert 'hx-trigger="every 2s"' in polling
    assert "hx-swap-oob" not in polling
    assert "hx-trigger" not in done
    assert "La vidéo est prête." in done
    assert f'id="film-media-player-{film.pk}" class="film-media-player" hx-swap-oob="true"' in done


@pytest.mark.parametrize("count", [1, 5])
def test_status_partial_queries_do_not_grow_with_versions(
    count, film, teacher, django_assert_num_queries
):
    for _ in range(count - 1):
        make_version(film, status=VideoStatus.CANCELLED)
    make_version(film, status=VideoStatus.READY)
    client = client_for(teacher)
    url = reverse("media_pipeline:status", args=[film.pk])

    # session, user, the teacher's festivals, film, its versions (the context processor's
    # festival is read lazily, and the partial never shows it)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_jurors_of_the_festival_are_not_allowed_yet(film, festival):
    juror = factories.make_juror(festival)

    assert delivery.can_watch(juror, film) is False


def test_forms_in_the_polled_partial_come_back_to_the_page(film, teacher):
    make_version(film, status=VideoStatus.READY)
    client = client_for(teacher)

    html = client.get(
        reverse("media_pipeline:status", args=[film.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/enseignant/films/{film.pk}/?onglet=video",
    ).content.decode()

    assert f'name="next" value="/enseignant/films/{film.pk}/?onglet=video"' in html


@pytest.mark.parametrize(
    ("poster", "size", "expected"),
    [
        (
            {"sizes": {"list.jpg": "p/l.jpg", "list.webp": "p/l.webp"}},
            "list",
            ("p/l.jpg", "p/l.webp"),
        ),
        ({"sizes": {"page.jpg": "p/p.jpg"}}, "list", ("p/p.jpg", "")),  # older outputs
        ({"sizes": {}, "source": "p/source.jpg"}, "page", ("p/source.jpg", "")),
        ({"sizes": {}}, "page", None),
    ],
)
def test_one_helper_signs_a_poster_and_falls_back_for_older_outputs(
    ready, teacher, poster, size, expected
):
    ready.outputs = {**ready.outputs, "poster": poster}
    found = delivery.poster(version=ready, user=teacher, size=size)
    if found is not None:
        found = tuple(path_of(url) if url else "" for url in (found.jpg, found.webp))
    assert found == expected
