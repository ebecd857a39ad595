"""Published palmarès built directly in the database, following the snapshot contract.

The gallery reads only the frozen snapshot, so its tests build one by hand rather than
running the ranking and the publication (tested in tests/judging).
"""

import itertools

from django.utils import timezone

from festival.enums import ConsentStatus, FilmStatus
from judging.models_results import Publication, ResultsSettings
from tests import factories

_prize_ids = itertools.count(9000)


def award(film, prize="1er prix", *, kind="first", special=False) -> dict:
    return {
        "prize_id": next(_prize_ids),
        "prize": prize,
        "kind": kind,
        "category_id": None if special else film.category_id,
        "category": None if special else film.category.name,
        "film_id": film.pk,
        "film_title": film.title,
        "school": film.school.name,
        "town": film.school.town,
        "company": film.company.name if film.company_id else "",
        "company_id": film.company_id,
        "sponsor": "",
        "sponsor_id": None,
        "trades": sorted(trade.name for trade in film.trades.all()),
        "reason": "",
    }


def publish(edition, awards, *, by=None, categories=None) -> Publication:
    """A live publication of `edition` whose snapshot lists `awards` (dicts from `award()`)."""
    now = timezone.now()
    categories = categories if categories is not None else list(edition.categories.all())
    snapshot = {
        "version": 1,
        "edition": {
            "id": edition.pk,
            "year": edition.year,
            "title": edition.title,
            "festival": edition.festival.name,
        },
        "published_at": now.isoformat(),
        "categories": [
            {"id": c.pk, "slug": c.slug, "name": c.name, "ranking": []} for c in categories
        ],
        "awards": awards,
    }
    by = by or factories.make_organizer(edition.festival)
    return Publication.objects.create(
        edition=edition, snapshot=snapshot, content_hash="0" * 64, published_by=by
    )


def unpublish(publication, *, by=None):
    publication.unpublished_at = timezone.now()
    publication.unpublished_by = by or publication.published_by
    publication.unpublish_reason = "Erreur de saisie"
    publication.save()


def open_gallery(edition, is_open=True) -> ResultsSettings:
    settings, _ = ResultsSettings.objects.update_or_create(
        edition=edition, defaults={"gallery_open": is_open}
    )
    return settings


def cleared_film(category, *, status=FilmStatus.ACCEPTED, consents=1, **kw):
    """A complete film whose `consents` image-rights forms are all validated."""
    film = factories.make_film(category=category, status=status, complete=True, **kw)
    film.consents.update(status=ConsentStatus.VALIDATED)
    for _ in range(consents - 1):
        factories.make_consent(film, status=ConsentStatus.VALIDATED)
    return film
