"""How judging reacts to the core's signals (connected in `judging.apps`)."""

import logging

from django.db import transaction

from festival.enums import FilmStatus
from festival.models import Film
from festival.rules import is_film_organizer
from judging.domain.assignment import assign_film
from judging.rules import ELIGIBLE_FILM_STATUSES

logger = logging.getLogger(__name__)


def film_status_changed(sender, *, film, previous, actor, **kwargs) -> None:
    """An accepted film goes to its jurors once the decision is saved; a film leaving the
    competition leaves them. A submitted film waits for the organizers' decision."""
    leaves = previous in ELIGIBLE_FILM_STATUSES and film.status not in ELIGIBLE_FILM_STATUSES
    if film.status != FilmStatus.ACCEPTED and not leaves:
        return
    film_id = film.pk
    organizer = actor if actor is not None and is_film_organizer(actor, film) else None

    def run():
        current = Film.objects.filter(pk=film_id).first()
        if current is None:
            logger.info("Film %s is gone: no assignment to compute", film_id)
            return
        assign_film(film=current, organizer=organizer)

    # Robust: a failed computation never undoes the decision; the film then shows on the
    # organizers' pages as a film without jurors (judging.unassigned).
    transaction.on_commit(run, robust=True)
