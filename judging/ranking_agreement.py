"""Agreement between jurors: Kendall's W on the films they all scored.

Part of the ranking engine (re-exported by judging.ranking), plain Python like it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence


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
