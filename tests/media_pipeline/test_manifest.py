"""A ready version's poster and captions, chosen by its teacher (or an organizer)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from festival.domain import DomainError
from media_pipeline import manifest
from media_pipeline.models import VideoStatus, VideoVersion
from tests.media_pipeline import clips
from tests.media_pipeline.versions import make_version, process, receive, stored_files

S = VideoStatus


# Poster.


@pytest.fixture
def ready(film, teacher, clip):
    return process(receive(film, teacher, clip))


def test_teacher_picks_another_candidate_frame(ready, teacher, django_capture_on_commit_callbacks):
    candidate = ready.outputs["posters"][1]
    previous = ready.outputs["poster"]["sizes"]

    with django_capture_on_commit_callbacks(execute=True):
        manifest.choose_poster(version=ready, user=teacher, candidate=candidate)

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
        manifest.choose_poster(version=ready, user=teacher, **kwargs)

    assert excinfo.value.code == code
    ready.refresh_from_db()
    assert ready.outputs["poster"] == before


def test_strangers_cannot_choose_the_poster(ready, other_teacher):
    with pytest.raises(DomainError) as excinfo:
        manifest.choose_poster(
            version=ready, user=other_teacher, candidate=ready.outputs["posters"][0]
        )

    assert excinfo.value.code == "forbidden"


def test_poster_needs_a_ready_version(film, teacher):
    version = make_version(film, status=S.PROCESSING)

    with pytest.raises(DomainError) as excinfo:
        manifest.choose_poster(version=version, user=teacher, candidate="posters/poster-01.jpg")

    assert excinfo.value.code == "not_ready"


def test_poster_view_for_strangers_is_a_404(ready, other_teacher, client):
    client.force_login(other_teacher)

    response = client.post(
        reverse("media_pipeline:poster", args=[ready.film_id]),
        {"candidate": ready.outputs["posters"][0]},
    )

    assert response.status_code == 404


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
            manifest.add_subtitles(
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
        manifest.add_subtitles(
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
        manifest.choose_poster(version=ready, user=teacher, candidate=ready.outputs["posters"][1])

    assert excinfo.value.code == "stale"
    assert stored_files(ready.output_prefix) == before
