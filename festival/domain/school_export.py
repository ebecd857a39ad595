"""A school's data exported at its request (RGPD): a ZIP of what one festival holds about it.

The archive is built into a file the caller gives (a temporary file): consents are copied from
storage in chunks and the CSV files written line by line, so memory stays flat whatever their
size. It is always in French, like the consent form the parents signed. Only the festival's
own films, consents, history and memberships go in it; never another festival's.
"""

import json
import logging
import re
import shutil
import unicodedata
import zipfile
from typing import IO

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from festival import emails, spreadsheets
from festival.enums import Academie, FilmStatus, Role, StructureKind
from festival.models import (
    CONSENT_EXTENSIONS,
    ConsentForm,
    Festival,
    FilmEvent,
    Membership,
    School,
    SchoolDataRequest,
    SchoolDataRequestKind,
    User,
)
from festival.school_data import public_film_ids, school_films, school_teachers

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
MEDIA_ON_REQUEST = (
    "Film non public : ses médias sont disponibles sur demande auprès de l'organisation du "
    "festival."
)
README = """Données de l'établissement {school} détenues par le festival {festival}
Archive préparée le {date} par {organizer}, à la demande de l'établissement.

Contenu de l'archive
--------------------
README.txt          ce fichier.
etablissement.json  l'établissement (nom, code UAI ou SIRET, commune, académie, adresse de
                    contact), ses enseignants connus du festival (nom, adresse e-mail,
                    téléphone, participation au festival) et les demandes déjà traitées.
films.csv           les films de l'établissement dans les éditions du festival : titre,
                    édition, catégorie, statut, synopsis, prénoms des élèves de l'équipe,
                    métiers présentés, entreprise partenaire, dates, nombre d'autorisations.
autorisations/      les autorisations de droit à l'image envoyées, telles que reçues, un
                    dossier par film.
liens.csv           l'adresse de la page publique de chaque film publié ; pour les autres
                    films, les médias (vidéo originale, versions de diffusion) sont
                    disponibles sur demande auprès de l'organisation du festival.
historique.csv      l'historique de chaque film : dépôts, décisions et leurs motifs.

Les fichiers CSV sont séparés par des points-virgules et encodés en UTF-8 ; une cellule qui
commence par une apostrophe a été protégée pour qu'un tableur ne la lise pas comme une formule.

Cette archive contient des données personnelles d'élèves mineurs et d'enseignants :
conservez-la en lieu sûr et supprimez-la quand vous n'en avez plus besoin.
Contact du festival : {contact}
"""


def safe_part(text: str, *, fallback: str, max_length: int = 60) -> str:
    """A name for one level of an archive path: ASCII letters, digits, dashes and dots, never
    a separator, never starting with a dot (no "..", no hidden or absolute name)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9.-]+", "-", ascii_text).strip("-.")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)[:max_length].strip("-.")
    return cleaned or fallback


def check_member_name(name: str) -> str:
    """Refuse a member name that would land outside the folder it is unpacked in."""
    parts = name.split("/")
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ":" in name
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ValueError(f"Unsafe archive member name: {name!r}")
    return name


def film_folder(film) -> str:
    return f"{film.pk}-{safe_part(film.title, fallback='film')}"


def consent_member(consent: ConsentForm) -> str:
    """autorisations/<film>/<file>: the sender's name, cleaned, with the extension of the
    type read from the file's first bytes."""
    stem = consent.original_filename.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    extension = CONSENT_EXTENSIONS.get(consent.content_type, "bin")
    name = f"{consent.pk}-{safe_part(stem, fallback='autorisation')}.{extension}"
    return check_member_name(f"autorisations/{film_folder(consent.film)}/{name}")


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _write_csv(archive: zipfile.ZipFile, name: str, header, rows) -> None:
    with archive.open(check_member_name(name), "w") as out:
        for line in spreadsheets.csv_lines(header, rows, delimiter=";", bom=True):
            out.write(line.encode("utf-8"))


def _film_rows(films):
    statuses = {status.value: str(status.label) for status in FilmStatus}
    for film in films:
        yield [
            film.pk,
            film.title,
            film.edition.title,
            film.category.name,
            statuses.get(film.status, film.status),
            film.synopsis,
            ", ".join(line.strip() for line in film.crew.splitlines() if line.strip()),
            ", ".join(trade.name for trade in film.trades.all()),
            film.company.name if film.company else "",
            _date(film.created_at),
            _date(film.submitted_at),
            _date(film.video_uploaded_at),
            film.consents_total,
        ]


def _link_rows(films, public_ids: set[int]):
    for film in films:
        if film.pk in public_ids:
            url = settings.SITE_URL + reverse("public:film", args=[film.pk])
            yield [film.pk, film.title, film.edition.title, "oui", url]
        else:
            yield [film.pk, film.title, film.edition.title, "non", MEDIA_ON_REQUEST]


def _history_rows(events):
    statuses = {status.value: str(status.label) for status in FilmStatus}
    for event in events:
        if event.actor_id is None:
            actor = ""
        elif event.actor_id == event.film.teacher_id:
            actor = "l'enseignant"
        else:
            actor = "l'organisation"
        yield [
            event.film_id,
            event.film.title,
            _date(event.created_at),
            statuses.get(event.from_status, event.from_status),
            statuses.get(event.to_status, event.to_status),
            event.reason,
            actor,
        ]


