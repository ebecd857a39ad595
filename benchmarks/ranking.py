"""Speed of the ranking engine against a plain float implementation of the same rules.

    python benchmarks/ranking.py [--films 2000] [--jurors 30] [--categories 4] [--repeat 3]

Generates a synthetic edition in memory, seeded: --films films spread over --categories
categories, every film scored by the --jurors jurors of its category on five criteria, each
score on its criterion's step grid (half points, quarter points, whole points), jurors more or
less lenient and spread, a few coups de cœur per juror. The engine (`judging.ranking.rank`)
ranks it with `--normalize zscore --aggregate trimmed` and with the default options; so does
`float_rank` below, a straightforward float implementation of the rules written at the top of
judging/ranking.py, in the same process on the same rows. Both must give the same ranking.

The engine is exact: equal films never split on float noise. The baseline only rounds at
10⁻⁹ before the 0.001 grid, as the engine's rule says, which on this data is enough for both
to agree. ranking_ratio (engine time over baseline time, zscore + trimmed) says what the
exactness costs; target <= 2. Both run in turns, --repeat times each, and the best time of
each counts; CPU seconds are reported alongside, as other work on the machine disturbs them far
less.

The last line printed is a JSON object with the ratios, the seconds they come from and the
size of the data.
"""

import argparse
import json
import math
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

# The engine is plain Python on purpose (no Django): nothing to set up.
from judging.ranking import CriterionSpec, ScoreRow, rank  # noqa: E402

# (name, weight, min, max, step): the steps a juror's form offers on each criterion.
CRITERIA = [
    ("Scénario", 3, 0, 10, 0.5),
    ("Réalisation", 2, 0, 20, 1),
    ("Image", 1.5, 0, 20, 0.5),
    ("Son", 1, 1, 5, 1),
    ("Interprétation", 2, 0, 10, 0.25),
]
PRIORITY = "Scénario"
OPTION_SETS = {
    "zscore_trimmed": {"normalize": "zscore", "aggregate": "trimmed", "min_jurors": 2},
    "default": {"normalize": "none", "aggregate": "mean", "min_jurors": 2},
}


def make_edition(*, films: int, jurors: int, categories: int, seed: int):
    """(criteria, score rows, coups de cœur) of a synthetic edition."""
    rng = random.Random(seed)
    criteria = [
        CriterionSpec(name=name, weight=weight, min=low, max=high, priority=name == PRIORITY)
        for name, weight, low, high, _step in CRITERIA
    ]
    rows, favourites = [], []
    for c in range(categories):
        category = f"categorie-{c + 1}"
        panel = [
            (f"{category}-jure-{j + 1:02d}", rng.gauss(0, 0.08), rng.uniform(0.5, 1.3))
            for j in range(jurors)
        ]
        titles = [f"{category}-film-{f + 1:04d}" for f in range(c, films, categories)]
        quality = {title: rng.gauss(0.55, 0.12) for title in titles}
        for juror, leniency, spread in panel:
            for title in titles:
                for name, _weight, low, high, step in CRITERIA:
                    level = 0.55 + spread * (quality[title] - 0.55) + leniency
                    level += rng.gauss(0, 0.1)
                    steps = round(min(max(level, 0), 1) * (high - low) / step)
                    rows.append(ScoreRow(category, title, juror, name, low + steps * step))
            for title in rng.sample(titles, 3):
                favourites.append((category, title, juror))
    rng.shuffle(rows)
    return criteria, rows, favourites


# The baseline: the written rules in floats, nothing else.


