"""The prix du public: one confirmed vote per category per mailbox, in a window.

A visitor chooses a film of a category and gives their email address; the vote is recorded
unconfirmed with a random token and a link is emailed. Only confirmed votes count. Until it is
confirmed, a new vote in the same category with the same address replaces it (a typo in the
choice is forgiven, and the link of the last request is the one that works); once confirmed,
the vote is final. Addresses are compared by their canonical key (`canonical_email`): the
variants a provider delivers to the same mailbox (case, plus tags, Gmail's dots) are one
voter. Requests are rate-limited per IP address and per mailbox (`festival.throttle`).

Only accepted films whose image-rights consents are all validated can be voted for: the vote
pages show pupils' work to the public.
"""

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from festival import emails, throttle
from festival.enums import FilmStatus
from festival.models import Category, Edition, Film
from judging.domain import DomainError
from judging.models_results import PublicVote, ResultsSettings

logger = logging.getLogger(__name__)

RATE_WINDOW_SECONDS = 3600


def _limit(name: str, default: int) -> int:
    return getattr(settings, name, default)


@dataclass
class VoteWindow:
    opens_at: object
    closes_at: object

    def state(self, now=None) -> str:
        """ "upcoming", "open" or "closed"."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def is_open(self, now=None) -> bool:
        return self.state(now) == "open"


def vote_window(edition: Edition) -> VoteWindow | None:
    """The edition's public vote window, or None when there is no prix du public."""
    results_settings = ResultsSettings.objects.filter(edition=edition).first()
    if results_settings is None:
        return None
    opens, closes = results_settings.public_vote_opens_at, results_settings.public_vote_closes_at
    if opens is None or closes is None:
        return None
    return VoteWindow(opens_at=opens, closes_at=closes)


def set_vote_window(*, edition: Edition, opens_at, closes_at) -> ResultsSettings:
    """Open a prix du public between the two dates, or remove it (both empty)."""
    if (opens_at is None) != (closes_at is None):
        raise DomainError(
            _("Indiquez l'ouverture et la clôture du vote, ou aucune des deux."),
            code="window_incomplete",
        )
    if opens_at is not None and opens_at >= closes_at:
        raise DomainError(
            _("La clôture du vote doit venir après son ouverture."), code="window_order"
        )
    results_settings, _created = ResultsSettings.objects.get_or_create(edition=edition)
    results_settings.public_vote_opens_at = opens_at
    results_settings.public_vote_closes_at = closes_at
    results_settings.save(update_fields=["public_vote_opens_at", "public_vote_closes_at"])
    return results_settings


def votable_films(edition: Edition, category: Category | None = None) -> list[Film]:
    """Accepted films whose consents are all validated, in the edition's order."""
    films = (
        Film.objects.consents_validated()
        .filter(edition=edition, status=FilmStatus.ACCEPTED)
        .select_related("category", "school", "company")
        .order_by("category__position", "title", "pk")
    )
    if category is not None:
        films = films.filter(category=category)
    return list(films)


# Which parts of an address a mail provider ignores, so that one mailbox has one key. Plus
# tags ("jean+festival@…", RFC 5233 sub-addressing) are delivered to the same mailbox by
# Gmail, Outlook/Hotmail/Live, iCloud, Fastmail, Proton and most mail servers: they are dropped
# for every domain. Dots in the local part are ignored by Gmail only: for every other provider
# "a.b@…" and "ab@…" are two mailboxes and stay two keys.
DOTS_IGNORED_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
# Domains that are another name of the same mailboxes.
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


def normalize_email(email: str) -> str:
    """The address as typed, without surrounding spaces: where the confirmation goes."""
    return (email or "").strip()


def canonical_email(email: str) -> str:
    """The key of the mailbox behind an address: one key, one vote per category."""
    address = normalize_email(email).lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    local = local.split("+", 1)[0]
    if domain in DOTS_IGNORED_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{DOMAIN_ALIASES.get(domain, domain)}"


def check_rate_limit(*, ip: str | None, email: str) -> None:
    """At most N vote requests per hour from an IP address, and M for a mailbox."""
    window = RATE_WINDOW_SECONDS
    counts = []
    if ip:
        counts.append(
            (
                throttle.hit("public-vote:ip", ip, window=window),
                _limit("PUBLIC_VOTE_MAX_PER_IP", 20),
            )
        )
    counts.append(
        (
            throttle.hit("public-vote:email", canonical_email(email), window=window),
            _limit("PUBLIC_VOTE_MAX_PER_EMAIL", 5),
        )
    )
    if any(count > limit for count, limit in counts):
        raise DomainError(
            _(
                "Trop de demandes de vote en peu de temps depuis cette connexion ou pour "
                "cette adresse e-mail. Réessayez dans une heure."
            ),
            code="rate_limited",
        )


