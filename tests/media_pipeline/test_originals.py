"""Receiving a film's original: stored under our name, numbered, queued for processing."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from festival.domain import DomainError
from festival.domain.films import submit_film
from festival.models import Film
from media_pipeline import originals
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.tasks import process_version_task
from tests import factories
from tests.media_pipeline import clips
from tests.media_pipeline.versions import receive, stored_files

S = VideoStatus


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


def test_festival_fixture_numbers_versions_per_film(film, teacher, clip):
    other_film = factories.make_film(teacher=teacher, category=film.category)

    versions = [receive(f, teacher, clip) for f in (film, other_film, film)]

    assert [v.number for v in versions] == [1, 1, 2]


# From the teacher's upload form.


def video_file(name="montage final.mp4", content=None):
    return SimpleUploadedFile(name, factories.tiny_video_bytes() if content is None else content)


def test_attach_original_video(film, teacher):
    originals.attach_original_video(film=film, user=teacher, uploaded_file=video_file())

    film.refresh_from_db()
    assert film.original_filename == "montage final.mp4"
    assert film.original_size == len(factories.tiny_video_bytes())
    assert film.video_uploaded_at is not None
    # The stored name is ours: nothing of the teacher's file name reaches the disk.
    assert film.original_video.name.startswith(f"originals/{film.edition_id}/")
    assert "montage" not in film.original_video.name
    with film.original_video.open("rb") as stored:
        assert stored.read() == factories.tiny_video_bytes()


def test_a_file_from_the_upload_form_is_queued_as_any_original(film, teacher, clip):
    upload = SimpleUploadedFile("montage.mp4", clip.read_bytes(), content_type="video/mp4")

    originals.attach_original_video(film=film, user=teacher, uploaded_file=upload)

    version = film.video_versions.get()
    assert version.status == S.QUEUED
    assert version.original_filename == "montage.mp4"
    assert film.original_video.name == version.original.name


def test_replacing_the_video_keeps_the_previous_original(
    complete_film, teacher, django_capture_on_commit_callbacks
):
    # Originals are never deleted: the previous version keeps playing until the new one is
    # ready (media_pipeline.versions), and outputs can always be rebuilt from them.
    old_name = complete_film.original_video.name

    with django_capture_on_commit_callbacks(execute=True):
        originals.attach_original_video(
            film=complete_film, user=teacher, uploaded_file=video_file("version 2.mp4")
        )

    complete_film.refresh_from_db()
    new_name = complete_film.original_video.name
    assert new_name != old_name
    assert (complete_film.original_filename, complete_film.original_size) == (
        "version 2.mp4",
        len(factories.tiny_video_bytes()),
    )
    assert default_storage.exists(old_name)
    assert default_storage.exists(new_name)


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (
            b"Bonjour, voici notre film !\n",
            "not_video",
            "Ce fichier n'est pas une vidéo. Envoyez le film exporté par votre logiciel de "
            "montage (MP4, MOV, MKV, AVI…).",
        ),
        (b"", "empty", "Le fichier envoyé est vide."),
    ],
)
def test_rejected_video_keeps_the_previous_one(
    content, code, message, complete_film, teacher, django_capture_on_commit_callbacks
):
    before = Film.objects.values(
        "original_video", "original_filename", "original_size", "video_uploaded_at"
    ).get(pk=complete_film.pk)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError) as excinfo:
            originals.attach_original_video(
                film=complete_film, user=teacher, uploaded_file=video_file("notes.txt", content)
            )

    assert excinfo.value.code == code
    assert excinfo.value.messages == [message]
    after = Film.objects.values(
        "original_video", "original_filename", "original_size", "video_uploaded_at"
    ).get(pk=complete_film.pk)
    assert after == before
    assert default_storage.exists(before["original_video"])


def test_oversized_video_is_refused(film, teacher, settings):
    settings.FILMIT_MAX_UPLOAD_BYTES = 1000
    mp4_head = b"\x00\x00\x00\x18ftypmp42"

    with pytest.raises(DomainError) as excinfo:
        originals.attach_original_video(
            film=film, user=teacher, uploaded_file=video_file(content=mp4_head.ljust(2048, b"\0"))
        )

    assert excinfo.value.code == "too_large"
    assert excinfo.value.messages == [
        # filesizeformat keeps number and unit together with no-break spaces.
        "Ce fichier pèse 2,0\xa0Kio : la taille maximale est de 1000\xa0octets."
    ]
    film.refresh_from_db()
    assert not film.original_video


def test_video_of_a_submitted_film_cannot_be_replaced(complete_film, teacher, sent_emails):
    submit_film(film=complete_film, user=teacher)
    old_name = complete_film.original_video.name

    with pytest.raises(DomainError) as excinfo:
        originals.attach_original_video(
            film=complete_film, user=teacher, uploaded_file=video_file()
        )

    assert excinfo.value.code == "not_editable"
    complete_film.refresh_from_db()
    assert complete_film.original_video.name == old_name
