"""Faults of a production installation, each with the real component failing.

A worker killed in the middle of a transcode, the object store cut off while a job runs, Redis
down when an upload is finished, an upload cut and resumed over HTTP, the database failing in
the middle of a score save, a full work disk. Each must leave the data whole and tell people
in French what happened.
"""

import hashlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

import boto3
import pytest
import redis
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from festival.enums import FilmStatus
from judging.models import Evaluation, Score, ScoreChange
from media_pipeline import jobs, originals, processing
from media_pipeline.models import VideoStatus, VideoVersion
from tests import factories
from tests.media_pipeline import clips
from tests.media_pipeline.test_tus import create, metadata, patch, tus_client, upload_url
from tests.media_pipeline.versions import stored_files
from tests.media_pipeline.workers import (
    free_port,
    kill,
    start,
    task_backend,
    wait_for,
    worker_env,
)
from tests.production import services

S = VideoStatus
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "media"]}}
# This module's own Redis database on the shared server (test_rq uses 13, the journey 14).
REDIS_URL = os.environ.get("FILMIT_FAULTS_REDIS_URL", "redis://127.0.0.1:6379/15")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rq_queues(url: str) -> dict:
    return {name: {"URL": url} for name in ("default", "media")}


def receive(film, teacher, clip: Path) -> VideoVersion:
    return originals.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )


def holding_ffmpeg(folder: Path, *, when: str, then: str) -> Path:
    """A bin folder whose `ffmpeg` runs the shell command `then` before the command lines
    matching `when`, then the real ffmpeg: the fault strikes in the middle of that step."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "ffmpeg"
    script.write_text(
        f'#!/bin/sh\ncase "$*" in {when}) {then};; esac\nexec {shutil.which("ffmpeg")} "$@"\n'
    )
    script.chmod(0o755)
    return folder


# A worker killed mid-transcode.


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_transcode_is_recovered_and_finishes_once(
    film, teacher, settings, tmp_path
):
    queue = redis.Redis.from_url(REDIS_URL)
    queue.flushdb()
    marker = tmp_path / "transcoding"
    # Held in the transcode (libx264) until killed: the job is caught in the middle.
    slow_bin = holding_ffmpeg(
        tmp_path / "slow-bin", when="*libx264*", then=f'touch "{marker}"; sleep 120'
    )
    log = tmp_path / "rqworker.log"
    args = ["rqworker", "media", "default", "--job-class", "django_tasks_rq.Job"]
    try:
        with task_backend(settings, TASKS=RQ_TASKS, RQ_QUEUES=rq_queues(REDIS_URL)):
            version = receive(film, teacher, clips.mpeg4_mp4(tmp_path, duration=1))
            slow = worker_env(
                TASKS_BACKEND="rq", REDIS_URL=REDIS_URL, PATH=f"{slow_bin}:{os.environ['PATH']}"
            )
            first = start(args, log=log, env=slow)
            try:
                wait_for(marker.exists, timeout=60, what="the worker to transcode", log=log)
                version.refresh_from_db()
            finally:
                kill(first)  # SIGKILL
                # RQ runs each job in a work-horse of its own session: killed too, with its
                # ffmpeg, as a machine's crash (or systemd stopping the unit) does.
                horse = version.worker.rpartition(":")[2]
                if horse.isdigit():
                    os.killpg(int(horse), signal.SIGKILL)
            wait_for(lambda: jobs.worker_is_dead(version.worker), timeout=10, what="its death")
            assert (version.status, version.attempts) in ((S.PROBING, 1), (S.PROCESSING, 1))
            abandoned_work_dir = Path(version.work_dir)
            assert abandoned_work_dir.is_dir()  # SIGKILL leaves it behind

            call_command("media_watchdog")  # the hourly chore

            version.refresh_from_db()
            assert (version.status, version.error_code) == (S.QUEUED, "worker_lost")
            assert not abandoned_work_dir.exists()
            second = start(
                [*args, "--burst"], log=log, env=worker_env(TASKS_BACKEND="rq", REDIS_URL=REDIS_URL)
            )
            try:
                assert second.wait(timeout=120) == 0, log.read_text()
            finally:
                kill(second)
    finally:
        queue.flushdb()

    version.refresh_from_db()
    assert (version.status, version.attempts) == (S.READY, 2), log.read_text()
    assert list(VideoVersion.objects.filter(film=film).values_list("status", flat=True)) == [
        S.READY
    ]
    everything = stored_files(f"renditions/{film.pk}/")
    assert everything == stored_files(version.output_prefix)  # one attempt's files only
    assert everything.count(version.output_prefix + "film.mp4") == 1


# The object store cut off while a job runs.


@pytest.fixture
def s3_through_proxy(settings, tmp_path):
    """moto's S3, reached through a forwarder the test can kill and start again."""
    moto, endpoint = services.start_moto(tmp_path / "moto.log")
    listen = free_port()
    proxy = services.start_proxy(listen, int(endpoint.rsplit(":", 1)[1]), tmp_path / "proxy.log")
    bucket = f"filmit-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": f"http://127.0.0.1:{listen}",
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    state = {"proxy": proxy, "listen": listen, "target": int(endpoint.rsplit(":", 1)[1])}

    def restart():
        state["proxy"] = services.start_proxy(
            state["listen"], state["target"], tmp_path / "proxy.log"
        )

    def content(key):
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()

    yield type(
        "S3",
        (),
        {"pid": lambda: state["proxy"].pid, "restart": staticmethod(restart), "get": content},
    )
    services.stop(state["proxy"])
    services.stop(moto)


