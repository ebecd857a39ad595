"""The embedded default: a real `manage.py db_worker` process runs the jobs.

Also: a worker killed (kill -9) in the middle of a job (the processing, or the fast path's
second pass), found by the watchdog, and a new worker finishing the job with no duplicate
outputs.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from media_pipeline import originals
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.tasks import complete_ladder_task, process_version_task
from tests.media_pipeline import clips
from tests.media_pipeline.versions import stored_files
from tests.media_pipeline.workers import (
    kill,
    slow_ffmpeg,
    start_db_worker,
    wait_for,
    worker_env,
)

pytestmark = pytest.mark.django_db(transaction=True)

S, L = VideoStatus, LadderStatus
FINAL = (S.READY, S.REJECTED, S.FAILED, S.CANCELLED)


def receive(film, teacher, path: Path) -> VideoVersion:
    # No transaction here: the task is enqueued at once, as after a real request.
    return originals.receive_original(
        film=film, user=teacher, path=path, filename="film.mp4", size=path.stat().st_size
    )


def status_of(version: VideoVersion) -> str:
    return VideoVersion.objects.values_list("status", flat=True).get(pk=version.pk)


def test_db_worker_processes_an_upload(film, teacher, tmp_path):
    clip = clips.mpeg4_mp4(tmp_path)  # re-encoded: one job makes everything
    log = tmp_path / "worker.log"
    worker = start_db_worker(log=log, env=worker_env())
    try:
        version = receive(film, teacher, clip)
        wait_for(
            lambda: process_version_task.get_result(version.task_id).status == "SUCCESSFUL",
            timeout=120,
            what="the task",
            log=log,
        )
    finally:
        kill(worker)

    version.refresh_from_db()
    assert (version.status, version.attempts, version.percent) == (S.READY, 1, 100)
    assert version.ladder_status == L.NONE
    assert version.outputs["hls"] == "hls/master.m3u8"
    assert version.output_prefix + "hls/master.m3u8" in stored_files(version.output_prefix)


def ladder_of(version: VideoVersion) -> tuple[str, str]:
    return VideoVersion.objects.values_list("status", "ladder_status").get(pk=version.pk)


def test_db_worker_runs_both_passes_of_a_compliant_film(film, teacher, tmp_path):
    clip = clips.compliant_mp4(tmp_path, size="854x480", duration=1)
    log = tmp_path / "worker.log"
    worker = start_db_worker(log=log, env=worker_env())
    try:
        version = receive(film, teacher, clip)
        wait_for(
            lambda: ladder_of(version) == (S.READY, L.DONE),
            timeout=120,
            what="the second pass",
            log=log,
        )
        version.refresh_from_db()
        # The worker records the task's end just after the job's own last change.
        wait_for(
            lambda: complete_ladder_task.get_result(version.task_id).status == "SUCCESSFUL",
            timeout=30,
            what="the second pass's task to be recorded",
            log=log,
        )
    finally:
        kill(worker)

    version.refresh_from_db()
    assert [r["name"] for r in version.outputs["renditions"]] == ["480p", "360p"]
    assert complete_ladder_task.get_result(version.task_id).status == "SUCCESSFUL"
    assert version.output_prefix + version.outputs["hls"] in stored_files(version.output_prefix)


def test_second_pass_of_a_killed_worker_is_finished_by_another_one(film, teacher, tmp_path):
    clip = clips.compliant_mp4(tmp_path, size="854x480", duration=1)
    marker = tmp_path / "second-pass-started"
    slow_bin = slow_ffmpeg(tmp_path / "slow-bin", marker=marker, when="*ladder-*")
    log = tmp_path / "worker.log"

    first = start_db_worker(log=log, env=worker_env(PATH=f"{slow_bin}:{os.environ['PATH']}"))
    try:
        version = receive(film, teacher, clip)
        wait_for(marker.exists, timeout=60, what="the second pass to run ffmpeg", log=log)
    finally:
        kill(first)
    version.refresh_from_db()
    # Killed in its second pass, the film is already watchable.
    assert (version.status, version.ladder_status, version.ladder_attempts) == (
        S.READY,
        L.PROCESSING,
        1,
    )
    assert [r["name"] for r in version.outputs["renditions"]] == ["480p"]
    abandoned_work_dir = Path(version.work_dir)
    assert abandoned_work_dir.is_dir()

    call_command("media_watchdog")

    version.refresh_from_db()
    assert (version.ladder_status, version.ladder_error_code) == (L.QUEUED, "worker_lost")
    assert not abandoned_work_dir.exists()

    second = start_db_worker(log=log, env=worker_env())
    try:
        wait_for(
            lambda: ladder_of(version) == (S.READY, L.DONE),
            timeout=120,
            what="the second worker",
            log=log,
        )
    finally:
        kill(second)

    version.refresh_from_db()
    assert version.ladder_attempts == 2
    folders = {
        name[len(version.output_prefix) :].split("/")[0]
        for name in stored_files(version.output_prefix)
    }
    # The first pass's files and the successful attempt's folder: nothing of the killed one.
    assert sorted(folders) == sorted(
        ["film.mp4", "hls", "posters", "poster", "storyboard", version.ladder_folder]
    )


def test_job_of_a_killed_worker_is_finished_by_another_one(film, teacher, tmp_path):
    clip = clips.compliant_mp4(tmp_path, size="160x90", duration=1)
    marker = tmp_path / "ffmpeg-started"
    slow_bin = slow_ffmpeg(tmp_path / "slow-bin", marker=marker)
    log = tmp_path / "worker.log"

    first = start_db_worker(log=log, env=worker_env(PATH=f"{slow_bin}:{os.environ['PATH']}"))
    try:
        version = receive(film, teacher, clip)
        wait_for(marker.exists, timeout=60, what="the first worker to run ffmpeg", log=log)
    finally:
        kill(first)  # kill -9, with the ffmpeg it started
    version.refresh_from_db()
    assert version.status in (S.PROBING, S.PROCESSING)
    assert version.attempts == 1
    abandoned_work_dir = Path(version.work_dir)
    assert abandoned_work_dir.is_dir()  # SIGKILL leaves the temporary folder behind

    call_command("media_watchdog")

    version.refresh_from_db()
    assert (version.status, version.attempts, version.error_code) == (S.QUEUED, 1, "worker_lost")
    assert not abandoned_work_dir.exists()

    second = start_db_worker(log=log, env=worker_env())
    try:
        wait_for(
            lambda: status_of(version) in FINAL, timeout=120, what="the second worker", log=log
        )
    finally:
        kill(second)

    version.refresh_from_db()
    assert (version.status, version.attempts) == (S.READY, 2)
    everything = stored_files(f"renditions/{film.pk}/")
    assert everything == stored_files(version.output_prefix)  # one attempt's files only
    assert version.output_prefix + "film.mp4" in everything
