"""A version's processing job: ready, rejected, failed attempts, and a video replaced meanwhile.

Processing runs the real pipeline (ffmpeg) in this process on tiny generated clips; the
worker processes themselves are tested in test_tasks_db_worker.py and test_rq.py.
"""

import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage

from media_pipeline import pipeline as pipeline_module
from media_pipeline import processing
from media_pipeline.jobs import VersionAbandoned
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from tests.media_pipeline import clips
from tests.media_pipeline.versions import make_version, process, receive, stored_files

S = VideoStatus


def test_only_one_worker_claims_a_version(film):
    version = make_version(film, status=S.QUEUED)

    first = processing._claim(version.pk)
    second = processing._claim(version.pk)

    assert first is not None and first.status == S.PROBING
    assert second is None
    version.refresh_from_db()
    assert version.attempts == 1


# Processing.


def test_process_version_makes_a_ready_version(
    film, teacher, clip, django_capture_on_commit_callbacks, mailoutbox
):
    version = receive(film, teacher, clip)

    with django_capture_on_commit_callbacks(execute=True):
        version = process(version)

    assert (version.status, version.percent, version.attempts) == (S.READY, 100, 1)
    assert (version.probe["width"], version.probe["height"]) == (160, 90)
    assert version.probe["duration"] == pytest.approx(1, abs=0.1)
    prefix = version.output_prefix
    assert prefix.startswith(f"renditions/{film.pk}/1/")
    outputs = version.outputs
    stored = stored_files(prefix)
    for path in [outputs["hls"], outputs["mp4"], *outputs["posters"]]:
        assert prefix + path in stored
    assert prefix + outputs["storyboard"]["vtt"] in stored
    [rendition] = outputs["renditions"]
    assert {k: rendition[k] for k in ("name", "width", "height", "bitrate", "path")} == {
        "name": "90p",
        "width": 160,
        "height": 90,
        "bitrate": 150000,
        "path": "hls/90p/index.m3u8",
    }
    assert rendition["codecs"].startswith("avc1.")
    assert rendition["bandwidth"] >= rendition["average_bandwidth"] > 0
    # A single rung: nothing is left for a second pass.
    assert version.ladder_status == LadderStatus.NONE
    assert outputs["poster"]["source"] == outputs["posters"][0]
    assert sorted(outputs["poster"]["sizes"]) == ["list.jpg", "list.webp", "page.jpg", "page.webp"]
    for path in outputs["poster"]["sizes"].values():
        assert prefix + path in stored
    assert {"download", "upload", "transcode", "total"} <= set(version.timings)
    assert (version.worker, version.work_dir) == ("", "")
    assert version.finished_at is not None
    [email] = mailoutbox
    assert email.to == [teacher.email]
    assert email.subject == f"FILM'IT : la vidéo de « {film.title} » est prête"
    assert f"/enseignant/films/{film.pk}/" in email.body


def test_work_folder_is_removed_after_the_job(film, teacher, clip, tmp_path, settings):
    settings.MEDIA_WORK_DIR = str(tmp_path / "work")
    os.mkdir(settings.MEDIA_WORK_DIR)

    process(receive(film, teacher, clip))

    assert os.listdir(settings.MEDIA_WORK_DIR) == []


def test_audio_only_file_is_rejected_with_a_french_message(
    film, teacher, tmp_path, django_capture_on_commit_callbacks, mailoutbox
):
    version = receive(film, teacher, clips.m4a_audio(tmp_path))

    with django_capture_on_commit_callbacks(execute=True):
        version = process(version)

    assert (version.status, version.error_code) == (S.REJECTED, "audio_only")
    assert version.message == (
        "Ce fichier ne contient que du son, sans image. Exportez le film en vidéo depuis "
        "votre logiciel de montage, puis envoyez-le à nouveau."
    )
    assert version.output_prefix == "" or stored_files(version.output_prefix) == []
    [email] = mailoutbox
    assert email.subject == f"FILM'IT : la vidéo de « {film.title} » ne peut pas être utilisée"
    assert version.message in email.body


