"""Who may see what in judging: every jury, juror, assignment and evaluation a user reaches is
fetched through these lookups. A stranger's object is a 404, never a 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from festival.enums import Role
from festival.models import Category, Film, User
from festival.rules import (
    is_festival_organizer,
    is_film_organizer,
    is_film_teacher,
)
from judging.enums import ELIGIBLE_FILM_STATUSES, JuryStage
from judging.models import Assignment, Evaluation, Jury, JuryMember
from judging.models_ceremony import CeremonyInvitation, ScheduledPublication
from judging.models_results import Prize, Publication
from judging.selectors_selection import finalist_films

__all__ = ["ELIGIBLE_FILM_STATUSES"]


def juror_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_juror:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# Organizers


def juries_for_organizer(user: User) -> QuerySet[Jury]:
    return Jury.objects.filter(edition__festival_id=user.festival_id)


def get_jury_for_organizer(user: User, pk: int) -> Jury:
    return get_object_or_404(
        juries_for_organizer(user).select_related("edition", "president"), pk=pk
    )


def jurors_for_organizer(user: User) -> QuerySet[User]:
    """The festival's jurors: people invited as jurors by its organizers."""
    return User.objects.members_of(user.festival_id, Role.JUROR)


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
    """The films a jury judges: eligible films of its categories, in the edition's order. A
    final jury of an edition with a pre-selection round judges its finalists only."""
    if jury.stage == JuryStage.FINAL:
        films = finalist_films(jury.edition_id)
    else:
        films = Film.objects.filter(edition_id=jury.edition_id, status__in=ELIGIBLE_FILM_STATUSES)
    return films.filter(category__juries=jury).order_by("category__position", "title", "pk")


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


# Predicates.


def is_jury_president(user: User, jury: Jury) -> bool:
    """The jury's president, still an active member of it."""
    return (
        user.is_authenticated
        and user.is_juror
        and jury.president_id == user.pk
        and jury.members.filter(juror=user, active=True).exists()
    )


def presides_category(user: User, category_id: int | None) -> bool:
    """President (an active member) of a jury that judges this category."""
    if category_id is None or not user.is_authenticated or not user.is_juror:
        return False
    return Jury.objects.filter(
        categories=category_id, president=user, members__juror=user, members__active=True
    ).exists()


def is_assigned_juror(user: User, film: Film) -> bool:
    """A juror with an active assignment for this film: the only jurors who may watch it."""
    return (
        user.is_authenticated
        and user.is_juror
        and Assignment.objects.filter(juror=user, film=film, active=True).exists()
    )


def may_decide_category(user: User, category: Category) -> bool:
    """Organizers of the festival decide every prize; a jury president, their categories'."""
    return is_festival_organizer(user, category.edition.festival_id) or presides_category(
        user, category.pk
    )


def may_decide_prize(user: User, prize: Prize) -> bool:
    return is_festival_organizer(user, prize.edition.festival_id) or presides_category(
        user, prize.category_id
    )


def get_category_for_decider(user: User, pk: int) -> Category:
    """A category whose prizes the user decides: organizer of its festival, or its jury's
    president."""
    category = get_object_or_404(Category.objects.select_related("edition"), pk=pk)
    if not may_decide_category(user, category):
        raise Http404
    return category


def get_prize_for_decider(user: User, pk: int) -> Prize:
    prize = get_object_or_404(
        Prize.objects.select_related("edition", "edition__festival", "category"), pk=pk
    )
    if not may_decide_prize(user, prize):
        raise Http404
    return prize


def get_publication_for_organizer(user: User, pk: int) -> Publication:
    return get_object_or_404(
        Publication.objects.select_related("edition", "published_by", "unpublished_by"),
        edition__festival_id=user.festival_id,
        pk=pk,
    )


def get_jury_for_deliberation(user: User, pk: int) -> Jury:
    """The festival's organizers and the jury's president; 404 for everyone else."""
    jury = get_object_or_404(Jury.objects.select_related("edition", "president"), pk=pk)
    if is_festival_organizer(user, jury.edition.festival_id) or is_jury_president(user, jury):
        return jury
    raise Http404


def get_film_for_feedback(user: User, pk: int) -> Film:
    """A film's feedback sheet: the festival's organizers, and the film's teacher once the
    palmarès is published."""
    if not user.is_authenticated:
        raise Http404
    film = get_object_or_404(
        Film.objects.select_related("edition", "category", "school", "company"), pk=pk
    )
    if is_film_organizer(user, film):
        return film
    if is_film_teacher(user, film) and film.edition.palmares_is_published():
        return film
    raise Http404


def get_invitation_for_organizer(user: User, pk: int) -> CeremonyInvitation:
    """A ceremony invitation of the organizer's festival."""
    return get_object_or_404(
        CeremonyInvitation.objects.select_related("edition__festival"),
        edition__festival_id=user.festival_id,
        pk=pk,
    )


def get_invitation_by_token(token: str) -> CeremonyInvitation:
    """The invitation an answer link names (no login: the token is the key)."""
    return get_object_or_404(
        CeremonyInvitation.objects.select_related("edition__festival"), token=token
    )


def get_schedule_for_organizer(user: User, pk: int) -> ScheduledPublication:
    return get_object_or_404(
        ScheduledPublication.objects.select_related("edition"),
        edition__festival_id=user.festival_id,
        pk=pk,
    )
