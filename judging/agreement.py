"""An edition's agreement between jurors and the stability of its podium, from the ranking.

Pure Python, like the engine: per category, Kendall's W of the jurors whose scores count (the
statistics themselves are the engine's, in `judging.ranking_agreement`), and whether the podium
changes under the other normalisation or another aggregation.
"""

from __future__ import annotations

from dataclasses import dataclass

from judging.ranking import AGGREGATIONS, NORMALIZATIONS, RankedFilm, rank
from judging.ranking_agreement import agreement_block, complete_block, kendalls_w

PODIUM = 3
# From this Kendall's W up, the pages say the jurors rather agree; below it, that they are split
# (0 is no agreement at all, 1 the same order for every juror).
AGREEMENT_THRESHOLD = 0.5


@dataclass
class PodiumVariant:
    normalize: str
    aggregate: str
    podium: list[str]
    changed: bool


@dataclass
class CategoryAgreement:
    category: str
    kendalls_w: float | None
    jurors: int
    films: int
    podium: list[str]
    variants: list[PodiumVariant]

    @property
    def stable(self) -> bool:
        return not any(variant.changed for variant in self.variants)

    @property
    def jurors_agree(self) -> bool | None:
        """Whether the jurors rather agree on the order of the films; None when W cannot be
        computed (fewer than two jurors or two films scored by all)."""
        if self.kendalls_w is None:
            return None
        return self.kendalls_w >= AGREEMENT_THRESHOLD


def podium(ranked: list[RankedFilm]) -> list[tuple[str, int]]:
    """The films ranked in the first three places, with their rank."""
    return [(f.film, f.rank) for f in ranked if f.rank is not None and f.rank <= PODIUM]


def juror_matrix(ranked: list[RankedFilm]) -> tuple[list[str], list[list[float | None]]]:
    """(jurors, rows): each juror's score on 20 for each film of the category, None if unscored."""
    jurors = sorted({j for film in ranked for j in film.steps["jurors"]}, key=_natural)
    matrix = [
        [
            film.steps["jurors"][juror]["on_20"] if juror in film.steps["jurors"] else None
            for film in ranked
        ]
        for juror in jurors
    ]
    return jurors, matrix


def _natural(value: str):
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def agreement_of(
    data, base: dict[str, list[RankedFilm]], *, normalize, aggregate, min_jurors
) -> dict[str, CategoryAgreement]:
    """{category: CategoryAgreement} from the engine's input (`data`: its rows, criteria and
    favourites) and the ranking it gives with these options (`base`): only the rankings under
    the other options are computed here."""
    variants = [(other, aggregate) for other in NORMALIZATIONS if other != normalize] + [
        (normalize, other) for other in AGGREGATIONS if other != aggregate
    ]
    others = {
        (n, a): rank(
            scores=data.rows,
            criteria=data.criteria,
            favourites=data.favourites,
            normalize=n,
            aggregate=a,
            min_jurors=min_jurors,
        )
        for n, a in variants
    }
    result = {}
    for category, ranked in base.items():
        _jurors, matrix = juror_matrix(ranked)
        matrix = [matrix[i] for i in agreement_block(matrix)]
        block = complete_block(matrix)
        top = podium(ranked)
        result[category] = CategoryAgreement(
            category=category,
            kendalls_w=kendalls_w(matrix),
            jurors=len(matrix),
            films=len(block[0]) if block else 0,
            podium=[film for film, _rank in top],
            variants=[
                PodiumVariant(
                    normalize=n,
                    aggregate=a,
                    podium=[film for film, _rank in podium(others[n, a].get(category, []))],
                    changed=podium(others[n, a].get(category, [])) != top,
                )
                for n, a in variants
            ],
        )
    return result
