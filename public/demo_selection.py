"""Demo data of the pre-selection round (issue 13): the current edition's finalists, announced,
so that the public finalists page and the teachers' "finaliste" / "non retenu" show."""

from datetime import timedelta

from django.utils import timezone

from festival.models import Edition, User
from judging.domain.selection import announce_now, choose_finalists, save_round_settings
from judging.enums import ELIGIBLE_FILM_STATUSES
from judging.models_selection import SelectionRound


def create_demo_selection(*, edition: Edition, organizer: User) -> SelectionRound:
    """Every category's films in competition are finalists but its last one submitted."""
    save_round_settings(
        edition=edition,
        enabled=True,
        finalists_per_category=2,
        announce_at=timezone.now() - timedelta(days=1),
        user=organizer,
    )
    selection_round = SelectionRound.objects.get(edition=edition)
    finalists = []
    for category in edition.categories.order_by("position"):
        films = list(
            edition.films.filter(category=category, status__in=ELIGIBLE_FILM_STATUSES).order_by(
                "pk"
            )
        )
        finalists += films[:-1] if len(films) > 1 else films
    choose_finalists(selection_round=selection_round, films=finalists, user=organizer)
    return announce_now(selection_round=selection_round, user=organizer)
