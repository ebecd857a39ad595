"""Retention (RGPD): originals and the consents of films that are not public are deleted some
time after the edition's ceremony; published renditions stay and go on playing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from festival.domain import DomainError
from festival.enums import ConsentStatus, FilmStatus
from festival.models import ConsentForm, Edition
from judging.models_results import ResultsSettings
from media_pipeline import delivery
from media_pipeline.models import RetentionRun, VideoStatus
from media_pipeline.retention import apply_retention
from media_pipeline.versions import retry_version
from tests import factories
from tests.media_pipeline.versions import MP4_BYTES, make_version, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def film(teacher, category):
    """A film that was never published: its latest original and an earlier one, a consent."""
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.ACCEPTED)
    make_version(film, status=VideoStatus.FAILED)
    latest = make_version(film, status=VideoStatus.READY)
    film.original_video = latest.original.name
    film.original_size = latest.original_size
    film.save()
    factories.make_consent(film, status=ConsentStatus.REFUSED)
    return film


@pytest.fixture
def public_film(teacher, category):
    """Accepted, its consent validated, in an edition whose gallery is open: public."""
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.ACCEPTED)
    version = make_version(film, status=VideoStatus.READY)
    film.original_video = version.original.name
    film.save()
    factories.make_consent(film, status=ConsentStatus.VALIDATED)
    ResultsSettings.objects.create(edition=category.edition, gallery_open=True)
    return film


def after_ceremony(edition, days):
    return edition.ceremony_at + timedelta(days=days)


def originals_of(film) -> list[str]:
    return sorted(v.original.name for v in film.video_versions.all())


def exists(name: str) -> bool:
    return default_storage.exists(name)


def run(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return apply_retention(**kwargs)


def test_nothing_is_deleted_before_the_date(film, edition, django_capture_on_commit_callbacks):
    names = originals_of(film)

    report = run(django_capture_on_commit_callbacks, now=after_ceremony(edition, 364))

    film.refresh_from_db()
    assert (report.films, film.original_deleted_at, film.consents.count()) == ([], None, 1)
    assert [exists(name) for name in names] == [True, True]
    assert originals_of(film) == names


def test_originals_and_unpublished_consents_are_deleted_after_the_date(
    film, edition, organizer, django_capture_on_commit_callbacks
):
    now = after_ceremony(edition, 366)
    originals = originals_of(film)
    consent_name = film.consents.get().file.name
    renditions = stored_files(film.video_versions.get(status=VideoStatus.READY).output_prefix)

    report = run(django_capture_on_commit_callbacks, now=now)

    film.refresh_from_db()
    assert (film.original_video.name, film.original_deleted_at, film.consents_deleted_at) == (
        "",
        now,
        now,
    )
    assert originals_of(film) == ["", ""]
    assert [exists(name) for name in [*originals, consent_name]] == [False, False, False]
    assert film.consents.count() == 0
    # The renditions are not originals: they stay.
    ready = film.video_versions.get(status=VideoStatus.READY)
    assert stored_files(ready.output_prefix) == renditions
    assert (report.originals_deleted, report.consents_deleted, report.files_kept) == (2, 1, 0)
    assert report.bytes_freed == 2 * len(factories.tiny_video_bytes()) + len(factories.PDF_BYTES)
    run_row = RetentionRun.objects.get()
    assert (run_row.originals_deleted, run_row.consents_deleted, run_row.bytes_freed) == (
        2,
        1,
        report.bytes_freed,
    )
    assert run_row.films == [
        {
            "film": film.pk,
            "title": film.title,
            "edition": edition.title,
            "festival": edition.festival_id,
            "originals": 2,
            "consents": 1,
            "files_kept": 0,
            "bytes_freed": report.bytes_freed,
        }
    ]


def test_consents_have_their_own_period(
    film, edition, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_CONSENTS_DAYS = 30

    report = run(django_capture_on_commit_callbacks, now=after_ceremony(edition, 31))

    film.refresh_from_db()
    assert (report.originals_deleted, report.consents_deleted) == (0, 1)
    assert film.original_deleted_at is None
    assert film.original_video.name != ""


def test_a_public_film_keeps_its_consents_and_still_plays(
    public_film, edition, django_capture_on_commit_callbacks
):
    consent = public_film.consents.get()

    report = run(django_capture_on_commit_callbacks, now=after_ceremony(edition, 400))

    public_film.refresh_from_db()
    assert (report.originals_deleted, report.consents_deleted) == (1, 0)
    assert public_film.original_deleted_at is not None
    assert list(public_film.consents.all()) == [consent]
    assert exists(consent.file.name)
    # The public still watches the published rendition.
    version = public_film.video_versions.get()
    sources = delivery.sources(version=version, user=AnonymousUser())
    response = Client().get(sources.mp4)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MP4_BYTES


def test_a_file_another_film_still_uses_is_kept(
    film, edition, festival, django_capture_on_commit_callbacks
):
    """A film forwarded to a national final shares the original and the consents."""
    final = factories.make_edition(
        factories.make_festival(), ceremony_at=edition.ceremony_at + timedelta(days=200)
    )
    forwarded = factories.make_film(
        category=factories.make_category(final), original_video=film.original_video.name
    )
    consent = film.consents.get()
    ConsentForm.objects.create(
        film=forwarded,
        file=consent.file.name,
        original_filename=consent.original_filename,
        content_type=consent.content_type,
        uploaded_by=consent.uploaded_by,
        status=ConsentStatus.VALIDATED,
    )
    shared = film.original_video.name
    earlier = [name for name in originals_of(film) if name != shared]

    report = run(django_capture_on_commit_callbacks, now=after_ceremony(edition, 366))

    assert [exists(shared), exists(consent.file.name), exists(earlier[0])] == [True, True, False]
    assert report.files_kept == 2
    assert report.bytes_freed == len(factories.tiny_video_bytes())
    forwarded.refresh_from_db()
    assert (forwarded.original_video.name, forwarded.consents.count()) == (shared, 1)


def test_dry_run_removes_nothing_and_says_what_it_would(
    film, edition, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    names = originals_of(film)

    report = run(django_capture_on_commit_callbacks, now=after_ceremony(edition, 366), dry_run=True)

    film.refresh_from_db()
    assert (report.originals_deleted, report.consents_deleted, report.dry_run) == (2, 1, True)
    assert (film.original_deleted_at, film.consents.count()) == (None, 1)
    assert originals_of(film) == names
    assert [exists(name) for name in names] == [True, True]
    assert (RetentionRun.objects.count(), len(mailoutbox)) == (0, 0)


def test_organizers_are_told_once_and_a_second_run_removes_nothing(
    film, edition, organizer, other_organizer, mailoutbox, django_capture_on_commit_callbacks
):
    now = after_ceremony(edition, 366)

    run(django_capture_on_commit_callbacks, now=now)
    second = run(django_capture_on_commit_callbacks, now=now + timedelta(hours=1))

    assert [message.to for message in mailoutbox] == [[organizer.email]]
    message = mailoutbox[0]
    assert message.subject == (
        "FILM'IT : données supprimées selon la durée de conservation (FILM'IT Franche-Comté)"
    )
    assert f"- {film.title} ({edition.title}) — 2 vidéos originales supprimées" in message.body
    assert "1 autorisation de droit à l'image supprimée" in message.body
    assert (second.films, RetentionRun.objects.count()) == ([], 2)


def test_the_command_prints_its_report(film, edition, organizer, mailoutbox):
    Edition.objects.filter(pk=edition.pk).update(ceremony_at=timezone.now() - timedelta(days=400))

    dry = StringIO()
    call_command("apply_retention", "--dry-run", stdout=dry)
    real = StringIO()
    call_command("apply_retention", stdout=real)
    again = StringIO()
    call_command("apply_retention", stdout=again)

    assert dry.getvalue().splitlines()[0] == (
        f"Film {film.pk} « {film.title} » ({edition.title}): 2 original(s), 1 consent(s) "
        "would be deleted"
    )
    assert "(dry run): 2 original(s) and 1 consent(s) would be deleted in 1 film(s)" in (
        dry.getvalue()
    )
    assert "Retention: 2 original(s) and 1 consent(s) deleted in 1 film(s)" in real.getvalue()
    assert again.getvalue() == "Retention: nothing due.\n"


# After the deletion: pages and actions that needed the original say why they cannot.


@pytest.fixture
def deleted(film, edition, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, now=after_ceremony(edition, 366))
    film.refresh_from_db()
    return film


def test_rebuilding_is_refused_with_the_reason(deleted, organizer):
    version = deleted.video_versions.get(status=VideoStatus.READY)
    version.film = deleted

    with pytest.raises(DomainError) as excinfo:
        retry_version(version=version, user=organizer)

    assert excinfo.value.code == "original_deleted"
    assert "supprimée le" in excinfo.value.text


def test_organizer_film_page_says_the_original_was_deleted(deleted, organizer_client):
    response = organizer_client.get(reverse("festival:organizer_film", args=[deleted.pk]))

    html = response.content.decode()
    assert "selon la durée de conservation des données" in html
    assert reverse("festival:file_original_video", args=[deleted.pk]) not in html
    assert 'id="original-deleted"' in html


def test_downloading_the_deleted_original_says_why(deleted, organizer_client):
    response = organizer_client.get(reverse("festival:file_original_video", args=[deleted.pk]))

    assert response.status_code == 410
    assert "a été supprimée le" in response.content.decode()


def test_the_edition_page_shows_the_retention_dates(edition, organizer_client, settings):
    settings.RETENTION_ORIGINALS_DAYS = 100
    settings.RETENTION_CONSENTS_DAYS = 50

    response = organizer_client.get(reverse("festival:organizer_edition", args=[edition.pk]))

    html = response.content.decode()
    expected = [
        (edition.ceremony_at + timedelta(days=days)).astimezone(timezone.get_current_timezone())
        for days in (100, 50)
    ]
    for date in expected:
        assert date_format(date, "DATE_FORMAT") in html
