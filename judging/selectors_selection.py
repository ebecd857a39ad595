"""Which films are still in competition after the edition's pre-selection (the finalists)."""

from django.db.models import QuerySet

from festival.models import Edition, Film
from judging.rules import ELIGIBLE_FILM_STATUSES


def finalist_films(edition: Edition) -> QuerySet[Film]:
    """The edition's finalists: every eligible film while the edition has no pre-selection round."""
    return Film.objects.filter(edition=edition, status__in=ELIGIBLE_FILM_STATUSES)
