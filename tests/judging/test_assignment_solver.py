"""The assignment solver's guarantees, on random juries: coverage, balance, no conflict, caps.

`solve` is a pure function over ids: these tests need no database. Small instances are checked
against a brute force that tries every possible assignment.
"""

import itertools
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.domain.assignment import (
    CAPS,
    TOO_FEW_JURORS,
    Shortfall,
    everyone,
    shortfall_message,
    solve,
)

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def instances(draw, max_films=6, max_jurors=6, with_conflicts=True, with_cap=True, keep=False):
    films = list(range(1, draw(st.integers(0, max_films)) + 1))
    jurors = list(range(101, 101 + draw(st.integers(0, max_jurors))))
    pairs = [(f, j) for f in films for j in jurors]
    conflicts = set()
    if with_conflicts and pairs:
        conflicts = set(draw(st.lists(st.sampled_from(pairs), unique=True)))
    kept = set()
    if keep and pairs:
        kept = set(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=4)))
    return {
        "films": films,
        "jurors": jurors,
        "k": draw(st.integers(0, 4)),
        "cap": draw(st.one_of(st.none(), st.integers(0, 5))) if with_cap else None,
        "conflicts": conflicts,
        "keep": kept,
    }


def allowed_pairs(instance) -> set:
    return {
        (f, j)
        for f in instance["films"]
        for j in instance["jurors"]
        if (f, j) not in instance["conflicts"]
    }


def film_counts(pairs, films) -> Counter:
    counts = Counter(f for f, _j in pairs)
    return Counter({f: counts[f] for f in films})


def juror_loads(pairs, jurors) -> Counter:
    counts = Counter(j for _f, j in pairs)
    return Counter({j: counts[j] for j in jurors})


def quality(pairs, instance) -> tuple:
    """What the solver optimizes, in order: most jurors in all, shortage spread over the films,
    loads balanced (sums of squares, smaller is better)."""
    films = film_counts(pairs, instance["films"])
    loads = juror_loads(pairs, instance["jurors"])
    return (
        -len(pairs),
        sum(n * n for n in films.values()),
        sum(n * n for n in loads.values()),
    )


def brute_force_best(instance) -> tuple:
    """The best quality over every assignment the rules allow (small instances only)."""
    kept = instance["keep"] & allowed_pairs(instance)
    open_pairs = sorted(allowed_pairs(instance) - kept)
    kept_films = film_counts(kept, instance["films"])
    kept_loads = juror_loads(kept, instance["jurors"])
    k, cap = instance["k"], instance["cap"]
    best = None
    for size in range(len(open_pairs) + 1):
        for chosen in itertools.combinations(open_pairs, size):
            added_films = Counter(f for f, _j in chosen)
            if any(added_films[f] > max(0, k - kept_films[f]) for f in added_films):
                continue
            added_loads = Counter(j for _f, j in chosen)
            if cap is not None and any(
                added_loads[j] > max(0, cap - kept_loads[j]) for j in added_loads
            ):
                continue
            key = quality(kept | set(chosen), instance)
            if best is None or key < best:
                best = key
    return best


# Hard rules


@SETTINGS
@given(instances(keep=True))
def test_a_conflicted_pair_is_never_assigned(instance):
    solution = solve(**instance)
    assert solution.pairs & instance["conflicts"] == set()


@SETTINGS
@given(instances())
def test_the_cap_is_never_exceeded(instance):
    solution = solve(**instance)
    if instance["cap"] is not None:
        assert (
            max(juror_loads(solution.pairs, instance["jurors"]).values(), default=0)
            <= (instance["cap"])
        )


@SETTINGS
@given(instances(keep=True))
def test_kept_assignments_stay_and_new_ones_respect_the_cap(instance):
    solution = solve(**instance)
    kept = instance["keep"] - instance["conflicts"]
    assert kept <= solution.pairs
    kept_loads = juror_loads(kept, instance["jurors"])
    if instance["cap"] is not None:
        for juror, load in juror_loads(solution.pairs, instance["jurors"]).items():
            assert load <= max(instance["cap"], kept_loads[juror])


@SETTINGS
@given(instances(keep=True))
def test_no_film_gets_more_jurors_than_required(instance):
    solution = solve(**instance)
    kept = film_counts(instance["keep"] - instance["conflicts"], instance["films"])
    for film, count in film_counts(solution.pairs, instance["films"]).items():
        assert count <= max(instance["k"], kept[film])