def test_the_object_store_lost_during_a_job_fails_it_cleanly_and_a_retry_succeeds(
    s3_through_proxy, film, teacher, organizer, tmp_path, monkeypatch
):
    clip = clips.mpeg4_mp4(tmp_path, duration=1)
    version = receive(film, teacher, clip)
    original = version.original.name
    # The store goes away while ffmpeg transcodes: the original was fetched, the outputs
    # cannot be stored.
    cut = holding_ffmpeg(
        tmp_path / "cut-bin", when="*libx264*", then=f"kill -9 {s3_through_proxy.pid()} || true"
    )
    monkeypatch.setenv("PATH", f"{cut}:{os.environ['PATH']}")

    assert processing.process_version(version_id=version.pk) is not None

    version.refresh_from_db()
    assert (version.status, version.attempts, version.error_code) == (
        S.QUEUED,
        1,
        "internal_error",
    )
    assert version.message == "Le traitement de la vidéo a échoué. Il reprend automatiquement."
    assert (version.output_prefix, version.worker, version.work_dir) == ("", "", "")

    # The store is back: the next attempt (what the queue runs) succeeds.
    s3_through_proxy.restart()
    monkeypatch.undo()
    processing.process_version(version_id=version.pk)

    version.refresh_from_db()
    assert (version.status, version.attempts) == (S.READY, 2)
    assert version.original.name == original
    assert sha256(s3_through_proxy.get(original)) == sha256(clip.read_bytes())
    assert default_storage.exists(version.output_prefix + "film.mp4")


# Redis down when an upload is finished.


