"""The watchdog: jobs whose worker died, hung, or whose task was lost are queued again."""

import os
import socket
import subprocess
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from media_pipeline import originals, processing, watchdog
from media_pipeline.management.commands import media_watchdog
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.tasks import process_version_task
from tests.media_pipeline import clips
from tests.media_pipeline.versions import make_version, stored_files

S = VideoStatus
HOST = socket.gethostname()


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def running(film, *, worker: str, heartbeat_ago: float = 0, deadline_in: float = 3600, **kw):
    now = timezone.now()
    fields = {
        "status": S.PROCESSING,
        "with_outputs": True,  # as if killed while uploading its files
        "attempts": 1,
        "worker": worker,
        "started_at": now - timedelta(seconds=heartbeat_ago + 10),
        "heartbeat_at": now - timedelta(seconds=heartbeat_ago),
        "deadline_at": now + timedelta(seconds=deadline_in),
        "percent": 40,
    }
    return make_version(film, **{**fields, **kw})


def recover(django_capture_on_commit_callbacks) -> list[VideoVersion]:
    with django_capture_on_commit_callbacks(execute=True):
        recovered = watchdog.recover_stalled()
    for version in recovered:
        version.refresh_from_db()
    return recovered


def test_job_of_a_dead_worker_is_queued_again(film, tmp_path, django_capture_on_commit_callbacks):
    work_dir = tmp_path / "filmit-v1-abandoned"
    work_dir.mkdir()
    version = running(film, worker=f"{HOST}:{dead_pid()}", work_dir=str(work_dir))
    partial = version.output_prefix
    assert stored_files(partial)

    assert recover(django_capture_on_commit_callbacks) == [version]

    version.refresh_from_db()
    assert (version.status, version.attempts, version.error_code) == (S.QUEUED, 1, "worker_lost")
    assert version.message == (
        "Le traitement a été interrompu : le serveur qui s'en chargeait s'est arrêté. "
        "Il reprend automatiquement."
    )
    assert (version.output_prefix, version.worker, version.percent) == ("", "", 0)
    assert stored_files(partial) == []
    assert not work_dir.exists()
    assert process_version_task.get_result(version.task_id).kwargs == {"version_id": version.pk}


def test_job_of_a_dead_worker_fails_once_its_attempts_are_spent(
    film, django_capture_on_commit_callbacks
):
    version = running(film, worker=f"{HOST}:{dead_pid()}", attempts=3, max_attempts=3)

    recover(django_capture_on_commit_callbacks)

    version.refresh_from_db()
    assert (version.status, version.error_code, version.task_id) == (S.FAILED, "worker_lost", "")
    assert version.message.startswith("La préparation de la vidéo a échoué plusieurs fois.")
    assert version.finished_at is not None


def test_job_past_its_deadline_is_a_timeout(film, django_capture_on_commit_callbacks):
    version = running(film, worker=f"{HOST}:{os.getpid()}", deadline_in=-1)

    recover(django_capture_on_commit_callbacks)

    version.refresh_from_db()
    assert (version.status, version.error_code) == (S.QUEUED, "timeout")


def test_silent_worker_on_another_machine_is_presumed_dead(
    film, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_STALL_SECONDS = 300
    silent = running(film, worker="worker-7.example:1234", heartbeat_ago=301)
    alive = running(film, worker="worker-8.example:1234", heartbeat_ago=30)

    assert recover(django_capture_on_commit_callbacks) == [silent]

    alive.refresh_from_db()
    assert alive.status == S.PROCESSING


def test_a_live_local_worker_is_trusted_even_when_quiet(
    film, settings, django_capture_on_commit_callbacks
):
    # A long loudness analysis reports no progress; its process is there, so it is alive.
    version = running(film, worker=f"{HOST}:{os.getpid()}", heartbeat_ago=3600)

    assert recover(django_capture_on_commit_callbacks) == []

    version.refresh_from_db()
    assert version.status == S.PROCESSING


def test_a_lost_task_is_enqueued_again(film, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_STALL_SECONDS = 300
    old = timezone.now() - timedelta(seconds=301)
    lost = make_version(film, status=S.QUEUED, queued_at=old, task_id="")

    assert recover(django_capture_on_commit_callbacks) == [lost]

    lost.refresh_from_db()
    assert lost.status == S.QUEUED
    assert process_version_task.get_result(lost.task_id).kwargs == {"version_id": lost.pk}


def test_a_task_still_waiting_in_the_queue_is_left_alone(
    film, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_STALL_SECONDS = 300
    old = timezone.now() - timedelta(seconds=301)
    task = process_version_task.enqueue(version_id=0)
    waiting = make_version(film, status=S.QUEUED, queued_at=old, task_id=task.id)
    recent = make_version(film, status=S.QUEUED, queued_at=timezone.now(), task_id="")

    assert recover(django_capture_on_commit_callbacks) == []

    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert (waiting.task_id, recent.task_id) == (task.id, "")


def test_a_worker_recovers_dead_jobs_before_its_own(film, teacher, tmp_path, category):
    from tests import factories

    dead = running(film, worker=f"{HOST}:{dead_pid()}")
    clip = clips.compliant_mp4(tmp_path, size="160x90", duration=1)
    other = factories.make_film(teacher=teacher, category=category)
    version = originals.receive_original(
        film=other, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )

    processing.process_version(version_id=version.pk)

    dead.refresh_from_db()
    version.refresh_from_db()
    assert (dead.status, dead.error_code) == (S.QUEUED, "worker_lost")
    assert version.status == S.READY


def test_watchdog_command(film, django_capture_on_commit_callbacks):
    version = running(film, worker=f"{HOST}:{dead_pid()}")
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("media_watchdog", stdout=out)

    assert out.getvalue() == (
        f"Video version {version.pk} (film {film.pk}): queued, worker_lost.\n"
    )


def test_watchdog_command_loops(film, monkeypatch):
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(media_watchdog.time, "sleep", sleep)

    with pytest.raises(KeyboardInterrupt):
        call_command("media_watchdog", loop=15, stdout=StringIO())

    assert sleeps == [15, 15, 15]
