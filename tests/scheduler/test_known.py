"""Known designs (scheduler/known.py), checked pair by pair, and the plans they give."""

from __future__ import annotations

import pytest

from bench.instances import golfers, short_of_full
from scheduler.cut_plane import near_rounds
from scheduler.known import kirkman, known_rounds, near_known_rounds
from scheduler.search import solve
from tests.scheduler.limits import work
from tests.scheduler.test_develop import assert_seats_everyone, meetings


@pytest.mark.parametrize("v", [9, 15, 21, 27, 39, 45, 57, 63, 75, 81, 135])
def test_kirkman_systems_seat_every_pair_exactly_once(v: int) -> None:
    plan = kirkman(v)
    assert plan is not None and len(plan) == (v - 1) // 2
    assert_seats_everyone(plan, v, [3] * (v // 3))
    met = meetings(plan)
    assert max(met.values()) == 1 and len(met) == v * (v - 1) // 2


def test_no_kirkman_system_is_claimed_where_these_constructions_do_not_reach() -> None:
    assert kirkman(33) is None  # 11 is no prime power 1 mod 6, and KTS(11) is no system
    assert known_rounds(33, 3, 16) is None


def test_nearly_kirkman_eighteen_leaves_out_one_pair_per_person() -> None:
    plan = known_rounds(18, 3, 8)
    assert plan is not None and len(plan) == 8
    assert_seats_everyone(plan, 18, [3] * 6)
    met = meetings(plan)
    assert max(met.values()) == 1 and len(met) == 18 * 17 // 2 - 9
    unmet = [p for p in range(18) if sum(p in pair for pair in met) == 16]
    assert len(unmet) == 18  # each person misses exactly one other: a perfect matching


@pytest.mark.parametrize(
    ("n", "g", "rounds"),
    [(100, 10, 4), (144, 12, 7), (120, 10, 6), (60, 5, 6), (24, 2, 6)],
)
def test_latin_square_designs_meet_nobody_twice(n: int, g: int, rounds: int) -> None:
    plan = known_rounds(n, g, 99)
    assert plan is not None and len(plan) == rounds
    assert_seats_everyone(plan, n, [g] * (n // g))
    met = meetings(plan)
    assert max(met.values()) == 1 and len(met) == rounds * (n // g) * g * (g - 1) // 2


def test_fewer_rounds_are_the_first_ones_and_unknown_shapes_none() -> None:
    full = known_rounds(144, 12, 7)
    assert full is not None and known_rounds(144, 12, 3) == full[:3]
    assert known_rounds(36, 6, 3) is None  # no known design for 6 x 6 here
    assert known_rounds(21, 3, 0) is None


@pytest.mark.parametrize(
    ("tables", "size", "rounds"),
    [(7, 3, 10), (15, 3, 22), (6, 3, 8), (10, 10, 4), (12, 12, 7), (15, 3, 9), (12, 12, 4)],
)
def test_classic_shapes_with_a_known_design_get_no_repeat(
    tables: int, size: int, rounds: int
) -> None:
    result = solve(golfers(tables * size, tables, size, rounds), **work(1))
    assert result.plan.metrics["repeats"] == 0 and result.status == "optimal"
    assert result.plan.metrics["valid"]


def test_a_known_design_gives_the_same_plan_for_the_same_seed() -> None:
    first = solve(golfers(45, 15, 3, 22), seed=3, **work(1)).plan
    again = solve(golfers(45, 15, 3, 22), seed=3, **work(1)).plan
    assert first.rounds == again.rounds


@pytest.mark.parametrize(("n", "tables", "size", "rounds"), [(44, 15, 3, 22), (99, 10, 10, 4)])
def test_a_few_short_of_a_known_design_still_meet_nobody_twice(
    n: int, tables: int, size: int, rounds: int
) -> None:
    result = solve(short_of_full(n, tables, size, rounds), **work(1))
    assert result.plan.metrics["repeats"] == 0 and result.status == "optimal"


@pytest.mark.parametrize(
    ("g", "rounds", "most", "most_meetings"),
    [(10, 11, 600, 3), (10, 12, 750, 4), (6, 7, 90, 3)],
)
def test_a_plane_of_order_g_plus_one_less_two_lines_seats_g_squared_with_few_repeats(
    g: int, rounds: int, most: int, most_meetings: int
) -> None:
    plan = near_rounds(g * g, g, rounds)
    assert plan is not None and len(plan) == rounds
    assert_seats_everyone(plan, g * g, [g] * g)
    met = meetings(plan)
    assert sum(m - 1 for m in met.values()) <= most
    assert max(met.values()) <= most_meetings


def test_no_cut_plane_where_a_plane_of_order_g_exists_or_none_of_order_g_plus_one() -> None:
    assert near_rounds(49, 7, 8) is None  # the affine plane of order 7 has no repeat
    assert near_rounds(196, 14, 5) is None  # 15 is no prime power
    assert near_rounds(100, 10, 13) is None  # a plane of order 11 has 12 classes


def test_a_hundred_at_ten_tables_of_ten_for_eleven_rounds_start_from_the_cut_plane() -> None:
    # 902 repeats with the same work before the cut plane (the bound is 1: no plane of order 10)
    result = solve(golfers(100, 10, 10, 11), **work(1))
    assert result.plan.metrics["repeats"] <= 600


def test_twenty_four_at_six_tables_of_four_for_eight_rounds_meet_everyone_with_twelve_repeats() -> (
    None
):
    plan = near_known_rounds(24, 4, 8)
    assert plan is not None and len(plan) == 8
    assert_seats_everyone(plan, 24, [4] * 6)
    met = meetings(plan)
    assert len(met) == 24 * 23 // 2  # everyone meets everyone
    twice = [pair for pair, times in met.items() if times == 2]
    assert max(met.values()) == 2 and len(twice) == 12
    assert sorted(p for pair in twice for p in pair) == list(range(24))  # one other each
    assert near_known_rounds(24, 4, 7) is None and near_known_rounds(28, 4, 8) is None


def test_the_solver_returns_the_fewest_repeats_for_twenty_four_over_eight_rounds() -> None:
    # 18 repeats before this plan was known; 12 is the counting bound, so the plan is optimal
    result = solve(golfers(24, 6, 4, 8), **work(1))
    assert result.plan.metrics["repeats"] == 12 == result.plan.metrics["repeats_lower_bound"]
    assert result.status == "optimal" and result.plan.metrics["valid"]