def float_rank(
    *, scores, criteria, favourites=(), normalize="none", aggregate="mean", min_jurors=2
):
    """{category: [(film, score, rank, tie_break, status)]}, as `rank` would give them."""
    specs = {c.name: c for c in criteria}
    priority = next((c.name for c in criteria if c.priority), None)
    sheets = defaultdict(lambda: defaultdict(dict))
    for row in scores:
        spec = specs.get(row.criterion)
        if spec is None:
            raise ValueError(f"unknown criterion: {row.criterion!r}")
        if not spec.min <= row.score <= spec.max:
            raise ValueError(f"score {row.score} of {row.criterion!r} off scale")
        sheet = sheets[row.category][row.film].setdefault(row.juror, {})
        if row.criterion in sheet:
            raise ValueError("score given twice")
        sheet[row.criterion] = row.score
    hearts = defaultdict(set)
    for category, film, juror in favourites:
        hearts[category, film].add(juror)
    result = {}
    for category in sorted(sheets):
        films = sheets[category]
        raw = {(f, j): on_20(sheet, specs) for f, by in films.items() for j, sheet in by.items()}
        prio = {
            (f, j): on_20({priority: sheet[priority]}, specs)
            for f, by in films.items()
            for j, sheet in by.items()
            if priority in sheet
        }
        values, prio_values = normalised(raw, normalize), normalised(prio, normalize)
        entries = []
        for film, by_juror in films.items():
            own = [values[film, j] for j in by_juror]
            prio_own = [prio_values[film, j] for j in by_juror if (film, j) in prio_values]
            entries.append(
                {
                    "film": film,
                    "jurors": len(own),
                    "aggregate": thousandths(aggregated(own, aggregate)),
                    "keys": (
                        (0, thousandths(aggregated(prio_own, aggregate))) if prio_own else (-1, 0),
                        len(hearts[category, film]),
                        thousandths(median(own)),
                    ),
                }
            )
        result[category] = placed(entries, min_jurors)
    return result


def on_20(sheet, specs):
    total = sum(
        specs[n].weight * (s - specs[n].min) / (specs[n].max - specs[n].min)
        for n, s in sheet.items()
    )
    return 20 * total / sum(specs[n].weight for n in sheet)


def normalised(raw, how):
    if how == "none" or not raw:
        return raw
    mu, sigma = mean_sd(list(raw.values()))
    by_juror = defaultdict(list)
    for (_film, juror), value in raw.items():
        by_juror[juror].append(value)
    jurors = {juror: mean_sd(own) for juror, own in by_juror.items()}
    return {
        (film, juror): mu
        if not jurors[juror][1]
        else mu + sigma * (value - jurors[juror][0]) / jurors[juror][1]
        for (film, juror), value in raw.items()
    }


def mean_sd(values):
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def aggregated(values, how):
    if how == "median":
        return median(values)
    if how == "trimmed" and len(values) >= 4:
        values = sorted(values)[1:-1]
    return sum(values) / len(values)


def thousandths(value):
    """Half up to 0.001, after the nearest 10⁻⁹ (the engine's rule), as a count of 0.001."""
    return (round(value * 10**9) + 500_000) // 1_000_000


def placed(entries, min_jurors):
    ranked = sorted(
        (e for e in entries if e["jurors"] >= min_jurors),
        key=lambda e: (
            -e["aggregate"],
            tuple(-k if isinstance(k, int) else (-k[0], -k[1]) for k in e["keys"]),
            e["film"],
        ),
    )
    short = sorted(
        (e for e in entries if e["jurors"] < min_jurors), key=lambda e: (-e["aggregate"], e["film"])
    )

    def level(a, b):
        """The first tie-break level at which two films differ, None if at none."""
        if a["aggregate"] != b["aggregate"]:
            return 0
        return next((i + 1 for i in range(3) if a["keys"][i] != b["keys"][i]), None)

    names = (None, "priority", "favourites", "median")
    out = []
    for index, entry in enumerate(ranked):
        before = ranked[index - 1] if index else None
        after = ranked[index + 1] if index + 1 < len(ranked) else None
        levels = [level(entry, other) for other in (before, after) if other is not None]
        tie_break = "shared" if None in levels else names[max(levels, default=0)]
        shared = before is not None and level(before, entry) is None
        place = out[-1][2] if shared else index + 1
        out.append((entry["film"], entry["aggregate"] / 1000, place, tie_break, "ranked"))
    out += [(e["film"], e["aggregate"] / 1000, None, None, "insufficient") for e in short]
    return out


