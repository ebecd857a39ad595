"""Image-rights consent forms: upload, deletion and the organizers' review."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from festival.domain import DomainError
from festival.domain.consents import (
    add_consent,
    delete_consent,
    review_consent,
)
from festival.enums import ConsentStatus, FilmStatus
from festival.models import ConsentForm, Film
from tests import factories

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
CONSENT_TYPE_MESSAGE = "Une autorisation doit être un PDF ou une photo (JPEG, PNG ou WebP)."


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("autorisation-lea.pdf", factories.PDF_BYTES, "application/pdf", "pdf"),
        ("photo.png", factories.PNG_BYTES, "image/png", "png"),
        ("scan.jpg", JPEG_BYTES, "image/jpeg", "jpg"),
        ("scan.webp", WEBP_BYTES, "image/webp", "webp"),
        # The sender's name says nothing: the stored extension is the type of the bytes.
        ("autorisation.pdf.html", JPEG_BYTES, "image/jpeg", "jpg"),
        ("photo.png", factories.PDF_BYTES, "application/pdf", "pdf"),
        ("scan", WEBP_BYTES, "image/webp", "webp"),
    ],
)
def test_add_consent(name, content, content_type, extension, film, teacher):
    consent = add_consent(film=film, user=teacher, uploaded_file=upload(name, content))

    consent.refresh_from_db()
    assert (consent.film, consent.uploaded_by, consent.status) == (
        film,
        teacher,
        ConsentStatus.PENDING,
    )
    assert (consent.original_filename, consent.content_type) == (name, content_type)
    # Stored under a name of ours, never the teacher's.
    directory, stored_name = consent.file.name.rsplit("/", 1)
    stem, stored_extension = stored_name.split(".")
    assert (directory, stored_extension) == (f"consents/{film.pk}", extension)
    assert len(stem) == 32 and int(stem, 16) >= 0  # a random uuid, never the teacher's name
    with consent.file.open("rb") as stored:
        assert stored.read() == content


def test_type_is_read_from_the_bytes_not_the_name(film, teacher):
    with pytest.raises(DomainError) as excinfo:
        add_consent(
            film=film,
            user=teacher,
            uploaded_file=upload("autorisation.pdf", "Je soussigné".encode()),
        )

    assert excinfo.value.code == "consent_type"
    assert excinfo.value.messages == [CONSENT_TYPE_MESSAGE]
    assert ConsentForm.objects.count() == 0


def test_empty_consent_is_refused(film, teacher):
    with pytest.raises(DomainError) as excinfo:
        add_consent(film=film, user=teacher, uploaded_file=upload("vide.pdf", b""))
    assert excinfo.value.code == "empty"
    assert excinfo.value.messages == ["Le fichier envoyé est vide."]
    assert ConsentForm.objects.count() == 0


def test_oversized_consent_is_refused(film, teacher, settings):
    settings.FILMIT_MAX_CONSENT_BYTES = 10

    with pytest.raises(DomainError) as excinfo:
        add_consent(film=film, user=teacher, uploaded_file=upload("a.pdf", factories.PDF_BYTES))

    assert excinfo.value.code == "too_large"
    size = len(factories.PDF_BYTES)
    assert excinfo.value.messages == [
        f"Ce fichier pèse {size}\xa0octets : la taille maximale est de 10\xa0octets."
    ]
    assert ConsentForm.objects.count() == 0


@pytest.mark.parametrize(
    "status",
    [FilmStatus.DRAFT, FilmStatus.SUBMITTED, FilmStatus.NEEDS_CHANGES, FilmStatus.ACCEPTED],
)
def test_consents_are_accepted_until_the_film_is_out(status, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=status)
    add_consent(film=film, user=teacher, uploaded_file=upload("a.pdf", factories.PDF_BYTES))
    assert film.consents.count() == 1


@pytest.mark.parametrize("status", [FilmStatus.REJECTED, FilmStatus.WITHDRAWN])
def test_no_consent_for_a_film_that_is_out(status, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=status)

    with pytest.raises(DomainError) as excinfo:
        add_consent(film=film, user=teacher, uploaded_file=upload("a.pdf", factories.PDF_BYTES))

    assert excinfo.value.code == "consent_closed"
    assert excinfo.value.messages == [
        f"On ne peut plus ajouter d'autorisation à un film « {status.label} »."
    ]
    assert film.consents.count() == 0


@pytest.mark.parametrize("status", [ConsentStatus.PENDING, ConsentStatus.REFUSED])
def test_delete_consent_removes_the_file_after_commit(
    status, film, teacher, django_capture_on_commit_callbacks
):
    consent = factories.make_consent(film, status=status)
    name = consent.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_consent(consent=consent, user=teacher)
    assert film.consents.count() == 0
    assert default_storage.exists(name)

    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)


def test_validated_consent_cannot_be_deleted(film, teacher, django_capture_on_commit_callbacks):
    consent = factories.make_consent(film, status=ConsentStatus.VALIDATED)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError) as excinfo:
            delete_consent(consent=consent, user=teacher)

    assert excinfo.value.code == "consent_validated"
    assert excinfo.value.messages == [
        "Cette autorisation a déjà été validée : elle ne peut plus être supprimée."
    ]
    assert list(film.consents.all()) == [consent]
    assert default_storage.exists(consent.file.name)


def test_validate_consent(film, organizer, sent_emails):
    consent = factories.make_consent(film)

    review_consent(consent=consent, organizer=organizer, status=ConsentStatus.VALIDATED)

    consent.refresh_from_db()
    assert (consent.status, consent.reviewed_by) == (ConsentStatus.VALIDATED, organizer)
    assert consent.reviewed_at is not None
    assert sent_emails == []


@pytest.mark.parametrize("note", ["", "  "])
def test_refusing_a_consent_needs_a_reason(note, film, organizer, sent_emails):
    consent = factories.make_consent(film)

    with pytest.raises(DomainError) as excinfo:
        review_consent(
            consent=consent, organizer=organizer, status=ConsentStatus.REFUSED, note=note
        )

    assert excinfo.value.code == "reason_required"
    assert excinfo.value.messages == [
        "Indiquez pourquoi l'autorisation est refusée : l'enseignant le recevra."
    ]
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.PENDING
    assert sent_emails == []


def test_refused_consent_is_emailed_to_the_teacher(
    film, teacher, organizer, sent_emails, django_capture_on_commit_callbacks, mailoutbox
):
    consent = factories.make_consent(film)

    with django_capture_on_commit_callbacks(execute=True):
        review_consent(
            consent=consent,
            organizer=organizer,
            status=ConsentStatus.REFUSED,
            note="La signature du responsable légal manque.",
        )

    consent.refresh_from_db()
    assert (consent.status, consent.review_note) == (
        ConsentStatus.REFUSED,
        "La signature du responsable légal manque.",
    )
    assert sent_emails == [("consent_refused", [teacher.email])]
    assert [message.to for message in mailoutbox] == [[teacher.email]]


def test_unknown_review_decision(film, organizer):
    consent = factories.make_consent(film)
    with pytest.raises(DomainError) as excinfo:
        review_consent(consent=consent, organizer=organizer, status=ConsentStatus.PENDING)
    assert excinfo.value.code == "consent_decision"


def test_consent_gate(film):
    def gate():
        return (
            list(Film.objects.consents_validated()),
            list(Film.objects.consents_missing()),
        )

    assert gate() == ([], [film])
    first = factories.make_consent(film, status=ConsentStatus.VALIDATED)
    assert gate() == ([film], [])
    factories.make_consent(film)
    assert gate() == ([], [film])
    first.delete()
    ConsentForm.objects.update(status=ConsentStatus.VALIDATED)
    assert gate() == ([film], [])
