"""What the public pages read: public films with their posters and player, and published
palmarès from their frozen snapshots. Every film comes through `judging.visibility`, so a film
the public may not see is a 404.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from festival.models import Edition, Festival, Film, Trade
from judging.models_results import Publication
from judging.selectors_results import live_publication, live_publications, snapshot_film_ids
from judging.visibility import LivePalmares, public_films, without_unagreed_companies
from media_pipeline import delivery
from media_pipeline.models import VideoVersion

# Posters and players.


def ready_versions() -> Prefetch:
    """Each film's playable versions, latest first (`ready_versions[0]` is the one shown)."""
    return Prefetch(
        "video_versions", queryset=VideoVersion.objects.playable(), to_attr="ready_versions"
    )


def poster_of(film: Film, user, size: str = "list") -> delivery.Poster | None:
    """Signed poster URLs of a public film whose versions were prefetched (no query).

    The film comes from `public_films()`: it was checked already, so this signs directly.
    """
    if not film.ready_versions:
        return None
    return delivery.poster(version=film.ready_versions[0], user=user, size=size)


def public_film_or_404(pk: int, palmares: LivePalmares | None = None) -> Film:
    films = public_films(palmares=palmares).select_related(
        "edition", "edition__festival", "category", "school", "company"
    )
    return get_object_or_404(films.prefetch_related("trades", ready_versions()), pk=pk)


def player(film: Film, user) -> delivery.Sources | None:
    version = film.ready_versions[0] if film.ready_versions else None
    if version is None:
        return None
    version.film = film
    return delivery.sources(version=version, user=user)


def crew_names(film: Film) -> list[str]:
    """Pupils by first name or pseudonym: the lines the teacher typed, nothing else."""
    return [line.strip() for line in film.crew.splitlines() if line.strip()]


# Editions archive and palmarès.


def published_editions(festival: Festival | None = None):
    """Editions with a palmarès online, latest first; only `festival`'s when given."""
    editions = Edition.objects.filter(pk__in=live_publications().values("edition_id"))
    if festival is not None:
        editions = editions.filter(festival=festival)
    return editions.select_related("festival").order_by("-year", "festival__name", "pk")


def festival_publications(festival: Festival):
    """The festival's palmarès online, the latest published first, with their editions."""
    return (
        live_publications()
        .filter(edition__festival=festival)
        .select_related("edition", "edition__festival")
        .order_by("-published_at", "-pk")
    )


def edition_with_palmares(festival: str, year: int) -> tuple[Edition, Publication]:
    edition = get_object_or_404(
        Edition.objects.select_related("festival"), festival__slug=festival, year=year
    )
    publication = live_publication(edition)
    if publication is None:
        raise Http404
    return edition, publication


def palmares_sections(publication: Publication, public_ids: set[int]) -> dict:
    """The frozen snapshot, grouped for the page: prizes per category, then special prizes."""
    snapshot = publication.snapshot or {}
    awards = []
    for award in without_unagreed_companies(snapshot.get("awards") or []):
        film_id = award.get("film_id")
        public = film_id is not None and int(film_id) in public_ids
        url = reverse("public:film", args=[film_id]) if public else ""
        trades = [
            t.get("name", "") if isinstance(t, dict) else str(t) for t in award.get("trades") or []
        ]
        awards.append(
            {
                **award,
                "trades": trades,
                "public": public,
                "url": url,
                "company_page": company_url(award["company_id"]) if award["company_id"] else "",
                "sponsor_page": company_url(award["sponsor_id"]) if award["sponsor_id"] else "",
            }
        )
    categories = []
    for category in snapshot.get("categories") or []:
        won = [a for a in awards if a.get("category_id") == category.get("id")]
        if won:
            categories.append({**category, "awards": won})
    return {
        "snapshot": snapshot,
        "published_at": parse_datetime(snapshot.get("published_at") or "")
        or publication.published_at,
        "categories": categories,
        "specials": [a for a in awards if a.get("category_id") is None],
        "awards": awards,
    }


def public_ids(edition: Edition, publication: Publication) -> set[int]:
    films = public_films(palmares=LivePalmares([publication])).filter(edition=edition)
    return set(films.values_list("pk", flat=True))


def public_posters(edition: Edition, publication: Publication, user) -> dict:
    """film id -> its poster (or None), for the awarded films the public may see: two queries.

    Its keys are the films a palmarès may link to (`public_ids()` among the awarded films).
    Only those are read and signed: signing every film of a large edition cost most of the
    page's time.
    """
    films = (
        public_films(palmares=LivePalmares([publication]))
        .filter(edition=edition, pk__in=sorted(snapshot_film_ids(publication.snapshot)))
        .only("pk")
        .prefetch_related(ready_versions())
    )
    return {film.pk: poster_of(film, user) for film in films}


def with_posters(sections: dict, posters: dict) -> dict:
    """`palmares_sections()` with each public award's poster (`award.poster`)."""
    for award in sections["awards"]:
        award["poster"] = posters.get(int(award["film_id"])) if award["public"] else None
    return sections


def latest_publication(festival: Festival | None = None) -> Publication | None:
    """The palmarès published last (of `festival`'s editions if given), with its edition: one
    query."""
    publications = live_publications()
    if festival is not None:
        publications = publications.filter(edition__festival=festival)
    return (
        publications.select_related("edition", "edition__festival")
        .order_by("-published_at", "-pk")
        .first()
    )


def film_url(film: Film) -> str:
    return reverse("public:film", args=[film.pk])


def poster_url(film: Film) -> str:
    return reverse("public:poster", args=[film.pk])


# Trades.

# A trade's page shows this many films, the newest first; the gallery filtered on it has them all.
TRADE_FILMS = 24


def public_trades(palmares: LivePalmares | None = None):
    """Trades with a page: shown by a public film, or described by their organizers. Each
    counts its public films (`public_film_count`): one query."""
    public_ids = public_films(palmares=palmares).values("pk")
    shown = Film.trades.through.objects.filter(trade=OuterRef("pk"), film__in=public_ids)
    return (
        Trade.objects.filter(Q(Exists(shown)) | ~Q(description=""))
        .annotate(public_film_count=Count("films", filter=Q(films__in=public_ids)))
        .order_by("name")
    )


def public_trade_or_404(slug: str, palmares: LivePalmares | None = None) -> Trade:
    return get_object_or_404(public_trades(palmares).prefetch_related("training_links"), slug=slug)


def trade_cards(trade: Trade, user, palmares: LivePalmares) -> list[dict]:
    """The public films showing the trade, newest edition first, prize winners first, as the
    gallery's cards (poster, prizes): four queries."""
    films = (
        public_films(palmares=palmares)
        .filter(trades=trade)
        .select_related("edition", "category", "school", "company")
        .prefetch_related("trades", ready_versions())
        .order_by("-edition__year", "category__position", "title", "pk")[:TRADE_FILMS]
    )
    prizes = palmares.prizes_by_film()
    cards = [
        {"film": film, "poster": poster_of(film, user), "prizes": prizes.get(film.pk, [])}
        for film in films
    ]
    # Within an edition, the awarded films come first.
    return sorted(cards, key=lambda card: (-card["film"].edition.year, not card["prizes"]))
def company_url(pk: int) -> str:
    return reverse("public:company", args=[pk])
