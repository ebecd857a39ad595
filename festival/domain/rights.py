"""The music and third-party rights declaration that a film's submission needs.

The teacher says where the film's music comes from and credits what the pupils did not make
themselves; organizers read it before accepting the film.
"""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.domain.films import check_editable
from festival.enums import MusicRights
from festival.models import Film, User

logger = logging.getLogger(__name__)

# Music someone else made is credited in the film and here.
CREDITS_REQUIRED = frozenset({MusicRights.FREE_LICENCE, MusicRights.PERMISSION})


def credits_error(music_rights: str, third_party_credits: str) -> str | None:
    """The French error when the credits a choice needs are missing (the form says it too)."""
    if music_rights in CREDITS_REQUIRED and not third_party_credits.strip():
        return _(
            "Indiquez les crédits de la musique : titre, auteur, licence ou ayant droit qui "
            "l'a autorisée."
        )
    return None


def declare_rights(
    *, film: Film, user: User, music_rights: str, third_party_credits: str = "", now=None
) -> Film:
    check_editable(film)
    if music_rights not in MusicRights.values:
        raise DomainError(_("Choisissez d'où vient la musique du film."), code="music_rights")
    third_party_credits = (third_party_credits or "").strip()
    error = credits_error(music_rights, third_party_credits)
    if error:
        raise DomainError(error, code="credits_required")
    film.music_rights = music_rights
    film.third_party_credits = third_party_credits
    film.rights_declared_at = now or timezone.now()
    film.rights_declared_by = user
    film.save(
        update_fields=[
            "music_rights",
            "third_party_credits",
            "rights_declared_at",
            "rights_declared_by",
            "updated_at",
        ]
    )
    logger.info("Film %s: rights declared by user %s (%s)", film.pk, user.pk, music_rights)
    return film
