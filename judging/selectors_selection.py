"""Which films are still in competition after the edition's pre-selection (the finalists)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from festival.models import Edition, Film
from judging.enums import ELIGIBLE_FILM_STATUSES, SelectionState
from judging.models_selection import Finalist, SelectionRound


def selection_round(edition: Edition | int) -> SelectionRound | None:
    """The edition's pre-selection round, whether enabled or not; None until set up."""
    return SelectionRound.objects.filter(edition=edition).first()


def has_preselection(edition: Edition | int) -> bool:
    return SelectionRound.objects.filter(edition=edition, enabled=True).exists()


def finalist_films(edition: Edition | int) -> QuerySet[Film]:
    """The edition's finalists: the chosen films still in competition when the edition has an
    enabled pre-selection round, every eligible film otherwise (one query, no extra read)."""
    enabled = SelectionRound.objects.filter(edition=OuterRef("edition"), enabled=True)
    return Film.objects.filter(edition=edition, status__in=ELIGIBLE_FILM_STATUSES).filter(
        Q(finalist__isnull=False) | ~Exists(enabled)
    )


def announced_round(edition: Edition | int) -> SelectionRound | None:
    """The edition's round once its finalists are public (enabled and announced)."""
    return (
        SelectionRound.objects.filter(edition=edition, enabled=True, state=SelectionState.ANNOUNCED)
        .select_related("edition", "edition__festival")
        .first()
    )


def selection_outcome(film: Film) -> str:
    """What the film's teacher reads once the finalists are announced: "" before, and for a
    film no longer in competition."""
    if film.status not in ELIGIBLE_FILM_STATUSES:
        return ""
    if not SelectionRound.objects.filter(
        edition_id=film.edition_id, enabled=True, state=SelectionState.ANNOUNCED
    ).exists():
        return ""
    if Finalist.objects.filter(film=film).exists():
        return _("Finaliste")
    return _("Non retenu")
