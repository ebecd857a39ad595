"""Partner companies: a teacher adds the one the class filmed in when it is not listed yet."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import Company, User
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
