"""The ranking engine against hand-computed cases: every option, every tie-break level."""

import gc

import pytest

from judging.ranking import CriterionSpec, RankingError, ScoreRow, kendalls_w, rank

NOTE = [CriterionSpec(name="Note", weight=1, min=0, max=20)]
NOTE_PRIORITY = [CriterionSpec(name="Note", weight=1, min=0, max=20, priority=True)]


def rows(table: dict, category="lycee", criterion="Note") -> list[ScoreRow]:
    """{film: {juror: score}} on one criterion."""
    return [
        ScoreRow(category=category, film=film, juror=juror, criterion=criterion, score=score)
        for film, by_juror in table.items()
        for juror, score in by_juror.items()
    ]


def summary(result, category="lycee"):
    return [(f.film, f.score, f.rank, f.tie_break, f.status) for f in result[category]]


# Five jurors, three films whose order differs with each aggregation (no normalisation):
# A: 10 12 13 14 20 → mean 13.8, median 13, trimmed (12+13+14)/3 = 13
# B: 11 12 14 15 15 → mean 13.4, median 14, trimmed (12+14+15)/3 = 13.667
# C: 4 12 12.5 17 18 → mean 12.7, median 12.5, trimmed (12+12.5+17)/3 = 13.833
FIVE_JURORS = {
    "A": {"j1": 10, "j2": 12, "j3": 13, "j4": 14, "j5": 20},
    "B": {"j1": 11, "j2": 12, "j3": 14, "j4": 15, "j5": 15},
    "C": {"j1": 4, "j2": 12, "j3": 12.5, "j4": 17, "j5": 18},
}


def test_no_normalisation_mean():
    result = rank(scores=rows(FIVE_JURORS), criteria=NOTE, aggregate="mean")
    assert summary(result) == [
        ("A", 13.8, 1, None, "ranked"),
        ("B", 13.4, 2, None, "ranked"),
        ("C", 12.7, 3, None, "ranked"),
    ]


def test_no_normalisation_median():
    result = rank(scores=rows(FIVE_JURORS), criteria=NOTE, aggregate="median")
    assert summary(result) == [
        ("B", 14.0, 1, None, "ranked"),
        ("A", 13.0, 2, None, "ranked"),
        ("C", 12.5, 3, None, "ranked"),
    ]


def test_no_normalisation_trimmed():
    result = rank(scores=rows(FIVE_JURORS), criteria=NOTE, aggregate="trimmed")
    assert summary(result) == [
        ("C", 13.833, 1, None, "ranked"),
        ("B", 13.667, 2, None, "ranked"),
        ("A", 13.0, 3, None, "ranked"),
    ]
    assert result["lycee"][0].steps["aggregated"] == ["j2", "j3", "j4"]


def test_trimmed_is_the_mean_under_four_jurors():
    table = {"A": {"j1": 10, "j2": 11, "j3": 18}, "B": {"j1": 12, "j2": 13, "j3": 13}}
    result = rank(scores=rows(table), criteria=NOTE, aggregate="trimmed")
    assert summary(result) == [("A", 13.0, 1, None, "ranked"), ("B", 12.667, 2, None, "ranked")]


# Four jurors, three films, built so that z-scores map back cleanly. Each juror gives their
# mean m ± 1 or m: within-juror variance v = 2/3; juror means 10, 12, 12, 14 have variance 2,
# so the pooled variance is V = 2/3 + 2 = 8/3, μ = 12 and the normalised score is
# μ + σ·z = 12 + √(V/v)·(x − m) = 12 + 2·(x − m).
#          j1 (m=10)  j2 (m=12)  j3 (m=12)  j4 (m=14)
# A          11         13         11         13      → normalised 14 14 10 10
# B           9         12         13         15      → normalised 10 12 14 14
# C          10         11         12         14      → normalised 12 10 12 12
LENIENT_AND_SEVERE = {
    "A": {"j1": 11, "j2": 13, "j3": 11, "j4": 13},
    "B": {"j1": 9, "j2": 12, "j3": 13, "j4": 15},
    "C": {"j1": 10, "j2": 11, "j3": 12, "j4": 14},
}


def test_zscore_mean():
    # Raw means: A 12, B 12.25, C 11.75. Normalised: A 12, B 12.5, C 11.5.
    result = rank(scores=rows(LENIENT_AND_SEVERE), criteria=NOTE, normalize="zscore")
    assert summary(result) == [
        ("B", 12.5, 1, None, "ranked"),
        ("A", 12.0, 2, None, "ranked"),
        ("C", 11.5, 3, None, "ranked"),
    ]
    steps = result["lycee"][0].steps
    assert steps["normalisation"]["mean"] == 12.0
    assert steps["normalisation"]["sd"] == pytest.approx((8 / 3) ** 0.5)
    assert steps["jurors"]["j1"]["on_20"] == 9.0
    assert steps["jurors"]["j1"]["normalised"] == 10.0
    assert steps["jurors"]["j1"]["z"] == pytest.approx(-1 / (2 / 3) ** 0.5)


