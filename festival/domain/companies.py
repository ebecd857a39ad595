"""Partner companies: a teacher adds the one the class filmed in when it is not listed yet;
teachers and organizers keep its contacts; organizers record its agreement to appear on the
public site and keep their festival's list of companies willing to host a class."""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import Company, CompanyContact, Festival, Trade, User, VolunteerCompany
from festival.validators import normalize_siret, validate_siret

logger = logging.getLogger(__name__)


def register_company(*, name: str, siret: str, town: str, sector: str = "", user: User) -> Company:
    siret = normalize_siret(siret)
    try:
        validate_siret(siret)
    except ValidationError as error:
        raise DomainError(error.messages[0], code=error.code) from error
    taken = DomainError(
        _(
            "Une entreprise est déjà enregistrée avec ce numéro SIRET : "
            "choisissez-la dans la liste."
        ),
        code="siret_taken",
    )
    if Company.objects.filter(siret=siret).exists():
        raise taken
    try:
        with transaction.atomic():
            company = Company.objects.create(
                siret=siret, name=name.strip(), town=town.strip(), sector=sector.strip()
            )
    except IntegrityError as error:  # the same SIRET added at the same moment
        raise taken from error
    logger.info("Company %s registered by user %s", company.pk, user.pk)
    return company


# Contacts


def add_contact(
    *, company: Company, user: User, name: str, email: str, role: str = ""
) -> CompanyContact:
    """A person to write to at the company; one contact per address and company."""
    name, email, role = name.strip(), email.strip(), role.strip()
    if not name:
        raise DomainError(_("Indiquez le nom de la personne."), code="name_required")
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(
            _("Saisissez une adresse e-mail valide, par exemple nom@entreprise.fr."),
            code="invalid_email",
        ) from error
    taken = DomainError(
        _("Cette adresse est déjà parmi les contacts de %(company)s.") % {"company": company.name},
        code="contact_taken",
    )
    if company.contacts.filter(email__iexact=email).exists():
        raise taken
    try:
        with transaction.atomic():
            contact = CompanyContact.objects.create(
                company=company, name=name, role=role, email=email, added_by=user
            )
    except IntegrityError as error:  # the same address added at the same moment
        raise taken from error
    logger.info("Contact %s of company %s added by user %s", contact.pk, company.pk, user.pk)
    return contact


def remove_contact(*, contact: CompanyContact, user: User) -> None:
    logger.info(
        "Contact %s of company %s removed by user %s", contact.pk, contact.company_id, user.pk
    )
    contact.delete()


# The company's agreement to appear on the public site


def record_agreement(*, company: Company, user: User, note: str = "") -> Company:
    """The company agreed to appear in the film and on the public site: its name shows there."""
    company.public_agreement_at = timezone.now()
    company.public_agreement_by = user
    company.public_agreement_note = note.strip()
    company.save(
        update_fields=["public_agreement_at", "public_agreement_by", "public_agreement_note"]
    )
    logger.info("Public agreement of company %s recorded by user %s", company.pk, user.pk)
    return company


def withdraw_agreement(*, company: Company, user: User, note: str = "") -> Company:
    """The company no longer agrees: its name leaves the public site at once."""
    if company.public_agreement_at is None:
        raise DomainError(
            _("Aucun accord de diffusion n'est enregistré pour cette entreprise."),
            code="no_agreement",
        )
    company.public_agreement_at = None
    company.public_agreement_by = user
    company.public_agreement_note = note.strip()
    company.save(
        update_fields=["public_agreement_at", "public_agreement_by", "public_agreement_note"]
    )
    logger.info("Public agreement of company %s withdrawn by user %s", company.pk, user.pk)
    return company


# Volunteer companies ("entreprises volontaires")


def save_volunteer(
    *,
    festival: Festival,
    company: Company,
    user: User,
    trades: Iterable[Trade] = (),
    contact_name: str,
    contact_email: str = "",
    contact_phone: str = "",
    offer: str = "",
    active: bool = True,
    entry: VolunteerCompany | None = None,
) -> VolunteerCompany:
    """Add the company to the festival's list, or update its entry there."""
    others = VolunteerCompany.objects.filter(festival=festival, company=company)
    if entry is not None:
        others = others.exclude(pk=entry.pk)
    taken = DomainError(
        _("%(company)s est déjà dans la liste des entreprises volontaires du festival.")
        % {"company": company.name},
        code="volunteer_taken",
    )
    if others.exists():
        raise taken
    entry = entry or VolunteerCompany(festival=festival)
    entry.company = company
    entry.contact_name = contact_name.strip()
    entry.contact_email = contact_email.strip()
    entry.contact_phone = contact_phone.strip()
    entry.offer = offer.strip()
    entry.active = active
    try:
        with transaction.atomic():
            entry.save()
            entry.trades.set(trades)
    except IntegrityError as error:  # the same company added at the same moment
        raise taken from error
    logger.info(
        "Volunteer company %s (company %s, festival %s) saved by user %s",
        entry.pk,
        company.pk,
        festival.pk,
        user.pk,
    )
    return entry


def remove_volunteer(*, entry: VolunteerCompany, user: User) -> None:
    logger.info(
        "Volunteer company %s (company %s, festival %s) removed by user %s",
        entry.pk,
        entry.company_id,
        entry.festival_id,
        user.pk,
    )
    entry.delete()
