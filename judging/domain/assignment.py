"""Who scores which film: the assignment solver, the function that applies it, manual changes.

Rules, as the organizers see them:

- Mode EVERYONE: every active regular juror of a jury gets every eligible film of its
  categories (`judging.rules.ELIGIBLE_FILM_STATUSES`), minus conflicts.
- Mode AT_LEAST_K: each film gets at least k regular jurors, no juror gets more than the cap,
  and juror loads are as balanced as the conflicts allow (max − min ≤ 1 when nothing else
  binds). `solve` computes it as a minimum-cost maximum flow (networkx).
- Trainee jurors are extra: they never count toward k and follow the EVERYONE rule in both
  modes (training means seeing the whole competition), without a cap.
- A conflicted pair is never assigned, neither by the computation nor by hand.
- A computation never throws work away: an assignment with scores, a draft or a validation is
  kept, and so is one an organizer added by hand. Only untouched automatic assignments move.
- An assignment an organizer removed by hand stays removed: the computation treats the pair as
  excluded until an organizer adds it back by hand.
- `Assignment.source` records who decided the assignment's current state: the computation
  (AUTOMATIC) or an organizer by hand (MANUAL), for additions and removals alike.
- Removing an assignment by hand is allowed even after the juror validated their scores: the
  assignment ends, the evaluation and its scores are kept untouched for the record.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from festival.models import Film, User
from judging.domain import DomainError
from judging.domain.juries import ensure_judging_settings
from judging.enums import AssignmentEnd, AssignmentMode, AssignmentSource
from judging.models import Assignment, Jury, JuryMember
from judging.rules import films_of_jury
from judging.selectors import COMPANY, DECLARED, SCHOOL, conflicts_between, started_pairs

logger = logging.getLogger(__name__)

Pair = tuple[int, int]  # (film id, juror id)

TOO_FEW_JURORS = "too_few_jurors"
CAPS = "caps"


# The solver: a pure function over ids


@dataclass(frozen=True)
class Shortfall:
    """A film that got fewer jurors than required."""

    film: int
    required: int
    assigned: int
    available: int  # jurors allowed to score it: neither conflicted nor excluded

    @property
    def cause(self) -> str:
        return TOO_FEW_JURORS if self.available < self.required else CAPS


@dataclass(frozen=True)
class Solution:
    pairs: frozenset[Pair]
    shortfalls: tuple[Shortfall, ...]

    def loads(self, jurors: Iterable[int]) -> dict[int, int]:
        counts = Counter(juror for _film, juror in self.pairs)
        return {juror: counts[juror] for juror in jurors}

    def jurors_of(self, film: int) -> set[int]:
        return {juror for f, juror in self.pairs if f == film}


_SOURCE = ("source",)
_SINK = ("sink",)


def solve(
    *,
    films: Iterable[int],
    jurors: Iterable[int],
    k: int,
    cap: int | None = None,
    conflicts: Iterable[Pair] = (),
    keep: Iterable[Pair] = (),
    current: Iterable[Pair] = (),
) -> Solution:
    """Give each film at least `k` jurors, each juror at most `cap` films, loads balanced.

    `conflicts`: (film, juror) pairs never to assign. `keep`: pairs that stay whatever happens
    (they count toward k and toward the juror's load; a conflicted one is dropped). `current`:
    pairs assigned today, kept when that costs no balance, so a rebalance moves as little as
    possible.

    The network: source → film through unit arcs, one per juror k still needs, whose cost grows
    with the film's rank → juror (capacity 1, when not conflicted) → sink through unit arcs
    whose cost grows with the juror's load, as many as the cap allows. A maximum flow gives the
    films as many jurors as possible; its minimum cost, a sum of convex costs, spreads any
    shortage evenly over the films first, then makes the loads as even as possible; among
    equally good solutions, each pair not assigned today costs 1, so a rebalance moves little.
    """
    films = sorted(set(films))
    jurors = sorted(set(jurors))
    if k < 0 or (cap is not None and cap < 0):
        raise ValueError("k and cap cannot be negative")
    conflicts = set(conflicts)
    current = set(current)
    allowed = {(f, j) for f in films for j in jurors if (f, j) not in conflicts}
    kept = {pair for pair in keep if pair in allowed}
    kept_per_film = Counter(f for f, _j in kept)
    kept_load = Counter(j for _f, j in kept)
    # Costs in three tiers, each unit worth more than everything below it can add up to, so
    # the minimum is lexicographic: fair coverage, then balanced loads, then fewest moves.
    balance_unit = len(films) * len(jurors) + 1
    coverage_unit = balance_unit * (len(films) ** 2 * len(jurors) + 1)

    graph = nx.DiGraph()
    graph.add_node(_SOURCE)
    graph.add_node(_SINK)
    open_pairs = sorted(allowed - kept)
    film_options = Counter(f for f, _j in open_pairs)
    for f in films:
        for step in range(min(film_options[f], max(0, k - kept_per_film[f]))):
            slot = ("slot", f, step)
            rank = kept_per_film[f] + step + 1
            graph.add_edge(_SOURCE, slot, capacity=1, weight=rank * coverage_unit)
            graph.add_edge(slot, ("film", f), capacity=1, weight=0)
    for f, j in open_pairs:
        graph.add_edge(("film", f), ("juror", j), capacity=1, weight=0 if (f, j) in current else 1)
    juror_options = Counter(j for _f, j in open_pairs)
    for j in jurors:
        room = juror_options[j]
        if cap is not None:
            room = min(room, max(0, cap - kept_load[j]))
        for step in range(room):
            unit = ("unit", j, step)
            load = kept_load[j] + step + 1
            graph.add_edge(("juror", j), unit, capacity=1, weight=load * balance_unit)
            graph.add_edge(unit, _SINK, capacity=1, weight=0)

    flow = nx.max_flow_min_cost(graph, _SOURCE, _SINK)
    pairs = set(kept)
    for f in films:
        for node, amount in flow.get(("film", f), {}).items():
            if amount:
                pairs.add((f, node[1]))

    assigned = Counter(f for f, _j in pairs)
    available = Counter(f for f, _j in allowed)
    shortfalls = tuple(
        Shortfall(film=f, required=k, assigned=assigned[f], available=available[f])
        for f in films
        if assigned[f] < k
    )
    return Solution(pairs=frozenset(pairs), shortfalls=shortfalls)


def everyone(
    *, films: Iterable[int], jurors: Iterable[int], conflicts: Iterable[Pair] = ()
) -> Solution:
    """Every juror gets every film they are allowed to score. A film nobody may score is short."""
    films = sorted(set(films))
    jurors = sorted(set(jurors))
    conflicts = set(conflicts)
    pairs = frozenset((f, j) for f in films for j in jurors if (f, j) not in conflicts)
    covered = {f for f, _j in pairs}
    shortfalls = tuple(
        Shortfall(film=f, required=1, assigned=0, available=0) for f in films if f not in covered
    )
    return Solution(pairs=pairs, shortfalls=shortfalls)


# What the organizer reads


def shortfall_message(
    *,
    title: str,
    shortfall: Shortfall,
    team: int,
    conflicted: int = 0,
    removed: int = 0,
    cap: int | None = None,
    everyone: bool = False,
) -> str:
    """Why a film falls short, in the words of the jury page.

    `team`: regular jurors of the jury; `conflicted` and `removed`: how many of them may not
    score the film because of a conflict of interest or an organizer's removal by hand.
    """
    values = {
        "film": title,
        "assigned": shortfall.assigned,
        "required": shortfall.required,
        "available": shortfall.available,
        "team": team,
        "cap": cap,
        "others": shortfall.available - shortfall.assigned,
    }
    if shortfall.assigned == 0:
        head = _("« %(film)s » n'a aucun juré") % values
    else:
        head = (
            ngettext(
                "« %(film)s » n'a que %(assigned)d juré sur les %(required)d demandés",
                "« %(film)s » n'a que %(assigned)d jurés sur les %(required)d demandés",
                shortfall.assigned,
            )
            % values
        )
    if shortfall.cause == TOO_FEW_JURORS:
        excluded = []
        if conflicted:
            excluded.append(
                ngettext(
                    "%(count)d en conflit d'intérêts",
                    "%(count)d en conflit d'intérêts",
                    conflicted,
                )
                % {"count": conflicted}
            )
        if removed:
            excluded.append(
                ngettext("%(count)d retiré à la main", "%(count)d retirés à la main", removed)
                % {"count": removed}
            )
        if excluded and not shortfall.available:
            why = _("aucun des %(team)d jurés titulaires du jury ne peut le noter") % values
        elif excluded:
            why = (
                ngettext(
                    "seul %(available)d des %(team)d jurés titulaires du jury peut le noter",
                    "seuls %(available)d des %(team)d jurés titulaires du jury peuvent le noter",
                    shortfall.available,
                )
                % values
            )
        elif team:
            why = (
                ngettext(
                    "le jury ne compte que %(team)d juré titulaire",
                    "le jury ne compte que %(team)d jurés titulaires",
                    team,
                )
                % values
            )
        else:
            why = _("le jury n'a encore aucun juré titulaire")
        if excluded:
            why += f" ({', '.join(excluded)})"
        if everyone:
            remedy = _("Ajoutez des jurés au jury.")
        else:
            remedy = _("Ajoutez des jurés au jury ou baissez le nombre de jurés par film.")
    else:
        why = (
            ngettext(
                "le seul autre juré qui pourrait le noter a déjà atteint la limite de "
                "%(cap)s films par juré",
                "les %(others)d autres jurés qui pourraient le noter ont déjà atteint la "
                "limite de %(cap)s films par juré",
                values["others"],
            )
            % values
        )
        remedy = _("Augmentez la limite de films par juré ou ajoutez des jurés au jury.")
    return f"{head} : {why}. {remedy}"


@dataclass
class FilmShortfall:
    film: Film
    shortfall: Shortfall
    message: str


@dataclass
class AssignmentReport:
    jury: Jury
    mode: str
    added: int
    ended: int
    unchanged: int
    shortfalls: list[FilmShortfall]


# Applying it


def _end(assignment: Assignment, reason: str, source: str = AssignmentSource.AUTOMATIC) -> None:
    assignment.active = False
    assignment.ended_reason = reason
    assignment.source = source
    assignment.save(update_fields=["active", "ended_reason", "source"])


def compute_assignments(*, jury: Jury, organizer: User | None = None) -> AssignmentReport:
    """Apply the edition's assignment rule to a jury, in one transaction.

    Adds what is missing, ends untouched automatic assignments no longer needed (conflicts,
    drop-outs, films no longer eligible, surplus), keeps everything already started.
    """
    settings = ensure_judging_settings(edition=jury.edition)
    with transaction.atomic():
        jury = Jury.objects.select_for_update().select_related("edition").get(pk=jury.pk)
        films = list(films_of_jury(jury).only("pk", "title", "school_id", "company_id"))
        film_ids = [film.pk for film in films]
        members = list(jury.members.filter(active=True))
        regular = [m.juror_id for m in members if not m.is_trainee]
        trainees = [m.juror_id for m in members if m.is_trainee]
        conflicts = conflicts_between(films=films, juror_ids=regular + trainees)
        existing = {
            (a.film_id, a.juror_id): a
            for a in Assignment.objects.select_for_update(of=("self",))
            .select_related("jury")
            .filter(film_id__in=film_ids)
        }
        # A juror's work for the other stage (pre-selection or final) is neither moved nor
        # ended here: that pair is another jury's, and one juror scores a film once.
        other_stage = {
            pair
            for pair, a in existing.items()
            if a.active and a.jury_id != jury.pk and a.jury.stage != jury.stage
        }
        removed = {
            pair
            for pair, a in existing.items()
            if not a.active
            and a.ended_reason == AssignmentEnd.REMOVED
            and a.source == AssignmentSource.MANUAL
        }
        excluded = set(conflicts) | removed | other_stage
        started = started_pairs(film_ids=film_ids, juror_ids=regular)
        active = {pair for pair, a in existing.items() if a.active and pair not in other_stage}
        regular_set = set(regular)
        keep = {
            pair
            for pair in active
            if pair[1] in regular_set
            and (pair in started or existing[pair].source == AssignmentSource.MANUAL)
        }
        if settings.assignment_mode == AssignmentMode.AT_LEAST_K:
            solution = solve(
                films=film_ids,
                jurors=regular,
                k=settings.jurors_per_film,
                cap=settings.max_films_per_juror,
                conflicts=excluded,
                keep=keep,
                current=active,
            )
        else:
            solution = everyone(films=film_ids, jurors=regular, conflicts=excluded)
        target = set(solution.pairs) | set(
            everyone(films=film_ids, jurors=trainees, conflicts=excluded).pairs
        )

        created = [
            Assignment(
                jury=jury,
                juror_id=juror_id,
                film_id=film_id,
                source=AssignmentSource.AUTOMATIC,
                created_by=organizer,
            )
            for film_id, juror_id in sorted(target)
            if (film_id, juror_id) not in existing
        ]
        Assignment.objects.bulk_create(created)
        added = len(created)
        for pair in sorted(target & set(existing)):
            assignment = existing[pair]
            if not assignment.active:
                assignment.active = True
                assignment.ended_reason = ""
                assignment.jury = jury
                assignment.source = AssignmentSource.AUTOMATIC
                assignment.save(update_fields=["active", "ended_reason", "jury", "source"])
                added += 1
            elif assignment.jury_id != jury.pk:
                assignment.jury = jury
                assignment.save(update_fields=["jury"])

        member_ids = set(regular) | set(trainees)
        ended = 0
        for pair in sorted(active - target):
            if pair in conflicts:
                reason = AssignmentEnd.CONFLICT
            elif pair[1] not in member_ids:
                reason = AssignmentEnd.DROPPED_OUT
            else:
                reason = AssignmentEnd.REMOVED
            _end(existing[pair], reason)
            ended += 1
        # Films that left the jury's list (withdrawn, rejected, sent back for changes).
        for assignment in Assignment.objects.filter(jury=jury, active=True).exclude(
            film_id__in=film_ids
        ):
            _end(assignment, AssignmentEnd.REMOVED)
            ended += 1

    by_id = {film.pk: film for film in films}
    shortfalls = []
    for shortfall in solution.shortfalls:
        conflicted = sum(1 for (f, j) in conflicts if f == shortfall.film and j in regular_set)
        removed_here = sum(
            1
            for (f, j) in removed
            if f == shortfall.film and j in regular_set and (f, j) not in conflicts
        )
        film = by_id[shortfall.film]
        shortfalls.append(
            FilmShortfall(
                film=film,
                shortfall=shortfall,
                message=shortfall_message(
                    title=film.title,
                    shortfall=shortfall,
                    team=len(regular),
                    conflicted=conflicted,
                    removed=removed_here,
                    cap=settings.max_films_per_juror,
                    everyone=settings.assignment_mode == AssignmentMode.EVERYONE,
                ),
            )
        )
    logger.info(
        "Jury %s: assignments computed (%s added, %s ended, %s short films)",
        jury.pk,
        added,
        ended,
        len(shortfalls),
    )
    return AssignmentReport(
        jury=jury,
        mode=settings.assignment_mode,
        added=added,
        ended=ended,
        unchanged=len(active & target),
        shortfalls=shortfalls,
    )


# By hand


def conflict_reasons(*, juror: User, film: Film, kinds: Iterable[str]) -> list[str]:
    reasons = []
    for kind in kinds:
        if kind == SCHOOL:
            reasons.append(
                _("ce juré est lié à l'établissement du film, %(school)s") % {"school": film.school}
            )
        elif kind == COMPANY:
            reasons.append(
                _("ce juré est lié à l'entreprise partenaire du film, %(company)s")
                % {"company": film.company}
            )
        elif kind == DECLARED:
            reasons.append(_("ce juré a déclaré un conflit d'intérêts sur ce film"))
    return reasons


def check_no_conflict(*, juror: User, film: Film) -> None:
    kinds = conflicts_between(films=[film], juror_ids=[juror.pk]).get((film.pk, juror.pk))
    if kinds:
        raise DomainError(
            _("Impossible d'attribuer « %(film)s » à %(juror)s : %(reasons)s.")
            % {
                "film": film.title,
                "juror": juror.get_full_name(),
                "reasons": " ; ".join(conflict_reasons(juror=juror, film=film, kinds=kinds)),
            },
            code="conflict",
        )


def add_assignment(*, jury: Jury, juror: User, film: Film, organizer: User) -> Assignment:
    """An organizer gives a film to a juror by hand. A conflicted pair is refused."""
    if not films_of_jury(jury).filter(pk=film.pk).exists():
        raise DomainError(
            _("« %(film)s » n'est pas un film à juger par le jury « %(jury)s ».")
            % {"film": film.title, "jury": jury.name},
            code="not_jury_film",
        )
    if not JuryMember.objects.filter(jury=jury, juror=juror, active=True).exists():
        raise DomainError(
            _("%(juror)s ne fait pas partie du jury « %(jury)s ».")
            % {"juror": juror.get_full_name(), "jury": jury.name},
            code="not_member",
        )
    check_no_conflict(juror=juror, film=film)
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().filter(juror=juror, film=film).first()
        if assignment is None:
            assignment = Assignment.objects.create(
                jury=jury,
                juror=juror,
                film=film,
                source=AssignmentSource.MANUAL,
                created_by=organizer,
            )
        elif not assignment.active or assignment.jury_id != jury.pk:
            assignment.active = True
            assignment.ended_reason = ""
            assignment.jury = jury
            assignment.source = AssignmentSource.MANUAL
            assignment.created_by = organizer
            assignment.save(
                update_fields=["active", "ended_reason", "jury", "source", "created_by"]
            )
    logger.info("Assignment %s added by hand by user %s", assignment.pk, organizer.pk)
    return assignment


def remove_assignment(*, assignment: Assignment, organizer: User) -> Assignment:
    """An organizer takes a film away from a juror. The evaluation and its scores are kept."""
    if assignment.active:
        _end(assignment, AssignmentEnd.REMOVED, source=AssignmentSource.MANUAL)
        logger.info("Assignment %s removed by hand by user %s", assignment.pk, organizer.pk)
    return assignment


# When a film's status changes


def assign_film(*, film: Film, organizer: User | None = None) -> list[AssignmentReport]:
    """Apply the assignment rule of every jury judging the film's category, at once.

    An accepted film goes to its jurors; a film leaving the competition loses its untouched
    assignments. Started work is kept (`compute_assignments`). A jury's run reads a few rows
    per film and juror: cheap for a festival's juries.
    """
    juries = Jury.objects.filter(edition_id=film.edition_id, categories=film.category_id)
    return [compute_assignments(jury=jury, organizer=organizer) for jury in juries.order_by("pk")]
