"""Demo data of the national final: FILM'IT — Finale nationale, its own organizer, a current
edition, one of Franche-Comté's past winners offered and accepted there, another offer waiting
(festival.domain.transfers)."""

from datetime import timedelta

from django.utils import timezone

from festival.domain.transfers import accept_transfer, offer_film
from festival.enums import Role
from festival.models import Category, Edition, Festival, Film, User
from judging.selectors_results import winning_film_ids
from media_pipeline import processing
from media_pipeline.models import VideoVersion
from media_pipeline.models.processing import PENDING_STATUSES
from public.demo_people import approved_member

FINAL_ORGANIZER_EMAIL = "organisation.finale@filmit.example"
FINAL_CATEGORIES = [
    ("college", "Collège", 4),
    ("lycee", "Lycée", 5),
    ("etudiants", "Étudiants", 6),
    ("apprentis", "Apprentis", 5),
]


def create_national_final(*, past_edition: Edition, organizer: User, password: str) -> Festival:
    """`organizer` is the regional festival's: they send its winners; the final has its own."""
    now = timezone.now()
    year = (now + timedelta(days=150)).year
    festival = Festival.objects.create(
        name="FILM'IT — Finale nationale",
        slug="filmit-finale-nationale",
        region="France",
        organizing_body="UIMM",
        contact_email="finale@filmit.example",
        description=(
            "Les lauréats des festivals régionaux FILM'IT concourent ensemble : un jury national "
            "récompense les meilleurs films de chaque catégorie."
        ),
    )
    edition = Edition.objects.create(
        festival=festival,
        year=year,
        title=f"Finale nationale {year}",
        theme="Les métiers de l'industrie, partout en France",
        is_current=True,
        submissions_open_at=now - timedelta(days=5),
        submissions_close_at=now + timedelta(days=100),
        judging_start_at=now + timedelta(days=110),
        judging_end_at=now + timedelta(days=130),
        deliberation_at=now + timedelta(days=135),
        ceremony_at=now + timedelta(days=150),
    )
    categories = [
        Category.objects.create(
            edition=edition,
            slug=slug,
            name=name,
            max_duration=timedelta(minutes=minutes),
            position=position,
        )
        for position, (slug, name, minutes) in enumerate(FINAL_CATEGORIES)
    ]
    final_organizer = approved_member(
        festival=festival, email=FINAL_ORGANIZER_EMAIL, password=password,
        first_name="Nathalie", last_name="Fournier", role=Role.ORGANIZER,
    )  # fmt: skip
    winners = list(
        Film.objects.filter(pk__in=winning_film_ids(past_edition))
        .select_related("category")
        .order_by("category__position", "pk")
    )
    for index, film in enumerate(winners[:2]):
        transfer = offer_film(
            film=film,
            target_edition=edition,
            user=organizer,
            message="Lauréat de notre dernière édition : nous serions fiers qu'il concoure.",
        )
        if index == 0:
            _play_now(film)
            same = next((c for c in categories if c.slug == film.category.slug), categories[0])
            accept_transfer(transfer=transfer, user=final_organizer, category=same)
    return festival


def _play_now(film: Film) -> None:
    """The demo's videos wait for the worker; the accepted film's is prepared here so that the
    final's copy plays at once, as it does for any film already processed."""
    version = film.video_versions.filter(status__in=PENDING_STATUSES).order_by("-number").first()
    if version is not None and not VideoVersion.objects.playable_for(film):
        processing.process_version(version_id=version.pk)
