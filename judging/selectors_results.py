"""Read-only queries on published palmarès (frozen snapshots)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from judging.models_results import Publication


def live_publications() -> QuerySet[Publication]:
    """Palmarès currently online: published and not withdrawn. `Publication` is the only record
    of whether and when an edition's palmarès is published; every reader goes through here."""
    return Publication.objects.filter(unpublished_at__isnull=True)


def live_publication(edition) -> Publication | None:
    """The edition's publication currently online (not unpublished), latest first."""
    return live_publications().filter(edition=edition).order_by("-published_at", "-pk").first()


def palmares_published_at(edition):
    """Read by `Edition.palmares_published_at` (registered in `JudgingConfig.ready`)."""
    return (
        live_publications()
        .filter(edition=edition)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def load_palmares_dates(editions: Iterable) -> None:
    """Give a list of editions their publication dates in one query (no N+1 on lists)."""
    editions = list(editions)
    if not editions:
        return
    dates = dict(
        live_publications()
        .filter(edition__in=[edition.pk for edition in editions])
        .order_by("published_at")
        .values_list("edition_id", "published_at")
    )
    for edition in editions:
        edition._palmares_published_at = dates.get(edition.pk)


def snapshot_film_ids(snapshot: dict | None) -> set[int]:
    """Ids of the films that received an award in a frozen snapshot."""
    if not snapshot:
        return set()
    ids = set()
    for award in snapshot.get("awards") or []:
        film_id = award.get("film_id")
        if film_id is not None:
            ids.add(int(film_id))
    return ids


def winning_film_ids(edition) -> set[int]:
    """Ids of the films awarded in the edition's live publication (empty when none)."""
    publication = live_publication(edition)
    return snapshot_film_ids(publication.snapshot if publication else None)
