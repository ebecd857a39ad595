"""The ceremony's cast: finalist classes, their companies' contacts, jurors and guests."""

from dataclasses import dataclass

from festival.enums import FilmStatus
from festival.models import CompanyContact, Edition, Film, User
from judging.domain.ceremony_invitations import Guest, add_guests
from tests import factories


@dataclass
class Cast:
    edition: Edition
    finalist: Film
    other_finalist: Film
    draft: Film
    teacher: User
    juror: User
    contact: CompanyContact


def make_cast(edition, category, teacher, juror, organizer) -> Cast:
    """Two finalist classes (one teacher is also a guest), a draft film (not invited), a company
    contact who is also a juror (one invitation, two roles)."""
    company = factories.make_company(name="Peugeot Sochaux")
    finalist = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.ACCEPTED, company=company,
        title="Les mains de l'usine",
    )  # fmt: skip
    other_teacher = factories.make_teacher(first_name="Jean", last_name="Bloch")
    other_finalist = factories.make_film(
        teacher=other_teacher, category=category, status=FilmStatus.SUBMITTED, title="Acier"
    )
    draft = factories.make_film(category=category, status=FilmStatus.DRAFT)
    contact = CompanyContact.objects.create(
        company=company, name="Nadia Haddad", email="nadia@peugeot.example"
    )
    factories.make_jury(edition, categories=[category], members=[juror])
    # The juror is also the company's second contact, under another spelling of their address.
    CompanyContact.objects.create(company=company, name="Marc Petit", email=juror.email.upper())
    add_guests(
        edition=edition,
        organizer=organizer,
        guests=[
            Guest("Claire Girard", teacher.email.upper(), "Lycée"),
            Guest("Mme la Maire", "maire@besancon.example", "Ville de Besançon"),
        ],
    )
    return Cast(edition, finalist, other_finalist, draft, teacher, juror, contact)
