"""Counting bounds match the known values, and impossibilities come with their reason."""

from __future__ import annotations

import random
from itertools import permutations

import pytest

from bench.instances import golfers, lima
from scheduler.bounds import AFFINE_MAXIMA, compute_bounds, round_pairs_bound
from scheduler.problem import build_problem
from scheduler.schema import parse_instance
from scheduler.search import solve
from tests.scheduler.limits import work
from tests.scheduler.test_affine_subjects import MAXIMUM


def bounds_of(inst):  # type: ignore[no-untyped-def]
    return compute_bounds(build_problem(inst))


def test_24_people_6_tables_of_4_8_rounds_needs_12_repeats() -> None:
    b = bounds_of(golfers(24, 6, 4, 8))
    assert (b.pair_meetings, b.pairs_possible, b.repeats) == (288, 276, 12)
    assert b.max_meetings == 2
    assert any("at least 12 repeated encounters" in line for line in b.impossible)


def test_lima_allows_no_repeats_and_every_subject() -> None:
    b = bounds_of(lima())
    assert b.repeats == 0 and b.subject_visits == b.subject_visits_full == 80
    assert b.needs_total == 154


def test_absent_participants_lower_the_subject_ceiling() -> None:
    inst = lima()
    inst.participants[0].absent_rounds = [1, 2]
    b = bounds_of(inst)
    assert b.subject_visits_full == 78


def test_need_nobody_else_offers_is_impossible() -> None:
    inst = golfers(
        8,
        2,
        4,
        2,
        subjects=2,
        topics=[{"id": "solo", "subject": "S1", "requesting": ["p1"], "offering": ["p1"]}],
    )
    b = bounds_of(inst)
    assert b.needs_possible == 0 and b.needs_total == 1
    assert any("nobody it can meet offers it" in line for line in b.impossible)


def test_more_rounds_than_subjects_caps_coverage() -> None:
    b = bounds_of(golfers(12, 3, 4, 4, subjects=3))
    assert b.subject_visits_full == 36 and b.subject_visits == 36


@pytest.mark.parametrize("tables", [4, 5])
def test_sixteen_at_four_tables_of_four_cannot_have_no_repeats_and_every_subject(
    tables: int,
) -> None:
    # without a repeat the seating is the affine plane of order 4 (unique): at most 3k + 1
    # people per subject at k tables, 3 * 20 + 5 = 65, and the exhaustive search of
    # bench/affine_subjects.py finds 61. Five tables of 4 seat the 16 at four of them: the
    # same (the generate page's "every table full" for Lima).
    b = bounds_of(lima(tables=tables, capacity=4, min_size=4))
    assert b.repeats == 0 and b.subject_visits == 80
    assert b.subject_visits_without_repeats == 61
    assert any("at most 61 subject visits" in line for line in b.impossible)


def test_the_exact_affine_maximum_is_the_benchmarks() -> None:
    assert AFFINE_MAXIMA[4, 5] == MAXIMUM


@pytest.mark.parametrize(
    ("shape", "least"),
    [((12, 3, 4, 3), 6), ((12, 3, 4, 2), 3), ((9, 3, 3, 5), 9), ((32, 8, 4, 10), 0)],
)
def test_pigeonholes_over_pairs_of_rounds(shape: tuple[int, int, int, int], least: int) -> None:
    # 12 at 3 tables of 4: each table of round b holds 4 people from 3 tables of round a, so
    # two of them sat together: 3 common pairs per pair of rounds, 9 in all over 3 rounds,
    # and a pair meeting m times is counted m(m-1)/2 times for m - 1 repeats: at least 6
    b = bounds_of(golfers(*shape))
    assert b.repeats == least and b.max_meetings == (2 if least else 1)
    if least and shape != (9, 3, 3, 5):
        assert any("pair of rounds" in line for line in b.impossible)


def test_a_plan_reaches_the_pigeonhole_bound_of_twelve() -> None:
    # three pairs sit together in every round (two repeats each): with no pair meeting three
    # times, each of the 9 common pairs would be a repeat of its own
    result = solve(golfers(12, 3, 4, 3), time_limit=30, work_limit=1)
    assert result.plan.metrics["repeats"] == 6


def test_lima_layouts_that_are_no_affine_plane_have_no_such_limit() -> None:
    assert bounds_of(lima()).subject_visits_without_repeats is None  # 5 tables of 3-4
    assert bounds_of(golfers(16, 4, 4, 4, subjects=5)).subject_visits_without_repeats is None


def test_a_plan_without_repeats_stays_under_the_affine_limit() -> None:
    # 9 people at 3 tables of 3 for 4 rounds, 4 subjects: at most 2 * 12 + 4 = 28 of 36
    inst = golfers(9, 3, 3, 4, subjects=4)
    b = bounds_of(inst)
    assert b.subject_visits_without_repeats == 28
    result = solve(inst, **work(5))
    assert result.plan.metrics["repeats"] == 0
    assert result.plan.metrics["subject_visits"] <= 28


