"""Read-only queries on published palmarès (frozen snapshots)."""

from __future__ import annotations

from judging.models_results import Publication


def live_publication(edition) -> Publication | None:
    """The edition's publication currently online (not unpublished), latest first."""
    return (
        Publication.objects.filter(edition=edition, unpublished_at__isnull=True)
        .order_by("-published_at", "-pk")
        .first()
    )


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
