"""A regional festival whose published palmarès awards a film, and a national final to send it
to (festival.domain.transfers)."""

from dataclasses import dataclass

from festival.enums import ConsentStatus, FilmStatus
from festival.models import Category, Edition, Festival, Film, User
from media_pipeline.models import VideoStatus, VideoVersion
from tests import factories
from tests.festival.palmares import award, publish
from tests.media_pipeline.versions import make_version


@dataclass
class Journey:
    region: Festival
    region_edition: Edition
    region_organizer: User
    teacher: User
    film: Film
    version: VideoVersion
    final: Festival
    final_edition: Edition
    final_category: Category
    final_organizer: User


def make_journey(*, media: bool = True) -> Journey:
    region = factories.make_festival(name="FILM'IT Franche-Comté")
    final = factories.make_festival(name="FILM'IT — Finale nationale")
    region_edition = factories.make_edition(region, open_now=False, title="FILM'IT 2026")
    region_category = factories.make_category(region_edition, name="Lycée")
    region_organizer = factories.make_organizer(region, first_name="Sophie", last_name="Morel")
    # The teacher belongs to the regional festival only, not to the final.
    teacher = factories.make_teacher(festivals=[region], first_name="Claire")
    film = factories.make_film(
        teacher=teacher, category=region_category, status=FilmStatus.ACCEPTED, complete=True
    )
    film.consents.update(status=ConsentStatus.VALIDATED)
    version = make_version(film, status=VideoStatus.READY) if media else None
    publish(region_edition, [award(film)], by=region_organizer)
    final_edition = factories.make_edition(final, title="Finale nationale 2027")
    final_category = factories.make_category(final_edition, name="Lycées")
    final_organizer = factories.make_organizer(final, first_name="Marc", last_name="Petit")
    return Journey(
        region=region,
        region_edition=region_edition,
        region_organizer=region_organizer,
        teacher=teacher,
        film=film,
        version=version,
        final=final,
        final_edition=final_edition,
        final_category=final_category,
        final_organizer=final_organizer,
    )
