"""Developed designs: a base round shifted into rounds where nobody meets twice."""

from __future__ import annotations

import threading
import time
from collections import Counter
from itertools import combinations

from bench.instances import golfers
from scheduler.budget import Budget
from scheduler.develop import candidates, developed_rounds
from scheduler.search import solve
from tests.scheduler.limits import work


def meetings(plan: list[list[list[int]]]) -> Counter[tuple[int, int]]:
    met: Counter[tuple[int, int]] = Counter()
    for groups in plan:
        for group in groups:
            met.update(combinations(sorted(group), 2))
    return met


def assert_seats_everyone(plan: list[list[list[int]]], n: int, sizes: list[int]) -> None:
    for groups in plan:
        assert sorted(p for group in groups for p in group) == list(range(n))
        assert sorted(len(group) for group in groups) == sorted(sizes)


def test_thirty_at_six_tables_of_five_for_six_rounds_without_a_repeat() -> None:
    plan = developed_rounds(30, [5] * 6, 6, Budget.of_work(20)).clean
    assert plan is not None and len(plan) == 6
    assert_seats_everyone(plan, 30, [5] * 6)
    assert max(meetings(plan).values()) == 1


def test_fixed_points_give_seven_clean_rounds_of_twenty_four_at_tables_of_four() -> None:
    # no finite-field design fits 24 at 6 tables of 4; Z_7 with 3 fixed points does
    plan = developed_rounds(24, [4] * 6, 8, Budget.of_work(30)).clean
    assert plan is not None and len(plan) == 7
    assert_seats_everyone(plan, 24, [4] * 6)
    assert max(meetings(plan).values()) == 1


def test_local_search_finds_bases_too_large_for_the_cp_sat_model() -> None:
    # 60 people: Z_7 with 4 fixed points, one at each of four tables, who never meet
    plan = developed_rounds(60, [6] * 10, 7, Budget.of_work(30)).clean
    assert plan is not None and len(plan) == 7
    assert_seats_everyone(plan, 60, [6] * 10)
    assert max(meetings(plan).values()) == 1


def test_shapes_whose_differences_cannot_hold_a_round_are_not_tried() -> None:
    # 32 people in 2 orbits of Z_16 have 30 difference classes for the 48 pairs of a round
    shapes = candidates(32, [4] * 8, 10)
    assert (16, 2, 0) not in shapes
    assert shapes[0][0] >= 10  # shapes giving every round come first


def test_a_stopped_search_returns_at_once() -> None:
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    found = developed_rounds(30, [5] * 6, 6, Budget.of_work(30, stop=stop))
    assert found.clean is None and found.near is None
    assert time.monotonic() - started < 5


def test_solve_reaches_zero_repeats_for_thirty_golfers() -> None:
    result = solve(golfers(30, 6, 5, 6), **work(20))
    assert result.plan.metrics["repeats"] == 0
    assert result.plan.metrics["valid"] and result.status == "optimal"


def test_near_designs_seat_every_round_and_count_their_repeats() -> None:
    # 32 at 8 tables of 4 for 10 rounds: Z_10 with 2 fixed points would have to use every
    # difference class exactly once; the best base round found still gives all 10 rounds
    found = developed_rounds(32, [4] * 8, 10, Budget.of_work(3), more_than=9, near=True)
    assert found.near is not None and len(found.near) == 10
    assert_seats_everyone(found.near, 32, [4] * 8)
    met = meetings(found.near)
    assert found.near_repeats == sum(m - 1 for m in met.values())
