"""A school's data: the export (ZIP) and the erasure, as domain functions."""

import csv
import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse

from festival.domain import DomainError
from festival.domain.school_erasure import erase_school_data
from festival.domain.school_export import (
    MEDIA_ON_REQUEST,
    check_member_name,
    export_school_data,
    safe_part,
)
from festival.enums import FilmStatus
from festival.models import ConsentForm, Film, Membership, SchoolDataRequest, User
from festival.school_data import ERASED_EMAIL_DOMAIN, erasure_plan
from tests.festival.factories_schooldata import school_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return school_world()


def _export(world):
    out = io.BytesIO()
    record = export_school_data(
        school=world.school, festival=world.festival, organizer=world.organizer, out=out
    )
    out.seek(0)
    return record, zipfile.ZipFile(out)


def _members_of(archive, consent) -> list[str]:
    return [n for n in archive.namelist() if n.rsplit("/", 1)[-1].startswith(f"{consent.pk}-")]


def _csv(archive, name):
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


# Export


def test_the_archive_holds_the_festivals_data_and_no_other(world, settings):
    with_consents = list(world.accepted.consents.order_by("pk"))
    published_consent = world.published.consents.get()
    _record, archive = _export(world)
    folder = f"autorisations/{world.accepted.pk}-HYPERLINK-http-evil.example-x"
    assert sorted(archive.namelist()) == sorted(
        [
            "README.txt",
            "etablissement.json",
            "films.csv",
            f"autorisations/{world.published.pk}-Les-mains-de-l-usine/"
            f"{published_consent.pk}-autorisations.pdf",
            f"{folder}/{with_consents[0].pk}-passwd.pdf",
            f"{folder}/{with_consents[1].pk}-photo.png",
            "liens.csv",
            "historique.csv",
        ]
    )
    for consent in [published_consent, *with_consents]:
        [member] = _members_of(archive, consent)
        with default_storage.open(consent.file.name, "rb") as stored:
            assert archive.read(member) == stored.read()
    assert "Film du Grand Est" not in "".join(
        archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()
    )
    readme = archive.read("README.txt").decode()
    assert readme.startswith("Données de l'établissement Lycée Jules Haag")
    data = json.loads(archive.read("etablissement.json"))
    assert data["etablissement"]["email"] == "ce@ac-besancon.fr"
    assert data["festival"] == "FILM'IT Franche-Comté"
    assert [t["email"] for t in data["enseignants"]] == [
        "claire.girard@example.org",
        "paul.roy@example.org",
    ]


def test_films_csv_is_guarded_and_complete(world):
    _record, archive = _export(world)
    rows = _csv(archive, "films.csv")
    assert rows[0][:7] == [
        "id",
        "titre",
        "édition",
        "catégorie",
        "statut",
        "synopsis",
        "équipe (prénoms)",
    ]
    by_id = {row[0]: row for row in rows[1:]}
    published = by_id[str(world.published.pk)]
    assert published[1] == "Les mains de l'usine"
    assert published[4] == "Accepté"
    assert published[6] == "Léa, Tom B."
    assert published[7] == "Régleur"
    assert published[8] == "Usinage Comtois"
    assert published[12] == "1"
    assert by_id[str(world.accepted.pk)][1] == '\'=HYPERLINK("http://evil.example/","x")'
    assert by_id[str(world.accepted.pk)][12] == "2"
    assert len(rows) == 3


def test_links_give_public_pages_and_never_a_signed_url(world, settings):
    _record, archive = _export(world)
    rows = _csv(archive, "liens.csv")
    public_url = settings.SITE_URL + reverse("public:film", args=[world.published.pk])
    assert sorted(rows[1:]) == [
        [str(world.published.pk), "Les mains de l'usine", world.published.edition.title, "oui",
         public_url],
        [str(world.accepted.pk), "'=HYPERLINK(\"http://evil.example/\",\"x\")",
         world.accepted.edition.title, "non", MEDIA_ON_REQUEST],
    ]  # fmt: skip


def test_history_lists_the_films_events(world):
    world.accepted.events.create(actor=world.organizer, to_status=FilmStatus.ACCEPTED)
    _record, archive = _export(world)
    rows = _csv(archive, "historique.csv")
    assert rows[0] == ["id du film", "titre", "date", "de", "vers", "motif", "par"]
    assert [(row[0], row[4], row[6]) for row in rows[1:]] == [
        (str(world.accepted.pk), "Accepté", "l'organisation")
    ]


