"""The consent count against the pupils on screen, in the words organizers and teachers read:
« 3 autorisations validées sur 5 élèves à l'écran : il en manque 2 »."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from festival.enums import ConsentStatus

register = template.Library()


def validated_count(consents) -> int:
    """An annotated count, or the consents themselves (a list already loaded by the page)."""
    if isinstance(consents, int):
        return consents
    return sum(1 for consent in consents if consent.status == ConsentStatus.VALIDATED)


def consent_gap_text(*, pupils_on_screen: int | None, validated: int) -> str:
    """The sentence when the validated consents do not cover the pupils on screen, else ""."""
    if pupils_on_screen is None or validated >= pupils_on_screen:
        return ""
    missing = pupils_on_screen - validated
    consents = ngettext(
        "%(count)d autorisation validée", "%(count)d autorisations validées", validated
    ) % {"count": validated}
    pupils = ngettext(
        "sur %(count)d élève à l'écran", "sur %(count)d élèves à l'écran", pupils_on_screen
    ) % {"count": pupils_on_screen}
    return _("%(consents)s %(pupils)s : il en manque %(missing)d") % {
        "consents": consents,
        "pupils": pupils,
        "missing": missing,
    }


@register.simple_tag
def consent_gap(film, consents) -> str:
    """`{% consent_gap film film.consents_validated %}` or `{% consent_gap film consents %}`."""
    return consent_gap_text(
        pupils_on_screen=film.pupils_on_screen, validated=validated_count(consents)
    )
