"""An edition's ceremony page: its date (the edition's `ceremony_at`, checked against the rest of
the calendar), its place and practical information, and when the public may see it."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.domain.editions import update_edition
from festival.models import Ceremony, Edition, User

logger = logging.getLogger(__name__)

CEREMONY_FIELDS = {"place", "address", "programme", "transport", "parking", "accessibility"}


def ceremony_of(edition: Edition) -> Ceremony | None:
    """The edition's ceremony page, or None before an organizer writes it (a GET never writes)."""
    return Ceremony.objects.filter(edition=edition).first()


def save_ceremony(
    *, edition: Edition, organizer: User, ceremony_at: datetime, **values
) -> Ceremony:
    """Write the ceremony page and move the edition's ceremony date (the calendar's rules apply:
    a date before the deliberation is refused beside its field)."""
    unknown = set(values) - CEREMONY_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    values = {name: (value or "").strip() for name, value in values.items()}
    with transaction.atomic():
        if ceremony_at != edition.ceremony_at:
            update_edition(
                edition=edition,
                organizer=organizer,
                is_current=edition.is_current,
                ceremony_at=ceremony_at,
            )
        ceremony, _created = Ceremony.objects.update_or_create(
            edition=edition, defaults={**values, "updated_by": organizer}
        )
    logger.info("Ceremony of edition %s saved by user %s", edition.pk, organizer.pk)
    return ceremony


def open_ceremony(*, ceremony: Ceremony, organizer: User) -> Ceremony:
    """Show the page to the public (and its place in the edition's calendar file)."""
    if ceremony.is_open:
        raise DomainError(_("La page de la remise des prix est déjà publique."), code="open")
    ceremony.opened_at = timezone.now()
    ceremony.save(update_fields=["opened_at", "updated_at"])
    logger.info("Ceremony %s opened to the public by user %s", ceremony.pk, organizer.pk)
    return ceremony


def close_ceremony(*, ceremony: Ceremony, organizer: User) -> Ceremony:
    if not ceremony.is_open:
        raise DomainError(_("La page de la remise des prix n'est pas publique."), code="closed")
    ceremony.opened_at = None
    ceremony.save(update_fields=["opened_at", "updated_at"])
    logger.info("Ceremony %s closed to the public by user %s", ceremony.pk, organizer.pk)
    return ceremony
