"""Exact figures of a category on integers: every score over one common denominator.

Scores are decimals on a few steps of each criterion's scale: the grid of distinct scores is
small, each is made a fraction once, and all the scores on 20 of a category are then integer
numerators over one denominator, and so are their normalised values.
Sums, sorts, comparisons and the rounding to 0.001 are then integer operations: exact like
fractions, without a gcd at every step. A figure becomes a float (for the steps) by one integer
true division, which Python rounds correctly: the very float the fraction would give.

A rational is handled as (numerator, denominator), the denominator positive.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

_BILLION = 10**9
_HALF_THOUSANDTH_IN_BILLIONTHS = 500_000
_THOUSANDTH_IN_BILLIONTHS = 1_000_000

# {film: {juror: numerator}}: one category's scores over a denominator given beside it.
Table = dict[str, dict[str, int]]


def thousandths(numerator: int, denominator: int) -> int:
    """The value rounded half up to 0.001, as a number of thousandths.

    The value is first taken to the nearest 10⁻⁹ (half to even), far below any score's
    precision: two z-score figures that are equal on paper may differ by a square root's last
    bit, and that must never decide on which side of a half-thousandth they fall.
    """
    billionths, remainder = divmod(numerator * _BILLION, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and billionths % 2):
        billionths += 1
    return (billionths + _HALF_THOUSANDTH_IN_BILLIONTHS) // _THOUSANDTH_IN_BILLIONTHS


def common_denominator(fractions) -> int:
    return math.lcm(*(f.denominator for f in fractions))


@dataclass(slots=True, eq=False)
class Point:
    """One distinct score of one criterion, shared by every sheet that holds it."""

    shown: float  # the score, for the steps
    term: Fraction  # w (s − min)/(max − min), its part of the weighted sum
    alone: Fraction  # 20 (s − min)/(max − min), its score on 20 when it is ranked alone
    share: int = 0  # term over the common denominator of every term
    alone_share: int = 0  # alone over the common denominator of the priority criterion


class Grid:
    """The distinct scores of the input, each made a fraction once.

    Hundreds of thousands of scores take a few dozen values (the steps of each criterion's
    scale), and turning a decimal into a fraction is what costs: the engine keeps one point
    per distinct score in `points` and computes every figure of a score on its point.
    """

    def __init__(self, scales: dict[str, tuple[Fraction, Fraction, Fraction]], priority):
        self.scales = scales  # criterion → (min, max, weight), exact
        self.priority = priority  # the priority criterion's name, or None
        # (criterion, type, score) → point: the type too, as 0.1 == Decimal(0.1) but their
        # decimal writings, hence their exact values, differ.
        self.points: dict[tuple, Point] = {}
        self.made: list[Point] = []
        self.made_priority: list[Point] = []
        self.factors: dict[frozenset | None, Fraction] = {}

    def add(self, criterion: str, value: Fraction) -> Point:
        """The point of a score already checked against its scale."""
        low, high, weight = self.scales[criterion]
        point = Point(
            shown=float(value),
            term=weight * (value - low) / (high - low),
            alone=20 * (value - low) / (high - low),
        )
        self.made.append(point)
        if criterion == self.priority:
            self.made_priority.append(point)
        return point

    def settle(self) -> None:
        """Every point's figures as integers over a denominator common to all points."""
        self.terms = common_denominator(p.term for p in self.made)
        for p in self.made:
            p.share = p.term.numerator * (self.terms // p.term.denominator)
        self.alone = common_denominator(p.alone for p in self.made_priority)
        for p in self.made_priority:
            p.alone_share = p.alone.numerator * (self.alone // p.alone.denominator)

    def factor(self, scored: frozenset | None) -> Fraction:
        """20 / (common denominator of terms × Σ w of the criteria scored; None: all)."""
        if scored not in self.factors:
            weights = sum(self.scales[name][2] for name in scored or self.scales)
            self.factors[scored] = Fraction(20, self.terms) / weights
        return self.factors[scored]

    def on_20(self, films: dict) -> tuple[Table, int]:
        """A category's scores on 20, 20 × Σ w (s − min)/(max − min) / Σ w, as integers over
        one denominator: Σ shares × the factor of the criteria the juror scored.

        `films` is {film: {juror: {criterion: point}}}, the points settled.
        """
        every = len(self.scales)
        totals: Table = {}
        partial = {}  # the sheets missing a criterion: their Σ w is not the full one
        for film, by_juror in films.items():
            own = totals[film] = {}
            for juror, sheet in by_juror.items():
                total = 0
                for point in sheet.values():
                    total += point.share
                own[juror] = total
                if len(sheet) != every:
                    partial[film, juror] = frozenset(sheet)
        factors = {scored: self.factor(scored) for scored in {None, *partial.values()}}
        scale = common_denominator(factors.values())
        multipliers = {
            scored: f.numerator * (scale // f.denominator) for scored, f in factors.items()
        }
        full = multipliers[None]
        raw = {
            film: {juror: total * full for juror, total in own.items()}
            for film, own in totals.items()
        }
        for (film, juror), scored in partial.items():
            raw[film][juror] = totals[film][juror] * multipliers[scored]
        return raw, scale

    def priority_on_20(self, films: dict) -> tuple[Table, int]:
        """The scores on 20 of the priority criterion alone, over one denominator; films
        without any are left out."""
        name = self.priority
        raw = {}
        for film, by_juror in films.items():
            own = {
                juror: sheet[name].alone_share for juror, sheet in by_juror.items() if name in sheet
            }
            if own:
                raw[film] = own
        return raw, self.alone


def normalised(raw: Table, scale: int, how: str) -> tuple[Table, int, dict]:
    """One category's scores normalised: (numerators, their denominator, figures for the steps).

    `raw` holds numerators over `scale`. Under zscore a juror's score x becomes
    μ + σ·(x − m)/s = μ + √(V/v)·(x − m), V and v the variances of the category and of the
    juror: one square root per juror, as a float, and the rest exact. √(V/v) is a binary
    fraction p/2ᵏ, so every normalised score is an integer over `scale` times the least common
    multiple of the count of scores and of each juror's count times 2ᵏ.
    """
    if how == "none":
        return raw, scale, {}
    by_juror: dict[str, list[int]] = defaultdict(list)
    for own in raw.values():
        for juror, value in own.items():
            by_juror[juror].append(value)
    if not by_juror:
        return raw, scale, {}
    count = total = squares = 0
    jurors = {}
    for juror, values in by_juror.items():
        n, s, q = len(values), sum(values), sum(v * v for v in values)
        jurors[juror] = (n, s, q)
        count, total, squares = count + n, total + s, squares + q
    # Variances times count² · scale²: N·Σx² − (Σx)².
    spread = count * squares - total * total
    ratios = {}
    for juror, (n, s, q) in jurors.items():
        own_spread = n * q - s * s
        if own_spread:
            # √ of the float nearest V/v: an integer true division is correctly rounded, so
            # this is the float, hence the square root, that the fraction V/v would give.
            ratio = math.sqrt(spread * n * n / (own_spread * count * count))
            ratios[juror] = ratio.as_integer_ratio()
    multiple = math.lcm(
        count, *(n * ratios[j][1] for j, (n, _s, _q) in jurors.items() if j in ratios)
    )
    at_mean = total * (multiple // count)
    # A juror's normalised score is offset + slope·x, both integers over scale·multiple.
    lines = {}
    for juror, (n, s, _q) in jurors.items():
        if juror not in ratios:
            lines[juror] = (at_mean, 0)
            continue
        p, power = ratios[juror]
        step = p * (multiple // (n * power))
        lines[juror] = (at_mean - step * s, step * n)
    values = {
        film: {juror: lines[juror][0] + lines[juror][1] * x for juror, x in own.items()}
        for film, own in raw.items()
    }
    figures = {
        "mean": total / (count * scale),
        "sd": math.sqrt(spread / (count * count * scale * scale)),
        "jurors": {
            juror: {
                "mean": s / (n * scale),
                "sd": math.sqrt((n * q - s * s) / (n * n * scale * scale)),
            }
            for juror, (n, s, q) in sorted(jurors.items())
        },
    }
    return values, scale * multiple, figures


def median_of(ordered: list[int], scale: int) -> tuple[int, int]:
    """The median of sorted numerators over `scale`."""
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle], scale
    return ordered[middle - 1] + ordered[middle], 2 * scale


def aggregate_of(ordered: list[int], scale: int, how: str) -> tuple[int, int]:
    """Mean, median or trimmed mean of sorted numerators over `scale`."""
    if how == "median":
        return median_of(ordered, scale)
    if how == "trimmed" and len(ordered) >= 4:
        ordered = ordered[1:-1]
    return sum(ordered), scale * len(ordered)
