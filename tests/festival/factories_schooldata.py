"""A school with films in two festivals, for the export and erasure tests."""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from festival.enums import ConsentStatus, FilmStatus
from festival.models import ConsentForm
from tests import factories
from tests.festival import palmares


@dataclass
class SchoolWorld:
    festival: object
    other_festival: object
    school: object
    organizer: object
    teacher: object  # of this festival only
    shared_teacher: object  # also a teacher of the other festival
    published: object  # public: validated consents, gallery open
    accepted: object  # not public, a consent with a hostile name, a formula title
    elsewhere: object  # the school's film in the other festival


def make_consent(film, *, original_filename, content_type="application/pdf", status):
    consent = ConsentForm(
        film=film,
        uploaded_by=film.teacher,
        original_filename=original_filename,
        content_type=content_type,
        status=status,
    )
    consent.file.save("consent", ContentFile(b"%PDF-1.4 " + original_filename.encode()), save=False)
    consent.save()
    return consent


def with_original(film, data=b"original video bytes"):
    film.original_video.save("original", ContentFile(data), save=False)
    film.original_filename = "montage.mp4"
    film.original_size = len(data)
    film.save()
    return film


def school_world() -> SchoolWorld:
    festival = factories.make_festival(name="FILM'IT Franche-Comté", slug="filmit-fc")
    other = factories.make_festival(name="FILM'IT Grand Est", slug="filmit-ge")
    edition = factories.make_edition(festival)
    category = factories.make_category(edition, name="Lycée", slug="lycee")
    other_category = factories.make_category(factories.make_edition(other))
    school = factories.make_school(name="Lycée Jules Haag", contact_email="ce@ac-besancon.fr")
    organizer = factories.make_organizer(festival, first_name="Sophie", last_name="Morel")
    teacher = factories.make_teacher(
        school,
        festivals=[festival],
        first_name="Claire",
        last_name="Girard",
        email="claire.girard@example.org",
        phone="03 81 00 00 00",
    )
    shared = factories.make_teacher(
        school,
        festivals=[festival, other],
        first_name="Paul",
        last_name="Roy",
        email="paul.roy@example.org",
    )
    published = factories.make_film(
        teacher=teacher,
        category=category,
        status=FilmStatus.ACCEPTED,
        title="Les mains de l'usine",
        synopsis="Une journée à l'atelier.",
        crew="Léa\nTom B.",
        company=factories.make_company(name="Usinage Comtois"),
    )
    published.trades.add(factories.make_trade(name="Régleur"))
    factories.make_consent(published, status=ConsentStatus.VALIDATED)
    with_original(published)
    palmares.open_gallery(edition)
    accepted = factories.make_film(
        teacher=shared,
        category=category,
        status=FilmStatus.ACCEPTED,
        title='=HYPERLINK("http://evil.example/","x")',
        crew="Inès",
    )
    make_consent(accepted, original_filename="../../etc/passwd.pdf", status=ConsentStatus.PENDING)
    make_consent(
        accepted,
        original_filename="/abs/C:\\photo..png",
        content_type="image/png",
        status=ConsentStatus.PENDING,
    )
    with_original(accepted)
    elsewhere = factories.make_film(
        teacher=shared,
        category=other_category,
        status=FilmStatus.ACCEPTED,
        title="Film du Grand Est",
        crew="Noé",
    )
    factories.make_consent(elsewhere)
    return SchoolWorld(
        festival=festival,
        other_festival=other,
        school=school,
        organizer=organizer,
        teacher=teacher,
        shared_teacher=shared,
        published=published,
        accepted=accepted,
        elsewhere=elsewhere,
    )
