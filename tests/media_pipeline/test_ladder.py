"""The fast path's second pass: a compliant film is watchable first, its lower rungs follow.

The real pipeline runs in this process on a tiny compliant 480p clip (a 480p rung copied,
a 360p rung to encode); test_tasks_db_worker.py runs both jobs in a real worker.
"""

import os
import socket
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from festival.domain import DomainError
from media_pipeline import delivery, domain, ladder
from media_pipeline import pipeline as pipeline_module
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.tasks import complete_ladder_task
from tests.media_pipeline import clips
from tests.media_pipeline.versions import stored_files

S, L = VideoStatus, LadderStatus


@pytest.fixture
def compliant_clip(tmp_path) -> Path:
    return clips.compliant_mp4(tmp_path, size="854x480", duration=1)


def receive(film, user, path: Path) -> VideoVersion:
    return domain.receive_original(
        film=film, user=user, path=path, filename="film.mp4", size=path.stat().st_size
    )


@pytest.fixture
def watchable(film, teacher, compliant_clip, django_capture_on_commit_callbacks, mailoutbox):
    """A compliant film after its first pass: ready, its lower rung still to make."""
    with django_capture_on_commit_callbacks(execute=True):
        version = receive(film, teacher, compliant_clip)
        domain.process_version(version_id=version.pk)
    version.refresh_from_db()
    return version


def complete(version, callbacks) -> VideoVersion | None:
    with callbacks(execute=True):
        done = ladder.complete_ladder(version_id=version.pk)
    version.refresh_from_db()
    return done


def variants(master: str) -> list[str]:
    return [line for line in master.splitlines() if line and not line.startswith("#")]


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def read(name: str) -> str:
    with default_storage.open(name) as stored:
        return stored.read().decode()


def test_first_pass_makes_the_film_watchable_in_its_own_quality(watchable, mailoutbox):
    version = watchable

    assert (version.status, version.ladder_status, version.ladder_attempts) == (
        S.READY,
        L.QUEUED,
        0,
    )
    assert [r["name"] for r in version.outputs["renditions"]] == ["480p"]
    prefix = version.output_prefix
    assert variants(read(prefix + version.outputs["hls"])) == ["480p/index.m3u8"]
    stored = stored_files(prefix)
    assert prefix + "film.mp4" in stored
    assert not [name for name in stored if "/360p/" in name]
    assert len(version.outputs["posters"]) == 6
    assert version.probe["analysis"]["loudness_target"] == -16
    # Ready means ready: the teacher is told now, not after the second pass.
    assert [email.subject for email in mailoutbox] == [
        f"FILM'IT : la vidéo de « {version.film.title} » est prête"
    ]
    task = complete_ladder_task.get_result(version.task_id)
    assert (task.kwargs, task.task.queue_name) == ({"version_id": version.pk}, "media")


