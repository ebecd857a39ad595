"""Publishing the palmarès: a frozen snapshot with its SHA-256, unpublishing with a reason.

The snapshot is written once and never touched again: later changes to scores, awards or
film titles only reach the public through a new publication. Its hash is computed over the
canonical JSON of the snapshot, so that anyone holding the snapshot can check it.
"""

import hashlib
import json
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival import emails
from festival.enums import Role
from festival.models import Edition, Film, User
from judging.domain import DomainError
from judging.domain.awards import awards_of
from judging.domain.selection import thank_non_finalists
from judging.models import JuryMember
from judging.models_results import Publication
from judging.results import EditionResults
from judging.rules import ELIGIBLE_FILM_STATUSES
from judging.selectors_results import live_publication

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1


def canonical_json(snapshot: dict) -> bytes:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def content_hash(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def hash_matches(publication: Publication) -> bool:
    """The stored snapshot still has the hash it was published with."""
    return content_hash(publication.snapshot) == publication.content_hash


def _film_facts(film: Film) -> dict:
    return {
        "title": film.title,
        "school": film.school.name,
        "town": film.school.town,
        "company": film.company.name if film.company_id else "",
    }


def _score(value) -> float | None:
    return None if value is None else round(float(value), 3)


def build_snapshot(
    edition: Edition, *, published_at, results: EditionResults | None = None
) -> dict:
    """The palmarès as it stands: every category's ranking and every award."""
    results = results or EditionResults.load(edition)
    awards = list(awards_of(edition).prefetch_related("film__trades"))
    snapshot_categories = []
    for category in results.categories:
        rows = []
        for row in results.category_ranking(category):
            film = results.films[int(row.film)]
            rows.append(
                {
                    "film_id": film.pk,
                    **_film_facts(film),
                    "score": _score(row.score),
                    "rank": row.rank,
                    "status": row.status,
                    "tie_break": row.tie_break,
                }
            )
        snapshot_categories.append(
            {"id": category.pk, "slug": category.slug, "name": category.name, "ranking": rows}
        )
    snapshot_awards = []
    for award in awards:
        prize, film = award.prize, award.film
        facts = _film_facts(film)
        snapshot_awards.append(
            {
                "prize_id": prize.pk,
                "prize": prize.name,
                "kind": prize.kind,
                "category_id": prize.category_id,
                "category": prize.category.name if prize.category_id else None,
                "film_id": film.pk,
                "film_title": facts["title"],
                "school": facts["school"],
                "town": facts["town"],
                "company": facts["company"],
                "company_id": film.company_id,
                # Frozen like the rest; shown only while the company agrees (judging.visibility).
                "sponsor": prize.sponsor.name if prize.sponsor_id else "",
                "sponsor_id": prize.sponsor_id,
                "trades": sorted(trade.name for trade in film.trades.all()),
                "reason": award.override_reason,
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        "edition": {
            "id": edition.pk,
            "year": edition.year,
            "title": edition.title,
            "festival": edition.festival.name,
        },
        "published_at": published_at.isoformat(),
        "categories": snapshot_categories,
        "awards": snapshot_awards,
    }


def preview_snapshot(edition: Edition, *, results: EditionResults | None = None) -> dict:
    """What publishing now would freeze; nothing is saved."""
    return build_snapshot(edition, published_at=timezone.now(), results=results)


def publish_palmares(*, edition: Edition, user: User) -> Publication:
    """Freeze the palmarès, put it online and tell the edition's teachers and jurors."""
    if live_publication(edition) is not None:
        raise DomainError(
            _(
                "Le palmarès est déjà publié : dépubliez-le avant d'en publier une nouvelle "
                "version."
            ),
            code="already_published",
        )
    if not awards_of(edition).exists():
        raise DomainError(
            _("Aucun prix n'est encore attribué : il n'y a pas de palmarès à publier."),
            code="no_awards",
        )
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                edition=edition, snapshot={}, content_hash="", published_by=user
            )
            snapshot = build_snapshot(edition, published_at=publication.published_at)
            publication.snapshot = snapshot
            publication.content_hash = content_hash(snapshot)
            publication.save(update_fields=["snapshot", "content_hash"])
            edition._palmares_published_at = publication.published_at
    except IntegrityError as error:  # published at the same moment by another organizer
        raise DomainError(
            _("Le palmarès vient d'être publié par quelqu'un d'autre."),
            code="already_published",
        ) from error
    logger.info(
        "Palmarès of edition %s published by user %s (publication %s, sha256 %s)",
        edition.pk,
        user.pk,
        publication.pk,
        publication.content_hash,
    )
    _announce(publication)
    thank_non_finalists(edition=edition)
    return publication


def _announce(publication: Publication) -> None:
    """Email the teachers of the films in competition and the edition's jurors."""
    edition = publication.edition
    films_by_teacher: dict[int, set[int]] = {}
    for teacher_id, film_id in Film.objects.filter(
        edition=edition, status__in=ELIGIBLE_FILM_STATUSES
    ).values_list("teacher_id", "pk"):
        films_by_teacher.setdefault(teacher_id, set()).add(film_id)
    juror_ids = set(
        JuryMember.objects.filter(jury__edition=edition, active=True).values_list(
            "juror_id", flat=True
        )
    )
    recipients = User.objects.filter(is_active=True).filter(
        pk__in=set(films_by_teacher) | juror_ids
    )
    for user in recipients.order_by("pk"):
        own_films = films_by_teacher.get(user.pk, set())
        awards = [a for a in publication.snapshot["awards"] if a["film_id"] in own_films]
        emails.send_to_user(
            template="palmares_published",
            user=user,
            context={
                "edition": edition,
                "publication": publication,
                "awards": awards,
                "is_teacher": user.role == Role.TEACHER,
            },
        )


def unpublish_palmares(*, publication: Publication, user: User, reason: str) -> Publication:
    """Take the palmarès offline; the publication stays, with who, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Indiquez pourquoi le palmarès est dépublié : le motif est conservé."),
            code="reason_required",
        )
    if publication.unpublished_at is not None:
        raise DomainError(_("Ce palmarès est déjà dépublié."), code="already_unpublished")
    with transaction.atomic():
        publication.unpublished_at = timezone.now()
        publication.unpublished_by = user
        publication.unpublish_reason = reason
        publication.save(update_fields=["unpublished_at", "unpublished_by", "unpublish_reason"])
        publication.edition._palmares_published_at = None
    logger.info(
        "Publication %s of edition %s unpublished by user %s: %s",
        publication.pk,
        publication.edition_id,
        user.pk,
        reason,
    )
    return publication
