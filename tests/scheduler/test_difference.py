"""Difference-matrix designs over Z_q (scheduler/difference.py), checked by counting meetings."""

from __future__ import annotations

import threading

from bench.instances import golfers
from scheduler.budget import Budget
from scheduler.difference import difference_rounds
from scheduler.search import solve
from tests.scheduler.limits import work
from tests.scheduler.test_develop import assert_seats_everyone, meetings


def test_sixty_at_ten_tables_of_six_meet_nobody_twice_in_eight_rounds() -> None:
    # q = 10 is no prime power: no finite field gives these rounds
    plan = difference_rounds(6, 10, 8, Budget.of_work(30))
    assert plan is not None and len(plan) == 8
    assert_seats_everyone(plan, 60, [6] * 10)
    met = meetings(plan)
    assert max(met.values()) == 1 and len(met) == 8 * 10 * 15


def test_with_as_many_orbits_as_tables_the_orbits_make_one_more_round() -> None:
    plan = difference_rounds(5, 5, 6, Budget.of_work(30))  # an affine plane of order 5
    assert plan is not None
    assert_seats_everyone(plan, 25, [5] * 5)
    assert len(meetings(plan)) == 25 * 24 // 2 and max(meetings(plan).values()) == 1


def test_impossible_matrices_are_refused() -> None:
    # each would spend its whole budget if not refused
    budget = Budget.of_work(30)
    assert difference_rounds(6, 10, 11, budget) is None  # more rounds than tables
    # six rounds of 30 at 6 tables of 5 would need a complete matrix over Z_6: there is none
    assert difference_rounds(5, 6, 6, budget) is None
    assert difference_rounds(3, 14, 14, budget) is None  # none over Z_q, q even
    assert difference_rounds(7, 6, 3, budget) is None  # a row cannot hold 7 values
    assert budget.work == 30


def test_where_no_matrix_exists_the_developed_design_still_comes() -> None:
    # 56 at 14 tables of 4 for 14 rounds: nothing over Z_14, a developed design over Z_13
    result = solve(golfers(56, 14, 4, 14), **work(5))
    assert result.status == "optimal" and result.plan.metrics["repeats"] == 0


def test_a_stopped_search_returns_nothing() -> None:
    stop = threading.Event()
    stop.set()
    assert difference_rounds(6, 10, 8, Budget.of_work(30, stop=stop)) is None


def test_solve_gives_sixty_people_eight_rounds_without_repeats_and_proves_it() -> None:
    result = solve(golfers(60, 10, 6, 8), **work(10))
    assert result.status == "optimal" and result.plan.metrics["valid"]
    assert result.plan.metrics["repeats"] == 0