def test_second_pass_adds_the_lower_rungs(
    watchable, teacher, client, django_capture_on_commit_callbacks, mailoutbox
):
    version = watchable
    first_master = version.outputs["hls"]
    first_storyboard = version.outputs["storyboard"]
    prefix = version.output_prefix

    assert complete(version, django_capture_on_commit_callbacks) is not None

    folder = version.ladder_folder
    assert folder.startswith("ladder-")
    assert (version.status, version.ladder_status, version.ladder_attempts) == (S.READY, L.DONE, 1)
    assert [(r["name"], r["width"], r["height"]) for r in version.outputs["renditions"]] == [
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    assert version.outputs["hls"] == f"{folder}/master.m3u8"
    master = read(prefix + version.outputs["hls"])
    assert variants(master) == ["../hls/480p/index.m3u8", "360p/index.m3u8"]
    assert master.count("#EXT-X-STREAM-INF:") == 2
    assert version.outputs["storyboard"] == {
        "image": f"{folder}/storyboard/storyboard.jpg",
        "vtt": f"{folder}/storyboard/storyboard.vtt",
    }
    stored = stored_files(prefix)
    # The first pass's playlist and keyframe storyboard are replaced, not kept beside.
    assert prefix + first_master not in stored
    assert prefix + first_storyboard["image"] not in stored
    assert prefix + version.outputs["storyboard"]["image"] in stored
    assert prefix + "hls/480p/init.mp4" in stored
    assert {"download", "transcode", "upload", "total"} <= set(version.timings["lower_renditions"])
    assert (version.worker, version.work_dir) == ("", "")
    assert len(mailoutbox) == 1  # no second email

    # A player resolves every variant from the master playlist's signed URL.
    client.force_login(teacher)
    sources = delivery.sources(version=version, user=teacher)
    response = client.get(sources.hls)
    assert response.status_code == 200
    for variant in variants(body(response)):
        playlist = client.get(urljoin(sources.hls, variant))
        assert playlist.status_code == 200, variant
        assert "#EXT-X-ENDLIST" in body(playlist)


def test_lower_rung_is_encoded_from_the_source(watchable, django_capture_on_commit_callbacks):
    version = watchable
    complete(version, django_capture_on_commit_callbacks)

    folder = Path(default_storage.path(version.output_prefix)) / version.ladder_folder / "360p"
    joined = folder.parent / "joined.mp4"
    playlist = (folder / "index.m3u8").read_text()
    with joined.open("wb") as out:
        out.write((folder / "init.mp4").read_bytes())
        for line in variants(playlist):
            out.write((folder / line).read_bytes())
    found = clips.streams(joined)
    assert (found["video"]["width"], found["video"]["height"]) == (640, 360)
    assert (found["video"]["codec_name"], found["video"]["pix_fmt"]) == ("h264", "yuv420p")
    assert (found["audio"]["codec_name"], found["audio"]["sample_rate"]) == ("aac", "48000")


def test_poster_chosen_during_the_second_pass_is_kept(
    watchable, teacher, django_capture_on_commit_callbacks
):
    version = watchable
    chosen = version.outputs["posters"][3]
    with django_capture_on_commit_callbacks(execute=True):
        domain.choose_poster(version=version, user=teacher, candidate=chosen)

    complete(version, django_capture_on_commit_callbacks)

    assert version.ladder_status == L.DONE
    assert version.outputs["poster"]["source"] == chosen
    for path in version.outputs["poster"]["sizes"].values():
        assert version.output_prefix + path in stored_files(version.output_prefix)


def test_only_one_worker_claims_the_second_pass(watchable):
    first = ladder._claim(watchable.pk)
    second = ladder._claim(watchable.pk)

    assert first is not None and first.ladder_status == L.PROCESSING
    assert second is None


def test_transition_refuses_moves_that_do_not_exist(watchable):
    with pytest.raises(ValueError):
        ladder.transition(watchable, L.DONE)


def test_a_late_worker_cannot_finish_an_attempt_handed_to_another(
    watchable, django_capture_on_commit_callbacks
):
    late = ladder._claim(watchable.pk)
    with django_capture_on_commit_callbacks(execute=True):
        ladder.attempt_failed(late, code="worker_lost")
    current = ladder._claim(watchable.pk)
    assert current.ladder_folder != late.ladder_folder

    with pytest.raises(domain.VersionAbandoned):
        late_job = ladder._Job(late)
        late_job.last_beat = 0
        late_job.beat()
    result = pipeline_module.PipelineResult("ready", renditions=[], hls="x", storyboard={})
    with pytest.raises(domain.VersionAbandoned):
        ladder._finish(late, result=result, timings={})

    watchable.refresh_from_db()
    assert (watchable.ladder_status, watchable.ladder_folder) == (
        L.PROCESSING,
        current.ladder_folder,
    )


def failing_second_pass(monkeypatch):
    def broken(**kwargs):
        out = Path(kwargs["out_dir"]) / kwargs["folder"]
        out.mkdir(parents=True)
        (out / "partial.m4s").write_bytes(b"partial")
        return pipeline_module.PipelineResult(
            "failed", "ffmpeg_failed", "échec", log_excerpt="[libx264] out of memory"
        )

    monkeypatch.setattr(pipeline_module, "add_lower_renditions", broken)


def test_failed_second_pass_is_retried_then_failed_and_the_film_still_plays(
    watchable, teacher, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_MAX_ATTEMPTS = 2
    failing_second_pass(monkeypatch)
    version = watchable

    complete(version, django_capture_on_commit_callbacks)
    assert (version.ladder_status, version.ladder_attempts) == (L.QUEUED, 1)
    assert version.ladder_error_code == "ffmpeg_failed"
    complete(version, django_capture_on_commit_callbacks)

    assert (version.status, version.ladder_status, version.ladder_attempts) == (
        S.READY,
        L.FAILED,
        2,
    )
    assert "out of memory" in version.log_excerpt
    assert not [name for name in stored_files(version.output_prefix) if "ladder-" in name]
    assert version.outputs["hls"] == "hls/master.m3u8"
    sources = delivery.sources(version=version, user=teacher)
    assert sources.hls and sources.mp4
    assert complete(version, django_capture_on_commit_callbacks) is None  # nothing queued


def test_crash_in_the_second_pass_is_an_attempt(
    watchable, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline_module, "add_lower_renditions", crash)

    assert complete(watchable, django_capture_on_commit_callbacks) is not None

    assert (watchable.ladder_status, watchable.ladder_attempts) == (L.QUEUED, 1)
    assert watchable.ladder_error_code == "internal_error"
    assert "disk full" in watchable.log_excerpt
    assert complete_ladder_task.get_result(watchable.task_id).kwargs == {"version_id": watchable.pk}


def test_organizer_retries_a_failed_second_pass(
    watchable, organizer, teacher, django_capture_on_commit_callbacks
):
    VideoVersion.objects.filter(pk=watchable.pk).update(
        ladder_status=L.FAILED, ladder_attempts=3, ladder_error_code="timeout"
    )
    watchable.refresh_from_db()

    with pytest.raises(DomainError):
        domain.retry_version(version=watchable, user=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        domain.retry_version(version=watchable, user=organizer)

    watchable.refresh_from_db()
    assert (watchable.status, watchable.ladder_status, watchable.ladder_attempts) == (
        S.READY,
        L.QUEUED,
        0,
    )
    assert complete_ladder_task.get_result(watchable.task_id).kwargs == {"version_id": watchable.pk}
    complete(watchable, django_capture_on_commit_callbacks)
    assert watchable.ladder_status == L.DONE


def test_new_upload_cancels_the_second_pass_and_a_refused_one_gives_it_back(
    watchable, teacher, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newer = receive(watchable.film, teacher, clips.m4a_audio(tmp_path))
    watchable.refresh_from_db()
    assert watchable.ladder_status == L.CANCELLED
    assert complete(watchable, django_capture_on_commit_callbacks) is None

    with django_capture_on_commit_callbacks(execute=True):
        domain.process_version(version_id=newer.pk)

    newer.refresh_from_db()
    watchable.refresh_from_db()
    assert newer.status == S.REJECTED
    assert (watchable.status, watchable.ladder_status) == (S.READY, L.QUEUED)
    assert complete_ladder_task.get_result(watchable.task_id).kwargs == {"version_id": watchable.pk}
    complete(watchable, django_capture_on_commit_callbacks)
    assert watchable.ladder_status == L.DONE


def test_second_pass_of_a_replaced_version_is_dropped(
    watchable, teacher, tmp_path, django_capture_on_commit_callbacks
):
    claimed = ladder._claim(watchable.pk)
    with django_capture_on_commit_callbacks(execute=True):
        newer = receive(watchable.film, teacher, clips.compliant_mp4(tmp_path, size="160x90"))
        domain.process_version(version_id=newer.pk)
    watchable.refresh_from_db()
    assert (watchable.status, watchable.ladder_status) == (S.SUPERSEDED, L.CANCELLED)

    with pytest.raises(domain.VersionAbandoned):
        ladder._finish(claimed, result=pipeline_module.PipelineResult("ready"), timings={})
    assert stored_files(watchable.output_prefix) == []


# Watchdog.

HOST = socket.gethostname()


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def held_by(version, *, worker: str, deadline_in: float = 3600, work_dir: str = ""):
    now = timezone.now()
    VideoVersion.objects.filter(pk=version.pk).update(
        ladder_status=L.PROCESSING,
        ladder_attempts=1,
        ladder_folder="ladder-abandoned",
        worker=worker,
        work_dir=work_dir,
        heartbeat_at=now,
        deadline_at=now + timedelta(seconds=deadline_in),
    )
    partial = f"{version.output_prefix}ladder-abandoned/360p/segment-00000.m4s"
    default_storage.save(partial, ContentFile(b"partial"))
    version.refresh_from_db()
    return partial


def test_watchdog_gives_back_the_second_pass_of_a_dead_worker(
    watchable, tmp_path, django_capture_on_commit_callbacks
):
    work_dir = tmp_path / "filmit-v1-ladder-abandoned"
    work_dir.mkdir()
    partial = held_by(watchable, worker=f"{HOST}:{dead_pid()}", work_dir=str(work_dir))

    with django_capture_on_commit_callbacks(execute=True):
        recovered = domain.recover_stalled()

    assert [v.pk for v in recovered] == [watchable.pk]
    watchable.refresh_from_db()
    assert (watchable.status, watchable.ladder_status, watchable.ladder_error_code) == (
        S.READY,
        L.QUEUED,
        "worker_lost",
    )
    assert (watchable.ladder_folder, watchable.worker) == ("", "")
    assert partial not in stored_files(watchable.output_prefix)
    assert not work_dir.exists()
    assert complete_ladder_task.get_result(watchable.task_id).kwargs == {"version_id": watchable.pk}
    complete(watchable, django_capture_on_commit_callbacks)
    assert (watchable.ladder_status, watchable.ladder_attempts) == (L.DONE, 2)


def test_watchdog_stops_a_second_pass_past_its_deadline(
    watchable, django_capture_on_commit_callbacks
):
    held_by(watchable, worker=f"{HOST}:{os.getpid()}", deadline_in=-1)

    with django_capture_on_commit_callbacks(execute=True):
        domain.recover_stalled()

    watchable.refresh_from_db()
    assert (watchable.ladder_status, watchable.ladder_error_code) == (L.QUEUED, "timeout")


def test_watchdog_leaves_a_live_second_pass_alone(watchable, django_capture_on_commit_callbacks):
    held_by(watchable, worker=f"{HOST}:{os.getpid()}")

    with django_capture_on_commit_callbacks(execute=True):
        assert domain.recover_stalled() == []

    watchable.refresh_from_db()
    assert watchable.ladder_status == L.PROCESSING


def test_lost_second_pass_task_is_queued_again(
    watchable, settings, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(seconds=settings.MEDIA_STALL_SECONDS + 60)
    VideoVersion.objects.filter(pk=watchable.pk).update(queued_at=long_ago, task_id="")
    watchable.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        recovered = domain.recover_stalled()

    assert [v.pk for v in recovered] == [watchable.pk]
    watchable.refresh_from_db()
    assert watchable.ladder_status == L.QUEUED
    assert complete_ladder_task.get_result(watchable.task_id).kwargs == {"version_id": watchable.pk}
