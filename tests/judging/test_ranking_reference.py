"""The engine against its reference: the same rules on fractions, the slow and obvious way.

For speed the engine computes a category's figures as integers over common denominators. The
reference below computes every figure as a Fraction, as the engine did before it was made
fast; on any valid input both must give the same output to the last bit, steps included.
"""

import math
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from judging.ranking import CriterionSpec, ScoreRow, rank

# The reference.


def exact(value) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, str):
        return Fraction(Decimal(value.strip()))
    return Fraction(value)


def rounded(value: Fraction) -> Fraction:
    """Half up to 0.001, after the nearest 10⁻⁹ (half to even)."""
    value = Fraction(round(value * 10**9), 10**9)
    return Fraction(math.floor(value * 1000 + Fraction(1, 2)), 1000)


def mean(values):
    return sum(values, Fraction(0)) / len(values)


def pstdev(values, centre):
    variance = sum(((v - centre) ** 2 for v in values), Fraction(0)) / len(values)
    return variance, math.sqrt(variance)


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def aggregated(values, how):
    if how == "median":
        return median(values)
    if how == "trimmed" and len(values) >= 4:
        return mean(sorted(values)[1:-1])
    return mean(values)


def on_20(sheet, specs):
    total = weights = Fraction(0)
    for name, value in sheet.items():
        low, high, weight = (exact(getattr(specs[name], a)) for a in ("min", "max", "weight"))
        total += weight * (value - low) / (high - low)
        weights += weight
    return 20 * total / weights


def normalised(raw, how):
    if how == "none" or not raw:
        return dict(raw), {}
    mu = mean(list(raw.values()))
    variance, sigma = pstdev(list(raw.values()), mu)
    by_juror = defaultdict(list)
    for (_film, juror), value in raw.items():
        by_juror[juror].append(value)
    jurors = {}
    for juror, own in by_juror.items():
        centre = mean(own)
        own_variance, own_sd = pstdev(own, centre)
        ratio = Fraction(math.sqrt(variance / own_variance)) if own_variance else None
        jurors[juror] = {"mean": centre, "sd": own_sd, "ratio": ratio}
    result = {
        (film, juror): mu
        if jurors[juror]["ratio"] is None
        else mu + jurors[juror]["ratio"] * (value - jurors[juror]["mean"])
        for (film, juror), value in raw.items()
    }
    figures = {
        "mean": float(mu),
        "sd": sigma,
        "jurors": {j: {"mean": float(f["mean"]), "sd": f["sd"]} for j, f in sorted(jurors.items())},
    }
    return result, figures


def reference_rank(*, scores, criteria, favourites=(), normalize, aggregate, min_jurors):
    """{category: [(as_dict, steps)]}, the engine's output computed on fractions."""
    specs = {c.name: c for c in criteria}
    priority = next((c.name for c in criteria if c.priority), None)
    sheets = defaultdict(lambda: defaultdict(dict))
    for row in scores:
        sheets[row.category][row.film].setdefault(row.juror, {})[row.criterion] = exact(row.score)
    hearts = defaultdict(set)
    for category, film, juror in favourites:
        hearts[category, film].add(juror)
    output = {}
    for category in sorted(sheets):
        films = sheets[category]
        pairs = [(f, j) for f, by_juror in films.items() for j in by_juror]
        raw = {(f, j): on_20(films[f][j], specs) for f, j in pairs}
        prio_raw = {
            (f, j): on_20({priority: films[f][j][priority]}, specs)
            for f, j in pairs
            if priority in films[f][j]
        }
        values, figures = normalised(raw, normalize)
        prio_values, prio_figures = normalised(prio_raw, normalize)
        entries = [
            film_entry(
                film,
                films[film],
                raw,
                values,
                prio_raw,
                prio_values,
                figures,
                prio_figures,
                len(hearts[category, film]),
                aggregate,
            )
            for film in films
        ]
        output[category] = placed(entries, min_jurors)
    return output


def film_entry(
    film, sheets, raw, values, prio_raw, prio_values, figures, prio_figures, favourites, how
):
    jurors = sorted(sheets)
    own = [values[film, j] for j in jurors]
    prio_jurors = [j for j in jurors if (film, j) in prio_values]
    prio_own = [prio_values[film, j] for j in prio_jurors]
    kept = list(jurors)
    if how == "trimmed" and len(own) >= 4:
        order = sorted(zip(own, jurors, strict=True))
        kept = [j for j in jurors if j not in {order[0][1], order[-1][1]}]
    total = aggregated(own, how)
    prio = aggregated(prio_own, how) if prio_own else None

    def z(juror):
        sd = figures["jurors"][juror]["sd"]
        return 0.0 if not sd else (float(raw[film, juror]) - figures["jurors"][juror]["mean"]) / sd

    steps = {
        "jurors": {
            j: {
                "criteria": {name: float(v) for name, v in sorted(sheets[j].items())},
                "on_20": float(raw[film, j]),
                "normalised": float(values[film, j]),
                "z": z(j) if figures else None,
            }
            for j in jurors
        },
        "normalisation": figures,
        "aggregate": float(total),
        "aggregated": kept,
        "priority": {
            "jurors": {
                j: {"on_20": float(prio_raw[film, j]), "normalised": float(prio_values[film, j])}
                for j in prio_jurors
            },
            "normalisation": prio_figures,
            "aggregate": None if prio is None else float(prio),
        },
        "favourites": favourites,
        "median": float(median(own)),
    }
    keys = (
        rounded(total),
        (-1, 0) if prio is None else (0, rounded(prio)),
        favourites,
        rounded(median(own)),
    )
    return {
        "film": film,
        "jurors": len(jurors),
        "keys": keys,
        "steps": steps,
        "prio": prio,
        "median": median(own),
    }


