"""What a festival publishes about personal data and its legal notice, set by its organizers.

The texts are plain text (paragraphs; the pages escape them), read by the public pages
`/donnees-personnelles/` and `/mentions-legales/` on top of their default wording.
"""

import logging

from django.conf import settings

from festival.models import Festival, FestivalLegalTexts, User

# The installation's name, for the pages of an installation without a festival of its own
# (the same as festival.context_processors.PLATFORM_NAME, which reads this one).
PLATFORM_NAME = "FILM'IT"

logger = logging.getLogger(__name__)

LEGAL_TEXT_FIELDS = (
    "data_controller",
    "rights_email",
    "rights_postal_address",
    "dpo_contact",
    "hosting_provider",
    "publication_director",
    "publisher",
    "privacy_extra",
    "legal_extra",
)


def legal_texts_of(festival: Festival | None) -> FestivalLegalTexts | None:
    """The festival's saved texts, or None (the pages then use their defaults only)."""
    if festival is None:
        return None
    return FestivalLegalTexts.objects.filter(festival=festival).first()


def save_legal_texts(*, festival: Festival, organizer: User, **values) -> FestivalLegalTexts:
    unknown = set(values) - set(LEGAL_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    texts = legal_texts_of(festival) or FestivalLegalTexts(festival=festival)
    for name, value in values.items():
        setattr(texts, name, value.strip() if isinstance(value, str) else value)
    texts.updated_by = organizer
    texts.save()
    logger.info("Festival %s legal texts updated by user %s", festival.pk, organizer.pk)
    return texts


def legal_page_context(festival: Festival | None, texts: FestivalLegalTexts | None) -> dict:
    """What the default wording of both pages reads: the festival (or none, for an installation
    without one), its texts (saved, or being previewed), where to write, and the retention
    periods with the dates they give for the current edition."""
    edition = festival.editions.filter(is_current=True).first() if festival is not None else None
    rights_email = (texts.rights_email if texts else "") or (
        festival.contact_email if festival else ""
    )
    name = festival.name if festival is not None else PLATFORM_NAME
    return {
        "legal_festival": festival,
        "legal_name": name,
        # Who runs it: the festival's organizing body, else its name.
        "legal_body": (festival.organizing_body if festival is not None else "") or name,
        "texts": texts,
        "rights_email": rights_email,
        "retention_edition": edition,
        "originals_days": settings.RETENTION_ORIGINALS_DAYS,
        "consents_days": settings.RETENTION_CONSENTS_DAYS,
    }
