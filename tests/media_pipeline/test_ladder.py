"""The fast path's second pass: a compliant film is watchable first, its lower rungs follow.

The real pipeline runs in this process on a tiny compliant 480p clip (a 480p rung copied,
a 360p rung to encode); test_tasks_db_worker.py runs both jobs in a real worker.
"""

import os
import socket
import subprocess
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from festival.domain import DomainError
from media_pipeline import (
    delivery,
    ladder,
    ladder_job,
    manifest,
    originals,
    processing,
    versions,
    watchdog,
)
from media_pipeline import pipeline as pipeline_module
from media_pipeline.jobs import VersionAbandoned
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.tasks import complete_ladder_task, process_version_task
from tests.media_pipeline import clips
from tests.media_pipeline.versions import stored_files

S, L = VideoStatus, LadderStatus
SRT = "1\n00:00:00,000 --> 00:00:01,000\nBonjour\n"


@pytest.fixture
def compliant_clip(tmp_path) -> Path:
    return clips.compliant_mp4(tmp_path, size="854x480", duration=1)


def receive(film, user, path: Path) -> VideoVersion:
    return originals.receive_original(
        film=film, user=user, path=path, filename="film.mp4", size=path.stat().st_size
    )


@pytest.fixture
def watchable(film, teacher, compliant_clip, django_capture_on_commit_callbacks, mailoutbox):
    """A compliant film after its first pass: ready, its lower rung still to make."""
    with django_capture_on_commit_callbacks(execute=True):
        version = receive(film, teacher, compliant_clip)
        processing.process_version(version_id=version.pk)
    version.refresh_from_db()
    return version


def complete(version, callbacks) -> VideoVersion | None:
    with callbacks(execute=True):
        done = ladder_job.complete_ladder(version_id=version.pk)
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
    # Behind any first pass: every new film becomes watchable before lower qualities are made.
    assert task.task.priority == ladder.SECOND_PASS_PRIORITY < process_version_task.priority


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
    assert prefix + version.outputs["storyboard"]["image"] in stored
    # A page opened before still plays from the first pass's playlist, kept until replaced.
    assert variants(read(prefix + first_master)) == ["480p/index.m3u8"]
    assert prefix + first_storyboard["vtt"] in stored
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


def test_poster_and_captions_added_during_the_second_pass_are_kept(
    watchable, teacher, monkeypatch, django_capture_on_commit_callbacks
):
    version = watchable
    chosen = version.outputs["posters"][3]
    real = pipeline_module.add_lower_renditions

    def meanwhile(**kwargs):
        # The teacher works on the film page while the worker encodes.
        fresh = VideoVersion.objects.get(pk=version.pk)
        manifest.choose_poster(version=fresh, user=teacher, candidate=chosen)
        captions = SimpleUploadedFile("sous-titres.srt", SRT.encode())
        manifest.add_subtitles(version=fresh, user=teacher, uploaded_file=captions, language="fr")
        return real(**kwargs)

    monkeypatch.setattr(pipeline_module, "add_lower_renditions", meanwhile)

    complete(version, django_capture_on_commit_callbacks)

    assert version.ladder_status == L.DONE
    assert [r["name"] for r in version.outputs["renditions"]] == ["480p", "360p"]
    assert version.outputs["poster"]["source"] == chosen
    [track] = version.outputs["subtitles"]
    assert track["language"] == "fr"
    stored = stored_files(version.output_prefix)
    for path in [*version.outputs["poster"]["sizes"].values(), track["path"]]:
        assert version.output_prefix + path in stored


def test_only_one_worker_claims_the_second_pass(watchable):
    first = ladder_job._claim(watchable.pk)
    second = ladder_job._claim(watchable.pk)

    assert first is not None and first.ladder_status == L.PROCESSING
    assert second is None


def test_transition_refuses_moves_that_do_not_exist(watchable):
    with pytest.raises(ValueError):
        ladder.transition(watchable, L.DONE)


def test_a_late_worker_cannot_finish_an_attempt_handed_to_another(
    watchable, django_capture_on_commit_callbacks
):
    late = ladder_job._claim(watchable.pk)
    with django_capture_on_commit_callbacks(execute=True):
        ladder.attempt_failed(late, code="worker_lost")
    current = ladder_job._claim(watchable.pk)
    assert current.ladder_folder != late.ladder_folder

    with pytest.raises(VersionAbandoned):
        late_job = ladder_job._Job(late)
        late_job.last_beat = 0
        late_job.beat()
    result = pipeline_module.PipelineResult("ready", renditions=[], hls="x", storyboard={})
    with pytest.raises(VersionAbandoned):
        ladder_job._finish(late, result=result, timings={})

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


