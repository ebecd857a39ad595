"""Validators for the identifiers French schools and companies carry."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# The UAI check letter is the remainder of the 7-digit number divided by 23, read in this
# alphabet (I, O and Q are left out so they are never mistaken for digits).
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_RE = re.compile(r"^(\d{7})([A-Z])$")
SIRET_RE = re.compile(r"^\d{14}$")
# La Poste's establishments share one SIREN and follow their own checksum rule.
LA_POSTE_SIREN = "356000000"


def normalize_uai(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def uai_check_letter(digits: str) -> str:
    return UAI_LETTERS[int(digits) % 23]


def validate_uai(value: str) -> None:
    match = UAI_RE.match(normalize_uai(value))
    if not match:
        raise ValidationError(
            _("Le code UAI doit comporter 7 chiffres suivis d'une lettre, par exemple 0250007X."),
            code="uai_format",
        )
    digits, letter = match.groups()
    if uai_check_letter(digits) != letter:
        raise ValidationError(
            _("Ce code UAI n'existe pas : la lettre de contrôle ne correspond pas aux chiffres."),
            code="uai_checksum",
        )


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.\-]+", "", value or "")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_siret(value: str) -> None:
    siret = normalize_siret(value)
    if not SIRET_RE.match(siret):
        raise ValidationError(_("Le numéro SIRET doit comporter 14 chiffres."), code="siret_format")
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00000":
        valid = sum(int(c) for c in siret) % 5 == 0
    else:
        valid = luhn_valid(siret)
    if not valid:
        raise ValidationError(
            _("Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."),
            code="siret_checksum",
        )


CREW_NAME_RE = re.compile(r"^[^\W\d_][^\W\d_'\-]*(?:[\-'][^\W\d_]+)*$")
INITIAL_RE = re.compile(r"^[^\W\d_]\.?$")


def parse_crew(text: str) -> list[str]:
    """Split the crew field into names, one per line or separated by commas."""
    names = []
    for chunk in re.split(r"[\n,;]+", text or ""):
        name = " ".join(chunk.split())
        if name:
            names.append(name)
    return names


def validate_crew_name(name: str) -> None:
    """A pupil appears by first name or pseudonym, at most followed by an initial.

    Pupils are minors: a surname must never be stored, so "Léa", "Léa B." or "Tom-Tom"
    pass, while "Léa Bernard" is refused.
    """
    parts = name.split(" ")
    if len(name) > 30 or not CREW_NAME_RE.match(parts[0]):
        raise ValidationError(
            _("« %(name)s » : indiquez seulement un prénom ou un pseudonyme."),
            code="crew_name",
            params={"name": name},
        )
    if len(parts) > 2 or (len(parts) == 2 and not INITIAL_RE.match(parts[1])):
        raise ValidationError(
            _(
                "« %(name)s » : pas de nom de famille pour les élèves, seulement un prénom "
                "ou un pseudonyme (éventuellement suivi d'une initiale)."
            ),
            code="crew_surname",
            params={"name": name},
        )


# Links shown to the public open web pages only: never javascript:, data: or a file share.
validate_web_url = URLValidator(
    schemes=["http", "https"],
    message=_("Saisissez une adresse web complète, qui commence par https:// ou http://."),
)
