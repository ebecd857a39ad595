"""Demo data of the structures without a UAI code: an école de la deuxième chance signed up
with its SIRET, its tutor approved, and their film in the "jeunes en insertion" category.

Called from `public.demo.create_demo_edition` before the jury is formed, so that the film is
assigned to the jurors like every submitted film.
"""

from datetime import timedelta

from django.utils import timezone

from festival.enums import Academie, FilmStatus, Role, StructureKind
from festival.models import (
    Category,
    Company,
    Festival,
    Film,
    FilmEvent,
    School,
    Trade,
    User,
)
from festival.validators import luhn_valid
from public.demo_people import approved_member, consent_form

E2C_SIRET_BODY = 4_251_230_000_01
TUTOR_EMAIL = "samia.lopez@filmit.example"

# The schools loaded before structures had a kind, by the first words of their names.
KIND_BY_NAME = [
    ("Collège", StructureKind.COLLEGE),
    ("Lycée", StructureKind.LYCEE_GT),
    ("CFA", StructureKind.CFA),
    ("École de la deuxième chance", StructureKind.E2C),
]


def _siret(body: int) -> str:
    digits = f"{body:013d}"
    return next(digits + str(key) for key in range(10) if luhn_valid(digits + str(key)))


def add_structures(
    *,
    festival: Festival,
    category: Category,
    company: Company,
    trades: list[Trade],
    organizer: User,
    password: str,
) -> Film:
    """The école de la deuxième chance, its approved tutor and their submitted film."""
    for prefix, kind in KIND_BY_NAME:
        School.objects.filter(kind="", name__startswith=prefix).update(kind=kind)
    structure = School.objects.create(
        siret=_siret(E2C_SIRET_BODY),
        kind=StructureKind.E2C,
        name="École de la deuxième chance Nord Franche-Comté",
        town="Montbéliard",
        academie=Academie.BESANCON,
        contact_email="contact@e2c-nfc.example",
    )
    tutor = approved_member(
        festival=festival, email=TUTOR_EMAIL, password=password, first_name="Samia",
        last_name="Lopez", role=Role.TEACHER, school=structure,
    )  # fmt: skip
    now = timezone.now()
    film = Film.objects.create(
        edition=category.edition,
        category=category,
        school=structure,
        teacher=tutor,
        company=company,
        title="Remettre la main à la pâte… et au métal",
        synopsis=(
            "Huit stagiaires de l'école de la deuxième chance passent deux semaines chez "
            f"{company.name} : ils découvrent les machines, les gestes et les gens de l'atelier."
        ),
        pupil_count=8,
        crew="Yasmine\nKévin M.\nSarah\nDylan",
        status=FilmStatus.SUBMITTED,
        submitted_at=now - timedelta(days=2),
    )
    film.trades.set(trades)
    FilmEvent.objects.create(film=film, actor=tutor, to_status=FilmStatus.DRAFT)
    FilmEvent.objects.create(
        film=film, actor=tutor, from_status=FilmStatus.DRAFT, to_status=FilmStatus.SUBMITTED
    )
    consent_form(film=film, uploaded_by=tutor, reviewed_by=organizer, reviewed_at=now)
    return film
