"""Accepted films short of jurors, read from the assignments as they stand.

What the organizers read on their dashboard, a film's page and a jury's follow-up page: an
accepted film is never left silently without the jurors its jury's rule asks for. The core
reads it through `festival.notices` (registered in `judging.apps`). A fixed number of queries
whatever the number of films; it never writes.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from festival.enums import FilmStatus
from festival.models import Edition, Film
from festival.notices import FilmNotice
from judging.domain.assignment import TOO_FEW_JURORS, Shortfall, shortfall_message
from judging.enums import AssignmentEnd, AssignmentMode, AssignmentSource, JuryStage
from judging.models import Assignment, Jury, JuryMember
from judging.rules import ELIGIBLE_FILM_STATUSES
from judging.selectors import conflicts_between, judging_settings_of
from judging.selectors_selection import finalist_films


@dataclass(frozen=True)
class FilmGap:
    film: Film
    jury: Jury | None  # None: no jury judges the film's category
    message: str


def _no_jury_message(film: Film) -> str:
    return _(
        "« %(film)s » n'a aucun juré : aucun jury ne juge la catégorie « %(category)s ». "
        "Ajoutez cette catégorie à un jury."
    ) % {"film": film.title, "category": film.category.name}


def _not_computed_message(film: Film, jury: Jury) -> str:
    return _(
        "« %(film)s » n'a pas encore tous ses jurés dans le jury « %(jury)s » : calculez les "
        "attributions sur la page de suivi du jury."
    ) % {"film": film.title, "jury": jury.name}


def film_gaps(
    *, edition: Edition, films: Iterable[Film] | None = None, jury: Jury | None = None
) -> list[FilmGap]:
    """The accepted films of `edition` (or of `films`, or of `jury`) short of jurors, and why."""
    accepted = Film.objects.filter(edition=edition, status=FilmStatus.ACCEPTED)
    if films is not None:
        accepted = accepted.filter(pk__in=[film.pk for film in films])
    if jury is not None:
        accepted = accepted.filter(category__juries=jury)
    # A final jury judges the finalists only (`finalist_films`): the others lack no juror.
    in_final = finalist_films(edition).filter(pk=OuterRef("pk"))
    accepted = list(
        accepted.annotate(in_final=Exists(in_final))
        .select_related("category")
        .order_by("category__position", "title", "pk")
    )
    if not accepted:
        return []
    settings = judging_settings_of(edition)
    juries = list(
        Jury.objects.filter(edition=edition).prefetch_related("categories").order_by("name")
    )
    if jury is not None:
        juries = [j for j in juries if j.pk == jury.pk]
    team: dict[int, set[int]] = defaultdict(set)
    for jury_id, juror_id in JuryMember.objects.filter(
        jury__in=juries, active=True, is_trainee=False
    ).values_list("jury_id", "juror_id"):
        team[jury_id].add(juror_id)
    film_ids = [film.pk for film in accepted]
    active, removed = set(), set()
    for film_id, juror_id, is_active, ended, source in Assignment.objects.filter(
        film_id__in=film_ids
    ).values_list("film_id", "juror_id", "active", "ended_reason", "source"):
        if is_active:
            active.add((film_id, juror_id))
        elif ended == AssignmentEnd.REMOVED and source == AssignmentSource.MANUAL:
            removed.add((film_id, juror_id))
    jurors = set().union(*team.values()) if team else set()
    conflicts = conflicts_between(films=accepted, juror_ids=jurors)
    cap = settings.max_films_per_juror
    loads = Counter()
    if cap is not None and jurors:
        loads.update(
            dict(
                Assignment.objects.filter(
                    active=True,
                    juror_id__in=jurors,
                    film__edition=edition,
                    film__status__in=ELIGIBLE_FILM_STATUSES,
                )
                .values_list("juror_id")
                .annotate(n=Count("pk"))
                .order_by()
            )
        )
    everyone = settings.assignment_mode == AssignmentMode.EVERYONE
    required = 1 if everyone else settings.jurors_per_film
    gaps = []
    for film in accepted:
        judging = [j for j in juries if film.category in j.categories.all()]
        if not judging and jury is None:
            gaps.append(FilmGap(film=film, jury=None, message=_no_jury_message(film)))
        for this in judging:
            if this.stage == JuryStage.FINAL and not film.in_final:
                continue
            members = team[this.pk]
            assigned = sum(1 for juror in members if (film.pk, juror) in active)
            if assigned >= required:
                continue
            conflicted = sum(1 for juror in members if (film.pk, juror) in conflicts)
            excluded = sum(
                1
                for juror in members
                if (film.pk, juror) in removed and (film.pk, juror) not in conflicts
            )
            shortfall = Shortfall(
                film=film.pk,
                required=required,
                assigned=assigned,
                available=len(members) - conflicted - excluded,
            )
            free = [
                juror
                for juror in members
                if (film.pk, juror) not in conflicts
                and (film.pk, juror) not in removed
                and (film.pk, juror) not in active
            ]
            at_cap = cap is not None and free and all(loads[juror] >= cap for juror in free)
            if shortfall.cause == TOO_FEW_JURORS or at_cap:
                message = shortfall_message(
                    title=film.title,
                    shortfall=shortfall,
                    team=len(members),
                    conflicted=conflicted,
                    removed=excluded,
                    cap=cap,
                    everyone=everyone,
                )
            else:
                message = _not_computed_message(film, this)
            gaps.append(FilmGap(film=film, jury=this, message=message))
    return gaps


def films_without_jurors(*, edition: Edition, films=None) -> list[FilmNotice]:
    """The reader `festival.notices` asks (registered in `judging.apps`)."""
    return [
        FilmNotice(film=gap.film, message=gap.message)
        for gap in film_gaps(edition=edition, films=films)
    ]
