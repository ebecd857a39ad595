import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from festival.views.files import safe_filename
from tests import factories

VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"not really a film" * 10


@pytest.fixture
def film_with_files(film):
    film.original_filename = "Notre film (version finale).mp4"
    film.original_video.save("original", ContentFile(VIDEO), save=True)
    return film


@pytest.fixture
def consent(film_with_files):
    return factories.make_consent(film_with_files)


def video_url(film):
    return reverse("festival:file_original_video", args=[film.pk])


def consent_url(consent):
    return reverse("festival:file_consent", args=[consent.pk])


def body(response):
    # Reading the stream to its end closes the response (and the file) in the test client.
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("user_fixture", ["teacher", "organizer"])
def test_original_video_for_its_teacher_and_organizers(
    client, request, film_with_files, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(video_url(film_with_files))
    assert response.status_code == 200
    assert body(response) == VIDEO
    assert {
        name: response[name]
        for name in (
            "Content-Type",
            "Content-Disposition",
            "Content-Length",
            "X-Content-Type-Options",
            "Cache-Control",
        )
    } == {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": 'attachment; filename="Notre_film_version_finale.mp4"',
        "Content-Length": str(len(VIDEO)),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }


@pytest.mark.parametrize("user_fixture", ["teacher", "organizer"])
def test_consent_for_its_teacher_and_organizers(client, request, consent, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(consent_url(consent))
    assert response.status_code == 200
    assert body(response) == factories.PDF_BYTES
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        response["X-Content-Type-Options"],
        response["Cache-Control"],
    ) == (
        "application/pdf",
        'attachment; filename="autorisations.pdf"',
        "nosniff",
        "private, no-store",
    )


@pytest.mark.parametrize(
    "user_fixture", ["other_teacher", "other_organizer", "juror", "pending_teacher"]
)
def test_files_are_hidden_from_everyone_else(client, request, consent, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(video_url(consent.film)).status_code == 404
    assert client.get(consent_url(consent)).status_code == 404


def test_files_send_strangers_to_login(client, consent):
    for url in (video_url(consent.film), consent_url(consent)):
        response = client.get(url)
        assert (response.status_code, response.url) == (
            302,
            f"{reverse('festival:login')}?next={url}",
        )


def test_film_without_video_is_a_404(teacher_client, film):
    assert teacher_client.get(video_url(film)).status_code == 404


def test_unknown_objects_are_a_404(organizer_client, db):
    for name in ("festival:file_original_video", "festival:file_consent"):
        assert organizer_client.get(reverse(name, args=[999])).status_code == 404


def test_file_missing_from_storage_is_a_404(teacher_client, film_with_files):
    film_with_files.original_video.storage.delete(film_with_files.original_video.name)
    assert teacher_client.get(video_url(film_with_files)).status_code == 404


def test_a_consent_stored_before_extensions_still_downloads(teacher_client, consent):
    # Files sent before the stored names got an extension keep the name they were saved under.
    old_name = f"consents/{consent.film_id}/{'0' * 32}"
    old_name = consent.file.storage.save(old_name, ContentFile(factories.PDF_BYTES))
    consent.file.name = old_name
    consent.save(update_fields=["file"])
    response = teacher_client.get(consent_url(consent))
    assert response.status_code == 200
    assert (body(response), response["Content-Type"]) == (factories.PDF_BYTES, "application/pdf")
    consent.file.storage.delete(old_name)


def test_files_are_read_only(teacher_client, consent):
    assert teacher_client.post(video_url(consent.film)).status_code == 405
    assert teacher_client.post(consent_url(consent)).status_code == 405


def test_non_ascii_file_name(teacher_client, film_with_files):
    film_with_files.original_filename = "Vidéo d'été.mov"
    film_with_files.save()
    response = teacher_client.get(video_url(film_with_files))
    body(response)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Vid%C3%A9o_d%C3%A9t%C3%A9.mov"
    )


def test_download_queries(teacher_client, consent, django_assert_num_queries):
    # Session, user, the scoped lookup of the object, the festivals that approved the teacher.
    with django_assert_num_queries(4):
        body(teacher_client.get(video_url(consent.film)))
    with django_assert_num_queries(4):
        body(teacher_client.get(consent_url(consent)))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("film.mp4", "film.mp4"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\prof\\Montage final.mov", "Montage_final.mov"),
        ('a"b;c\r\nd.mp4', "abcd.mp4"),
        ("", "fallback"),
        ("..", "fallback"),
        ("x" * 300 + ".mp4", "x" * 146 + ".mp4"),
        ("y" * 300, "y" * 150),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name, "fallback") == expected