@pytest.mark.django_db(transaction=True)
def test_an_upload_finished_while_redis_is_down_is_kept_and_queued_when_it_returns(
    film, teacher, settings, tmp_path
):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    server = services.start_redis(port, tmp_path / "redis.log")
    settings.FILMIT_UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIA_STALL_SECONDS = 0  # the watchdog's patience, shortened for the test
    data = clips.compliant_mp4(tmp_path, size="160x90", duration=1).read_bytes()
    try:
        with task_backend(settings, TASKS=RQ_TASKS, RQ_QUEUES=rq_queues(url)):
            services.stop(server)
            assert not services.port_open(port)

            client = tus_client(teacher)
            upload = upload_url(create(client, film, len(data)))
            response = patch(client, upload, 0, data)

            # The upload is kept, and the teacher told it was received.
            assert response.status_code == 204
            version = VideoVersion.objects.get(film=film)
            assert (version.status, version.task_id) == (S.QUEUED, "")
            assert sha256(version.original.read()) == sha256(data)

            server = services.start_redis(port, tmp_path / "redis.log")
            call_command("media_watchdog")  # the hourly chore finds the lost task

            version.refresh_from_db()
            import django_rq

            assert django_rq.get_queue("media").job_ids == [version.task_id]
            worker = start(
                ["rqworker", "media", "--job-class", "django_tasks_rq.Job", "--burst"],
                log=tmp_path / "rqworker.log",
                env=worker_env(TASKS_BACKEND="rq", REDIS_URL=url),
            )
            try:
                assert worker.wait(timeout=120) == 0
            finally:
                kill(worker)
    finally:
        services.stop(server)
    version.refresh_from_db()
    assert version.status == S.READY, (tmp_path / "rqworker.log").read_text()


# An upload cut and resumed over real HTTP.


def _http(live_server, method, path, *, headers, body=b""):
    host, port = live_server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_an_upload_cut_mid_chunk_resumes_to_a_byte_identical_file(
    live_server, film, teacher, settings, tmp_path
):
    settings.FILMIT_UPLOAD_DIR = tmp_path / "uploads"
    data = clips.compliant_mp4(tmp_path, size="320x180", duration=2).read_bytes()
    session = Client()
    session.force_login(teacher)
    token = uuid.uuid4().hex
    headers = {
        "Tus-Resumable": "1.0.0",
        "X-CSRFToken": token,
        "Cookie": f"sessionid={session.cookies['sessionid'].value}; csrftoken={token}",
    }
    status, answer, _body = _http(
        live_server,
        "POST",
        "/televersements/",
        headers={
            **headers,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(filename="film.mp4", filetype="video/mp4", film=film.pk),
        },
    )
    assert status == 201
    path = answer["Location"].removeprefix(live_server.url)

    # The whole file announced, the connection cut after a part of it.
    cut = len(data) // 3
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = "".join(
            f"{name}: {value}\r\n"
            for name, value in {
                **headers,
                "Host": f"{host}:{port}",
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(len(data)),
            }.items()
        )
        sock.sendall(f"PATCH {path} HTTP/1.1\r\n{head}\r\n".encode() + data[:cut])
        sock.shutdown(socket.SHUT_WR)

    def offset():
        status, answer, _body = _http(live_server, "HEAD", path, headers=headers)
        return status == 200 and int(answer["Upload-Offset"])

    resumed_at = services.wait_until(offset, timeout=20, what="the cut chunk to be saved")
    assert 0 < resumed_at <= cut

    status, answer, _body = _http(
        live_server,
        "PATCH",
        path,
        headers={
            **headers,
            "Upload-Offset": str(resumed_at),
            "Content-Type": "application/offset+octet-stream",
        },
        body=data[resumed_at:],
    )
    assert (status, answer["Upload-Offset"]) == (204, str(len(data)))
    version = VideoVersion.objects.get(film=film)
    assert version.original_size == len(data)
    assert sha256(version.original.read()) == sha256(data)


# The database failing in the middle of a score save.


@pytest.fixture
def scoring(festival, edition, category, teacher, juror):
    film = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, title="Les régleurs"
    )
    criteria = [
        factories.make_criterion(edition, name="Scénario", weight=Decimal(2)),
        factories.make_criterion(edition, name="Image"),
    ]
    jury = factories.make_jury(edition, categories=[category], name="Jury A")
    factories.make_assignment(jury=jury, juror=juror, film=film)
    client = Client()
    client.force_login(juror)
    data = {
        f"criterion_{criteria[0].pk}": "7,5",
        f"criterion_{criteria[1].pk}": "8",
        "comment": "Un cadrage très sûr.",
    }
    return film, criteria, client, data


