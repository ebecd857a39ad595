"""Retention (RGPD): what is deleted some time after an edition's ceremony.

- the original videos, RETENTION_ORIGINALS_DAYS after the ceremony: the renditions the public
  and the jury watch stay, so published films go on playing; nothing can be rebuilt any more
  (`Film.original_deleted_at` says when, the pages say why);
- the image-rights consents of the films that are not public, RETENTION_CONSENTS_DAYS after the
  ceremony: a public film keeps its consents for as long as it is public.

A file another row still points at (a film forwarded to a national final shares its original
and consents) is kept: `festival.stored_files.release` deletes a name only when no row refers
to it. Run by `manage.py apply_retention` (hourly); a dry run goes through the same code in a
transaction that is rolled back, so it says exactly what a real run would remove.

This lives in the media pipeline because it knows originals and renditions and asks the
public rule (`delivery.film_is_public`) whether a film is public; the core knows neither.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from festival.emails import send_to_users
from festival.enums import Role
from festival.models import ConsentForm, Festival, Film, User
from festival.stored_files import references, release
from media_pipeline import delivery
from media_pipeline.models import RetentionRun, VideoVersion

logger = logging.getLogger(__name__)


@dataclass
class FilmRemoval:
    film: int
    title: str
    edition: str
    festival: int
    originals: int = 0
    consents: int = 0
    files_kept: int = 0
    bytes_freed: int = 0


@dataclass
class RetentionReport:
    now: datetime
    dry_run: bool
    films: list[FilmRemoval] = field(default_factory=list)
    run: RetentionRun | None = None

    @property
    def originals_deleted(self) -> int:
        return sum(f.originals for f in self.films)

    @property
    def consents_deleted(self) -> int:
        return sum(f.consents for f in self.films)

    @property
    def files_kept(self) -> int:
        return sum(f.files_kept for f in self.films)

    @property
    def bytes_freed(self) -> int:
        return sum(f.bytes_freed for f in self.films)

    @property
    def removed_anything(self) -> bool:
        return bool(self.films)


def originals_due(now: datetime):
    """Films of an edition whose ceremony is older than the originals' retention, with an
    original still referenced by the film or one of its versions."""
    cutoff = now - timedelta(days=settings.RETENTION_ORIGINALS_DAYS)
    has_version_original = Exists(
        VideoVersion.objects.filter(film=OuterRef("pk")).exclude(original="")
    )
    return (
        Film.objects.filter(edition__ceremony_at__lte=cutoff)
        .filter(~Q(original_video="") | has_version_original)
        .select_related("edition")
        .order_by("pk")
    )


def consents_due(now: datetime):
    """Films of an edition whose ceremony is older than the consents' retention, with consents
    (whether each is public is asked afterwards, film by film)."""
    cutoff = now - timedelta(days=settings.RETENTION_CONSENTS_DAYS)
    return (
        Film.objects.filter(edition__ceremony_at__lte=cutoff)
        .filter(Exists(ConsentForm.objects.filter(film=OuterRef("pk"))))
        .select_related("edition")
        .order_by("pk")
    )


def _release(names_and_sizes: dict[str, int | None], removal: FilmRemoval) -> None:
    """Release stored names whose rows are already cleared; count what really goes."""
    for name, size in names_and_sizes.items():
        if references(name) > 0:
            removal.files_kept += 1
            continue
        removal.bytes_freed += size if size is not None else _stored_size(name)
        release(default_storage, name)


def _stored_size(name: str) -> int:
    try:
        return default_storage.size(name)
    except OSError:  # already gone from the storage: nothing to free
        return 0


def _removal_for(removals: dict[int, FilmRemoval], film: Film) -> FilmRemoval:
    if film.pk not in removals:
        removals[film.pk] = FilmRemoval(
            film=film.pk,
            title=film.title,
            edition=film.edition.title,
            festival=film.edition.festival_id,
        )
    return removals[film.pk]


def _delete_originals(film: Film, *, now: datetime, removal: FilmRemoval) -> None:
    names: dict[str, int | None] = {}
    if film.original_video:
        names[film.original_video.name] = film.original_size
    versions = list(film.video_versions.exclude(original=""))
    for version in versions:
        names.setdefault(version.original.name, version.original_size)
    film.original_video = ""
    film.original_deleted_at = now
    film.save(update_fields=["original_video", "original_deleted_at"])
    VideoVersion.objects.filter(pk__in=[v.pk for v in versions]).update(original="")
    removal.originals = len(names)
    _release(names, removal)


def _delete_consents(film: Film, *, now: datetime, removal: FilmRemoval) -> None:
    consents = list(film.consents.all())
    names = {consent.file.name: None for consent in consents if consent.file}
    ConsentForm.objects.filter(pk__in=[c.pk for c in consents]).delete()
    film.consents_deleted_at = now
    film.save(update_fields=["consents_deleted_at"])
    removal.consents = len(consents)
    _release(names, removal)


def apply_retention(*, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete what the retention periods say is due, record the run and tell the organizers.

    Idempotent: what is deleted is no longer due, so a second run removes nothing.
    """
    now = now or timezone.now()
    report = RetentionReport(now=now, dry_run=dry_run)
    removals: dict[int, FilmRemoval] = {}
    with transaction.atomic():
        for film in originals_due(now):
            _delete_originals(film, now=now, removal=_removal_for(removals, film))
        for film in consents_due(now):
            if delivery.film_is_public(film):
                continue  # a public film keeps the consents that allow it to be shown
            _delete_consents(film, now=now, removal=_removal_for(removals, film))
        report.films = list(removals.values())
        if dry_run:
            # Everything above, file deletions included (they wait for the commit), is undone.
            transaction.set_rollback(True)
        else:
            report.run = RetentionRun.objects.create(
                originals_deleted=report.originals_deleted,
                consents_deleted=report.consents_deleted,
                files_kept=report.files_kept,
                bytes_freed=report.bytes_freed,
                films=[asdict(removal) for removal in report.films],
            )
            _tell_organizers(report)
    if not dry_run and report.removed_anything:
        logger.info(
            "Retention: %s originals and %s consents deleted (%s bytes freed, %s files kept)",
            report.originals_deleted,
            report.consents_deleted,
            report.bytes_freed,
            report.files_kept,
        )
    return report


def _tell_organizers(report: RetentionReport) -> None:
    """One email per festival that lost something in this run, to its organizers."""
    by_festival: dict[int, list[FilmRemoval]] = {}
    for removal in report.films:
        by_festival.setdefault(removal.festival, []).append(removal)
    festivals = Festival.objects.in_bulk(list(by_festival))
    for festival_id, films in sorted(by_festival.items()):
        organizers = User.objects.members_of(festival_id, Role.ORGANIZER)
        send_to_users(
            template="retention_report",
            users=list(organizers),
            context={
                "festival": festivals[festival_id],
                "films": films,
                "originals": sum(f.originals for f in films),
                "consents": sum(f.consents for f in films),
                "bytes_freed": sum(f.bytes_freed for f in films),
                "originals_days": settings.RETENTION_ORIGINALS_DAYS,
                "consents_days": settings.RETENTION_CONSENTS_DAYS,
            },
        )
