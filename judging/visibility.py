"""What the public may see: the one visibility rule of the gallery, the palmarès and the player.

A film is public when every one of its image-rights consents is validated (it has at least
one, none pending or refused) and either it won a prize in its edition's live (published,
not withdrawn) palmarès, or the organizer opened the edition's gallery and the film was
accepted. Nothing is cached: refusing a consent takes the film down at the next request.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from festival.enums import FilmStatus
from festival.models import Film
from judging.models_results import Publication, ResultsSettings
from judging.selectors_results import live_publications, snapshot_film_ids


@dataclass
class LivePalmares:
    """The live publications of every edition, read once per request."""

    publications: list[Publication] = field(default_factory=list)

    @classmethod
    def load(cls, *, edition_id: int | None = None) -> LivePalmares:
        publications = live_publications()
        if edition_id is not None:
            publications = publications.filter(edition_id=edition_id)
        return cls(
            list(
                publications.only("pk", "edition_id", "snapshot", "published_at").order_by(
                    "-published_at", "-pk"
                )
            )
        )

    def winners_q(self) -> Q:
        """Films awarded in their own edition's live palmarès."""
        by_edition: dict[int, set[int]] = defaultdict(set)
        for publication in self.publications:
            by_edition[publication.edition_id] |= snapshot_film_ids(publication.snapshot)
        q = Q(pk__in=[])
        for edition_id, film_ids in by_edition.items():
            if film_ids:
                q |= Q(edition_id=edition_id, pk__in=sorted(film_ids))
        return q

    def winner_ids(self) -> set[int]:
        ids: set[int] = set()
        for publication in self.publications:
            ids |= snapshot_film_ids(publication.snapshot)
        return ids

    def prizes_by_film(self) -> dict[int, list[dict]]:
        """film id -> the awards it received, as frozen in the snapshots."""
        prizes: dict[int, list[dict]] = defaultdict(list)
        for publication in self.publications:
            for award in (publication.snapshot or {}).get("awards") or []:
                if award.get("film_id") is not None:
                    prizes[int(award["film_id"])].append(award)
        return prizes


def gallery_open_q() -> Q:
    opened = ResultsSettings.objects.filter(edition=OuterRef("edition_id"), gallery_open=True)
    return Q(Exists(opened)) & Q(status=FilmStatus.ACCEPTED)


def public_films(*, palmares: LivePalmares | None = None) -> QuerySet[Film]:
    """Every film the public may see, whatever the edition (one query to read palmarès)."""
    palmares = palmares if palmares is not None else LivePalmares.load()
    return Film.objects.consents_validated().filter(palmares.winners_q() | gallery_open_q())


def is_public(film: Film) -> bool:
    """One film (checked on every media file): only its own edition's palmarès is read."""
    palmares = LivePalmares.load(edition_id=film.edition_id)
    return public_films(palmares=palmares).filter(pk=film.pk).exists()
