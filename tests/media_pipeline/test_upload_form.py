"""The teacher's upload form for a film's video, beside the resumable upload (test_tus.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from festival.enums import FilmStatus
from festival.models import Film
from tests import factories

NOT_A_VIDEO = (
    "Ce fichier n'est pas une vidéo. Envoyez le film exporté par votre logiciel de montage "
    "(MP4, MOV, MKV, AVI…)."
)
REQUIRED = "Ce champ est obligatoire."


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def video_url(film) -> str:
    return reverse("teacher_film_video", args=[film.pk])


def film_url(name, film):
    return reverse(f"festival:{name}", args=[film.pk])


def video_file(name="montage.mp4", content=None):
    return SimpleUploadedFile(name, factories.tiny_video_bytes() if content is None else content)


# Who may send one.


def test_anonymous_is_sent_to_login(client, complete_film):
    url = video_url(complete_film)
    response = client.post(url, {"video": video_file()})
    assert response.status_code == 302
    assert response.url == f"{reverse('festival:login')}?next={url}"


@pytest.mark.parametrize("stranger", ["other_teacher", "pending_teacher", "organizer", "juror"])
def test_only_the_film_s_teacher_sends_its_video(request, client, complete_film, stranger):
    client.force_login(request.getfixturevalue(stranger))
    before = Film.objects.values().get(pk=complete_film.pk)

    response = client.post(video_url(complete_film), {"video": video_file()})

    assert response.status_code == 404
    assert Film.objects.values().get(pk=complete_film.pk) == before
    assert complete_film.video_versions.count() == 0


def test_the_form_refuses_get(teacher_client, complete_film):
    assert teacher_client.get(video_url(complete_film)).status_code == 405


# Sending it.


def test_upload_video(teacher_client, film):
    response = teacher_client.post(
        video_url(film), {"video": video_file("Notre film.mp4")}, follow=True
    )

    assert response.redirect_chain == [(film_url("teacher_film", film) + "#video", 302)]
    assert messages_of(response) == [
        "La vidéo « Notre film.mp4 » est reçue : elle va maintenant être préparée pour la lecture."
    ]
    film.refresh_from_db()
    assert (film.original_filename, film.original_size) == (
        "Notre film.mp4",
        len(factories.tiny_video_bytes()),
    )
    with film.original_video.open("rb") as stored:
        assert stored.read() == factories.tiny_video_bytes()


def test_text_file_is_not_a_video_and_the_previous_video_stays(teacher_client, complete_film):
    before = Film.objects.values("original_video", "original_filename", "original_size").get(
        pk=complete_film.pk
    )

    response = teacher_client.post(
        video_url(complete_film),
        {"video": video_file("film.mp4", b"Ceci est un texte, pas un film.\n")},
        follow=True,
    )

    assert messages_of(response) == [NOT_A_VIDEO]
    after = Film.objects.values("original_video", "original_filename", "original_size").get(
        pk=complete_film.pk
    )
    assert after == before
    assert complete_film.original_video.storage.exists(before["original_video"])


def test_upload_without_a_file(teacher_client, film):
    response = teacher_client.post(video_url(film), {}, follow=True)
    assert messages_of(response) == [REQUIRED]


def test_oversized_upload_is_refused_before_the_body_is_read(teacher_client, film):
    # The declared length is far above what is sent: reading the body would fail the test.
    response = teacher_client.post(
        video_url(film),
        {"video": video_file()},
        CONTENT_LENGTH=str(9 * 1024**3),
        follow=True,
    )

    assert messages_of(response) == [
        "Ce fichier pèse 9,0\xa0Gio : la taille maximale est de 8,0\xa0Gio."
    ]
    film.refresh_from_db()
    assert not film.original_video


def test_oversized_video_is_refused_by_the_domain_too(teacher_client, film, settings):
    settings.FILMIT_MAX_UPLOAD_BYTES = 1000
    mp4 = b"\x00\x00\x00\x18ftypmp42".ljust(2048, b"\0")

    response = teacher_client.post(video_url(film), {"video": video_file(content=mp4)}, follow=True)

    assert messages_of(response) == [
        "Ce fichier pèse 2,0\xa0Kio : la taille maximale est de 1000\xa0octets."
    ]
    film.refresh_from_db()
    assert not film.original_video


def test_video_upload_still_checks_the_csrf_token(teacher, film):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)

    response = client.post(video_url(film), {"video": video_file()})
    assert response.status_code == 403

    client.get(film_url("teacher_film", film))
    token = client.cookies["csrftoken"].value
    response = client.post(
        video_url(film),
        {"video": video_file(), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    film.refresh_from_db()
    assert film.original_filename == "montage.mp4"


def test_video_of_a_submitted_film_cannot_be_replaced(teacher_client, teacher, category):
    film = factories.make_film(
        teacher=teacher, category=category, complete=True, status=FilmStatus.SUBMITTED
    )
    name = film.original_video.name

    response = teacher_client.post(video_url(film), {"video": video_file()}, follow=True)

    assert messages_of(response) == [
        "Ce film est « Déposé » : il ne peut plus être modifié, sauf si l'organisation demande "
        "des compléments."
    ]
    film.refresh_from_db()
    assert film.original_video.name == name


def test_the_form_keeps_its_address_under_the_teachers_pages(film):
    assert video_url(film) == f"/enseignant/films/{film.pk}/video/"
