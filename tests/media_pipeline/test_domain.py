"""The media domain: receiving originals, processing versions, replacement, organizer actions.

Processing runs the real pipeline (ffmpeg) in this process on tiny generated clips; the
worker processes themselves are tested in test_tasks_db_worker.py and test_rq.py.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from festival.domain import DomainError
from festival.domain.films import attach_original_video
from media_pipeline import domain
from media_pipeline import pipeline as pipeline_module
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.tasks import process_version_task
from tests import factories
from tests.media_pipeline import clips
from tests.media_pipeline.versions import make_version, stored_files

S = VideoStatus


@pytest.fixture
def clip(tmp_path) -> Path:
    return clips.compliant_mp4(tmp_path, size="160x90", duration=1)


def receive(film, user, path: Path, **kwargs) -> VideoVersion:
    return domain.receive_original(
        film=film,
        user=user,
        path=path,
        filename="Montage final.mp4",
        size=path.stat().st_size,
        **kwargs,
    )


def process(version: VideoVersion) -> VideoVersion:
    domain.process_version(version_id=version.pk)
    version.refresh_from_db()
    return version


# Receiving an original.


def test_receive_original_stores_a_copy_and_queues_it(
    film, teacher, clip, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = receive(film, teacher, clip)

    version.refresh_from_db()
    assert (version.number, version.status, version.attempts) == (1, S.QUEUED, 0)
    assert version.original.name.startswith(f"originals/{film.edition_id}/")
    assert "Montage" not in version.original.name
    with default_storage.open(version.original.name, "rb") as stored:
        assert stored.read() == clip.read_bytes()
    assert clip.exists()  # copied, not moved
    assert (version.original_filename, version.original_size) == (
        "Montage final.mp4",
        clip.stat().st_size,
    )
    assert version.uploaded_by == teacher
    film.refresh_from_db()
    assert film.original_video.name == version.original.name
    assert film.original_filename == "Montage final.mp4"
    assert film.original_size == clip.stat().st_size
    assert film.video_uploaded_at is not None
    task = process_version_task.get_result(version.task_id)
    assert task.kwargs == {"version_id": version.pk}
    assert task.task.queue_name == "media"


def test_receive_original_can_move_the_file_into_local_storage(film, teacher, clip):
    content = clip.read_bytes()

    version = receive(film, teacher, clip, move=True)

    assert not clip.exists()
    with default_storage.open(version.original.name, "rb") as stored:
        assert stored.read() == content


def test_enqueueing_waits_for_the_commit(film, teacher, clip, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = receive(film, teacher, clip)

    version.refresh_from_db()
    assert version.task_id == ""
    assert len(callbacks) == 1


def test_empty_original_is_refused(film, teacher, tmp_path):
    empty = clips.empty_file(tmp_path)

    with pytest.raises(DomainError) as excinfo:
        receive(film, teacher, empty)

    assert excinfo.value.code == "empty"
    assert VideoVersion.objects.count() == 0
    assert stored_files("originals/") == []


def test_festival_upload_form_hands_the_video_to_the_pipeline(film, teacher, clip):
    upload = SimpleUploadedFile("montage.mp4", clip.read_bytes(), content_type="video/mp4")

    attach_original_video(film=film, user=teacher, uploaded_file=upload)

    version = film.video_versions.get()
    assert version.status == S.QUEUED
    assert version.original_filename == "montage.mp4"
    assert film.original_video.name == version.original.name


def test_attach_video_command(film, organizer, clip):
    call_command("attach_video", film.pk, str(clip), user=organizer.email.upper())

    version = film.video_versions.get()
    assert (version.status, version.uploaded_by, version.original_filename) == (
        S.QUEUED,
        organizer,
        "film.mp4",
    )
    assert clip.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [((999999, "film.mp4"), "No film with id 999999."), ((None, "missing.mp4"), "is not a file")],
)
def test_attach_video_command_errors(arguments, message, film, tmp_path):
    film_id, name = arguments
    with pytest.raises(CommandError, match=message):
        call_command("attach_video", film_id or film.pk, str(tmp_path / name))


# Transitions.


def test_transition_refuses_moves_that_do_not_exist(film):
    version = make_version(film, status=S.READY)

    with pytest.raises(ValueError):
        domain.transition(version, S.PROCESSING)


def test_transition_loses_against_a_concurrent_change(film):
    version = make_version(film, status=S.QUEUED)
    VideoVersion.objects.filter(pk=version.pk).update(status=S.CANCELLED)

    with pytest.raises(domain.StaleVersion):
        domain.transition(version, S.PROBING)

    version.refresh_from_db()
    assert version.status == S.CANCELLED


def test_only_one_worker_claims_a_version(film):
    version = make_version(film, status=S.QUEUED)

    first = domain._claim(version.pk)
    second = domain._claim(version.pk)

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
    assert domain.process_version(version_id=second.pk) is None
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

    assert domain.process_version(version_id=first.pk) is None

    first.refresh_from_db()
    assert first.status == S.CANCELLED
    assert stored_files(f"renditions/{film.pk}/") == []
    assert replacement[0].status == S.QUEUED


def test_heartbeat_notices_a_cancelled_version(film):
    version = domain._claim(make_version(film, status=S.QUEUED).pk)
    job = domain._Job(version)
    VideoVersion.objects.filter(pk=version.pk).update(status=S.CANCELLED)

    with pytest.raises(domain.VersionAbandoned):
        job.beat(10, force=True)


def test_progress_moves_a_probing_version_to_processing(film):
    version = domain._claim(make_version(film, status=S.QUEUED).pk)
    job = domain._Job(version)

    job.beat(37, force=True)

    version.refresh_from_db()
    assert (version.status, version.percent) == (S.PROCESSING, 37)


# Organizer retry.


def test_organizer_retries_a_failed_version(film, organizer, django_capture_on_commit_callbacks):
    version = make_version(film, status=S.FAILED, attempts=3, max_attempts=3, error_code="timeout")

    with django_capture_on_commit_callbacks(execute=True):
        domain.retry_version(version=version, user=organizer)

    version.refresh_from_db()
    assert (version.status, version.attempts, version.max_attempts) == (S.QUEUED, 3, 6)
    assert (version.error_code, version.message) == ("", "")
    assert process_version_task.get_result(version.task_id).kwargs == {"version_id": version.pk}


@pytest.mark.parametrize("who", ["teacher", "other_organizer", "juror"])
def test_only_the_festival_organizers_retry(who, film, request):
    version = make_version(film, status=S.FAILED)

    with pytest.raises(DomainError):
        domain.retry_version(version=version, user=request.getfixturevalue(who))

    version.refresh_from_db()
    assert version.status == S.FAILED


def test_only_the_latest_version_is_retried(film, organizer):
    old = make_version(film, status=S.FAILED)
    make_version(film, status=S.QUEUED)

    with pytest.raises(DomainError) as excinfo:
        domain.retry_version(version=old, user=organizer)

    assert excinfo.value.code == "not_latest"


def test_retry_view(film, organizer_client, django_capture_on_commit_callbacks):
    version = make_version(film, status=S.REJECTED)

    response = organizer_client.post(
        reverse("media_pipeline:retry", args=[film.pk]), {"next": "/organisation/films/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/organisation/films/"
    version.refresh_from_db()
    assert version.status == S.QUEUED


def test_retry_view_is_for_organizers_only(film, teacher_client):
    make_version(film, status=S.FAILED)

    response = teacher_client.post(reverse("media_pipeline:retry", args=[film.pk]))

    assert response.status_code == 404


# Poster.


@pytest.fixture
def ready(film, teacher, clip):
    return process(receive(film, teacher, clip))


def test_teacher_picks_another_candidate_frame(ready, teacher, django_capture_on_commit_callbacks):
    candidate = ready.outputs["posters"][1]
    previous = ready.outputs["poster"]["sizes"]

    with django_capture_on_commit_callbacks(execute=True):
        domain.choose_poster(version=ready, user=teacher, candidate=candidate)

    ready.refresh_from_db()
    poster = ready.outputs["poster"]
    assert poster["source"] == candidate
    stored = stored_files(ready.output_prefix)
    for path in poster["sizes"].values():
        assert ready.output_prefix + path in stored
    for path in previous.values():
        assert ready.output_prefix + path not in stored


def test_teacher_uploads_a_poster_image(ready, teacher, tmp_path, client):
    image = clips.jpeg_image(tmp_path)
    client.force_login(teacher)

    response = client.post(
        reverse("media_pipeline:poster", args=[ready.film_id]),
        {"image": SimpleUploadedFile("affiche.jpg", image.read_bytes())},
    )

    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.outputs["poster"]["source"] == "upload"
    assert sorted(ready.outputs["poster"]["sizes"]) == [
        "list.jpg",
        "list.webp",
        "page.jpg",
        "page.webp",
    ]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"candidate": "../../originals/x"}, "unknown_candidate"),
        ({"image": SimpleUploadedFile("a.jpg", b"GIF89a not really")}, "poster_type"),
        ({}, "no_image"),
    ],
)
def test_invalid_posters_are_refused(kwargs, code, ready, teacher):
    before = ready.outputs["poster"]

    with pytest.raises(DomainError) as excinfo:
        domain.choose_poster(version=ready, user=teacher, **kwargs)

    assert excinfo.value.code == code
    ready.refresh_from_db()
    assert ready.outputs["poster"] == before


def test_strangers_cannot_choose_the_poster(ready, other_teacher):
    with pytest.raises(DomainError) as excinfo:
        domain.choose_poster(
            version=ready, user=other_teacher, candidate=ready.outputs["posters"][0]
        )

    assert excinfo.value.code == "forbidden"


def test_poster_needs_a_ready_version(film, teacher):
    version = make_version(film, status=S.PROCESSING)

    with pytest.raises(DomainError) as excinfo:
        domain.choose_poster(version=version, user=teacher, candidate="posters/poster-01.jpg")

    assert excinfo.value.code == "not_ready"


def test_poster_view_for_strangers_is_a_404(ready, other_teacher, client):
    client.force_login(other_teacher)

    response = client.post(
        reverse("media_pipeline:poster", args=[ready.film_id]),
        {"candidate": ready.outputs["posters"][0]},
    )

    assert response.status_code == 404


def test_festival_fixture_numbers_versions_per_film(film, teacher, clip):
    other_film = factories.make_film(teacher=teacher, category=film.category)

    versions = [receive(f, teacher, clip) for f in (film, other_film, film)]

    assert [v.number for v in versions] == [1, 1, 2]


# Captions.

SRT = "1\n00:00:00,000 --> 00:00:00,800\nBonjour, voici l'atelier.\n\n"


def test_teacher_adds_srt_captions(ready, teacher, client):
    client.force_login(teacher)

    response = client.post(
        reverse("media_pipeline:subtitles", args=[ready.film_id]),
        {"language": "fr", "file": SimpleUploadedFile("film.srt", SRT.encode())},
    )

    assert response.status_code == 302
    ready.refresh_from_db()
    [track] = ready.outputs["subtitles"]
    assert track["language"] == "fr"
    with default_storage.open(ready.output_prefix + track["path"], "rb") as stored:
        vtt = stored.read().decode()
    assert vtt.startswith("WEBVTT")
    assert "00:00:00.000 --> 00:00:00.800\nBonjour, voici l'atelier." in vtt


def test_captions_in_the_same_language_replace_the_previous_ones(
    ready, teacher, django_capture_on_commit_callbacks
):
    def add(language, text):
        with django_capture_on_commit_callbacks(execute=True):
            domain.add_subtitles(
                version=ready,
                user=teacher,
                uploaded_file=SimpleUploadedFile("film.srt", text.encode()),
                language=language,
            )
        ready.refresh_from_db()
        return {t["language"]: t["path"] for t in ready.outputs["subtitles"]}

    first = add("fr", SRT)
    add("en", SRT.replace("Bonjour, voici l'atelier.", "Hello, this is the workshop."))
    tracks = add("fr", SRT.replace("Bonjour", "Salut"))

    assert sorted(tracks) == ["en", "fr"]
    stored = stored_files(ready.output_prefix + "subtitles/")
    assert sorted(stored) == sorted(ready.output_prefix + path for path in tracks.values())
    assert ready.output_prefix + first["fr"] not in stored


def test_invalid_captions_are_refused_in_french(ready, teacher):
    with pytest.raises(DomainError) as excinfo:
        domain.add_subtitles(
            version=ready,
            user=teacher,
            uploaded_file=SimpleUploadedFile("film.srt", b"   \n"),
            language="fr",
        )

    assert excinfo.value.code == "subtitles_invalid"
    assert excinfo.value.messages == [
        "Le fichier de sous-titres n'est pas valable : le fichier est vide. Envoyez un fichier "
        "SRT ou WebVTT."
    ]
    ready.refresh_from_db()
    assert ready.outputs["subtitles"] == []


def test_subtitles_view_for_strangers_is_a_404(ready, other_organizer, client):
    client.force_login(other_organizer)

    response = client.post(
        reverse("media_pipeline:subtitles", args=[ready.film_id]),
        {"language": "fr", "file": SimpleUploadedFile("film.srt", SRT.encode())},
    )

    assert response.status_code == 404


def test_poster_chosen_while_the_version_is_replaced_leaves_no_files(ready, teacher):
    before = stored_files(ready.output_prefix)
    VideoVersion.objects.filter(pk=ready.pk).update(status=S.SUPERSEDED)

    with pytest.raises(DomainError) as excinfo:
        domain.choose_poster(version=ready, user=teacher, candidate=ready.outputs["posters"][1])

    assert excinfo.value.code == "stale"
    assert stored_files(ready.output_prefix) == before


# Admin.


def test_admin_lists_versions_and_retries_them(film, admin_client):
    failed = make_version(film, status=S.FAILED, error_code="timeout")
    url = reverse("admin:media_pipeline_videoversion_changelist")

    listing = admin_client.get(url)
    retried = admin_client.post(url, {"action": "retry", "_selected_action": [failed.pk]})

    assert listing.status_code == 200
    assert "timeout" in listing.content.decode()
    assert retried.status_code == 302
    failed.refresh_from_db()
    assert failed.status == S.QUEUED
    assert admin_client.get(reverse("admin:media_pipeline_videoversion_add")).status_code == 403
