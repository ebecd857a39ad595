"""The tus 1.0 endpoints: protocol, storage of partial uploads, permissions and CSRF."""

import base64
import hashlib
import json
import os
import socket
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from festival.enums import FilmStatus
from media_pipeline import originals, tus
from tests import factories

TUS = {"Tus-Resumable": "1.0.0"}
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def video_bytes(size: int) -> bytes:
    """Starts like an MP4, which is all the upload checks look at; the probe comes later."""
    return MP4_HEAD + os.urandom(size - len(MP4_HEAD))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def metadata(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.FILMIT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.FILMIT_UPLOAD_DIR


@pytest.fixture
def received(monkeypatch):
    """Every call to media_pipeline.originals.receive_original, with the file's sha256 at that time.

    The real function runs too: completing an upload creates a video version.
    """
    calls = []
    real = originals.receive_original

    def spy(**kwargs):
        calls.append(
            {
                "film": kwargs["film"],
                "user": kwargs["user"],
                "filename": kwargs["filename"],
                "size": kwargs["size"],
                "sha256": sha256(kwargs["path"].read_bytes()),
            }
        )
        return real(**kwargs)

    monkeypatch.setattr(originals, "receive_original", spy)
    return calls


def versions(film) -> list[tuple]:
    """The film's video versions: number, status, name and size, sha256 of the stored original."""
    from media_pipeline.models import VideoVersion

    return [
        (v.number, v.status, v.original_filename, v.original_size, sha256(v.original.read()))
        for v in VideoVersion.objects.filter(film=film).order_by("number")
    ]


def tus_client(user=None) -> Client:
    """A client that behaves like our upload.js: session, CSRF cookie and X-CSRFToken header."""
    token = get_random_string(32)
    client = Client(enforce_csrf_checks=True, headers={**TUS, "X-CSRFToken": token})
    client.cookies["csrftoken"] = token
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def teacher_tus(teacher):
    return tus_client(teacher)


def create(client, film, length, *, body=b"", filename="Notre film.mp4", headers=None):
    headers = {
        "Upload-Length": str(length),
        "Upload-Metadata": metadata(filename=filename, filetype="video/mp4", film=film.pk),
        **(headers or {}),
    }
    if body:
        return client.post(
            "/televersements/",
            body,
            content_type="application/offset+octet-stream",
            headers=headers,
        )
    return client.generic("POST", "/televersements/", headers=headers)


def upload_url(response) -> str:
    assert response.status_code == 201, response.content
    return response["Location"].removeprefix("http://testserver")


def patch(client, url, offset, data, *, headers=None, content_type=None):
    return client.generic(
        "PATCH",
        url,
        data,
        headers={"Upload-Offset": str(offset), **(headers or {})},
        # Set even for an empty body, which the test client would send without a type.
        CONTENT_TYPE=content_type or "application/offset+octet-stream",
    )


def upload_of(url) -> tus.Upload:
    return tus.get_upload(url.rstrip("/").rsplit("/", 1)[1])


class CutPayload:
    """A request body whose connection drops after `cut` bytes."""

    def __init__(self, data: bytes, cut: int):
        self.data, self.cut, self.position = data, cut, 0

    def readline(self, size=-1):
        raise AssertionError("a tus body is not read by lines")

    def read(self, size=-1):
        if self.position >= self.cut:
            raise ConnectionResetError("client went away")
        size = len(self.data) if size is None or size < 0 else size
        chunk = self.data[self.position : min(self.position + size, self.cut)]
        self.position += len(chunk)
        return chunk


# Discovery and creation.


@pytest.mark.parametrize("path", ["/televersements/", f"/televersements/{'a' * 43}/"])
def test_options_advertise_the_server(client, settings, path):
    settings.FILMIT_MAX_UPLOAD_BYTES = 123_456_789

    response = client.options(path)

    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == (
        "creation,creation-with-upload,termination,expiration,checksum"
    )
    assert response["Tus-Max-Size"] == "123456789"
    assert response["Tus-Checksum-Algorithm"] == "sha1,md5,sha256"


def test_creation_stores_the_upload_info(teacher_tus, teacher, film):
    response = create(teacher_tus, film, 5000, filename="C:\\Users\\prof\\Notre film.mp4")

    assert response.status_code == 201
    assert response["Location"].startswith("http://testserver/televersements/")
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Upload-Offset"] == "0"
    assert response["Upload-Expires"].endswith(" GMT")
    upload = upload_of(upload_url(response))
    info = json.loads(upload.info_path.read_text())
    assert (info["film_id"], info["user_id"], info["length"], info["offset"]) == (
        film.pk,
        teacher.pk,
        5000,
        0,
    )
    assert (info["filename"], info["filetype"]) == ("Notre film.mp4", "video/mp4")
    assert upload.data_path.stat().st_size == 0
    assert len(upload.id) == 43


@pytest.mark.parametrize(
    "headers",
    [
        {"Upload-Length": ""},
        {"Upload-Length": "-5"},
        {"Upload-Length": "douze"},
        {"Upload-Length": "0"},
    ],
)
def test_creation_needs_a_valid_length(teacher_tus, film, headers):
    response = create(teacher_tus, film, 1, headers=headers)

    assert response.status_code == 400


def test_creation_refuses_deferred_length(teacher_tus, film):
    response = teacher_tus.generic(
        "POST",
        "/televersements/",
        headers={
            "Upload-Defer-Length": "1",
            "Upload-Metadata": metadata(filename="a.mp4", film=film.pk),
        },
    )

    assert response.status_code == 400
    assert response.content.decode() == (
        "La taille du fichier doit être annoncée dès le début de l'envoi."
    )


def test_creation_refuses_a_file_over_the_limit(teacher_tus, film, settings):
    settings.FILMIT_MAX_UPLOAD_BYTES = 1000

    response = create(teacher_tus, film, 2 * 1024**3)

    assert response.status_code == 413
    assert response.content.decode() == (
        "Ce fichier pèse 2,0\xa0Gio : la taille maximale est de 1000\xa0octets."
    )


@pytest.mark.parametrize(
    "value", ["", "filename YS5tcDQ=", "film bm9u", "film ###", "film MQ== extra"]
)
def test_creation_needs_the_film_in_valid_metadata(teacher_tus, value):
    response = teacher_tus.generic(
        "POST", "/televersements/", headers={"Upload-Length": "10", "Upload-Metadata": value}
    )

    assert response.status_code == 400


def test_creation_with_upload_keeps_the_body(teacher_tus, film):
    data = video_bytes(3000)

    response = create(teacher_tus, film, len(data), body=data[:1000])

    assert response.status_code == 201
    assert response["Upload-Offset"] == "1000"
    assert upload_of(upload_url(response)).data_path.read_bytes() == data[:1000]


def test_creation_with_upload_of_the_whole_file_completes_it(teacher_tus, film, received):
    data = video_bytes(3000)

    response = create(teacher_tus, film, len(data), body=data)

    assert response.status_code == 201
    assert response["Upload-Offset"] == "3000"
    assert [(c["film"], c["size"], c["sha256"]) for c in received] == [(film, 3000, sha256(data))]
    assert versions(film) == [(1, "queued", "Notre film.mp4", 3000, sha256(data))]


def test_creation_with_upload_needs_the_offset_content_type(teacher_tus, film):
    response = teacher_tus.post(
        "/televersements/",
        b"abc",
        content_type="application/octet-stream",
        headers={"Upload-Length": "10", "Upload-Metadata": metadata(film=film.pk)},
    )

    assert response.status_code == 415


# HEAD and PATCH.


def test_head_tells_the_offset(teacher_tus, film):
    url = upload_url(create(teacher_tus, film, 5000, body=video_bytes(5000)[:1234]))

    response = teacher_tus.head(url)

    assert response.status_code == 200
    assert response["Upload-Offset"] == "1234"
    assert response["Upload-Length"] == "5000"
    assert response["Cache-Control"] == "no-store"
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Upload-Expires"].endswith(" GMT")
    assert "filename Tm90cmUgZmlsbS5tcDQ=" in response["Upload-Metadata"]


def test_patch_appends_and_pushes_the_expiry_back(teacher_tus, film):
    data = video_bytes(4000)
    url = upload_url(create(teacher_tus, film, len(data)))
    upload = upload_of(url)
    upload.expires = (timezone.now() + timedelta(minutes=5)).isoformat()
    upload.save(touch=False)

    response = patch(teacher_tus, url, 0, data[:1500])

    assert response.status_code == 204
    assert response["Upload-Offset"] == "1500"
    assert response["Tus-Resumable"] == "1.0.0"
    upload = upload_of(url)
    assert upload.offset == 1500
    assert upload.expires_at > timezone.now() + timedelta(hours=23)
    assert upload.data_path.read_bytes() == data[:1500]


def test_patch_at_the_wrong_offset_is_a_conflict(teacher_tus, film):
    data = video_bytes(4000)
    url = upload_url(create(teacher_tus, film, len(data), body=data[:1000]))

    response = patch(teacher_tus, url, 500, data[500:1500])

    assert response.status_code == 409
    assert upload_of(url).data_path.read_bytes() == data[:1000]


def test_patch_needs_the_offset_content_type(teacher_tus, film):
    url = upload_url(create(teacher_tus, film, 4000))

    response = patch(teacher_tus, url, 0, b"abcd", content_type="application/octet-stream")

    assert response.status_code == 415
    assert upload_of(url).offset == 0


def test_patch_needs_an_offset(teacher_tus, film):
    url = upload_url(create(teacher_tus, film, 4000))

    response = teacher_tus.patch(url, b"abcd", content_type="application/offset+octet-stream")

    assert response.status_code == 400


def test_patch_past_the_announced_length_is_refused(teacher_tus, film):
    url = upload_url(create(teacher_tus, film, 10))

    response = patch(teacher_tus, url, 0, video_bytes(40))

    assert response.status_code == 413
    assert upload_of(url).data_path.read_bytes() == b""


@pytest.mark.parametrize("algorithm", ["sha1", "md5", "sha256"])
def test_patch_with_a_good_checksum(teacher_tus, film, algorithm):
    data = video_bytes(4000)
    url = upload_url(create(teacher_tus, film, len(data)))
    digest = base64.b64encode(hashlib.new(algorithm, data[:2000]).digest()).decode()

    response = patch(
        teacher_tus, url, 0, data[:2000], headers={"Upload-Checksum": f"{algorithm} {digest}"}
    )

    assert response.status_code == 204
    assert response["Upload-Offset"] == "2000"


def test_patch_with_a_bad_checksum_discards_the_chunk(teacher_tus, film):
    data = video_bytes(4000)
    url = upload_url(create(teacher_tus, film, len(data), body=data[:1000]))
    digest = base64.b64encode(hashlib.sha1(b"something else").digest()).decode()

    response = patch(
        teacher_tus, url, 1000, data[1000:3000], headers={"Upload-Checksum": f"sha1 {digest}"}
    )

    assert response.status_code == 460
    assert response.reason_phrase == "Checksum Mismatch"
    assert teacher_tus.head(url)["Upload-Offset"] == "1000"
    assert upload_of(url).data_path.read_bytes() == data[:1000]


@pytest.mark.parametrize("header", ["crc32 AAAA", "sha1 ###"])
def test_patch_with_an_unusable_checksum(teacher_tus, film, header):
    url = upload_url(create(teacher_tus, film, 4000))

    response = patch(teacher_tus, url, 0, b"abcd", headers={"Upload-Checksum": header})

    assert response.status_code == 400
    assert upload_of(url).offset == 0


def test_headers_are_case_insensitive(teacher_tus, film):
    url = upload_url(create(teacher_tus, film, 4000))

    response = teacher_tus.patch(
        url,
        b"abcd",
        content_type="application/offset+octet-stream",
        headers={"upload-offset": "0", "TUS-RESUMABLE": "1.0.0"},
    )

    assert response.status_code == 204
    assert response["upload-offset"] == "4"


def test_a_locked_upload_answers_423(teacher_tus, film):
    url = upload_url(create(teacher_tus, film, 4000))

    with tus.locked(upload_of(url).id):
        response = patch(teacher_tus, url, 0, b"abcd")

    assert response.status_code == 423
    assert upload_of(url).offset == 0


def test_bytes_past_the_recorded_offset_are_dropped(teacher_tus, film, received):
    """A server killed mid-request leaves unrecorded bytes: the client resumes before them."""
    data = video_bytes(3000)
    url = upload_url(create(teacher_tus, film, len(data), body=data[:1000]))
    with open(upload_of(url).data_path, "ab") as partial:
        partial.write(b"half a chunk that was never acknowledged")

    assert teacher_tus.head(url)["Upload-Offset"] == "1000"
    response = patch(teacher_tus, url, 1000, data[1000:])

    assert response.status_code == 204
    assert [c["sha256"] for c in received] == [sha256(data)]
    assert versions(film) == [(1, "queued", "Notre film.mp4", 3000, sha256(data))]


def test_streamed_bodies_are_not_limited_by_data_upload_max_memory_size(
    teacher_tus, film, settings
):
    """The body is never read through request.body, which would hold it all in memory."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = video_bytes(50_000)
    url = upload_url(create(teacher_tus, film, len(data) + 1, body=data[:20_000]))

    response = patch(teacher_tus, url, 20_000, data[20_000:])

    assert response.status_code == 204
    assert upload_of(url).data_path.read_bytes() == data


# A whole upload, cut and resumed.


def test_an_interrupted_upload_resumes_to_an_identical_file(teacher_tus, film, received):
    data = video_bytes(3 * tus.CHUNK_BYTES + 12_345)
    url = upload_url(create(teacher_tus, film, len(data)))

    # The connection drops in the middle of a PATCH of the whole file.
    cut = tus.CHUNK_BYTES + 777
    response = teacher_tus.generic(
        "PATCH",
        url,
        headers={"Upload-Offset": "0"},
        CONTENT_TYPE="application/offset+octet-stream",
        CONTENT_LENGTH=str(len(data)),
        **{"wsgi.input": CutPayload(data, cut)},
    )
    assert response.status_code == 400
    assert received == []

    # The client asks where to resume, then sends the rest in two chunks.
    offset = int(teacher_tus.head(url)["Upload-Offset"])
    assert offset == cut
    middle = offset + (len(data) - offset) // 2
    assert patch(teacher_tus, url, offset, data[offset:middle]).status_code == 204
    response = patch(teacher_tus, url, middle, data[middle:])

    assert response.status_code == 204
    assert response["Upload-Offset"] == str(len(data))
    assert [(c["size"], c["sha256"], c["filename"]) for c in received] == [
        (len(data), sha256(data), "Notre film.mp4")
    ]
    assert versions(film) == [(1, "queued", "Notre film.mp4", len(data), sha256(data))]
    film.refresh_from_db()
    assert (film.original_filename, film.original_size) == ("Notre film.mp4", len(data))


def test_an_interrupted_chunk_with_a_checksum_is_discarded(teacher_tus, film):
    data = video_bytes(10_000)
    url = upload_url(create(teacher_tus, film, len(data)))
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()

    teacher_tus.generic(
        "PATCH",
        url,
        headers={"Upload-Offset": "0", "Upload-Checksum": f"sha256 {digest}"},
        CONTENT_TYPE="application/offset+octet-stream",
        CONTENT_LENGTH=str(len(data)),
        **{"wsgi.input": CutPayload(data, 4000)},
    )

    assert teacher_tus.head(url)["Upload-Offset"] == "0"


def test_a_complete_upload_is_handed_over_then_reported_complete(teacher_tus, film, received):
    data = video_bytes(5000)
    url = upload_url(create(teacher_tus, film, len(data), body=data[:2000]))

    response = patch(teacher_tus, url, 2000, data[2000:])

    assert response.status_code == 204
    assert versions(film) == [(1, "queued", "Notre film.mp4", 5000, sha256(data))]
    upload = upload_of(url)
    assert upload.state == tus.COMPLETED
    assert not upload.data_path.exists()
    # A client whose last answer was lost learns that nothing is missing.
    head = teacher_tus.head(url)
    assert (head.status_code, head["Upload-Offset"]) == (200, "5000")
    assert patch(teacher_tus, url, 5000, b"").status_code == 204
    assert len(received) == 1
    assert len(versions(film)) == 1
    assert teacher_tus.get(url).json()["state"] == "completed"


def test_a_complete_upload_that_is_not_a_video_is_refused(teacher_tus, film, received):
    data = b"%PDF-1.4 " + os.urandom(3000)
    url = upload_url(create(teacher_tus, film, len(data)))

    response = patch(teacher_tus, url, 0, data)

    assert response.status_code == 422
    message = (
        "Ce fichier n'est pas une vidéo. Envoyez le film exporté par votre logiciel "
        "de montage (MP4, MOV, MKV, AVI…)."
    )
    assert response.content.decode() == message
    assert received == []
    assert versions(film) == []
    assert not upload_of(url).data_path.exists()
    assert teacher_tus.head(url).status_code == 410
    assert teacher_tus.get(url).json() == {
        "state": "rejected",
        "offset": len(data),
        "length": len(data),
        "message": message,
        "expired": False,
    }


def test_a_film_closed_during_the_upload_refuses_it(teacher_tus, film, received):
    data = video_bytes(3000)
    url = upload_url(create(teacher_tus, film, len(data)))
    film.status = FilmStatus.SUBMITTED
    film.save()

    response = patch(teacher_tus, url, 0, data)

    assert response.status_code == 409
    assert response.content.decode().startswith("Ce film est « Déposé » : il ne peut plus")
    assert received == []
    assert versions(film) == []
    assert upload_of(url).state == tus.REJECTED


# Termination and expiration.


def test_termination_removes_the_files(teacher_tus, film):
    url = upload_url(create(teacher_tus, film, 4000, body=video_bytes(4000)[:100]))
    folder = upload_of(url).folder

    response = teacher_tus.delete(url)

    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    assert not folder.exists()
    assert teacher_tus.head(url).status_code == 404


def expire(url):
    upload = upload_of(url)
    upload.expires = (timezone.now() - timedelta(minutes=1)).isoformat()
    upload.save(touch=False)
    return upload


def test_an_expired_upload_is_gone(teacher_tus, film):
    url = upload_url(create(teacher_tus, film, 4000, body=video_bytes(4000)[:100]))
    folder = expire(url).folder

    assert teacher_tus.head(url).status_code == 410
    assert patch(teacher_tus, url, 100, b"abcd").status_code in (404, 410)
    assert not folder.exists()


def test_expire_uploads_command(teacher_tus, film, upload_dir, settings):
    settings.FILMIT_UPLOAD_EXPIRY_HOURS = 2
    kept = upload_of(upload_url(create(teacher_tus, film, 4000)))
    old = expire(upload_url(create(teacher_tus, film, 4000)))
    debris = upload_dir / ("b" * 43)
    debris.mkdir()
    os.utime(debris, (0, 0))

    call_command("expire_uploads", stdout=(out := __import__("io").StringIO()))

    assert out.getvalue() == "2 expired upload(s) deleted.\n"
    assert sorted(p.name for p in upload_dir.iterdir() if not p.name.startswith(".")) == [kept.id]
    assert not old.folder.exists()


def test_creation_sweeps_expired_uploads_at_most_hourly(teacher_tus, film, upload_dir):
    old = expire(upload_url(create(teacher_tus, film, 4000)))
    create(teacher_tus, film, 4000)
    assert old.folder.exists()  # swept just before, at the first creation

    (upload_dir / ".last-sweep").unlink()
    create(teacher_tus, film, 4000)

    assert not old.folder.exists()


# Protocol version and method override.


@pytest.mark.parametrize("version", ["0.2.2", ""])
def test_a_wrong_protocol_version_is_refused(teacher_tus, film, version):
    response = create(teacher_tus, film, 100, headers={"Tus-Resumable": version})

    assert response.status_code == 412
    assert response["Tus-Version"] == "1.0.0"


def test_method_override_for_clients_behind_proxies(teacher_tus, film):
    data = video_bytes(4000)
    url = upload_url(create(teacher_tus, film, len(data)))

    response = teacher_tus.post(
        url,
        data[:1000],
        content_type="application/offset+octet-stream",
        headers={"X-HTTP-Method-Override": "PATCH", "Upload-Offset": "0"},
    )
    assert (response.status_code, response["Upload-Offset"]) == (204, "1000")

    response = teacher_tus.generic("POST", url, headers={"X-HTTP-Method-Override": "DELETE"})
    assert response.status_code == 204
    assert upload_of(url) is None


# Who may upload.


def test_anonymous_cannot_upload(film):
    response = create(tus_client(), film, 100)

    assert response.status_code == 403
    assert response.content.decode() == "Connectez-vous pour envoyer une vidéo."


@pytest.mark.parametrize("stranger", ["other_teacher", "other_organizer", "juror"])
def test_strangers_cannot_upload_to_the_film(request, film, stranger, upload_dir):
    client = tus_client(request.getfixturevalue(stranger))

    response = create(client, film, 100)

    assert response.status_code == 404
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_the_festival_organizers_can_upload(organizer, film, received):
    film.status = FilmStatus.SUBMITTED
    film.save()
    data = video_bytes(2000)

    response = create(tus_client(organizer), film, len(data), body=data)

    assert response.status_code == 201
    assert [(c["user"], c["film"]) for c in received] == [(organizer, film)]
    assert versions(film) == [(1, "queued", "Notre film.mp4", 2000, sha256(data))]


def test_a_teacher_cannot_upload_to_a_film_that_is_not_editable(teacher_tus, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.ACCEPTED)

    response = create(teacher_tus, film, 100)

    assert response.status_code == 409
    assert response.content.decode() == (
        "Ce film est « Accepté » : il ne peut plus être modifié, sauf si l'organisation "
        "demande des compléments."
    )


def test_a_film_sent_back_for_changes_accepts_a_new_video(teacher_tus, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.NEEDS_CHANGES)

    assert create(teacher_tus, film, 100).status_code == 201


def test_only_the_creator_reaches_an_upload(teacher_tus, film, organizer):
    url = upload_url(create(teacher_tus, film, 4000))
    # Even an organizer who may upload to the same film.
    other = tus_client(organizer)

    assert other.head(url).status_code == 404
    assert patch(other, url, 0, b"abcd").status_code == 404
    assert other.delete(url).status_code == 404
    assert other.get(url).status_code == 404
    assert tus_client().head(url).status_code == 403
    assert upload_of(url).offset == 0


def test_an_unknown_upload_is_not_found(teacher_tus):
    assert teacher_tus.head(f"/televersements/{'z' * 43}/").status_code == 404
    assert teacher_tus.head("/televersements/..%2F..%2Fetc/").status_code == 404


# CSRF: the session is not enough, the request must come from our pages.


def test_creation_without_the_csrf_header_is_refused(teacher, film, upload_dir):
    client = tus_client(teacher)
    client.defaults.pop("HTTP_X_CSRFTOKEN")

    response = create(client, film, 100)

    assert response.status_code == 403
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_patch_and_delete_without_the_csrf_header_are_refused(teacher_tus, teacher, film):
    url = upload_url(create(teacher_tus, film, 4000))
    client = tus_client(teacher)
    client.defaults.pop("HTTP_X_CSRFTOKEN")

    assert patch(client, url, 0, b"abcd").status_code == 403
    assert client.delete(url).status_code == 403
    assert client.head(url).status_code == 200  # reading the offset changes nothing
    assert upload_of(url).offset == 0


def test_a_cross_site_request_is_refused(teacher, film, upload_dir):
    """A page elsewhere can make the browser send the session cookie, not read the token."""
    client = Client(enforce_csrf_checks=True, headers=TUS)
    client.force_login(teacher)

    response = create(client, film, 100, headers={"Origin": "https://ailleurs.example"})

    assert response.status_code == 403
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


# A real tus client, over HTTP.


@pytest.mark.django_db(transaction=True)
def test_a_real_tus_client_uploads_a_film(live_server, teacher, film, received, tmp_path):
    from tusclient import client as tusclient

    data = video_bytes(2 * tus.CHUNK_BYTES + 4321)
    source = tmp_path / "film.mp4"
    source.write_bytes(data)
    browser = tus_client(teacher)
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in browser.cookies.items())
    headers = {"Cookie": cookies, "X-CSRFToken": browser.cookies["csrftoken"].value}

    uploader = tusclient.TusClient(f"{live_server.url}/televersements/", headers=headers).uploader(
        file_path=str(source),
        chunk_size=tus.CHUNK_BYTES,
        metadata={"filename": "film.mp4", "filetype": "video/mp4", "film": str(film.pk)},
        upload_checksum=True,
    )
    uploader.upload()

    assert uploader.offset == len(data)
    assert [(c["film"], c["sha256"]) for c in received] == [(film, sha256(data))]
    assert versions(film) == [(1, "queued", "film.mp4", len(data), sha256(data))]


@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_over_http_keeps_what_arrived(live_server, teacher, film, received):
    data = video_bytes(3 * tus.CHUNK_BYTES)
    browser = tus_client(teacher)
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in browser.cookies.items())
    url = upload_url(create(browser, film, len(data)))
    host, port = live_server.thread.host, live_server.thread.port

    # A PATCH announcing the whole file; the connection drops after a chunk and a half.
    sent = tus.CHUNK_BYTES + tus.CHUNK_BYTES // 2
    with socket.create_connection((host, port)) as connection:
        connection.sendall(
            (
                f"PATCH {url} HTTP/1.1\r\nHost: {host}:{port}\r\nTus-Resumable: 1.0.0\r\n"
                f"Cookie: {cookies}\r\nX-CSRFToken: {browser.cookies['csrftoken'].value}\r\n"
                "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
                f"Content-Length: {len(data)}\r\n\r\n"
            ).encode()
            + data[:sent]
        )
    deadline = time.monotonic() + 10
    while (offset := int(browser.head(url)["Upload-Offset"])) < sent:
        assert time.monotonic() < deadline, f"offset stuck at {offset}"
        time.sleep(0.05)

    assert offset == sent
    assert patch(browser, url, offset, data[offset:]).status_code == 204
    assert versions(film) == [(1, "queued", "Notre film.mp4", len(data), sha256(data))]


def test_a_refusal_by_the_media_pipeline_is_told_to_the_client(teacher_tus, film, monkeypatch):
    from festival.domain import DomainError

    def refuse(**kwargs):
        raise DomainError("Le fichier envoyé est vide.", code="empty")

    monkeypatch.setattr(originals, "receive_original", refuse)
    url = upload_url(create(teacher_tus, film, 3000))

    response = patch(teacher_tus, url, 0, video_bytes(3000))

    assert (response.status_code, response.content.decode()) == (422, "Le fichier envoyé est vide.")
    assert upload_of(url).state == tus.REJECTED
    assert not upload_of(url).data_path.exists()


def test_data_lost_in_a_crash_is_asked_again(teacher_tus, film, received):
    """The offset was recorded but the disk lost the end of the data: resume from the data."""
    data = video_bytes(3000)
    url = upload_url(create(teacher_tus, film, len(data), body=data[:2000]))
    os.truncate(upload_of(url).data_path, 1500)

    assert teacher_tus.head(url)["Upload-Offset"] == "1500"
    assert patch(teacher_tus, url, 2000, data[2000:]).status_code == 409
    assert patch(teacher_tus, url, 1500, data[1500:]).status_code == 204
    assert [c["sha256"] for c in received] == [sha256(data)]


# Open uploads per person: a limit on their number and on the total size they declare.


def test_a_teacher_may_keep_only_so_many_uploads_open(teacher_tus, film, settings):
    settings.FILMIT_MAX_OPEN_UPLOADS = 2
    for _ in range(2):
        upload_url(create(teacher_tus, film, 4000))

    response = create(teacher_tus, film, 4000)

    assert response.status_code == 429
    assert response["Tus-Resumable"] == "1.0.0"
    assert response.content.decode() == (
        "Vous avez déjà 2 envois de vidéo en cours : terminez-en ou annulez-en un avant d'en "
        "commencer un autre."
    )
    assert len(tus.open_uploads(film.teacher.pk)) == 2


def test_the_total_declared_by_open_uploads_is_limited(teacher_tus, film, settings):
    settings.FILMIT_MAX_OPEN_UPLOAD_BYTES = 10_000
    upload_url(create(teacher_tus, film, 6000))

    refused = create(teacher_tus, film, 4001)
    accepted = create(teacher_tus, film, 4000)

    assert refused.status_code == 429
    assert refused.content.decode() == (
        "Vos envois de vidéo en cours totalisent déjà 5,9\xa0Kio, pour 9,8\xa0Kio au plus à la "
        "fois : terminez-en ou annulez-en un avant d'envoyer ce fichier."
    )
    assert accepted.status_code == 201


def test_finished_cancelled_and_expired_uploads_do_not_count(teacher_tus, film, settings, received):
    settings.FILMIT_MAX_OPEN_UPLOADS = 1
    data = video_bytes(2000)
    assert create(teacher_tus, film, len(data), body=data).status_code == 201  # complete
    expire(upload_url(create(teacher_tus, film, 4000)))
    cancelled = upload_url(create(teacher_tus, film, 4000))
    assert teacher_tus.delete(cancelled).status_code == 204

    assert create(teacher_tus, film, 4000).status_code == 201
    assert create(teacher_tus, film, 4000).status_code == 429


def test_the_limit_is_per_person(teacher_tus, organizer, film, settings):
    settings.FILMIT_MAX_OPEN_UPLOADS = 1
    upload_url(create(teacher_tus, film, 4000))
    organizer_tus = tus_client(organizer)

    assert create(teacher_tus, film, 4000).status_code == 429
    assert create(organizer_tus, film, 4000).status_code == 201
    assert create(organizer_tus, film, 4000).status_code == 429
