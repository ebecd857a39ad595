"""The edition's rules, accepted by the teacher when a film is submitted.

The version of the rules is the SHA-256 of their text: an acceptance keeps the text it was
given, so organizers can always read what a teacher agreed to, and tell whether the rules
changed since. A film resubmitted after changes needs a new acceptance only if the text did.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import Film, RulesAcceptance, User

logger = logging.getLogger(__name__)


def normalized_rules(text: str) -> str:
    """The text as versioned: a form re-saved with Windows line ends is the same version."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def rules_version(text: str) -> str:
    return hashlib.sha256(normalized_rules(text).encode("utf-8")).hexdigest()


def latest_acceptance(film: Film) -> RulesAcceptance | None:
    """The film's latest acceptance (reads `film.rules_acceptances`: prefetch it for a list)."""
    acceptances = list(film.rules_acceptances.all())
    return acceptances[-1] if acceptances else None


def rules_acceptance_needed(film: Film) -> bool:
    """True when submitting the film asks its teacher to accept the edition's rules: the
    edition has rules and the film's latest acceptance is not of their current text."""
    if not normalized_rules(film.edition.rules):
        return False
    latest = latest_acceptance(film)
    return latest is None or latest.rules_sha256 != rules_version(film.edition.rules)


def check_rules_accepted(*, film: Film, rules_accepted: bool) -> None:
    if rules_acceptance_needed(film) and not rules_accepted:
        raise DomainError(
            _(
                "Pour déposer le film, cochez la case « J'ai lu et j'accepte le règlement de "
                "l'édition »."
            ),
            code="rules_not_accepted",
        )


def record_rules_acceptance(*, film: Film, user: User, now=None) -> RulesAcceptance | None:
    """Store the acceptance of the current rules, unless the film already has one of them."""
    if not rules_acceptance_needed(film):
        return None
    text = normalized_rules(film.edition.rules)
    acceptance = RulesAcceptance.objects.create(
        film=film,
        user=user,
        accepted_at=now or timezone.now(),
        rules_text=text,
        rules_sha256=rules_version(text),
    )
    logger.info("Film %s: rules %s accepted by user %s", film.pk, acceptance.short_version, user.pk)
    return acceptance


@dataclass(frozen=True)
class AcceptanceLine:
    """One acceptance as organizers read it: is it of the edition's current rules?"""

    acceptance: RulesAcceptance
    is_current: bool


def acceptance_lines(film: Film) -> list[AcceptanceLine]:
    current = rules_version(film.edition.rules) if normalized_rules(film.edition.rules) else None
    return [
        AcceptanceLine(acceptance, acceptance.rules_sha256 == current)
        for acceptance in film.rules_acceptances.select_related("user")
    ]
