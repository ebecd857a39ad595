"""The data of the production journey, created in the production-like installation itself.

Run there by `manage.py shell -c`, with that installation's environment (its own PostgreSQL
database, S3 and Redis): the test process never touches that database through its own Django.
Each function prints one JSON line the test reads.
"""

import json
from decimal import Decimal

from festival.enums import ConsentStatus
from festival.models import Film, User
from judging.domain.juries import create_jury
from judging.enums import PrizeKind
from judging.models_results import Award, Prize
from media_pipeline.models import VideoVersion
from tests import factories


def create() -> None:
    festival = factories.make_festival(name="FILM'IT Franche-Comté", slug="filmit-fc")
    edition = factories.make_edition(festival, title="FILM'IT 2027")
    category = factories.make_category(edition, name="Lycée", slug="lycee")
    factories.make_company(name="Forges de Franche-Comté")
    factories.make_trade(name="Soudeur")
    factories.make_criterion(edition, name="Scénario", weight=Decimal(2), position=0)
    factories.make_criterion(edition, name="Qualité de l'image", position=1)
    teacher = factories.make_teacher(first_name="Claire", last_name="Girard")
    organizer = factories.make_organizer(festival, first_name="Sophie", last_name="Morel")
    juror = factories.make_juror(festival, first_name="Marc", last_name="Petit")
    create_jury(edition=edition, name="Jury lycées", categories=[category], president=juror)
    print(
        json.dumps(
            {
                "edition": edition.pk,
                "teacher": teacher.email,
                "organizer": organizer.email,
                "juror": juror.email,
                "password": factories.PASSWORD,
            }
        )
    )


def state(title: str) -> None:
    """Where the film stands: its status, its versions, its consents."""
    film = Film.objects.get(title=title)
    versions = VideoVersion.objects.filter(film=film).order_by("number")
    print(
        json.dumps(
            {
                "pk": film.pk,
                "status": film.status,
                "versions": [(v.status, v.attempts, v.original.name) for v in versions],
                "evaluations": list(film.evaluations.values_list("state", flat=True)),
            }
        )
    )


def award(title: str, organizer_email: str) -> None:
    """What the organizers decide at the deliberation (tests/e2e/test_publication_to_gallery.py
    does the same): the consents checked, the 1er prix to the film."""
    film = Film.objects.select_related("category__edition").get(title=title)
    film.consents.update(status=ConsentStatus.VALIDATED)
    prize = Prize.objects.create(
        edition=film.category.edition,
        category=film.category,
        kind=PrizeKind.CATEGORY_FIRST,
        name="1er prix",
    )
    organizer = User.objects.get(email=organizer_email)
    Award.objects.create(prize=prize, film=film, decided_by=organizer)
    print(json.dumps({"award": prize.pk}))
