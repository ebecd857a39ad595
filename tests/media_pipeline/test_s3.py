"""The S3 path against moto's standalone server, over real HTTP.

Originals go to the bucket and back to the worker's temporary folder in chunks; outputs go
to the bucket; players get playlists from Django whose segments are presigned URLs, and
redirects to presigned URLs for every other file.
"""

import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import boto3
import pytest
from django.core.files.storage import default_storage
from django.test import Client

from media_pipeline import delivery, ladder_job, originals, processing, storage_io
from media_pipeline.models import LadderStatus, VideoStatus
from tests.media_pipeline import clips
from tests.media_pipeline.workers import free_port

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "moto_server"), "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint + "/", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError as error:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(
                        f"moto_server did not start:\n{log.read_text()}"
                    ) from error
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(moto_endpoint, settings):
    name = f"filmit-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": moto_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 600,
                "file_overwrite": False,
            },
        },
    }
    assert storage_io.is_s3(default_storage)

    def keys(prefix=""):
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=name, Prefix=prefix)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def content(key):
        return client.get_object(Bucket=name, Key=key)["Body"].read()

    return type(
        "Bucket", (), {"name": name, "keys": staticmethod(keys), "get": staticmethod(content)}
    )


def fetch(url: str, **headers) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read(), dict(response.headers)


def process_clip(film, teacher, path: Path):
    version = originals.receive_original(
        film=film, user=teacher, path=path, filename="film.mp4", size=path.stat().st_size
    )
    processing.process_version(version_id=version.pk)
    version.refresh_from_db()
    return version


def test_originals_stream_to_the_bucket_and_back(bucket, film, teacher, tmp_path, monkeypatch):
    clip = clips.compliant_mp4(tmp_path, size="160x90", duration=1)
    monkeypatch.setattr(storage_io, "CHUNK_SIZE", 4096)  # many chunks, even for a tiny file
    chunks = []

    version = originals.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )
    storage_io.download(version.original.name, tmp_path / "copy", on_chunk=chunks.append)

    assert bucket.keys("originals/") == [version.original.name]
    assert bucket.get(version.original.name) == clip.read_bytes()
    assert (tmp_path / "copy").read_bytes() == clip.read_bytes()
    assert len(chunks) == -(-clip.stat().st_size // 4096)


def test_processing_and_delivery_through_s3(bucket, film, teacher, tmp_path):
    version = process_clip(film, teacher, clips.compliant_mp4(tmp_path, size="160x90"))

    assert version.status == VideoStatus.READY
    keys = bucket.keys(version.output_prefix)
    for path in ("hls/master.m3u8", "hls/90p/index.m3u8", "hls/90p/init.mp4", "film.mp4"):
        assert version.output_prefix + path in keys
    assert any(key.endswith(".m4s") for key in keys)

    client = Client()
    client.force_login(teacher)
    sources = delivery.sources(version=version, user=teacher)

    # Playlists come from Django; relative playlist references stay relative.
    master = client.get(sources.hls)
    assert master.status_code == 200
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert "90p/index.m3u8" in master.content.decode().splitlines()
    variant = client.get(sources.hls.rsplit("/", 1)[0] + "/90p/index.m3u8").content.decode()
    segment_urls = [line for line in variant.splitlines() if line.startswith("http")]
    assert segment_urls
    [map_line] = [line for line in variant.splitlines() if line.startswith("#EXT-X-MAP")]
    init_url = map_line.split('URI="', 1)[1].rstrip('"')

    # Segments and the init section are presigned URLs the player fetches from S3 itself.
    status, body, _headers = fetch(segment_urls[0])
    key = urlsplit(segment_urls[0]).path.split("/", 2)[2]
    assert (status, body) == (200, bucket.get(key))
    query = parse_qs(urlsplit(segment_urls[0]).query)
    if "X-Amz-Expires" in query:  # signature v4
        assert query["X-Amz-Expires"] == ["600"]
    else:  # signature v2: an absolute time
        assert abs(int(query["Expires"][0]) - time.time() - 600) < 30
    assert fetch(init_url)[0] == 200

    # Everything else is a redirect to a presigned URL, which supports Range requests.
    redirect = client.get(sources.mp4)
    assert redirect.status_code == 302
    status, body, headers = fetch(redirect["Location"], Range="bytes=0-99")
    assert status == 206
    assert body == bucket.get(version.output_prefix + "film.mp4")[:100]

    # WebVTT is served by Django too (a <track> must be same-origin).
    storyboard = client.get(sources.storyboard)
    assert storyboard.status_code == 200
    assert storyboard.content.startswith(b"WEBVTT")


def test_a_url_issued_to_the_teacher_is_refused_to_others(
    bucket, film, teacher, organizer, tmp_path
):
    version = process_clip(film, teacher, clips.compliant_mp4(tmp_path, size="160x90"))
    sources = delivery.sources(version=version, user=teacher)
    client = Client()
    client.force_login(organizer)

    assert client.get(sources.mp4).status_code == 403
    assert client.get(sources.hls).status_code == 403


def test_superseded_outputs_are_deleted_from_the_bucket(
    bucket, film, teacher, tmp_path, django_capture_on_commit_callbacks
):
    clip = clips.compliant_mp4(tmp_path, size="160x90")
    first = process_clip(film, teacher, clip)
    assert bucket.keys(first.output_prefix)

    with django_capture_on_commit_callbacks(execute=True):
        second = process_clip(film, teacher, clip)

    assert bucket.keys(first.output_prefix) == []
    assert bucket.keys(second.output_prefix)
    assert first.original.name in bucket.keys("originals/")


def test_second_pass_through_s3(
    bucket, film, teacher, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = process_clip(film, teacher, clips.compliant_mp4(tmp_path, size="854x480"))
    assert (version.status, version.ladder_status) == (VideoStatus.READY, LadderStatus.QUEUED)
    first_master = version.output_prefix + version.outputs["hls"]
    assert first_master in bucket.keys(version.output_prefix)

    with django_capture_on_commit_callbacks(execute=True):
        ladder_job.complete_ladder(version_id=version.pk)

    version.refresh_from_db()
    assert version.ladder_status == LadderStatus.DONE
    keys = bucket.keys(version.output_prefix)
    assert first_master in keys  # kept for the pages opened before, until replaced
    assert f"{version.output_prefix}{version.ladder_folder}/360p/init.mp4" in keys
    assert f"{version.output_prefix}{version.ladder_folder}/master.m3u8" in keys
    client = Client()
    client.force_login(teacher)
    sources = delivery.sources(version=version, user=teacher)
    master = client.get(sources.hls).content.decode().splitlines()
    variants = [line for line in master if line and not line.startswith("#")]
    assert variants == ["../hls/480p/index.m3u8", "360p/index.m3u8"]
    for variant in variants:
        playlist = client.get(urljoin(sources.hls, variant))
        assert playlist.status_code == 200
        segment = next(
            line for line in playlist.content.decode().splitlines() if line.startswith("http")
        )
        assert fetch(segment)[0] == 200