def fail_on(table: str):
    """A database that breaks when the save reaches `table`: what a lost connection or a full
    disk on the database server does in the middle of a transaction."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and f'"{table}"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.parametrize("view", ["juror_draft", "juror_validate"])
def test_a_database_error_during_a_score_save_writes_nothing_and_keeps_the_notes(
    scoring, juror, view
):
    film, criteria, client, data = scoring
    if view == "juror_validate":
        data = {**data, "confirmed": "1"}

    # The scores are written, then the audit trail fails: everything must be undone.
    with connection.execute_wrapper(fail_on("judging_scorechange")):
        response = client.post(reverse(f"judging:{view}", args=[film.pk]), data)

    assert response.status_code == 503
    text = response.content.decode()
    assert (
        "Vos notes n&#x27;ont pas pu être enregistrées à cause d&#x27;un incident technique."
        in text
    )
    assert f'name="criterion_{criteria[0].pk}" value="7,5"' in text
    assert f'name="criterion_{criteria[1].pk}" value="8"' in text
    assert "Un cadrage très sûr.</textarea>" in text
    assert Score.objects.count() == 0
    assert ScoreChange.objects.count() == 0
    assert not Evaluation.objects.filter(juror=juror, scores__isnull=False).exists()

    # The same form sent again once the database is back saves everything.
    response = client.post(reverse("judging:juror_draft", args=[film.pk]), data)
    assert response.status_code in (200, 302)
    assert Score.objects.filter(evaluation__juror=juror).count() == 2


def test_a_database_error_during_a_draft_saved_as_the_juror_types(scoring, juror):
    film, _criteria, client, data = scoring

    with connection.execute_wrapper(fail_on("judging_score")):
        response = client.post(
            reverse("judging:juror_draft", args=[film.pk]), data, headers={"hx-request": "true"}
        )

    # htmx swaps 2xx answers only: the status line says why, the typed notes stay on the page.
    assert response.status_code == 200
    assert "incident technique" in response.content.decode()
    assert Score.objects.count() == 0
    assert not Evaluation.objects.exclude(state="to_watch").exists()


# A full work disk.


@pytest.fixture
def tiny_work_disk(settings):
    """A 1 MB tmpfs as the workers' MEDIA_WORK_DIR: the disk really fills up (ENOSPC)."""
    folder = Path(tempfile.mkdtemp(prefix="filmit-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here (root needed): {mounted.stderr.decode()}")
    settings.MEDIA_WORK_DIR = str(folder)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


@pytest.mark.parametrize("seconds", [2, 12], ids=["outputs-fill-it", "original-fills-it"])
def test_a_full_work_disk_fails_the_job_with_a_clear_message(
    tiny_work_disk, film, teacher, organizer, tmp_path, seconds
):
    clip = clips.compliant_mp4(tmp_path, size="640x360", duration=seconds)
    version = receive(film, teacher, clip)

    processing.process_version(version_id=version.pk)

    version.refresh_from_db()
    assert (version.status, version.error_code) == (S.QUEUED, "disk_full"), version.log_excerpt
    message = (
        "Le traitement a été interrompu : le disque de travail du serveur de traitement est "
        "plein. La vidéo envoyée est conservée et le traitement reprend automatiquement."
    )
    assert version.message == message
    assert sha256(version.original.read()) == sha256(clip.read_bytes())
    assert list(tiny_work_disk.iterdir()) == []  # the attempt's folder is gone
    for user, url in (
        (organizer, reverse("festival:organizer_film", args=[film.pk])),
        (teacher, film.get_absolute_url()),
    ):
        client = Client()
        client.force_login(user)
        page = client.get(url).content.decode().replace("&#x27;", "'")
        assert message in page, user