def placed(entries, min_jurors):
    def sort_key(e):
        first, (has, prio), favourites, middle = e["keys"]
        return (-first, (-has, -prio), -favourites, -middle, e["film"])

    def level(a, b):
        return next((i for i in range(4) if a["keys"][i] != b["keys"][i]), None)

    ranked = sorted((e for e in entries if e["jurors"] >= min_jurors), key=sort_key)
    short = sorted(
        (e for e in entries if e["jurors"] < min_jurors), key=lambda e: (-e["keys"][0], e["film"])
    )
    out, places = [], []
    for index, entry in enumerate(ranked):
        neighbours = [ranked[i] for i in (index - 1, index + 1) if 0 <= i < len(ranked)]
        levels = [level(entry, other) for other in neighbours]
        names = (None, "priority", "favourites", "median")
        tie_break = "shared" if None in levels else names[max(levels, default=0)]
        tied = index > 0 and level(ranked[index - 1], entry) is None
        places.append(places[-1] if tied else index + 1)
        entry["steps"]["tie_break"] = {
            "priority": None if entry["prio"] is None else float(entry["prio"]),
            "favourites": entry["keys"][2],
            "median": float(entry["median"]),
        }
        out.append((entry, places[-1], tie_break, "ranked"))
    out += [(entry, None, None, "insufficient") for entry in short]
    return [
        (
            {
                "film": e["film"],
                "score": float(e["keys"][0]),
                "rank": place,
                "jurors": e["jurors"],
                "tie_break": tie_break,
                "status": status,
            },
            e["steps"],
        )
        for e, place, tie_break, status in out
    ]


# Generated juries with awkward numbers: weights and bounds that are not binary fractions,
# scores given as floats, ints, decimals, strings and fractions, sheets missing a criterion,
# jurors scoring different numbers of films.

SCALES = [(0, 20), (0, 10), (1, 5), (0.5, 2.5), (-2, 3.3)]
WEIGHTS = [1, 2, 0.1, 0.3, 1.5, 3.3333, 0.7]
NUMBER_TYPES = [float, str, Decimal, Fraction]


@st.composite
def criteria(draw):
    count = draw(st.integers(1, 3))
    priority = draw(st.integers(-1, count - 1))
    specs = []
    for index in range(count):
        low, high = draw(st.sampled_from(SCALES))
        specs.append(
            CriterionSpec(
                name=f"c{index}",
                weight=draw(st.sampled_from(WEIGHTS)),
                min=low,
                max=high,
                priority=index == priority,
            )
        )
    return specs


@st.composite
def score(draw, criterion):
    """A score on the scale: on a step of a tenth, a quarter or a third, in some number type."""
    low, high = Fraction(str(criterion.min)), Fraction(str(criterion.max))
    step = draw(st.sampled_from([Fraction(1, 10), Fraction(1, 4), Fraction(1, 3), Fraction(1)]))
    value = low + step * draw(st.integers(0, int((high - low) / step)))
    if step.denominator == 3:
        return value  # not a decimal: only a fraction says it exactly
    if value.denominator == 1 and draw(st.booleans()):
        return int(value)
    return draw(st.sampled_from(NUMBER_TYPES))(Decimal(value.numerator) / value.denominator)


@st.composite
def juries(draw):
    specs = draw(criteria())
    rows, favourites = [], []
    for category in draw(
        st.lists(st.sampled_from(["college", "lycee"]), min_size=1, max_size=2, unique=True)
    ):
        jurors = [f"j{i}" for i in range(draw(st.integers(1, 6)))]
        for f in range(draw(st.integers(1, 6))):
            film = f"{category}-{f}"
            for juror in draw(st.lists(st.sampled_from(jurors), min_size=1, unique=True)):
                scored = draw(
                    st.lists(st.sampled_from(specs), min_size=1, unique_by=lambda c: c.name)
                )
                for criterion in scored:
                    rows.append(
                        ScoreRow(category, film, juror, criterion.name, draw(score(criterion)))
                    )
                if draw(st.booleans()):
                    favourites.append((category, film, juror))
    return specs, rows, favourites


OPTIONS = st.fixed_dictionaries(
    {
        "normalize": st.sampled_from(["none", "zscore"]),
        "aggregate": st.sampled_from(["mean", "median", "trimmed"]),
        "min_jurors": st.integers(min_value=1, max_value=3),
    }
)


def outcome(result):
    return {category: [(f.as_dict(), f.steps) for f in films] for category, films in result.items()}


@settings(max_examples=300, deadline=None)
@given(jury=juries(), options=OPTIONS)
def test_the_engine_gives_the_reference_output_to_the_last_bit(jury, options):
    specs, rows, favourites = jury
    engine = rank(scores=rows, criteria=specs, favourites=favourites, **options)
    reference = reference_rank(scores=rows, criteria=specs, favourites=favourites, **options)
    assert outcome(engine) == reference