def test_zscore_median_with_a_coup_de_coeur():
    # Medians of the normalised scores: A 12, B 13, C 12; C has a coup de cœur.
    result = rank(
        scores=rows(LENIENT_AND_SEVERE),
        criteria=NOTE,
        normalize="zscore",
        aggregate="median",
        favourites=[("lycee", "C", "j2")],
    )
    assert summary(result) == [
        ("B", 13.0, 1, None, "ranked"),
        ("C", 12.0, 2, "favourites", "ranked"),
        ("A", 12.0, 3, "favourites", "ranked"),
    ]


def test_zscore_trimmed():
    # Trimmed means of the normalised scores: A (10+14)/2 = 12, B (12+14)/2 = 13,
    # C (12+12)/2 = 12; A and C also share their median 12: a shared second place.
    result = rank(
        scores=rows(LENIENT_AND_SEVERE), criteria=NOTE, normalize="zscore", aggregate="trimmed"
    )
    assert summary(result) == [
        ("B", 13.0, 1, None, "ranked"),
        ("A", 12.0, 2, "shared", "ranked"),
        ("C", 12.0, 2, "shared", "ranked"),
    ]


def test_zscore_juror_without_spread_gets_the_category_mean():
    # j1 gives 10 to both films: z = 0, mapped to μ = (10+10+12+16)/4 = 12.
    table = {"A": {"j1": 10, "j2": 16}, "B": {"j1": 10, "j2": 12}}
    result = rank(scores=rows(table), criteria=NOTE, normalize="zscore")
    a, b = result["lycee"]
    assert a.steps["jurors"]["j1"]["normalised"] == 12.0
    assert b.steps["jurors"]["j1"]["normalised"] == 12.0
    # j2: mean 14, sd 2; pooled σ = √((4+4+0+16)/4) = √6; A: 12 + √6, B: 12 − √6.
    assert (a.film, a.score, b.film, b.score) == ("A", 13.225, "B", 10.775)


def test_score_on_20_is_the_weighted_scale_of_the_criteria():
    criteria = [
        CriterionSpec(name="Scénario", weight=2, min=0, max=10),
        CriterionSpec(name="Image", weight=1, min=0, max=20),
    ]
    scores = [
        # 20 × (2 × 7.5/10 + 1 × 12/20) / 3 = 14
        ScoreRow("lycee", "A", "j1", "Scénario", 7.5),
        ScoreRow("lycee", "A", "j1", "Image", 12),
        # 20 × (2 × 5/10 + 1 × 20/20) / 3 = 13.333…
        ScoreRow("lycee", "A", "j2", "Scénario", 5),
        ScoreRow("lycee", "A", "j2", "Image", 20),
    ]
    (film,) = rank(scores=scores, criteria=criteria)["lycee"]
    assert film.steps["jurors"]["j1"]["on_20"] == 14.0
    assert film.steps["jurors"]["j2"]["on_20"] == pytest.approx(40 / 3)
    assert film.score == 13.667


def test_minimum_scale_is_not_zero():
    criteria = [CriterionSpec(name="Note", weight=1, min=1, max=5)]
    scores = [ScoreRow("lycee", "A", "j1", "Note", 4), ScoreRow("lycee", "A", "j2", "Note", 2)]
    # 20 × 3/4 = 15 and 20 × 1/4 = 5.
    (film,) = rank(scores=scores, criteria=criteria)["lycee"]
    assert film.score == 10.0


# Tie-breaks.


def test_priority_criterion_breaks_a_tie():
    criteria = [
        CriterionSpec(name="Scénario", weight=1, min=0, max=10, priority=True),
        CriterionSpec(name="Image", weight=1, min=0, max=10),
    ]

    def sheet(film, juror, scenario, image):
        return [
            ScoreRow("lycee", film, juror, "Scénario", scenario),
            ScoreRow("lycee", film, juror, "Image", image),
        ]

    scores = [
        *sheet("A", "j1", 8, 4),  # 12 on 20, priority 16
        *sheet("A", "j2", 8, 4),
        *sheet("B", "j1", 6, 6),  # 12 on 20, priority 12
        *sheet("B", "j2", 6, 6),
        *sheet("C", "j1", 10, 10),  # 20
        *sheet("C", "j2", 10, 10),
    ]
    result = rank(scores=scores, criteria=criteria, favourites=[("lycee", "B", "j1")])
    assert summary(result) == [
        ("C", 20.0, 1, None, "ranked"),
        ("A", 12.0, 2, "priority", "ranked"),
        ("B", 12.0, 3, "priority", "ranked"),
    ]
    assert result["lycee"][1].steps["priority"]["aggregate"] == 16.0