def test_the_export_is_recorded_and_the_teachers_told(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record, _archive = _export(world)
    record = SchoolDataRequest.objects.get()
    assert (record.kind, record.film_count, record.consent_count, record.teacher_count) == (
        "export",
        2,
        3,
        2,
    )
    assert record.made_by == world.organizer
    assert sorted(m.to[0] for m in mail.outbox) == [
        "claire.girard@example.org",
        "paul.roy@example.org",
    ]
    assert "Sophie Morel" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("text", "expected"),
    [("../../etc/passwd", "etc-passwd"), ("/abs", "abs"), ("..", "x"), ("Élève été", "Eleve-ete")],
)
def test_archive_names_are_sanitized(text, expected):
    assert safe_part(text, fallback="x") == expected


@pytest.mark.parametrize("name", ["../a", "/a", "a/../b", "a\\b", "C:/a", "a//b"])
def test_unsafe_member_names_are_refused(name):
    with pytest.raises(ValueError):
        check_member_name(name)


# Erasure


def _erase(world, *, keep_published=False):
    return erase_school_data(
        school=world.school,
        festival=world.festival,
        organizer=world.organizer,
        asked_by="Mme Martin, proviseure",
        asked_on="2026-12-01",
        keep_published=keep_published,
        note="Par courrier.",
    )


def test_erasure_removes_everything_the_festival_holds(world, django_capture_on_commit_callbacks):
    consent_names = list(
        ConsentForm.objects.filter(film__in=[world.published, world.accepted]).values_list(
            "file", flat=True
        )
    )
    original = world.accepted.original_video.name
    with django_capture_on_commit_callbacks(execute=True):
        record = _erase(world)
    assert ConsentForm.objects.filter(film__edition__festival=world.festival).count() == 0
    assert [default_storage.exists(name) for name in consent_names] == [False, False, False]
    assert not default_storage.exists(original)
    published = Film.objects.get(pk=world.published.pk)
    accepted = Film.objects.get(pk=world.accepted.pk)
    assert (published.crew, accepted.crew) == ("", "")
    assert (published.status, accepted.status) == (FilmStatus.WITHDRAWN, FilmStatus.WITHDRAWN)
    assert (published.original_video.name, accepted.original_filename) == ("", "")
    assert (published.title, published.synopsis) == (
        "Les mains de l'usine",
        "Une journée à l'atelier.",
    )
    # The teacher of this festival only is anonymised; the shared account is kept.
    teacher = User.objects.get(pk=world.teacher.pk)
    assert teacher.email.endswith("@" + ERASED_EMAIL_DOMAIN)
    assert (teacher.first_name, teacher.phone, teacher.is_active) == ("", "", False)
    assert not teacher.has_usable_password()
    shared = User.objects.get(pk=world.shared_teacher.pk)
    assert (shared.email, shared.is_active) == ("paul.roy@example.org", True)
    assert list(Membership.objects.filter(user=shared).values_list("festival_id", flat=True)) == [
        world.other_festival.pk
    ]
    # The other festival's film is untouched.
    elsewhere = Film.objects.get(pk=world.elsewhere.pk)
    assert (elsewhere.crew, elsewhere.consents.count()) == ("Noé", 1)
    assert (record.kind, record.film_count, record.consent_count, record.teacher_count) == (
        "erasure",
        2,
        3,
        1,
    )
    assert record.details["taken_down_films"] == [
        {"id": world.published.pk, "title": "Les mains de l'usine"}
    ]
    assert record.details["accounts_kept"] == 1
    assert (record.asked_by, str(record.asked_on)) == ("Mme Martin, proviseure", "2026-12-01")


def test_emails_leave_to_the_teachers_real_addresses(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _erase(world)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "claire.girard@example.org",
        "paul.roy@example.org",
    ]
    to_claire = next(m for m in mail.outbox if m.to == ["claire.girard@example.org"])
    assert "Votre compte FILM'IT n'était inscrit à aucun autre festival" in to_claire.body
    assert "« Les mains de l'usine » n'est plus visible du public" in to_claire.body
    to_paul = next(m for m in mail.outbox if m.to == ["paul.roy@example.org"])
    assert "Votre compte FILM'IT est conservé" in to_paul.body


