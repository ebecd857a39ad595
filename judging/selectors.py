"""Read-only questions about judging: conflicts, progress, films left. A fixed number of
queries each, whatever the number of films and jurors.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import pgettext_lazy

from festival.models import Edition, Film, User
from judging.enums import EvaluationState
from judging.models import (
    Affiliation,
    Assignment,
    ConflictDeclaration,
    Evaluation,
    JudgingSettings,
    Jury,
    JuryMember,
    Score,
)
from judging.rules import ELIGIBLE_FILM_STATUSES, films_of_jury

# Why a juror may not score a film.
SCHOOL = "school"
COMPANY = "company"
DECLARED = "declared"


def conflicts_between(*, films: Iterable[Film], juror_ids: Iterable[int]) -> dict:
    """{(film_id, juror_id): [reasons]} for every conflicted pair, in two queries.

    A juror is conflicted with a film when they are affiliated with its school or its partner
    company, or when they declared a conflict on it.
    """
    films = list(films)
    juror_ids = set(juror_ids)
    conflicts: dict[tuple[int, int], list[str]] = defaultdict(list)
    if not films or not juror_ids:
        return {}
    by_school: dict[int, list[int]] = defaultdict(list)
    by_company: dict[int, list[int]] = defaultdict(list)
    for film in films:
        by_school[film.school_id].append(film.pk)
        if film.company_id is not None:
            by_company[film.company_id].append(film.pk)
    affiliations = Affiliation.objects.filter(juror_id__in=juror_ids).filter(
        Q(school_id__in=by_school) | Q(company_id__in=by_company)
    )
    for juror_id, school_id, company_id in affiliations.values_list(
        "juror_id", "school_id", "company_id"
    ):
        for film_id in by_school.get(school_id, ()):
            conflicts[film_id, juror_id].append(SCHOOL)
        for film_id in by_company.get(company_id, ()):
            conflicts[film_id, juror_id].append(COMPANY)
    declared = ConflictDeclaration.objects.filter(
        juror_id__in=juror_ids, film_id__in=[film.pk for film in films]
    ).values_list("film_id", "juror_id")
    for pair in declared:
        conflicts[pair].append(DECLARED)
    return dict(conflicts)


def started_pairs(*, film_ids: Iterable[int], juror_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(film_id, juror_id) pairs whose evaluation has scores or is past "to watch"."""
    evaluations = (
        Evaluation.objects.filter(film_id__in=list(film_ids), juror_id__in=list(juror_ids))
        .annotate(scored=Exists(Score.objects.filter(evaluation=OuterRef("pk"))))
        .filter(Q(scored=True) | ~Q(state=EvaluationState.TO_WATCH))
    )
    return set(evaluations.values_list("film_id", "juror_id"))


def judging_settings_of(edition: Edition) -> JudgingSettings:
    """The edition's judging settings, or their defaults (unsaved) until judging is set up:
    a page that only shows them never writes. `pk is None` tells that set-up is still to do."""
    return JudgingSettings.objects.filter(edition=edition).first() or JudgingSettings(
        edition=edition
    )


def criteria_locked(edition: Edition) -> bool:
    """The scoring form is frozen once the first score exists."""
    return Score.objects.filter(criterion__edition=edition).exists()


# Progress


NOT_ASSIGNED = "not_assigned"
CONFLICT = "conflict"
CELL_LABELS = {
    NOT_ASSIGNED: pgettext_lazy("assignment", "Non attribué"),
    CONFLICT: pgettext_lazy("assignment", "Conflit d'intérêts"),
    EvaluationState.TO_WATCH: EvaluationState.TO_WATCH.label,
    EvaluationState.DRAFT: EvaluationState.DRAFT.label,
    EvaluationState.VALIDATED: EvaluationState.VALIDATED.label,
}
CONFLICT_LABELS = {
    SCHOOL: pgettext_lazy("conflict", "lié à l'établissement"),
    COMPANY: pgettext_lazy("conflict", "lié à l'entreprise"),
    DECLARED: pgettext_lazy("conflict", "conflit déclaré"),
}


@dataclass
class Cell:
    film: Film
    member: JuryMember
    state: str
    assignment: Assignment | None = None
    evaluation: Evaluation | None = None
    conflicts: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state]

    @property
    def assigned(self) -> bool:
        return self.assignment is not None and self.assignment.active

    @property
    def conflict_labels(self) -> list[str]:
        return [CONFLICT_LABELS[kind] for kind in self.conflicts]

    @property
    def reopenable(self) -> bool:
        return self.evaluation is not None and self.evaluation.state == EvaluationState.VALIDATED


def _counts(cells: Iterable[Cell]) -> tuple[int, int]:
    """(assigned, validated) over the cells of regular jurors: trainees never count."""
    assigned = validated = 0
    for cell in cells:
        if cell.assigned and not cell.member.is_trainee:
            assigned += 1
            validated += cell.state == EvaluationState.VALIDATED
    return assigned, validated