def test_orders_without_the_design_need_a_repeat() -> None:
    # 36 at 6 tables of 6: 4 rounds without a repeat would be 2 orthogonal Latin squares of
    # order 6 (Euler's 36 officers), which do not exist; 3 rounds are fine
    b = bounds_of(golfers(36, 6, 6, 4))
    assert (b.repeats, b.max_meetings) == (2, 2)  # nor one repeat: see the next test
    assert any("at most 3 rounds" in line and "Tarry" in line for line in b.impossible)
    assert any("single repeated encounter" in line for line in b.impossible)
    assert bounds_of(golfers(36, 6, 6, 3)).repeats == 0
    assert solve(golfers(36, 6, 6, 3), **work(10)).plan.metrics["repeats"] == 0
    # no affine plane of order 10, nor of order 14 (Bruck-Ryser): the last round must repeat
    ten = bounds_of(golfers(100, 10, 10, 11))
    assert ten.repeats == 2 and any("order 10" in line for line in ten.impossible)
    assert bounds_of(golfers(100, 10, 10, 10)).repeats == 0
    fourteen = bounds_of(golfers(196, 14, 14, 15))
    assert fourteen.repeats == 2 and any("Bruck-Ryser" in line for line in fourteen.impossible)
    # orders with a plane keep the counting bound
    assert bounds_of(golfers(25, 5, 5, 6)).repeats == bounds_of(golfers(49, 7, 7, 8)).repeats == 0


def test_a_plan_never_beats_the_design_bound() -> None:
    result = solve(golfers(36, 6, 6, 4), **work(2))
    assert result.plan.metrics["valid"] and result.plan.metrics["repeats"] >= 2
    assert result.plan.metrics["repeats_lower_bound"] == 2


def _latin_squares(g: int) -> list[tuple[int, ...]]:
    squares: list[tuple[int, ...]] = []
    rows = list(permutations(range(g)))

    def extend(chosen: list[tuple[int, ...]]) -> None:
        if len(chosen) == g:
            squares.append(tuple(x for row in chosen for x in row))
            return
        for row in rows:
            if all(row[c] != other[c] for other in chosen for c in range(g)):
                extend([*chosen, row])

    extend([])
    return squares


def test_no_two_latin_squares_show_all_pairs_but_one() -> None:
    # the lemma behind "nor with a single repeated encounter" (bounds.py), checked on every
    # pair of Latin squares of orders 3 and 4: g*g - 1 distinct pairs never occur
    for g in (3, 4):
        squares = _latin_squares(g)
        assert len(squares) == {3: 12, 4: 576}[g]
        counts = {len(set(zip(a, b, strict=True))) for a in squares for b in squares}
        assert g * g - 1 not in counts and g * g in counts


def test_one_repeat_is_never_enough_over_four_rounds_of_a_square() -> None:
    # the net bound's shapes over 4 rounds or more need 2 repeats; fewer rounds keep 1 or 0
    assert bounds_of(golfers(36, 6, 6, 5)).repeats >= 2
    assert bounds_of(golfers(36, 6, 6, 3)).repeats == 0


def _random_pigeonhole_shapes(count: int) -> list[tuple[int, int, int, int]]:
    """Small shapes (same seed, same shapes) where a table holds more people than there are
    tables, so the pigeonhole bound over pairs of rounds says something."""
    rng = random.Random(7)
    shapes: list[tuple[int, int, int, int]] = []
    while len(shapes) < count:
        tables = rng.randint(2, 3)
        size = rng.randint(tables + 1, 5)
        n = tables * size - rng.randint(0, 1)
        shape = (n, tables, size, rng.randint(2, 4))
        if shape not in shapes:
            shapes.append(shape)
    return shapes


@pytest.mark.parametrize("shape", _random_pigeonhole_shapes(5))
def test_the_pigeonhole_bound_never_beats_a_plan(shape: tuple[int, int, int, int]) -> None:
    n, tables, size, rounds = shape
    inst = golfers(n, tables, size, rounds)
    for table in inst.tables:
        table.min_size = 1
    inst = parse_instance(inst.model_dump())  # validated again with the new sizes
    problem = build_problem(inst)
    least = round_pairs_bound(problem)
    assert least > 0  # the shape is one where it applies
    result = solve(inst, seed=0, **work(0.5))
    assert result.plan.metrics["valid"]
    assert result.plan.metrics["repeats"] >= least
    assert compute_bounds(problem).repeats >= least


def test_twelve_at_four_tables_of_three_for_five_rounds_need_three_repeats() -> None:
    # proven by bench/classic_exact.py (PROVEN_REPEATS); more rounds cannot need fewer
    b = bounds_of(golfers(12, 4, 3, 5))
    assert (b.repeats, b.max_meetings) == (3, 2)
    assert any("Kotzig" in line for line in b.impossible)
    assert any("exhaustive search" in line and "5 rounds" in line for line in b.impossible)
    assert bounds_of(golfers(12, 4, 3, 6)).repeats >= 3
    assert bounds_of(golfers(12, 4, 3, 4)).repeats == 0
    result = solve(golfers(12, 4, 3, 5), **work(2))
    assert result.plan.metrics["repeats"] == 3 and result.status == "optimal"


def test_the_exhaustive_model_finds_what_the_case_split_needs() -> None:
    # bench/classic_exact.py on a shape it can settle at once: 4 rounds of 12 at tables of 3
    # without a repeat exist, also with the first two rounds fixed as second_round says
    from ortools.sat.python import cp_model

    from bench.classic_exact import build, second_round

    assert second_round(12, 3) == [[0, 7, 10], [1, 4, 11], [2, 5, 8], [3, 6, 9]]
    model, _x, reps = build(12, 3, 4, clean=4)
    model.add(sum(reps) == 0)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 10
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