def test_coups_de_coeur_break_a_tie_left_by_the_priority_criterion():
    table = {"A": {"j1": 12, "j2": 14}, "B": {"j1": 13, "j2": 13}}
    favourites = [("lycee", "B", "j1"), ("lycee", "B", "j1"), ("lycee", "A", "j9")]
    favourites += [("lycee", "B", "j2")]
    result = rank(scores=rows(table), criteria=NOTE_PRIORITY, favourites=favourites)
    assert summary(result) == [
        ("B", 13.0, 1, "favourites", "ranked"),
        ("A", 13.0, 2, "favourites", "ranked"),
    ]
    assert result["lycee"][0].steps["favourites"] == 2


def test_median_breaks_a_tie_left_by_the_coups_de_coeur():
    table = {"A": {"j1": 10, "j2": 14, "j3": 15}, "B": {"j1": 12, "j2": 13, "j3": 14}}
    result = rank(scores=rows(table), criteria=NOTE)
    assert summary(result) == [
        ("A", 13.0, 1, "median", "ranked"),
        ("B", 13.0, 2, "median", "ranked"),
    ]


def test_films_still_tied_share_their_rank():
    table = {"A": {"j1": 12, "j2": 14}, "B": {"j1": 14, "j2": 12}, "C": {"j1": 10, "j2": 10}}
    result = rank(scores=rows(table), criteria=NOTE_PRIORITY)
    assert summary(result) == [
        ("A", 13.0, 1, "shared", "ranked"),
        ("B", 13.0, 1, "shared", "ranked"),
        ("C", 10.0, 3, None, "ranked"),
    ]


def test_tie_break_is_the_deepest_rule_needed_against_either_neighbour():
    # A, B and C all 13. A beats B on coups de cœur; B and C differ only by their median.
    table = {
        "A": {"j1": 13, "j2": 13, "j3": 13},
        "B": {"j1": 10, "j2": 14, "j3": 15},
        "C": {"j1": 12, "j2": 13, "j3": 14},
    }
    result = rank(scores=rows(table), criteria=NOTE, favourites=[("lycee", "A", "j1")])
    assert summary(result) == [
        ("A", 13.0, 1, "favourites", "ranked"),
        ("B", 13.0, 2, "median", "ranked"),
        ("C", 13.0, 3, "median", "ranked"),
    ]


def test_every_comparison_is_rounded_to_the_thousandth():
    table = {
        "A": {"j1": 13.0008, "j2": 13},  # 13.0004 → 13.000
        "B": {"j1": 13.0002, "j2": 13},  # 13.0001 → 13.000
        "C": {"j1": 13.001, "j2": 13},  # 13.0005 → 13.001 (half up)
    }
    result = rank(scores=rows(table), criteria=NOTE)
    assert summary(result) == [
        ("C", 13.001, 1, None, "ranked"),
        ("A", 13.0, 2, "shared", "ranked"),
        ("B", 13.0, 2, "shared", "ranked"),
    ]


def test_a_film_with_too_few_jurors_is_insufficient_and_unranked():
    table = {"A": {"j1": 12, "j2": 14}, "B": {"j1": 19}, "C": {"j1": 8, "j2": 10}}
    result = rank(scores=rows(table), criteria=NOTE)
    assert summary(result) == [
        ("A", 13.0, 1, None, "ranked"),
        ("C", 9.0, 2, None, "ranked"),
        ("B", 19.0, None, None, "insufficient"),
    ]
    assert [f.jurors for f in result["lycee"]] == [2, 2, 1]
    result = rank(scores=rows(table), criteria=NOTE, min_jurors=3)
    assert [(f.film, f.rank, f.status) for f in result["lycee"]] == [
        ("B", None, "insufficient"),
        ("A", None, "insufficient"),
        ("C", None, "insufficient"),
    ]


def test_categories_are_ranked_apart():
    scores = rows({"A": {"j1": 12, "j2": 12}}, category="college") + rows(
        {"B": {"j1": 10, "j2": 10}}, category="lycee"
    )
    result = rank(scores=scores, criteria=NOTE)
    assert {c: [(f.film, f.rank) for f in films] for c, films in result.items()} == {
        "college": [("A", 1)],
        "lycee": [("B", 1)],
    }


