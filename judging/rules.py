"""Who may see what in judging: every jury, juror, assignment and evaluation a user reaches is
fetched through these lookups. A stranger's object is a 404, never a 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from festival.enums import EditionPhase, FilmStatus, Role
from festival.models import Edition, Film, User
from festival.rules import editions_for_organizer
from judging.models import Assignment, Evaluation, Jury, JuryMember

# Films the jury judges. Submitted films count as well as accepted ones: screening often runs
# late into the judging weeks, and a film the organizers later reject or that is withdrawn
# simply leaves the jury's list (its assignments end, its scores are kept).
ELIGIBLE_FILM_STATUSES = (FilmStatus.SUBMITTED, FilmStatus.ACCEPTED)


def juror_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_juror:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# Organizers


def get_edition_for_organizer(user: User, pk: int) -> Edition:
    return get_object_or_404(editions_for_organizer(user), pk=pk)


def juries_for_organizer(user: User) -> QuerySet[Jury]:
    return Jury.objects.filter(edition__festival_id=user.festival_id)


def get_jury_for_organizer(user: User, pk: int) -> Jury:
    return get_object_or_404(
        juries_for_organizer(user).select_related("edition", "president"), pk=pk
    )


def jurors_for_organizer(user: User) -> QuerySet[User]:
    """The festival's jurors: people invited as jurors by its organizers."""
    return User.objects.filter(role=Role.JUROR, festival_id=user.festival_id, is_active=True)


def get_juror_for_organizer(user: User, pk: int) -> User:
    return get_object_or_404(jurors_for_organizer(user), pk=pk)


def get_member_for_organizer(user: User, pk: int) -> JuryMember:
    return get_object_or_404(
        JuryMember.objects.select_related("jury", "jury__edition", "juror"),
        jury__edition__festival_id=user.festival_id,
        pk=pk,
    )


def get_assignment_for_organizer(user: User, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("jury", "film", "juror"),
        jury__edition__festival_id=user.festival_id,
        pk=pk,
    )


def get_evaluation_for_organizer(user: User, pk: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("film", "film__edition", "juror"),
        film__edition__festival_id=user.festival_id,
        pk=pk,
    )


def films_of_jury(jury: Jury) -> QuerySet[Film]:
    """The films a jury judges: eligible films of its categories, in the edition's order."""
    return Film.objects.filter(
        edition_id=jury.edition_id,
        category__juries=jury,
        status__in=ELIGIBLE_FILM_STATUSES,
    ).order_by("category__position", "title", "pk")


# Jurors


def assignments_for_juror(user: User) -> QuerySet[Assignment]:
    """The juror's films to score: active assignments only."""
    return Assignment.objects.filter(juror=user, active=True)


def get_assignment_for_juror(user: User, film_pk: int) -> Assignment:
    """404 unless the user has an active assignment for this film."""
    if not user.is_authenticated or not user.is_juror:
        raise Http404
    return get_object_or_404(
        assignments_for_juror(user).select_related(
            "film", "film__edition", "film__category", "jury"
        ),
        film_id=film_pk,
    )


def is_jury_president(user: User, jury: Jury) -> bool:
    return (
        user.is_authenticated
        and jury.president_id == user.pk
        and jury.members.filter(juror=user, active=True).exists()
    )


def deliberation_open(edition: Edition, now=None) -> bool:
    """From the deliberation on, the president and the organizers see every score."""
    now = now or timezone.now()
    if edition.phase(now) in (EditionPhase.DELIBERATION, EditionPhase.PUBLISHED):
        return True
    return now >= edition.deliberation_at