def test_film_longer_than_its_category_allows_is_rejected(film, teacher, tmp_path):
    film.category.max_duration = timedelta(seconds=1)
    film.category.save()

    version = process(receive(film, teacher, clips.compliant_mp4(tmp_path, duration=3)))

    assert (version.status, version.error_code) == (S.REJECTED, "too_long")
    assert "la durée maximale pour cette catégorie" in version.message


def test_failed_attempts_are_retried_then_the_version_fails(film, teacher, clip, settings):
    settings.MEDIA_TIMEOUT_BASE_SECONDS = 0.001  # ffmpeg is killed at once
    settings.MEDIA_TIMEOUT_PER_SECOND = 0
    settings.MEDIA_MAX_ATTEMPTS = 2
    version = receive(film, teacher, clip)

    version = process(version)
    assert (version.status, version.attempts, version.error_code) == (S.QUEUED, 1, "timeout")
    assert version.message == pipeline_module._timeout_message()  # the pipeline's own words

    version = process(version)
    assert (version.status, version.attempts, version.error_code) == (S.FAILED, 2, "timeout")
    assert version.message.startswith("La préparation de la vidéo a échoué plusieurs fois.")
    assert stored_files(f"renditions/{film.pk}/") == []


def test_a_crash_in_our_code_is_an_attempt_too(film, teacher, clip, monkeypatch):
    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pipeline_module, "process", broken)

    version = process(receive(film, teacher, clip))

    assert (version.status, version.attempts, version.error_code) == (
        S.QUEUED,
        1,
        "internal_error",
    )
    assert "OSError: disk full" in version.log_excerpt


# Replacing the video.


def test_new_upload_keeps_the_ready_version_until_it_is_ready(
    film, teacher, clip, django_capture_on_commit_callbacks
):
    first = process(receive(film, teacher, clip))
    first_outputs = stored_files(first.output_prefix)

    second = receive(film, teacher, clip)
    first.refresh_from_db()
    assert (first.status, second.status) == (S.READY, S.QUEUED)
    assert VideoVersion.objects.playable_for(film) == first

    third = receive(film, teacher, clip)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status, third.status) == (S.READY, S.CANCELLED, S.QUEUED)
    assert processing.process_version(version_id=second.pk) is None
    assert stored_files(first.output_prefix) == first_outputs

    with django_capture_on_commit_callbacks(execute=True):
        third = process(third)

    first.refresh_from_db()
    assert (first.status, third.status) == (S.SUPERSEDED, S.READY)
    assert VideoVersion.objects.playable_for(film) == third
    assert stored_files(first.output_prefix) == []
    for version in (first, second, third):  # originals are never deleted
        assert default_storage.exists(version.original.name)
    film.refresh_from_db()
    assert film.original_video.name == third.original.name


def test_replaced_while_processing_the_worker_gives_up(film, teacher, clip, monkeypatch):
    real = pipeline_module.process
    replacement = []

    def run_and_replace(**kwargs):
        def progress(percent):
            if not replacement:
                replacement.append(receive(film, teacher, clip))
            kwargs["progress"](percent)

        return real(**{**kwargs, "progress": progress})

    monkeypatch.setattr(pipeline_module, "process", run_and_replace)
    first = receive(film, teacher, clip)

    assert processing.process_version(version_id=first.pk) is None

    first.refresh_from_db()
    assert first.status == S.CANCELLED
    assert stored_files(f"renditions/{film.pk}/") == []
    assert replacement[0].status == S.QUEUED


def test_heartbeat_notices_a_cancelled_version(film):
    version = processing._claim(make_version(film, status=S.QUEUED).pk)
    job = processing._Job(version)
    VideoVersion.objects.filter(pk=version.pk).update(status=S.CANCELLED)

    with pytest.raises(VersionAbandoned):
        job.beat(10, force=True)


def test_progress_moves_a_probing_version_to_processing(film):
    version = processing._claim(make_version(film, status=S.QUEUED).pk)
    job = processing._Job(version)

    job.beat(37, force=True)

    version.refresh_from_db()
    assert (version.status, version.percent) == (S.PROCESSING, 37)