@dataclass
class FilmRow:
    film: Film
    cells: list[Cell]  # one per member, in the order of the matrix's members

    def __post_init__(self):
        self.assigned, self.validated = _counts(self.cells)


@dataclass
class MemberColumn:
    member: JuryMember
    assigned: int = 0
    validated: int = 0
    to_watch: int = 0
    drafts: int = 0

    @property
    def percent(self) -> int:
        return percent(self.validated, self.assigned)


@dataclass
class ProgressMatrix:
    """The jury's films (rows) × its active members (columns), each cell in its state."""

    jury: Jury
    members: list[MemberColumn]
    rows: list[FilmRow]

    def __post_init__(self):
        self.assigned, self.validated = _counts(cell for row in self.rows for cell in row.cells)

    @property
    def percent(self) -> int:
        return percent(self.validated, self.assigned)


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _cell_state(assignment, evaluation, conflicted: bool) -> str:
    if conflicted:
        return CONFLICT
    if assignment is None or not assignment.active:
        return NOT_ASSIGNED
    if evaluation is None:
        return EvaluationState.TO_WATCH
    return evaluation.state


def progress_matrix(jury: Jury) -> ProgressMatrix:
    """Every cell of the jury's progress, in six queries whatever its size."""
    members = list(
        jury.members.filter(active=True)
        .select_related("juror")
        .order_by("is_trainee", "juror__last_name", "juror__first_name", "pk")
    )
    films = list(films_of_jury(jury).select_related("category", "school", "company"))
    juror_ids = [member.juror_id for member in members]
    film_ids = [film.pk for film in films]
    assignments = {
        (a.film_id, a.juror_id): a
        for a in Assignment.objects.filter(film_id__in=film_ids, juror_id__in=juror_ids)
    }
    evaluations = {
        (e.film_id, e.juror_id): e
        for e in Evaluation.objects.filter(film_id__in=film_ids, juror_id__in=juror_ids)
    }
    conflicts = conflicts_between(films=films, juror_ids=juror_ids)
    columns = [MemberColumn(member=member) for member in members]
    rows = []
    for film in films:
        cells = []
        for column in columns:
            pair = (film.pk, column.member.juror_id)
            assignment, evaluation = assignments.get(pair), evaluations.get(pair)
            cell = Cell(
                film=film,
                member=column.member,
                state=_cell_state(assignment, evaluation, pair in conflicts),
                assignment=assignment,
                evaluation=evaluation,
                conflicts=conflicts.get(pair, []),
            )
            if cell.assigned:
                column.assigned += 1
                column.validated += cell.state == EvaluationState.VALIDATED
                column.to_watch += cell.state == EvaluationState.TO_WATCH
                column.drafts += cell.state == EvaluationState.DRAFT
            cells.append(cell)
        rows.append(FilmRow(film=film, cells=cells))
    return ProgressMatrix(jury=jury, members=columns, rows=rows)


def _validated_exists():
    return Exists(
        Evaluation.objects.filter(
            juror_id=OuterRef("juror_id"),
            film_id=OuterRef("film_id"),
            state=EvaluationState.VALIDATED,
        )
    )


def open_assignments(edition: Edition) -> QuerySet[Assignment]:
    """Active assignments of the edition's eligible films, on films still to judge."""
    return Assignment.objects.filter(
        active=True,
        jury__edition=edition,
        film__status__in=ELIGIBLE_FILM_STATUSES,
    )


def jury_progress(juries: Iterable[Jury]) -> dict[int, dict]:
    """{jury_id: {"assigned", "validated", "percent"}} for regular jurors, in one query."""
    juries = list(juries)
    regular = JuryMember.objects.filter(
        jury_id=OuterRef("jury_id"), juror_id=OuterRef("juror_id"), active=True, is_trainee=False
    )
    rows = (
        Assignment.objects.filter(
            jury__in=juries, active=True, film__status__in=ELIGIBLE_FILM_STATUSES
        )
        .filter(Exists(regular))
        .annotate(done=_validated_exists())
        .values("jury_id")
        .annotate(assigned=Count("pk"), validated=Count("pk", filter=Q(done=True)))
        .order_by()
    )
    progress = {jury.pk: {"assigned": 0, "validated": 0, "percent": 0} for jury in juries}
    for row in rows:
        progress[row["jury_id"]] = {
            "assigned": row["assigned"],
            "validated": row["validated"],
            "percent": percent(row["validated"], row["assigned"]),
        }
    return progress


@dataclass
class FilmsLeft:
    juror: User
    films: list[Film]


def films_left_by_juror(edition: Edition) -> list[FilmsLeft]:
    """Every juror with films still to watch or score in the edition, with those films."""
    assignments = (
        open_assignments(edition)
        .exclude(_validated_exists())
        .select_related("juror", "film", "film__category")
        .order_by("juror__last_name", "juror__first_name", "juror_id", "film__title", "film_id")
    )
    left: dict[int, FilmsLeft] = {}
    for assignment in assignments:
        entry = left.setdefault(assignment.juror_id, FilmsLeft(assignment.juror, []))
        entry.films.append(assignment.film)
    return list(left.values())
