"""What the public may see: the one visibility rule of the gallery, the palmarès and the player.

A film is public when every one of its image-rights consents is validated (it has at least
one, none pending or refused) and either it won a prize in its edition's live (published,
not withdrawn) palmarès, or the organizer opened the edition's gallery and the film was
accepted, or it is a finalist of its edition's announced pre-selection (still in competition).
Nothing is cached: refusing a consent takes the film down at the next request.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from festival.enums import FilmStatus
from festival.models import Company, Film
from judging.enums import ELIGIBLE_FILM_STATUSES, SelectionState
from judging.models_results import Publication, ResultsSettings
from judging.models_selection import SelectionRound
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


def announced_finalist_q() -> Q:
    announced = SelectionRound.objects.filter(
        edition=OuterRef("edition_id"), enabled=True, state=SelectionState.ANNOUNCED
    )
    return Q(Exists(announced)) & Q(finalist__isnull=False) & Q(status__in=ELIGIBLE_FILM_STATUSES)


def public_films(*, palmares: LivePalmares | None = None) -> QuerySet[Film]:
    """Every film the public may see, whatever the edition (one query to read palmarès)."""
    palmares = palmares if palmares is not None else LivePalmares.load()
    return Film.objects.consents_validated().filter(
        palmares.winners_q() | gallery_open_q() | announced_finalist_q()
    )


def public_film_ids(film_ids: list[int]) -> set[int]:
    """Which of these films the public may see (the core's school data pages ask)."""
    return set(public_films().filter(pk__in=film_ids).values_list("pk", flat=True))


def is_public(film: Film) -> bool:
    """One film (checked on every media file): only its own edition's palmarès is read."""
    palmares = LivePalmares.load(edition_id=film.edition_id)
    return public_films(palmares=palmares).filter(pk=film.pk).exists()


# The names of companies, as the public reads them


def without_unagreed_companies(awards: list[dict]) -> list[dict]:
    """Awards from a frozen snapshot, with the partner company's and the sponsor's names
    blanked unless the company agrees to appear on the public site now (one query).

    The snapshot keeps what was published; the agreement is read at every rendering, so a
    company withdrawing it disappears at once. A snapshot published before companies had ids
    in it is matched through its films.
    """
    film_ids = {int(a["film_id"]) for a in awards if a.get("film_id") and "company_id" not in a}
    film_companies = (
        dict(Film.objects.filter(pk__in=sorted(film_ids)).values_list("pk", "company_id"))
        if film_ids
        else {}
    )

    def company_of(award):
        if "company_id" in award:
            return award["company_id"]
        return film_companies.get(int(award["film_id"])) if award.get("film_id") else None

    wanted = {company_of(a) for a in awards} | {a.get("sponsor_id") for a in awards}
    wanted.discard(None)
    agreed = (
        set(
            Company.objects.publicly_named()
            .filter(pk__in=sorted(wanted))
            .values_list("pk", flat=True)
        )
        if wanted
        else set()
    )
    shown = []
    for award in awards:
        award = dict(award)
        company_id = company_of(award)
        award["company_id"] = company_id if company_id in agreed else None
        if company_id not in agreed:
            award["company"] = ""
        if award.get("sponsor_id") not in agreed:
            award["sponsor"], award["sponsor_id"] = "", None
        shown.append(award)
    return shown


def with_agreed_companies(snapshot: dict) -> dict:
    """The snapshot as the public may read it (certificates, palmarès PDF)."""
    return {**snapshot, "awards": without_unagreed_companies(snapshot.get("awards") or [])}
