"""Deliberation: every juror's scores side by side with their spreads, and the jury's decisions.

The statistics are read over the validated evaluations of full jurors: a trainee's scores and a
draft are shown, marked, and never weigh on a mean. Which scores finally count for the prizes
is the results' business.
"""

import logging
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from festival.models import Film, User
from judging.enums import EvaluationState
from judging.marks import on_20
from judging.models import Assignment, Criterion, Evaluation, Jury, JuryMember, Score
from judging.rules import films_of_jury

logger = logging.getLogger(__name__)


def plain(value: Decimal | None, places: str | None = None) -> Decimal | None:
    """A Decimal without trailing zeros (7,5 and 10, not 7,50 and 10,00), rounded if asked."""
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(places), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@dataclass
class Stats:
    count: int = 0
    mean: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    spread: Decimal | None = None
    stdev: Decimal | None = None

    @classmethod
    def of(cls, values: list[Decimal], places: str | None = None) -> "Stats":
        """Mean and standard deviation rounded to hundredths; the others to `places` if given."""
        if not values:
            return cls()
        return cls(
            count=len(values),
            mean=plain(sum(values) / len(values), "0.01"),
            minimum=plain(min(values), places),
            maximum=plain(max(values), places),
            spread=plain(max(values) - min(values), places),
            stdev=plain(statistics.pstdev(values), "0.01"),
        )


@dataclass
class Row:
    """A line of a film's table: a criterion (or the score sur 20), a cell per juror."""

    label: str
    cells: list[Decimal | None]
    stats: Stats


@dataclass
class Column:
    """A juror of the jury, for one film."""

    member: JuryMember
    assigned: bool
    withdrawn: bool
    evaluation: Evaluation | None

    @property
    def counts(self) -> bool:
        return (
            self.assigned
            and not self.member.is_trainee
            and self.evaluation is not None
            and self.evaluation.state == EvaluationState.VALIDATED
        )


@dataclass
class FilmDeliberation:
    film: Film
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    on_20: Row | None = None
    favourites: int = 0
    trainee_favourites: int = 0

    @property
    def comments(self) -> list[Column]:
        return [c for c in self.columns if c.evaluation is not None and c.evaluation.comment]


def deliberation_table(jury: Jury) -> list[FilmDeliberation]:
    """Every film of the jury with each juror's scores; a fixed number of queries."""
    members = list(jury.members.filter(active=True).select_related("juror"))
    criteria = list(Criterion.objects.filter(edition_id=jury.edition_id))
    films = list(films_of_jury(jury).select_related("category", "school"))
    assignments = {
        (a.juror_id, a.film_id): a
        for a in Assignment.objects.filter(jury=jury, film__in=[f.pk for f in films])
    }
    evaluations = {
        (e.juror_id, e.film_id): e
        for e in Evaluation.objects.filter(
            film__in=[f.pk for f in films], juror__in=[m.juror_id for m in members]
        ).prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    }
    table = []
    for film in films:
        columns = []
        for member in members:
            assignment = assignments.get((member.juror_id, film.pk))
            active = assignment is not None and assignment.active
            columns.append(
                Column(
                    member=member,
                    assigned=active,
                    withdrawn=assignment is not None and not assignment.active,
                    evaluation=evaluations.get((member.juror_id, film.pk)) if active else None,
                )
            )
        table.append(_film_table(film, columns, criteria))
    return table


def _film_table(film: Film, columns: list[Column], criteria: list[Criterion]) -> FilmDeliberation:
    scores = [
        {s.criterion_id: s for s in c.evaluation.scores.all()} if c.evaluation else {}
        for c in columns
    ]
    result = FilmDeliberation(film=film, columns=columns)
    for criterion in criteria:
        cells = [plain(s[criterion.pk].value) if criterion.pk in s else None for s in scores]
        counted = [v for v, c in zip(cells, columns, strict=True) if v is not None and c.counts]
        result.rows.append(Row(label=criterion.name, cells=cells, stats=Stats.of(counted)))
    totals = [
        on_20((score.criterion, score.value) for score in s.values()) if s else None for s in scores
    ]
    counted = [v for v, c in zip(totals, columns, strict=True) if v is not None and c.counts]
    result.on_20 = Row(
        label="",
        cells=[plain(v, "0.1") for v in totals],
        stats=Stats.of(counted, "0.1"),
    )
    for column in columns:
        if column.evaluation is not None and column.evaluation.favourite:
            if column.counts:
                result.favourites += 1
            elif column.member.is_trainee:
                result.trainee_favourites += 1
    return result


def record_decisions(*, jury: Jury, user: User, decisions: str) -> Jury:
    """The jury's decisions as the president (or an organizer) writes them down."""
    decisions = (decisions or "").strip()
    if decisions != jury.decisions:
        jury.decisions = decisions
        jury.save(update_fields=["decisions"])
        logger.info("Decisions of jury %s written by user %s", jury.pk, user.pk)
    return jury
