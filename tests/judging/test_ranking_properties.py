"""Invariants of the ranking engine, checked by hypothesis on generated juries."""

from dataclasses import replace
from itertools import combinations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from judging.ranking import CriterionSpec, ScoreRow, rank

OPTIONS = st.fixed_dictionaries(
    {
        "normalize": st.sampled_from(["none", "zscore"]),
        "aggregate": st.sampled_from(["mean", "median", "trimmed"]),
        "min_jurors": st.integers(min_value=1, max_value=3),
    }
)
NOTE = [CriterionSpec(name="Note", weight=1, min=0, max=20)]


@st.composite
def juries(draw, criteria=NOTE):
    """Score rows of 1–2 categories, 2–5 films each, 2–5 jurors scoring some of them, and
    coups de cœur; scores on each criterion's scale by half points."""
    rows, favourites = [], []
    for category in draw(
        st.lists(st.sampled_from(["college", "lycee"]), min_size=1, max_size=2, unique=True)
    ):
        jurors = [f"j{i}" for i in range(draw(st.integers(2, 5)))]
        for f in range(draw(st.integers(2, 5))):
            film = f"{category}-{f}"
            scorers = draw(st.lists(st.sampled_from(jurors), min_size=1, unique=True))
            for juror in scorers:
                for criterion in criteria:
                    halves = draw(st.integers(0, int(criterion.max - criterion.min) * 2))
                    score = criterion.min + halves / 2
                    rows.append(ScoreRow(category, film, juror, criterion.name, score))
                if draw(st.booleans()):
                    favourites.append((category, film, juror))
    return rows, favourites


def outcome(result):
    return {category: [(f.as_dict(), f.steps) for f in films] for category, films in result.items()}


def places(result):
    return {
        category: [(f.film, f.rank, f.status, f.tie_break, f.jurors) for f in films]
        for category, films in result.items()
    }


@settings(max_examples=150, deadline=None)
@given(jury=juries(), options=OPTIONS, data=st.data())
def test_the_order_of_the_rows_changes_nothing(jury, options, data):
    rows, favourites = jury
    shuffled = data.draw(st.permutations(rows))
    shuffled_favourites = data.draw(st.permutations(favourites))
    first = rank(scores=rows, criteria=NOTE, favourites=favourites, **options)
    second = rank(scores=shuffled, criteria=NOTE, favourites=shuffled_favourites, **options)
    assert outcome(first) == outcome(second)


def _clear_cut(result) -> bool:
    """Every two ranked films compare the same way whatever grid point the values fall on:
    each compared value is either equal for both or at least 0.002 apart."""
    for films in result.values():
        ranked = [f for f in films if f.rank is not None]
        for a, b in combinations(ranked, 2):
            for key in ("aggregate", "median"):
                gap = abs(a.steps[key] - b.steps[key])
                if 1e-9 < gap < 0.002:
                    return False
    return True


@settings(max_examples=150, deadline=None)
@given(
    jury=juries(),
    aggregate=st.sampled_from(["mean", "median", "trimmed"]),
    min_jurors=st.integers(1, 3),
    data=st.data(),
)
def test_under_zscore_a_juror_adding_a_constant_changes_nothing(jury, aggregate, min_jurors, data):
    rows, favourites = jury
    juror_rows = sorted({(r.category, r.juror) for r in rows})
    category, juror = data.draw(st.sampled_from(juror_rows))
    own = [r.score for r in rows if (r.category, r.juror) == (category, juror)]
    # Single criterion on 0–20: the score on 20 is the score; keep it on the scale.
    shift = data.draw(st.integers(-int(min(own)), int(20 - max(own))))
    shifted = [
        replace(r, score=r.score + shift) if (r.category, r.juror) == (category, juror) else r
        for r in rows
    ]
    options = {"normalize": "zscore", "aggregate": aggregate, "min_jurors": min_jurors}
    before = rank(scores=rows, criteria=NOTE, favourites=favourites, **options)
    after = rank(scores=shifted, criteria=NOTE, favourites=favourites, **options)
    # The category's μ and σ move with the juror, so the scores on 20 move, all in the same
    # increasing way: the order is what must not change. Near-ties closer than the 0.001 grid
    # could land on either side of a grid point, so they are left out.
    assume(_clear_cut(before) and _clear_cut(after))
    assert places(before) == places(after)


CRITERIA = [
    CriterionSpec(name="Scénario", weight=3, min=0, max=10, priority=True),
    CriterionSpec(name="Image", weight=1, min=0, max=20),
    CriterionSpec(name="Son", weight=2, min=1, max=5),
]


@settings(max_examples=100, deadline=None)
@given(
    jury=juries(criteria=CRITERIA),
    options=OPTIONS,
    factor=st.sampled_from([0.25, 0.5, 2, 3, 10]),
)
def test_scaling_every_weight_changes_nothing(jury, options, factor):
    rows, favourites = jury
    scaled = [replace(c, weight=c.weight * factor) for c in CRITERIA]
    first = rank(scores=rows, criteria=CRITERIA, favourites=favourites, **options)
    second = rank(scores=rows, criteria=scaled, favourites=favourites, **options)
    assert outcome(first) == outcome(second)


@settings(max_examples=100, deadline=None)
@given(jury=juries(), options=OPTIONS)
def test_ranks_are_shared_competition_ranks_then_the_insufficient(jury, options):
    rows, favourites = jury
    result = rank(scores=rows, criteria=NOTE, favourites=favourites, **options)
    for films in result.values():
        statuses = [f.status for f in films]
        assert statuses == sorted(statuses, key=lambda s: s != "ranked")
        ranked = [f for f in films if f.status == "ranked"]
        for position, film in enumerate(ranked):
            if position == 0:
                assert film.rank == 1
            elif film.rank != ranked[position - 1].rank:
                assert film.rank == position + 1
            else:
                assert film.tie_break == "shared"
        assert all(f.jurors >= options["min_jurors"] for f in ranked)
        assert all(f.rank is None for f in films if f.status == "insufficient")
