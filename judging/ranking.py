"""The ranking engine: from jurors' scores to a ranking per category, every step explainable.

Pure Python on purpose (no Django): the platform and `manage.py rank_scores` run this same code,
so anyone holding an edition's exported files reproduces its ranking exactly.

- A juror's score for a film, on 0–20: 20 × Σ wᵢ (sᵢ − minᵢ)/(maxᵢ − minᵢ) / Σ wᵢ over the
  criteria the juror scored (every required criterion is, once the notes are validated).
- `zscore` normalisation, per category: each juror's scores become z-scores (population standard
  deviation; a juror with no spread gets 0), mapped back as μ + σ·z with μ, σ the mean and
  population standard deviation of all juror scores of the category.
- Aggregation over jurors: `mean`, `median`, or `trimmed` (without one highest and one lowest
  score when at least 4 jurors scored, else the mean).
- Fewer than `min_jurors` scores: "insufficient", unranked.
- Ranking by aggregate, every comparison on values rounded (half up) to 0.001; ties broken by the
  aggregate of the priority criterion alone (same normalisation and aggregation), then the number
  of coups de cœur, then the median of the aggregated juror scores; still tied: a shared rank.

Arithmetic is exact wherever it can be: the order of the rows or the scale of the weights never
move a result by a rounding error. The only inexact step is the square root of the z-score
normalisation, computed once per juror; its last-bit noise is absorbed before rounding. Exact
does not mean slow: each distinct score is made a fraction once, and a category's figures are
integers over one common denominator (judging/ranking_figures.py), so an edition of 300,000
scores ranks in about the time a plain float implementation takes.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from judging.ranking_agreement import agreement_block, complete_block, kendalls_w
from judging.ranking_figures import Grid, aggregate_of, median_of, normalised, thousandths

NORMALIZATIONS = ("none", "zscore")
AGGREGATIONS = ("mean", "median", "trimmed")
RANKED = "ranked"
INSUFFICIENT = "insufficient"
# Tie-break levels, in the order they apply.
PRIORITY = "priority"
FAVOURITES = "favourites"
MEDIAN = "median"
SHARED = "shared"
_LEVELS = (None, PRIORITY, FAVOURITES, MEDIAN)

__all__ = [
    "AGGREGATIONS",
    "NORMALIZATIONS",
    "CriterionSpec",
    "RankedFilm",
    "RankingError",
    "ScoreRow",
    "agreement_block",
    "complete_block",
    "exact",
    "kendalls_w",
    "rank",
]


class RankingError(ValueError):
    """Input the engine cannot rank: unknown criterion, score off scale, duplicate row…"""


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: float
    min: float
    max: float
    priority: bool = False


@dataclass(frozen=True)
class ScoreRow:
    category: str
    film: str
    juror: str
    criterion: str
    score: float


@dataclass
class RankedFilm:
    film: str
    score: float | None
    rank: int | None
    jurors: int
    tie_break: str | None
    status: str
    steps: dict = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        """The film as `rank_scores --json` prints it."""
        return {
            "film": self.film,
            "score": self.score,
            "rank": self.rank,
            "jurors": self.jurors,
            "tie_break": self.tie_break,
            "status": self.status,
        }


# Exact numbers.


def exact(value) -> Fraction:
    """A number as the fraction its decimal writing says: 0.1 is 1/10, not the nearest float."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise RankingError(f"not a number: {value!r}")
    if isinstance(value, int | Decimal):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RankingError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    if isinstance(value, str):
        return Fraction(Decimal(value.strip()))
    raise RankingError(f"not a number: {value!r}")


def on_20(sheet: dict[str, Fraction], criteria: dict[str, CriterionSpec]) -> Fraction:
    """One juror's score on 20 for one film, 20 × Σ w (s − min)/(max − min) / Σ w over the
    criteria scored: the engine's own arithmetic, so that the juror's pages, the deliberation
    table and the ranking show the same figure for the same marks."""
    scales = {
        name: (exact(criteria[name].min), exact(criteria[name].max), exact(criteria[name].weight))
        for name in sheet
    }
    grid = Grid(scales, priority=None)
    points = {name: grid.add(name, exact(value)) for name, value in sheet.items()}
    grid.settle()
    raw, scale = grid.on_20({None: {None: points}})
    return Fraction(raw[None][None], scale)


# Steps of the computation.


def _check_options(normalize: str, aggregate: str, min_jurors: int) -> None:
    if normalize not in NORMALIZATIONS:
        raise RankingError(f"unknown normalisation: {normalize!r}")
    if aggregate not in AGGREGATIONS:
        raise RankingError(f"unknown aggregation: {aggregate!r}")
    if min_jurors < 1:
        raise RankingError("min_jurors must be at least 1")