@SETTINGS
@given(instances(keep=True))
def test_only_known_films_and_jurors_are_assigned(instance):
    solution = solve(**instance)
    assert {f for f, _j in solution.pairs} <= set(instance["films"])
    assert {j for _f, j in solution.pairs} <= set(instance["jurors"])


# Coverage


@SETTINGS
@given(instances(with_cap=False))
def test_without_cap_every_film_gets_k_or_every_allowed_juror(instance):
    solution = solve(**instance)
    allowed = film_counts(allowed_pairs(instance), instance["films"])
    counts = film_counts(solution.pairs, instance["films"])
    for film in instance["films"]:
        assert counts[film] == min(instance["k"], allowed[film])


@SETTINGS
@given(instances(keep=True))
def test_shortfalls_are_exactly_the_films_below_k(instance):
    solution = solve(**instance)
    counts = film_counts(solution.pairs, instance["films"])
    allowed = film_counts(allowed_pairs(instance), instance["films"])
    assert solution.shortfalls == tuple(
        Shortfall(film=f, required=instance["k"], assigned=counts[f], available=allowed[f])
        for f in instance["films"]
        if counts[f] < instance["k"]
    )


@SETTINGS
@given(instances(keep=True))
def test_a_shortfall_is_real_every_other_allowed_juror_is_full(instance):
    """A film short of k with an allowed juror below the cap could have had them: never."""
    solution = solve(**instance)
    loads = juror_loads(solution.pairs, instance["jurors"])
    allowed = allowed_pairs(instance)
    for shortfall in solution.shortfalls:
        others = {
            j
            for j in instance["jurors"]
            if (shortfall.film, j) in allowed and (shortfall.film, j) not in solution.pairs
        }
        if shortfall.cause == TOO_FEW_JURORS:
            assert shortfall.available < instance["k"]
        else:
            assert others
        for juror in others:
            assert instance["cap"] is not None and loads[juror] >= instance["cap"]


@SETTINGS
@given(instances(max_films=4, max_jurors=3, keep=True))
def test_optimal_against_brute_force(instance):
    """Most jurors in all, then the fairest coverage, then the most balanced loads."""
    solution = solve(**instance)
    assert quality(solution.pairs, instance) == brute_force_best(instance)


# Balance


@SETTINGS
@given(instances(max_films=12, max_jurors=8, with_conflicts=False, with_cap=False))
def test_without_conflicts_or_cap_loads_differ_by_at_most_one(instance):
    solution = solve(**instance)
    loads = juror_loads(solution.pairs, instance["jurors"]).values()
    if loads:
        assert max(loads) - min(loads) <= 1