@pytest.mark.parametrize(
    ("scores", "criteria", "message"),
    [
        ([ScoreRow("l", "A", "j1", "Son", 3)], NOTE, "unknown criterion"),
        ([ScoreRow("l", "A", "j1", "Note", 21)], NOTE, "outside"),
        ([ScoreRow("l", "A", "j1", "Note", 2)] * 2, NOTE, "twice"),
        ([], [CriterionSpec("Note", 1, 5, 5)], "min must be below max"),
        ([], [CriterionSpec("Note", 0, 0, 5)], "weight must be positive"),
        ([], NOTE_PRIORITY + [CriterionSpec("Son", 1, 0, 5, True)], "only one"),
    ],
)
def test_input_it_cannot_rank_is_refused(scores, criteria, message):
    with pytest.raises(RankingError, match=message):
        rank(scores=scores, criteria=criteria)


def test_unknown_options_are_refused():
    with pytest.raises(RankingError):
        rank(scores=[], criteria=NOTE, normalize="minmax")
    with pytest.raises(RankingError):
        rank(scores=[], criteria=NOTE, aggregate="mode")


# Kendall's W.


def test_kendalls_w_perfect_agreement_and_disagreement():
    assert kendalls_w([[15, 12, 8], [18, 11, 9], [14, 13, 2]]) == 1.0
    assert kendalls_w([[15, 12, 8], [8, 12, 15]]) == 0.0


def test_kendalls_w_hand_computed():
    # Ranks (1 = best): (1,2,3), (1,3,2), (2,1,3); totals 4, 6, 8 around 6: S = 8;
    # W = 12 S / (m² (n³ − n)) = 96 / (9 × 24) = 0.444…
    assert kendalls_w([[3, 2, 1], [3, 1, 2], [2, 3, 1]]) == pytest.approx(4 / 9)


def test_kendalls_w_leaves_out_films_not_scored_by_everyone():
    assert kendalls_w([[3, 2, 1, None], [3, 2, 1, 5]]) == 1.0
    assert kendalls_w([[3, None], [3, 2]]) is None
    assert kendalls_w([[3, 2, 1]]) is None
    assert kendalls_w([[5, 5], [5, 5]]) is None


def test_zscore_figures_equal_on_paper_stay_equal_at_a_half_thousandth():
    # j0's and j3's z-scores cancel on A and B, j1 has no spread: every film is at
    # μ = 5.5 / 8 = 0.6875 exactly, which rounds half up to 0.688 — for all of them, whatever
    # the last bit of the square roots.
    table = {
        "A": {"j0": 0, "j3": 4},
        "B": {"j0": 0.5, "j1": 0, "j3": 1},
        "C": {"j1": 0},
        "D": {"j1": 0},
        "E": {"j1": 0},
    }
    result = rank(scores=rows(table), criteria=NOTE, normalize="zscore", min_jurors=1)
    assert [(f.film, f.score, f.rank) for f in result["lycee"]] == [
        ("A", 0.688, 1),
        ("B", 0.688, 1),
        ("C", 0.688, 1),
        ("D", 0.688, 1),
        ("E", 0.688, 1),
    ]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # Mean 13.0165 exactly, half a thousandth: in floats, summed juror by juror, one film
        # comes out at 13.0165 and the other at 13.016499999999999, below the half.
        ((10.487, 16.644, 11.9185), 13.017),
        # Mean 7.2814999995 exactly, half a billionth: 7.2814999995 and 7.281499999499999 in
        # floats fall on either side of it, so even floats first taken to the nearest 10⁻⁹
        # round one film to 7.282 and the other to 7.281.
        ((5.7263, 13.23, 2.8881999985), 7.282),
    ],
)
def test_films_equal_on_paper_never_split_on_float_noise(scores, expected):
    a, b, c = scores
    table = {"A": {"j1": a, "j2": b, "j3": c}, "B": {"j1": a, "j2": c, "j3": b}}
    assert (a + b + c) / 3 != (a + c + b) / 3  # the float sums differ
    for options in ({"aggregate": "mean"}, {"normalize": "zscore", "aggregate": "mean"}):
        result = rank(scores=rows(table), criteria=NOTE, **options)
        assert [(f.film, f.rank, f.tie_break) for f in result["lycee"]] == [
            ("A", 1, "shared"),
            ("B", 1, "shared"),
        ]
    result = rank(scores=rows(table), criteria=NOTE)
    assert [f.score for f in result["lycee"]] == [expected, expected]


def test_the_garbage_collector_is_left_as_it_was():
    # The engine pauses the cyclic collector while it ranks, for speed.
    assert gc.isenabled()
    rank(scores=rows(FIVE_JURORS), criteria=NOTE)
    assert gc.isenabled()
    with pytest.raises(RankingError):
        rank(scores=rows({"A": {"j1": 21}}), criteria=NOTE)
    assert gc.isenabled()
    gc.disable()
    try:
        rank(scores=rows(FIVE_JURORS), criteria=NOTE)
        assert not gc.isenabled()
    finally:
        gc.enable()
