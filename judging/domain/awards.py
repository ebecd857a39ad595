"""Prizes and awards: the ranking proposes, the jury decides.

Each prize of an edition gets a proposal from the figures (rank 1, 2 or 3 of its category for
the category prizes, the most "coups de cœur" for the coup de cœur, the most confirmed public
votes for the prix du public). Organizers, and the president of the jury of the category,
confirm the proposal or depart from it; departing needs a reason, kept on the awards with who
decided. Only films still in competition (submitted or accepted) can be awarded.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from festival.models import Category, Edition, Film, User
from judging.domain import DomainError
from judging.enums import PrizeKind
from judging.models_results import Award, Prize, PublicVote
from judging.results import EditionResults
from judging.rules import may_decide_prize
from judging.selectors_selection import finalist_films

logger = logging.getLogger(__name__)

# The category prizes and the rank of the ranking each one proposes.
PODIUM = {PrizeKind.CATEGORY_FIRST: 1, PrizeKind.CATEGORY_SECOND: 2, PrizeKind.CATEGORY_THIRD: 3}
# Prizes seeded in each category, then for the whole edition: (kind, name).
CATEGORY_PRIZES = (
    (PrizeKind.CATEGORY_FIRST, gettext_lazy("1er prix")),
    (PrizeKind.CATEGORY_SECOND, gettext_lazy("2e prix")),
    (PrizeKind.CATEGORY_THIRD, gettext_lazy("3e prix")),
    (PrizeKind.FAVOURITE, gettext_lazy("Coup de cœur du jury")),
    (PrizeKind.PUBLIC, gettext_lazy("Prix du public")),
)
EDITION_PRIZES = (
    (PrizeKind.JURY, gettext_lazy("Prix du jury")),
    (PrizeKind.SPECIAL, gettext_lazy("Prix spécial métier")),
)


def eligible_films(edition: Edition, category: Category | None = None) -> QuerySet[Film]:
    """Films that can still receive a prize: in competition, not withdrawn nor rejected, and
    finalists when the edition has a pre-selection round."""
    films = finalist_films(edition)
    if category is not None:
        films = films.filter(category=category)
    return films


# Prizes


def seed_prizes(*, edition: Edition) -> list[Prize]:
    """Give an edition without prizes the usual ones; organizers edit them afterwards."""
    if edition.prizes.exists():
        return []
    prizes = []
    # Stored words are the festival's language, whoever triggers the seeding.
    with translation.override(django_settings.LANGUAGE_CODE):
        for category in edition.categories.order_by("position", "name", "pk"):
            for position, (kind, name) in enumerate(CATEGORY_PRIZES, start=1):
                prizes.append(
                    Prize(
                        edition=edition,
                        category=category,
                        kind=kind,
                        name=str(name),
                        position=position,
                    )
                )
        for position, (kind, name) in enumerate(EDITION_PRIZES, start=1):
            prizes.append(Prize(edition=edition, kind=kind, name=str(name), position=position))
    return Prize.objects.bulk_create(prizes)


def _check_prize(prize: Prize, edition: Edition) -> None:
    if not (prize.name or "").strip():
        raise DomainError(_("Donnez un intitulé à chaque prix."), code="name_required")
    if prize.category_id is not None and prize.category.edition_id != edition.pk:
        raise DomainError(
            _("La catégorie « %(category)s » n'appartient pas à cette édition.")
            % {"category": prize.category.name},
            code="wrong_category",
        )
    if prize.kind in PODIUM and prize.category_id is None:
        raise DomainError(
            _("Le prix « %(name)s » est un prix de catégorie : choisissez sa catégorie.")
            % {"name": prize.name},
            code="category_required",
        )


def save_prizes(
    *, edition: Edition, prizes: Iterable[Prize], deleted: Iterable[Prize] = ()
) -> list[Prize]:
    """Save the edition's prizes (new or changed) and delete `deleted` with their awards."""
    prizes, deleted = list(prizes), list(deleted)
    for prize in prizes:
        prize.edition = edition
        _check_prize(prize, edition)
    with transaction.atomic():
        Prize.objects.filter(edition=edition, pk__in=[p.pk for p in deleted if p.pk]).delete()
        for prize in prizes:
            prize.name = prize.name.strip()
            prize.save()
    return list(edition.prizes.all())


# Proposals


@dataclass
class Proposal:
    """What the figures propose for a prize: zero, one or several films (ex aequo)."""

    prize: Prize
    film_ids: list[int] = field(default_factory=list)
    basis: str = ""

    @property
    def available(self) -> bool:
        return bool(self.film_ids)