def test_kept_published_films_stay_public(world, django_capture_on_commit_callbacks):
    from judging.visibility import is_public

    original = world.published.original_video.name
    with django_capture_on_commit_callbacks(execute=True):
        record = _erase(world, keep_published=True)
    published = Film.objects.get(pk=world.published.pk)
    assert is_public(published)
    assert (published.status, published.consents.count(), published.crew) == (
        FilmStatus.ACCEPTED,
        1,
        "",
    )
    assert default_storage.exists(original)
    assert Film.objects.get(pk=world.accepted.pk).status == FilmStatus.WITHDRAWN
    assert record.details["kept_films"] == [
        {"id": world.published.pk, "title": "Les mains de l'usine"}
    ]


def test_a_second_erasure_finds_nothing_left(world):
    _erase(world)
    plan = erasure_plan(school=world.school, festival_id=world.festival.pk, keep_published=False)
    assert plan.nothing_left
    with pytest.raises(DomainError) as error:
        _erase(world)
    assert error.value.code == "nothing_left"
    assert SchoolDataRequest.objects.count() == 1


def test_a_second_erasure_may_take_down_what_the_first_kept(world):
    _erase(world, keep_published=True)
    plan = erasure_plan(school=world.school, festival_id=world.festival.pk, keep_published=False)
    assert [f.pk for f in plan.taken_down] == [world.published.pk]
    _erase(world)
    assert Film.objects.get(pk=world.published.pk).consents.count() == 0


def test_the_teachers_addresses_leave_the_festivals_calls(world):
    from festival.models import CallForEntries, CallRecipient
    from festival.models_outreach import RecipientStatus

    call = CallForEntries.objects.create(
        edition=world.published.edition,
        subject="Appel",
        body="Inscrivez vos classes.",
        audiences=["past_teachers"],
        created_by=world.organizer,
    )
    sent = CallRecipient.objects.create(
        call=call,
        email="Claire.Girard@example.org",
        name="Claire Girard",
        audience="past_teachers",
        status=RecipientStatus.SENT,
    )
    CallRecipient.objects.create(call=call, email="paul.roy@example.org", audience="past_teachers")
    kept = CallRecipient.objects.create(
        call=call, email="autre@example.org", audience="past_teachers"
    )
    record = _erase(world)
    sent.refresh_from_db()
    assert sent.email.endswith("@" + ERASED_EMAIL_DOMAIN)
    assert sent.name == ""
    assert list(CallRecipient.objects.order_by("pk").values_list("pk", flat=True)) == [
        sent.pk,
        kept.pk,
    ]
    assert record.details["call_addresses_removed"] == 2


def test_every_video_of_a_film_not_kept_goes_originals_and_renditions(
    world, django_capture_on_commit_callbacks
):
    from media_pipeline.models import VideoStatus, VideoVersion
    from tests.media_pipeline.versions import make_version, stored_files

    first = make_version(world.accepted)
    latest = make_version(world.accepted, status=VideoStatus.READY)
    world.accepted.original_video = latest.original.name
    world.accepted.save()
    kept = make_version(world.published, status=VideoStatus.READY)
    names = [first.original.name, latest.original.name]
    assert stored_files(latest.output_prefix) != []
    with django_capture_on_commit_callbacks(execute=True):
        _erase(world, keep_published=True)
    assert [default_storage.exists(name) for name in names] == [False, False]
    assert stored_files(latest.output_prefix) == []
    assert VideoVersion.objects.filter(film=world.accepted).count() == 0
    # The published film the school keeps keeps its video.
    kept.refresh_from_db()
    assert default_storage.exists(kept.original.name)
    assert stored_files(kept.output_prefix) != []


def test_a_large_consent_is_copied_whole_and_a_missing_file_is_counted(world):
    import os

    from festival.domain import school_export

    big = os.urandom(3 * school_export.CHUNK_SIZE + 123)
    consent = world.published.consents.get()
    with default_storage.open(consent.file.name, "wb") as handle:
        handle.write(big)
    lost = world.accepted.consents.order_by("pk").first()
    default_storage.delete(lost.file.name)
    record, archive = _export(world)
    [member] = _members_of(archive, consent)
    assert archive.read(member) == big
    assert _members_of(archive, lost) == []
    assert (record.consent_count, record.details["missing_consent_files"]) == (2, 1)