def _checked_criteria(criteria: Iterable[CriterionSpec]) -> dict[str, CriterionSpec]:
    by_name: dict[str, CriterionSpec] = {}
    for criterion in criteria:
        if criterion.name in by_name:
            raise RankingError(f"criterion listed twice: {criterion.name!r}")
        if exact(criterion.weight) <= 0:
            raise RankingError(f"criterion {criterion.name!r}: weight must be positive")
        if exact(criterion.min) >= exact(criterion.max):
            raise RankingError(f"criterion {criterion.name!r}: min must be below max")
        by_name[criterion.name] = criterion
    if sum(1 for c in by_name.values() if c.priority) > 1:
        raise RankingError("only one criterion may be the priority criterion")
    return by_name


def _sheets(scores: Iterable[ScoreRow], grid: Grid, specs: dict[str, CriterionSpec]) -> dict:
    """{category: {film: {juror: {criterion: point}}}}, every score checked against its scale."""
    sheets: dict = defaultdict(lambda: defaultdict(dict))
    points = grid.points
    for row in scores:
        score = row.score
        try:
            point = points.get((row.criterion, type(score), score))
        except TypeError:  # unhashable: exact() says whether it is a number
            point = None
        if point is None:
            point = grid.add(row.criterion, _checked_score(row, specs, grid))
            try:
                points[row.criterion, type(score), score] = point
            except TypeError:  # unhashable, yet a number to exact(): simply not remembered
                pass
        sheet = sheets[row.category][row.film].setdefault(row.juror, {})
        if row.criterion in sheet:
            raise RankingError(
                f"score given twice: {row.category}/{row.film}/{row.juror}/{row.criterion}"
            )
        sheet[row.criterion] = point
    return sheets


def _checked_score(row: ScoreRow, specs: dict[str, CriterionSpec], grid: Grid) -> Fraction:
    spec = specs.get(row.criterion)
    if spec is None:
        raise RankingError(f"unknown criterion: {row.criterion!r}")
    value = exact(row.score)
    low, high, _weight = grid.scales[row.criterion]
    if not low <= value <= high:
        raise RankingError(
            f"score {row.score} of {row.criterion!r} outside [{spec.min}, {spec.max}]"
        )
    return value


def _z(value: float, juror: dict) -> float:
    return 0.0 if not juror["sd"] else (value - juror["mean"]) / juror["sd"]


@dataclass
class _Film:
    film: str
    jurors: int
    # What is compared at each tie-break level, in thousandths: aggregate, priority criterion
    # ((-1, 0) without it), coups de cœur, median.
    keys: tuple
    priority: float | None
    median: float
    steps: dict

    def sort_key(self):
        total, (has_priority, priority), favourites, middle = self.keys
        return (-total, (-has_priority, -priority), -favourites, -middle, self.film)


def _separating_level(a: _Film, b: _Film) -> int | None:
    """The first level at which two films differ; None when they are tied all the way."""
    for level in range(4):
        if a.keys[level] != b.keys[level]:
            return level
    return None


def rank(
    *,
    scores: Iterable[ScoreRow],
    criteria: Iterable[CriterionSpec],
    favourites: Iterable[tuple[str, str, str]] = (),
    normalize: str = "none",
    aggregate: str = "mean",
    min_jurors: int = 2,
) -> dict[str, list[RankedFilm]]:
    """Rank every category: {category: ranked films by rank, then insufficient films}.

    `favourites` are (category, film, juror) coups de cœur; a juror's counts once per film.
    Raises RankingError on input it cannot rank.
    """
    with _cycle_collection_paused():
        return _rank(scores, criteria, favourites, normalize, aggregate, min_jurors)