@SETTINGS
@given(instances(max_films=12, max_jurors=8, with_conflicts=False, with_cap=False))
def test_a_cap_at_the_balanced_load_leaves_no_shortfall(instance):
    jurors = instance["jurors"]
    if not jurors:
        return
    demand = len(instance["films"]) * min(instance["k"], len(jurors))
    cap = -(-demand // len(jurors))  # The balanced load, rounded up.
    solution = solve(**{**instance, "cap": cap})
    counts = film_counts(solution.pairs, instance["films"])
    assert set(counts.values()) <= {min(instance["k"], len(jurors))}
    assert all(shortfall.cause == TOO_FEW_JURORS for shortfall in solution.shortfalls)


def test_balance_on_a_realistic_festival():
    solution = solve(films=range(30), jurors=range(100, 112), k=3, cap=8)
    assert solution.shortfalls == ()
    loads = solution.loads(range(100, 112)).values()
    assert (min(loads), max(loads)) == (7, 8)


def test_a_shortage_is_spread_over_the_films():
    solution = solve(films=range(10), jurors=range(100, 104), k=3, cap=5)
    assert sorted(Counter(f for f, _j in solution.pairs).values()) == [2] * 10
    assert {s.cause for s in solution.shortfalls} == {CAPS}


# Stability


@SETTINGS
@given(instances(keep=True), st.randoms(use_true_random=False))
def test_deterministic_whatever_the_order_of_the_input(instance, rnd: random.Random):
    first = solve(**instance)
    shuffled = {
        **instance,
        "films": rnd.sample(instance["films"], len(instance["films"])),
        "jurors": rnd.sample(instance["jurors"], len(instance["jurors"])),
    }
    assert solve(**shuffled) == first
    assert solve(**instance) == first


@SETTINGS
@given(instances(keep=True))
def test_computing_again_changes_nothing(instance):
    first = solve(**instance)
    assert solve(**instance, current=first.pairs).pairs == first.pairs


def test_a_drop_out_moves_only_what_it_must():
    jurors = list(range(100, 106))
    before = solve(films=range(12), jurors=jurors, k=2)
    after = solve(films=range(12), jurors=jurors[1:], k=2, current=before.pairs)
    lost = {pair for pair in before.pairs if pair[1] == jurors[0]}
    assert after.shortfalls == ()
    # Every pair of the others is still there: only the leaver's films found new jurors.
    assert before.pairs - lost <= after.pairs
    assert len(after.pairs - before.pairs) == len(lost)


def test_kept_pairs_count_toward_k_and_the_load():
    solution = solve(films=[1, 2], jurors=[10, 11, 12], k=1, keep={(1, 10), (2, 10)})
    assert solution.pairs == {(1, 10), (2, 10)}


def test_a_conflicted_kept_pair_is_dropped():
    solution = solve(films=[1], jurors=[10, 11], k=1, conflicts={(1, 10)}, keep={(1, 10)})
    assert solution.pairs == {(1, 11)}


def test_negative_parameters_are_refused():
    with pytest.raises(ValueError):
        solve(films=[1], jurors=[2], k=-1)


# Everyone


def test_everyone_gets_every_film_but_their_conflicts():
    solution = everyone(films=[1, 2], jurors=[10, 11], conflicts={(1, 10), (2, 10), (2, 11)})
    assert solution.pairs == {(1, 11)}
    assert solution.shortfalls == (Shortfall(film=2, required=1, assigned=0, available=0),)


# What the organizer reads


def test_message_when_conflicts_leave_too_few_jurors():
    shortfall = Shortfall(film=1, required=3, assigned=2, available=2)
    assert shortfall_message(
        title="Les mains d'or", shortfall=shortfall, team=4, conflicted=1, removed=1, cap=None
    ) == (
        "« Les mains d'or » n'a que 2 jurés sur les 3 demandés : seuls 2 des 4 jurés titulaires "
        "du jury peuvent le noter (1 en conflit d'intérêts, 1 retiré à la main). Ajoutez des "
        "jurés au jury ou baissez le nombre de jurés par film."
    )


def test_message_when_every_juror_is_conflicted():
    shortfall = Shortfall(film=1, required=2, assigned=0, available=0)
    assert shortfall_message(
        title="Acier", shortfall=shortfall, team=3, conflicted=3, cap=None
    ) == (
        "« Acier » n'a aucun juré : aucun des 3 jurés titulaires du jury ne peut le noter "
        "(3 en conflit d'intérêts). Ajoutez des jurés au jury ou baissez le nombre de jurés "
        "par film."
    )


def test_message_when_the_jury_is_too_small():
    shortfall = Shortfall(film=1, required=3, assigned=1, available=1)
    assert shortfall_message(title="Acier", shortfall=shortfall, team=1) == (
        "« Acier » n'a que 1 juré sur les 3 demandés : le jury ne compte que 1 juré titulaire. "
        "Ajoutez des jurés au jury ou baissez le nombre de jurés par film."
    )


def test_message_when_the_jury_is_empty_in_everyone_mode():
    shortfall = Shortfall(film=1, required=1, assigned=0, available=0)
    assert shortfall_message(title="Acier", shortfall=shortfall, team=0, everyone=True) == (
        "« Acier » n'a aucun juré : le jury n'a encore aucun juré titulaire. "
        "Ajoutez des jurés au jury."
    )


def test_message_when_caps_bind():
    shortfall = Shortfall(film=1, required=3, assigned=1, available=4)
    assert shortfall_message(title="Acier", shortfall=shortfall, team=4, cap=5) == (
        "« Acier » n'a que 1 juré sur les 3 demandés : les 3 autres jurés qui pourraient le "
        "noter ont déjà atteint la limite de 5 films par juré. Augmentez la limite de films "
        "par juré ou ajoutez des jurés au jury."
    )


def test_message_when_caps_bind_on_one_juror():
    shortfall = Shortfall(film=1, required=3, assigned=2, available=3)
    assert shortfall_message(title="Acier", shortfall=shortfall, team=3, cap=2) == (
        "« Acier » n'a que 2 jurés sur les 3 demandés : le seul autre juré qui pourrait le "
        "noter a déjà atteint la limite de 2 films par juré. Augmentez la limite de films par "
        "juré ou ajoutez des jurés au jury."
    )