def _check_open(edition: Edition, now=None) -> None:
    window = vote_window(edition)
    if window is None:
        raise DomainError(_("Cette édition n'a pas de prix du public."), code="no_public_vote")
    state = window.state(now)
    if state == "upcoming":
        raise DomainError(
            _("Le vote du public n'est pas encore ouvert : il ouvrira le %(date)s.")
            % {"date": _format(window.opens_at)},
            code="vote_not_open",
        )
    if state == "closed":
        raise DomainError(
            _("Le vote du public est clos depuis le %(date)s. Merci de votre intérêt !")
            % {"date": _format(window.closes_at)},
            code="vote_closed",
        )


def _format(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def request_vote(
    *, edition: Edition, category: Category, film: Film, email: str, ip: str | None = None
) -> PublicVote:
    """Record an unconfirmed vote and email its confirmation link."""
    email = normalize_email(email)
    email_key = canonical_email(email)
    _check_open(edition)
    check_rate_limit(ip=ip, email=email_key)
    if (
        category.edition_id != edition.pk
        or film.category_id != category.pk
        or film.pk not in {f.pk for f in votable_films(edition, category)}
    ):
        raise DomainError(
            _("Ce film ne fait pas partie des films proposés au vote dans cette catégorie."),
            code="film_not_votable",
        )
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            vote = (
                PublicVote.objects.select_for_update()
                .filter(edition=edition, category=category, email_key=email_key)
                .first()
            )
            if vote is not None and vote.confirmed_at is not None:
                raise DomainError(
                    _(
                        "Cette adresse e-mail a déjà un vote confirmé dans la catégorie "
                        "« %(category)s » : un vote confirmé est définitif."
                    )
                    % {"category": category.name},
                    code="already_voted",
                )
            if vote is None:
                vote = PublicVote.objects.create(
                    edition=edition,
                    category=category,
                    film=film,
                    email=email,
                    email_key=email_key,
                    token=token,
                )
            else:  # replaces the unconfirmed vote: the older link stops working
                vote.film = film
                vote.email = email  # the new link goes to the address typed this time
                vote.token = token
                vote.save(update_fields=["film", "email", "token"])
    except IntegrityError as error:  # two requests at the same moment for the same address
        raise DomainError(
            _("Un vote est déjà en cours d'enregistrement pour cette adresse. Réessayez."),
            code="concurrent_vote",
        ) from error
    emails.send_templated(
        template="public_vote_confirm",
        to=[email],
        context={"vote": vote, "film": film, "category": category, "edition": edition},
        language=translation.get_language(),
    )
    logger.info("Public vote %s requested for film %s", vote.pk, film.pk)
    return vote


def get_vote_by_token(token: str) -> PublicVote | None:
    if not token:
        return None
    return (
        PublicVote.objects.select_related("edition", "category", "film").filter(token=token).first()
    )


def confirm_vote(*, token: str) -> PublicVote:
    """Confirm the vote of this token: from now on it counts, and it is final."""
    vote = get_vote_by_token(token)
    if vote is None:
        raise DomainError(
            _(
                "Ce lien de confirmation n'est pas valide : il a peut-être été remplacé par "
                "un vote plus récent. Utilisez le lien du dernier e-mail reçu."
            ),
            code="invalid_token",
        )
    if vote.confirmed_at is not None:
        return vote
    _check_open(vote.edition)
    if vote.film.pk not in {f.pk for f in votable_films(vote.edition, vote.category)}:
        raise DomainError(
            _("Ce film n'est plus proposé au vote : votre vote ne peut pas être confirmé."),
            code="film_not_votable",
        )
    vote.confirmed_at = timezone.now()
    vote.save(update_fields=["confirmed_at"])
    logger.info("Public vote %s confirmed", vote.pk)
    return vote


def vote_counts(edition: Edition) -> dict[int, dict[str, int]]:
    """{film_id: {"confirmed", "pending"}} over the edition's votes, in one query."""
    rows = (
        PublicVote.objects.filter(edition=edition)
        .values("film_id")
        .annotate(
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            pending=Count("pk", filter=Q(confirmed_at__isnull=True)),
        )
        .order_by()
    )
    return {
        row["film_id"]: {"confirmed": row["confirmed"], "pending": row["pending"]} for row in rows
    }


def films_with_counts(edition: Edition) -> QuerySet[Film]:
    """Every film that received a vote or can receive one, for the organizers' count table."""
    return (
        Film.objects.filter(
            Q(edition=edition, status=FilmStatus.ACCEPTED) | Q(public_votes__edition=edition)
        )
        .distinct()
        .select_related("category", "school")
        .order_by("category__position", "title", "pk")
    )