# Measures.


def timed(function, **kwargs):
    """(wall seconds, CPU seconds, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(**kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def best_of_both(repeat, **data):
    """Engine and baseline in turns, `repeat` times each, so that other work on the machine
    weighs on both alike: their best wall and CPU seconds, and their last results."""
    engine, baseline = [], []
    for _ in range(repeat):
        engine.append(timed(rank, **data))
        baseline.append(timed(float_rank, **data))
    return [
        (min(t[0] for t in runs), min(t[1] for t in runs), runs[-1][2])
        for runs in (engine, baseline)
    ]


def engine_places(result):
    return {
        category: [(f.film, f.score, f.rank, f.tie_break, f.status) for f in films]
        for category, films in result.items()
    }


def differences(engine, baseline) -> int:
    """How many places differ between two {category: [place]} rankings."""
    count = 0
    for category in set(engine) | set(baseline):
        ours, theirs = engine.get(category, []), baseline.get(category, [])
        count += sum(a != b for a, b in zip(ours, theirs, strict=False))
        count += abs(len(ours) - len(theirs))
    return count


def measure(*, films, jurors, categories, repeat, seed) -> dict:
    load_before = os.getloadavg()[0]
    criteria, rows, favourites = make_edition(
        films=films, jurors=jurors, categories=categories, seed=seed
    )
    print(f"{len(rows)} scores: {films} films, {jurors} jurors, {len(criteria)} criteria")
    figures = {}
    for label, options in OPTION_SETS.items():
        data = {"scores": rows, "criteria": criteria, "favourites": favourites, **options}
        (engine_wall, engine_cpu, engine), (base_wall, base_cpu, baseline) = best_of_both(
            repeat, **data
        )
        different = differences(engine_places(engine), baseline)
        ties = sum(f.tie_break is not None for films in engine.values() for f in films)
        print(
            f"{label}: engine {engine_wall:.3f} s, baseline {base_wall:.3f} s, "
            f"{ties} films placed by a tie-break, {different} places differ",
            flush=True,
        )
        figures[label] = {
            "ratio": round(engine_wall / base_wall, 3),
            "cpu_ratio": round(engine_cpu / base_cpu, 3),
            "engine_seconds": round(engine_wall, 3),
            "baseline_seconds": round(base_wall, 3),
            "engine_cpu_seconds": round(engine_cpu, 3),
            "baseline_cpu_seconds": round(base_cpu, 3),
            "tie_breaks": ties,
            "places_differing": different,
        }
    main_figures = figures["zscore_trimmed"]
    return {
        "ranking_ratio": main_figures["ratio"],
        "ranking_ratio_default": figures["default"]["ratio"],
        "engine_seconds": main_figures["engine_seconds"],
        "baseline_seconds": main_figures["baseline_seconds"],
        "same_ranking": all(f["places_differing"] == 0 for f in figures.values()),
        "options": figures,
        "data": {
            "films": films,
            "jurors_per_film": jurors,
            "criteria": len(criteria),
            "categories": categories,
            "scores": len(rows),
            "favourites": len(favourites),
            "seed": seed,
        },
        "repeat": repeat,
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=2000)
    parser.add_argument("--jurors", type=int, default=30)
    parser.add_argument("--categories", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    figures = measure(
        films=args.films,
        jurors=args.jurors,
        categories=args.categories,
        repeat=args.repeat,
        seed=args.seed,
    )
    print(json.dumps(figures))
    if not figures["same_ranking"]:
        raise SystemExit("the engine and the float baseline rank differently")


if __name__ == "__main__":
    main()
