"""A juror's marks as the ranking engine reads them, and their score sur 20.

The formula has one home: the engine's `judging.ranking.on_20`, in exact fractions. The juror's
pages, the deliberation table and the ranking all go through it, so the same marks show the
same score everywhere. This module only turns the scoring form's rows (criteria and decimal
marks) into the engine's input.
"""

from collections.abc import Iterable
from decimal import Decimal

from judging.models import Criterion
from judging.ranking import CriterionSpec, exact
from judging.ranking import on_20 as engine_on_20


def criterion_spec(criterion: Criterion) -> CriterionSpec:
    """A line of the scoring form as the engine (and the exported criteria file) knows it."""
    return CriterionSpec(
        name=criterion.name,
        weight=float(criterion.weight),
        min=float(criterion.min_score),
        max=float(criterion.max_score),
        priority=criterion.is_priority,
    )


def on_20(pairs: Iterable[tuple[Criterion, Decimal]]) -> Decimal | None:
    """The score sur 20 of (criterion, mark) pairs, over the scored criteria; None if none is."""
    sheet, specs = {}, {}
    for index, (criterion, value) in enumerate(pairs):
        sheet[index] = exact(value)
        specs[index] = criterion_spec(criterion)
    if not sheet:
        return None
    value = engine_on_20(sheet, specs)
    return Decimal(value.numerator) / Decimal(value.denominator)