def test_crash_after_uploading_removes_the_attempts_files(
    watchable, monkeypatch, django_capture_on_commit_callbacks
):
    real = ladder_job.storage_io.upload_tree

    def upload_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise OSError("connection reset by the object store")

    monkeypatch.setattr(ladder_job.storage_io, "upload_tree", upload_then_fail)
    before = stored_files(watchable.output_prefix)

    complete(watchable, django_capture_on_commit_callbacks)

    assert (watchable.ladder_status, watchable.ladder_error_code) == (L.QUEUED, "internal_error")
    assert stored_files(watchable.output_prefix) == before


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
        versions.retry_version(version=watchable, user=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        versions.retry_version(version=watchable, user=organizer)

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
        processing.process_version(version_id=newer.pk)

    newer.refresh_from_db()
    watchable.refresh_from_db()
    assert newer.status == S.REJECTED
    assert (watchable.status, watchable.ladder_status) == (S.READY, L.QUEUED)
    assert complete_ladder_task.get_result(watchable.task_id).kwargs == {"version_id": watchable.pk}
    complete(watchable, django_capture_on_commit_callbacks)
    assert watchable.ladder_status == L.DONE


def test_upload_during_the_second_pass_drops_its_files(
    watchable, teacher, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    real = pipeline_module.add_lower_renditions
    newer_clip = clips.compliant_mp4(tmp_path, name="v2.mp4", size="160x90")

    def replaced_meanwhile(**kwargs):
        receive(watchable.film, teacher, newer_clip)
        return real(**kwargs)

    monkeypatch.setattr(pipeline_module, "add_lower_renditions", replaced_meanwhile)
    before = stored_files(watchable.output_prefix)

    assert complete(watchable, django_capture_on_commit_callbacks) is None

    # The worker made and stored its files, found the pass cancelled, and removed them;
    # the film keeps playing from its first pass until the new upload is ready.
    assert (watchable.status, watchable.ladder_status) == (S.READY, L.CANCELLED)
    assert stored_files(watchable.output_prefix) == before


def test_replacing_version_stops_a_pass_still_to_come(
    watchable, teacher, tmp_path, django_capture_on_commit_callbacks
):
    # A version whose pass is queued when its replacement becomes ready (an organizer
    # relaunched it meanwhile, for instance).
    newer = receive(watchable.film, teacher, clips.compliant_mp4(tmp_path, size="160x90"))
    VideoVersion.objects.filter(pk=watchable.pk).update(ladder_status=L.QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        processing.process_version(version_id=newer.pk)

    watchable.refresh_from_db()
    assert (watchable.status, watchable.ladder_status) == (S.SUPERSEDED, L.CANCELLED)
    assert stored_files(watchable.output_prefix) == []
    assert complete(watchable, django_capture_on_commit_callbacks) is None


def test_a_failed_newer_upload_gives_the_pass_back_too(
    watchable, teacher, tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        newer = receive(watchable.film, teacher, clips.compliant_mp4(tmp_path, size="160x90"))
    monkeypatch.setattr(
        pipeline_module,
        "process",
        lambda **kwargs: pipeline_module.PipelineResult("failed", "ffmpeg_failed", "échec"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        processing.process_version(version_id=newer.pk)

    newer.refresh_from_db()
    watchable.refresh_from_db()
    assert newer.status == S.FAILED
    assert watchable.ladder_status == L.QUEUED


def test_cancelled_pass_is_not_relaunched_while_a_newer_upload_is_pending(
    watchable, teacher, organizer, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receive(watchable.film, teacher, clips.compliant_mp4(tmp_path, size="160x90"))
    watchable.refresh_from_db()

    with pytest.raises(DomainError) as excinfo:
        versions.retry_version(version=watchable, user=organizer)

    assert excinfo.value.code == "not_latest"
    watchable.refresh_from_db()
    assert watchable.ladder_status == L.CANCELLED


def test_retrying_a_newer_refused_upload_stops_the_pass_again(
    watchable, teacher, organizer, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newer = receive(watchable.film, teacher, clips.m4a_audio(tmp_path))
        processing.process_version(version_id=newer.pk)
    newer.refresh_from_db()
    watchable.refresh_from_db()
    assert (newer.status, watchable.ladder_status) == (S.REJECTED, L.QUEUED)

    with django_capture_on_commit_callbacks(execute=True):
        versions.retry_version(version=newer, user=organizer)

    watchable.refresh_from_db()
    assert watchable.ladder_status == L.CANCELLED


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
        recovered = watchdog.recover_stalled()

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
        watchdog.recover_stalled()

    watchable.refresh_from_db()
    assert (watchable.ladder_status, watchable.ladder_error_code) == (L.QUEUED, "timeout")


def test_watchdog_leaves_a_live_second_pass_alone(watchable, django_capture_on_commit_callbacks):
    held_by(watchable, worker=f"{HOST}:{os.getpid()}")

    with django_capture_on_commit_callbacks(execute=True):
        assert watchdog.recover_stalled() == []

    watchable.refresh_from_db()
    assert watchable.ladder_status == L.PROCESSING


def test_second_pass_waiting_in_the_queue_is_left_alone(
    watchable, settings, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(seconds=settings.MEDIA_STALL_SECONDS + 60)
    VideoVersion.objects.filter(pk=watchable.pk).update(queued_at=long_ago)
    task_id = watchable.task_id

    with django_capture_on_commit_callbacks(execute=True):
        assert watchdog.recover_stalled() == []

    watchable.refresh_from_db()
    assert (watchable.task_id, watchable.queued_at) == (task_id, long_ago)


def test_lost_second_pass_task_is_queued_again(
    watchable, settings, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(seconds=settings.MEDIA_STALL_SECONDS + 60)
    VideoVersion.objects.filter(pk=watchable.pk).update(queued_at=long_ago, task_id="")
    watchable.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        recovered = watchdog.recover_stalled()

    assert [v.pk for v in recovered] == [watchable.pk]
    watchable.refresh_from_db()
    assert watchable.ladder_status == L.QUEUED
    assert complete_ladder_task.get_result(watchable.task_id).kwargs == {"version_id": watchable.pk}


def test_watchdog_command_names_the_second_pass(watchable, django_capture_on_commit_callbacks):
    held_by(watchable, worker=f"{HOST}:{dead_pid()}")
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("media_watchdog", stdout=out)

    assert out.getvalue() == (
        f"Video version {watchable.pk} (film {watchable.film_id}): "
        "lower qualities queued, worker_lost.\n"
    )