@contextmanager
def _cycle_collection_paused():
    """Ranking an edition builds hundreds of thousands of small dicts (its steps) and no
    reference cycle: the cyclic garbage collector, triggered by the allocations, would walk
    them all again and again to find nothing, for up to a third of the ranking's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _rank(scores, criteria, favourites, normalize, aggregate, min_jurors):
    _check_options(normalize, aggregate, min_jurors)
    specs = _checked_criteria(criteria)
    priority = next((c for c in specs.values() if c.priority), None)
    scales = {name: (exact(c.min), exact(c.max), exact(c.weight)) for name, c in specs.items()}
    grid = Grid(scales, priority=None if priority is None else priority.name)
    sheets = _sheets(scores, grid, specs)
    grid.settle()
    hearts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for category, film, juror in favourites:
        hearts[category, film].add(juror)

    results = {}
    for category in sorted(sheets):
        films = sheets[category]
        raw, raw_scale = grid.on_20(films)
        values, scale, figures = normalised(raw, raw_scale, normalize)
        prio_raw, prio_raw_scale = {}, 1
        if priority is not None:
            prio_raw, prio_raw_scale = grid.priority_on_20(films)
        prio_values, prio_scale, prio_figures = normalised(prio_raw, prio_raw_scale, normalize)
        computed = [
            _film_figures(
                film=film,
                sheets=films[film],
                raw={juror: x / raw_scale for juror, x in raw[film].items()},
                values=values[film],
                scale=scale,
                prio_raw={juror: x / prio_raw_scale for juror, x in prio_raw.get(film, {}).items()},
                prio_values=prio_values.get(film, {}),
                prio_scale=prio_scale,
                figures=figures,
                prio_figures=prio_figures,
                favourites=len(hearts.get((category, film), ())),
                aggregate=aggregate,
            )
            for film in films
        ]
        results[category] = _ranked(computed, min_jurors)
    return results


def _film_figures(
    *,
    film,
    sheets,
    raw,
    values,
    scale,
    prio_raw,
    prio_values,
    prio_scale,
    figures,
    prio_figures,
    favourites,
    aggregate,
) -> _Film:
    """A film's figures: `raw` its scores on 20 as floats, `values` its normalised scores as
    numerators over `scale` (and the same for the priority criterion)."""
    jurors = sorted(sheets)
    order = sorted((values[j], j) for j in jurors)
    ordered = [value for value, _juror in order]
    total = aggregate_of(ordered, scale, aggregate)
    middle = median_of(ordered, scale)
    prio_jurors = [j for j in jurors if j in prio_values]
    prio = None
    if prio_jurors:
        prio = aggregate_of(sorted(prio_values[j] for j in prio_jurors), prio_scale, aggregate)
    by_juror = figures.get("jurors")
    steps = {
        "jurors": {
            juror: {
                "criteria": {name: p.shown for name, p in sorted(sheets[juror].items())},
                "on_20": raw[juror],
                "normalised": values[juror] / scale,
                "z": _z(raw[juror], by_juror[juror]) if figures else None,
            }
            for juror in jurors
        },
        "normalisation": figures,
        "aggregate": total[0] / total[1],
        "aggregated": _aggregated(jurors, order, aggregate),
        "priority": {
            "jurors": {
                juror: {
                    "on_20": prio_raw[juror],
                    "normalised": prio_values[juror] / prio_scale,
                }
                for juror in prio_jurors
            },
            "normalisation": prio_figures,
            "aggregate": None if prio is None else prio[0] / prio[1],
        },
        "favourites": favourites,
        "median": middle[0] / middle[1],
    }
    return _Film(
        film=film,
        jurors=len(jurors),
        keys=(
            thousandths(*total),
            (-1, 0) if prio is None else (0, thousandths(*prio)),
            favourites,
            thousandths(*middle),
        ),
        priority=steps["priority"]["aggregate"],
        median=steps["median"],
        steps=steps,
    )


def _aggregated(jurors: list[str], order: list[tuple[int, str]], how: str) -> list[str]:
    """The jurors whose scores the aggregate is made of (trimmed drops one high, one low);
    `order` is (score, juror) from the lowest."""
    if how != "trimmed" or len(order) < 4:
        return list(jurors)
    dropped = {order[0][1], order[-1][1]}
    return [j for j in jurors if j not in dropped]


def _ranked(computed: list[_Film], min_jurors: int) -> list[RankedFilm]:
    ranked = sorted((f for f in computed if f.jurors >= min_jurors), key=_Film.sort_key)
    short = sorted(
        (f for f in computed if f.jurors < min_jurors), key=lambda f: (-f.keys[0], f.film)
    )
    ranks: list[int] = []
    for index, film in enumerate(ranked):
        tied = index > 0 and _separating_level(ranked[index - 1], film) is None
        ranks.append(ranks[-1] if tied else index + 1)
    output = []
    for index, film in enumerate(ranked):
        neighbours = [ranked[i] for i in (index - 1, index + 1) if 0 <= i < len(ranked)]
        levels = [_separating_level(film, other) for other in neighbours]
        if any(level is None for level in levels):
            tie_break = SHARED
        else:
            tie_break = _LEVELS[max(levels, default=0)]
        film.steps["tie_break"] = {
            "priority": film.priority,
            "favourites": film.keys[2],
            "median": film.median,
        }
        output.append(_ranked_film(film, rank=ranks[index], tie_break=tie_break, status=RANKED))
    for film in short:
        output.append(_ranked_film(film, rank=None, tie_break=None, status=INSUFFICIENT))
    return output


def _ranked_film(film: _Film, *, rank, tie_break, status) -> RankedFilm:
    return RankedFilm(
        film=film.film,
        # Rounded half up to 0.001, like every comparison.
        score=film.keys[0] / 1000,
        rank=rank,
        jurors=film.jurors,
        tie_break=tie_break,
        status=status,
        steps=film.steps,
    )