def public_vote_counts(edition: Edition) -> Counter:
    """{film_id: confirmed public votes}."""
    rows = (
        PublicVote.objects.filter(edition=edition, confirmed_at__isnull=False)
        .values("film_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return Counter({row["film_id"]: row["count"] for row in rows})


def _leaders(counts: Counter, film_ids: set[int]) -> tuple[list[int], int]:
    scoped = {pk: counts[pk] for pk in film_ids if counts[pk] > 0}
    if not scoped:
        return [], 0
    best = max(scoped.values())
    return sorted(pk for pk, count in scoped.items() if count == best), best


def proposals(
    edition: Edition,
    prizes: Iterable[Prize] | None = None,
    *,
    results: EditionResults | None = None,
) -> dict[int, Proposal]:
    """{prize_id: Proposal} for the edition's prizes, from the edition's results (loaded when
    not given: a page passes the one it reads everything else from)."""
    prizes = list(edition.prizes.select_related("category") if prizes is None else prizes)
    eligible = list(eligible_films(edition).values_list("pk", "category_id"))
    eligible_ids = {pk for pk, _category in eligible}
    by_category: dict[int, set[int]] = {}
    for pk, category_id in eligible:
        by_category.setdefault(category_id, set()).add(pk)
    kinds = {prize.kind for prize in prizes}
    results = results or EditionResults.load(edition)
    ranking = results.ranking if kinds & set(PODIUM) else {}
    favourites = results.favourite_counts if PrizeKind.FAVOURITE in kinds else Counter()
    votes = public_vote_counts(edition) if PrizeKind.PUBLIC in kinds else Counter()
    result = {}
    for prize in prizes:
        scope = by_category.get(prize.category_id, set()) if prize.category_id else eligible_ids
        proposal = Proposal(prize=prize)
        if prize.kind in PODIUM and prize.category_id is not None:
            rank = PODIUM[prize.kind]
            proposal.film_ids = sorted(
                int(row.film)
                for row in ranking.get(prize.category.slug, [])
                if row.rank == rank and row.status == "ranked" and int(row.film) in scope
            )
            if proposal.film_ids:
                proposal.basis = _("Rang %(rank)d du classement") % {"rank": rank}
        elif prize.kind == PrizeKind.FAVOURITE:
            proposal.film_ids, best = _leaders(favourites, scope)
            if best:
                proposal.basis = ngettext(
                    "%(count)d coup de cœur des jurés",
                    "%(count)d coups de cœur des jurés",
                    best,
                ) % {"count": best}
        elif prize.kind == PrizeKind.PUBLIC:
            proposal.film_ids, best = _leaders(votes, scope)
            if best:
                proposal.basis = ngettext(
                    "%(count)d vote confirmé du public",
                    "%(count)d votes confirmés du public",
                    best,
                ) % {"count": best}
        result[prize.pk] = proposal
    return result


# Decisions


def decide_award(
    *,
    prize: Prize,
    films: Iterable[Film],
    user: User,
    reason: str = "",
    results: EditionResults | None = None,
) -> list[Award]:
    """Record the jury's decision for `prize`: these films (none, one, or ex aequo).

    Confirming the proposal needs no reason. Departing from it does, and the reason is kept
    on every award of the decision (with `proposed_by_ranking` telling which films the figures
    had proposed). Returns the prize's awards. `results`: the edition's, when the caller has
    them already.
    """
    films = list(films)
    reason = (reason or "").strip()
    if not may_decide_prize(user, prize):
        raise DomainError(_("Vous ne pouvez pas décider de ce prix."), code="forbidden")
    allowed = eligible_films(prize.edition, prize.category)
    allowed_ids = set(allowed.filter(pk__in=[f.pk for f in films]).values_list("pk", flat=True))
    for film in films:
        if film.pk not in allowed_ids:
            raise DomainError(
                _(
                    "« %(title)s » ne peut pas recevoir ce prix : seuls les films en "
                    "compétition (déposés ou acceptés) de la catégorie du prix peuvent être "
                    "primés."
                )
                % {"title": film.title},
                code="not_eligible",
            )
    proposal = proposals(prize.edition, [prize], results=results)[prize.pk]
    chosen = sorted({film.pk for film in films})
    override = proposal.available and chosen != proposal.film_ids
    if override and not reason:
        raise DomainError(
            _(
                "Le jury s'écarte de la proposition du classement : indiquez le motif de sa "
                "décision, il sera conservé."
            ),
            code="reason_required",
        )
    with transaction.atomic():
        Award.objects.filter(prize=prize).exclude(film_id__in=chosen).delete()
        existing = {award.film_id: award for award in Award.objects.filter(prize=prize)}
        for film_id in chosen:
            award = existing.get(film_id) or Award(prize=prize, film_id=film_id)
            award.proposed_by_ranking = film_id in proposal.film_ids
            award.override_reason = reason if (override or not proposal.available) else ""
            award.decided_by = user
            award.save()
    logger.info(
        "Prize %s decided by user %s: films %s (proposal %s, override %s)",
        prize.pk,
        user.pk,
        chosen,
        proposal.film_ids,
        override,
    )
    return list(Award.objects.filter(prize=prize).select_related("film"))


def awards_of(edition: Edition) -> QuerySet[Award]:
    """The edition's awards in the palmarès order."""
    return (
        Award.objects.filter(prize__edition=edition)
        .select_related(
            "prize", "prize__category", "prize__sponsor", "film", "film__school", "film__company"
        )
        .order_by(
            "prize__category__position",
            "prize__category_id",
            "prize__position",
            "prize_id",
            "film__title",
            "film_id",
        )
    )


def prizes_for_scope(edition: Edition, category: Category | None) -> QuerySet[Prize]:
    prizes = edition.prizes.select_related("category", "edition")
    if category is None:
        return prizes.filter(category__isnull=True)
    return prizes.filter(category=category)
