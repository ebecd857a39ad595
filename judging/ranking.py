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

Arithmetic is exact (fractions) wherever it can be: the order of the rows or the scale of the
weights never move a result by a rounding error. The only inexact step is the square root of the
z-score normalisation, computed once per juror; its last-bit noise is absorbed before rounding.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

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
_THOUSANDTH = Fraction(1, 1000)
_BILLION = 10**9


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


def rounded(value: Fraction) -> Fraction:
    """Rounded half up to 0.001, the grid every comparison uses.

    The value is first taken to the nearest 10⁻⁹, far below any score's precision: two
    z-score figures that are equal on paper may differ by a square root's last bit, and that
    must never decide on which side of a half-thousandth they fall.
    """
    value = Fraction(round(value * _BILLION), _BILLION)
    return Fraction(math.floor(value / _THOUSANDTH + Fraction(1, 2))) * _THOUSANDTH


def shown(value: Fraction | None) -> float | None:
    """A figure for the output: rounded to 0.001."""
    return None if value is None else float(rounded(value))


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _pstdev(values: Sequence[Fraction], mean: Fraction) -> tuple[Fraction, float]:
    """(variance, standard deviation) of a population."""
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)
    return variance, math.sqrt(variance)


def _median(values: Sequence[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def aggregate_values(values: Sequence[Fraction], how: str) -> Fraction:
    if how == "median":
        return _median(values)
    if how == "trimmed" and len(values) >= 4:
        return _mean(sorted(values)[1:-1])
    return _mean(values)


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


def _sheets(scores: Iterable[ScoreRow], criteria: dict[str, CriterionSpec]) -> dict:
    """{category: {film: {juror: {criterion: score}}}}, every score checked against its scale."""
    sheets: dict = defaultdict(lambda: defaultdict(dict))
    for row in scores:
        criterion = criteria.get(row.criterion)
        if criterion is None:
            raise RankingError(f"unknown criterion: {row.criterion!r}")
        value = exact(row.score)
        if not exact(criterion.min) <= value <= exact(criterion.max):
            raise RankingError(
                f"score {row.score} of {row.criterion!r} outside [{criterion.min}, {criterion.max}]"
            )
        sheet = sheets[row.category][row.film].setdefault(row.juror, {})
        if row.criterion in sheet:
            raise RankingError(
                f"score given twice: {row.category}/{row.film}/{row.juror}/{row.criterion}"
            )
        sheet[row.criterion] = value
    return sheets


def on_20(sheet: dict[str, Fraction], criteria: dict[str, CriterionSpec]) -> Fraction:
    """20 × Σ w (s − min)/(max − min) / Σ w over the criteria of the sheet."""
    total = weights = Fraction(0)
    for name, value in sheet.items():
        criterion = criteria[name]
        low, high, weight = exact(criterion.min), exact(criterion.max), exact(criterion.weight)
        total += weight * (value - low) / (high - low)
        weights += weight
    return 20 * total / weights


def normalised(
    raw: dict[tuple[str, str], Fraction], how: str
) -> tuple[dict[tuple[str, str], Fraction], dict]:
    """One category's (film, juror) → score, normalised; and the figures used, for the steps."""
    if how == "none" or not raw:
        return dict(raw), {}
    values = list(raw.values())
    mu = _mean(values)
    variance, sigma = _pstdev(values, mu)
    by_juror: dict[str, list[Fraction]] = defaultdict(list)
    for (_film, juror), value in raw.items():
        by_juror[juror].append(value)
    jurors = {}
    for juror, own in by_juror.items():
        mean = _mean(own)
        own_variance, own_sd = _pstdev(own, mean)
        # μ + σ·(x − m)/s = μ + √(V/v)·(x − m): one square root per juror, the rest exact.
        ratio = Fraction(math.sqrt(variance / own_variance)) if own_variance else None
        jurors[juror] = {"mean": mean, "sd": own_sd, "ratio": ratio}
    result = {}
    for (film, juror), value in raw.items():
        ratio = jurors[juror]["ratio"]
        result[film, juror] = mu if ratio is None else mu + ratio * (value - jurors[juror]["mean"])
    figures = {
        "mean": float(mu),
        "sd": sigma,
        "jurors": {
            juror: {"mean": float(j["mean"]), "sd": j["sd"]} for juror, j in sorted(jurors.items())
        },
    }
    return result, figures


def _z(value: Fraction, juror: dict) -> float:
    return 0.0 if not juror["sd"] else (float(value) - juror["mean"]) / juror["sd"]


@dataclass
class _Film:
    film: str
    raw: dict[str, Fraction]
    values: dict[str, Fraction]
    aggregate: Fraction
    priority: Fraction | None
    favourites: int
    median: Fraction
    steps: dict

    def key(self, level: int):
        """What is compared at a tie-break level (0: the aggregate alone), rounded."""
        if level == 0:
            return rounded(self.aggregate)
        if level == 1:
            return (-1, 0) if self.priority is None else (0, rounded(self.priority))
        if level == 2:
            return self.favourites
        return rounded(self.median)

    def sort_key(self):
        return tuple(_negated(self.key(level)) for level in range(4)) + (self.film,)


def _negated(key):
    if isinstance(key, tuple):
        return tuple(-k for k in key)
    return -key


def _separating_level(a: _Film, b: _Film) -> int | None:
    """The first level at which two films differ; None when they are tied all the way."""
    for level in range(4):
        if a.key(level) != b.key(level):
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
    _check_options(normalize, aggregate, min_jurors)
    specs = _checked_criteria(criteria)
    priority = next((c for c in specs.values() if c.priority), None)
    sheets = _sheets(scores, specs)
    hearts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for category, film, juror in favourites:
        hearts[category, film].add(juror)

    results = {}
    for category in sorted(sheets):
        films = sheets[category]
        raw = {
            (film, juror): on_20(sheet, specs)
            for film, by_juror in films.items()
            for juror, sheet in by_juror.items()
        }
        values, figures = normalised(raw, normalize)
        prio_raw = {}
        if priority is not None:
            prio_raw = {
                pair: on_20({priority.name: sheet[priority.name]}, specs)
                for film, by_juror in films.items()
                for juror, sheet in by_juror.items()
                if priority.name in sheet
                for pair in [(film, juror)]
            }
        prio_values, prio_figures = normalised(prio_raw, normalize)
        computed = [
            _film_figures(
                film=film,
                sheets=films[film],
                raw=raw,
                values=values,
                prio_raw=prio_raw,
                prio_values=prio_values,
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
    prio_raw,
    prio_values,
    figures,
    prio_figures,
    favourites,
    aggregate,
) -> _Film:
    jurors = sorted(sheets)
    own = [values[film, j] for j in jurors]
    prio_jurors = [j for j in jurors if (film, j) in prio_values]
    prio_own = [prio_values[film, j] for j in prio_jurors]
    steps = {
        "jurors": {
            juror: {
                "criteria": {name: float(v) for name, v in sorted(sheets[juror].items())},
                "on_20": float(raw[film, juror]),
                "normalised": float(values[film, juror]),
                "z": _z(raw[film, juror], figures["jurors"][juror]) if figures else None,
            }
            for juror in jurors
        },
        "normalisation": figures,
        "aggregate": float(aggregate_values(own, aggregate)),
        "aggregated": _aggregated(jurors, own, aggregate),
        "priority": {
            "jurors": {
                juror: {
                    "on_20": float(prio_raw[film, juror]),
                    "normalised": float(prio_values[film, juror]),
                }
                for juror in prio_jurors
            },
            "normalisation": prio_figures,
            "aggregate": float(aggregate_values(prio_own, aggregate)) if prio_own else None,
        },
        "favourites": favourites,
        "median": float(_median(own)),
    }
    return _Film(
        film=film,
        raw={j: raw[film, j] for j in jurors},
        values=dict(zip(jurors, own, strict=True)),
        aggregate=aggregate_values(own, aggregate),
        priority=aggregate_values(prio_own, aggregate) if prio_own else None,
        favourites=favourites,
        median=_median(own),
        steps=steps,
    )


def _aggregated(jurors: list[str], own: list[Fraction], how: str) -> list[str]:
    """The jurors whose scores the aggregate is made of (trimmed drops one high, one low)."""
    if how != "trimmed" or len(own) < 4:
        return list(jurors)
    order = sorted(zip(own, jurors, strict=True))
    dropped = {order[0][1], order[-1][1]}
    return [j for j in jurors if j not in dropped]


def _ranked(computed: list[_Film], min_jurors: int) -> list[RankedFilm]:
    ranked = sorted((f for f in computed if len(f.raw) >= min_jurors), key=_Film.sort_key)
    short = sorted(
        (f for f in computed if len(f.raw) < min_jurors),
        key=lambda f: (-rounded(f.aggregate), f.film),
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
            "priority": _float(film.priority),
            "favourites": film.favourites,
            "median": float(film.median),
        }
        output.append(
            RankedFilm(
                film=film.film,
                score=shown(film.aggregate),
                rank=ranks[index],
                jurors=len(film.raw),
                tie_break=tie_break,
                status=RANKED,
                steps=film.steps,
            )
        )
    for film in short:
        output.append(
            RankedFilm(
                film=film.film,
                score=shown(film.aggregate),
                rank=None,
                jurors=len(film.raw),
                tie_break=None,
                status=INSUFFICIENT,
                steps=film.steps,
            )
        )
    return output


# Agreement between jurors.


def _average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, the highest value first, tied values sharing the average of their ranks."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def complete_block(matrix: Sequence[Sequence[float | None]]) -> list[list[float]]:
    """The columns (films) every row (juror) scored."""
    rows = [list(row) for row in matrix]
    if not rows:
        return []
    columns = [i for i in range(len(rows[0])) if all(row[i] is not None for row in rows)]
    return [[row[i] for i in columns] for row in rows]


def agreement_block(matrix: Sequence[Sequence[float | None]]) -> list[int]:
    """The jurors (row indices) to measure agreement on when not everyone scored every film.

    Kendall's W needs films every juror scored. Starting from all jurors, the one who scored
    the fewest films is left out as long as that makes the complete block (jurors × films
    scored by all of them) larger.
    """

    def cells(kept: list[int]) -> int:
        block = complete_block([matrix[i] for i in kept])
        return len(block) * (len(block[0]) if block else 0)

    kept = list(range(len(matrix)))
    while len(kept) > 2:
        sparsest = min(kept, key=lambda i: (sum(v is not None for v in matrix[i]), i))
        candidate = [i for i in kept if i != sparsest]
        if cells(candidate) <= cells(kept):
            break
        kept = candidate
    return kept


def kendalls_w(matrix: Sequence[Sequence[float | None]]) -> float | None:
    """Kendall's coefficient of concordance W of a jurors × films matrix of scores, 0 to 1.

    Films some juror did not score (None) are left out. Tied scores share their average rank,
    with the usual correction. None when fewer than 2 jurors or 2 films remain, or when every
    juror gave every film the same score.
    """
    block = complete_block(matrix)
    m = len(block)
    n = len(block[0]) if block else 0
    if m < 2 or n < 2:
        return None
    ranks = [_average_ranks(row) for row in block]
    totals = [sum(row[i] for row in ranks) for i in range(n)]
    mean_total = m * (n + 1) / 2
    s = sum((total - mean_total) ** 2 for total in totals)
    ties = 0
    for row in block:
        counts: dict[float, int] = defaultdict(int)
        for value in row:
            counts[value] += 1
        ties += sum(t**3 - t for t in counts.values())
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator <= 0:
        return None
    return 12 * s / denominator