def _school_json(*, school: School, festival: Festival, organizer: User, now) -> dict:
    teachers = list(
        school_teachers(school=school, festival_id=festival.pk).order_by(
            "last_name", "first_name", "pk"
        )
    )
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(
            festival=festival, user_id__in=[t.pk for t in teachers], role=Role.TEACHER
        )
    }
    requests = SchoolDataRequest.objects.filter(school=school, festival=festival)
    return {
        "etablissement": {
            "nom": school.name,
            "type": str(StructureKind(school.kind).label) if school.kind else "",
            "uai": school.uai or "",
            "siret": school.siret or "",
            "commune": school.town,
            "academie": str(Academie(school.academie).label) if school.academie else "",
            "email": school.contact_email,
        },
        "festival": festival.name,
        "exporte_le": timezone.localtime(now).isoformat(timespec="seconds"),
        "exporte_par": organizer.get_full_name(),
        "enseignants": [
            {
                "prenom": teacher.first_name,
                "nom": teacher.last_name,
                "email": teacher.email,
                "telephone": teacher.phone,
                "participation": (
                    memberships[teacher.pk].get_approval_display()
                    if teacher.pk in memberships
                    else ""
                ),
                "demandee_le": (
                    timezone.localtime(memberships[teacher.pk].requested_at).isoformat(
                        timespec="seconds"
                    )
                    if teacher.pk in memberships
                    else ""
                ),
            }
            for teacher in teachers
        ],
        "demandes": [
            {
                "type": request.get_kind_display(),
                "le": timezone.localtime(request.made_at).isoformat(timespec="seconds"),
                "demandee_par": request.asked_by,
            }
            for request in requests
        ],
    }


def write_school_archive(
    *, school: School, festival: Festival, organizer: User, out: IO[bytes], now=None
) -> dict:
    """Write the ZIP into `out`; returns what went in (counts, for the record). All in French,
    its labels (statuses, kinds, académies) too, whatever the organizer's language."""
    with translation.override("fr"):
        return _write_school_archive(
            school=school, festival=festival, organizer=organizer, out=out, now=now
        )


def _write_school_archive(*, school, festival, organizer, out, now) -> dict:
    now = now or timezone.now()
    films_qs = (
        school_films(school=school, festival_id=festival.pk)
        .select_related("edition", "category", "company")
        .order_by("-edition__year", "category__position", "title", "pk")
    )
    films = list(films_qs.prefetch_related("trades"))
    consents = list(
        ConsentForm.objects.filter(film__in=films_qs)
        .select_related("film")
        .order_by("film_id", "uploaded_at", "pk")
    )
    per_film: dict[int, int] = {}
    for consent in consents:
        per_film[consent.film_id] = per_film.get(consent.film_id, 0) + 1
    for film in films:
        film.consents_total = per_film.get(film.pk, 0)
    public_ids = public_film_ids(film.pk for film in films)
    missing_files = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                school=school,
                festival=festival.name,
                date=timezone.localtime(now).strftime("%d/%m/%Y %H:%M"),
                organizer=organizer.get_full_name() or organizer.email,
                contact=festival.contact_email or "—",
            ),
        )
        archive.writestr(
            "etablissement.json",
            json.dumps(
                _school_json(school=school, festival=festival, organizer=organizer, now=now),
                ensure_ascii=False,
                indent=2,
            ),
        )
        _write_csv(
            archive,
            "films.csv",
            [
                "id",
                "titre",
                "édition",
                "catégorie",
                "statut",
                "synopsis",
                "équipe (prénoms)",
                "métiers",
                "entreprise partenaire",
                "créé le",
                "déposé le",
                "vidéo envoyée le",
                "autorisations",
            ],
            _film_rows(films),
        )
        for consent in consents:
            storage = consent.file.storage
            try:
                source = storage.open(consent.file.name, "rb")
            except FileNotFoundError:
                missing_files += 1
                logger.warning("Consent %s: file %s missing", consent.pk, consent.file.name)
                continue
            with source, archive.open(consent_member(consent), "w", force_zip64=True) as dst:
                shutil.copyfileobj(source, dst, CHUNK_SIZE)
        _write_csv(
            archive,
            "liens.csv",
            ["id", "titre", "édition", "public", "lien ou remarque"],
            _link_rows(films, public_ids),
        )
        events = (
            FilmEvent.objects.filter(film__in=films_qs)
            .select_related("film")
            .order_by("film_id", "created_at", "pk")
        )
        _write_csv(
            archive,
            "historique.csv",
            ["id du film", "titre", "date", "de", "vers", "motif", "par"],
            _history_rows(events.iterator(chunk_size=500)),
        )
    return {
        "films": len(films),
        "consents": len(consents) - missing_files,
        "missing_consent_files": missing_files,
        "public_films": len(public_ids),
    }


def export_school_data(
    *, school: School, festival: Festival, organizer: User, out: IO[bytes]
) -> SchoolDataRequest:
    """Build the archive into `out`, record the export and tell the school's teachers (the
    email leaves once the record is saved)."""
    now = timezone.now()
    counts = write_school_archive(
        school=school, festival=festival, organizer=organizer, out=out, now=now
    )
    teachers = list(school_teachers(school=school, festival_id=festival.pk).filter(is_active=True))
    with transaction.atomic():
        record = SchoolDataRequest.objects.create(
            school=school,
            festival=festival,
            kind=SchoolDataRequestKind.EXPORT,
            made_by=organizer,
            made_at=now,
            film_count=counts["films"],
            consent_count=counts["consents"],
            teacher_count=len(teachers),
            details=counts,
        )
        for teacher in teachers:
            emails.send_to_user(
                template="school_data_exported",
                user=teacher,
                context={"school": school, "festival": festival, "organizer": organizer},
            )
    logger.info(
        "School %s: data exported for festival %s by user %s", school.pk, festival.pk, organizer.pk
    )
    return record
