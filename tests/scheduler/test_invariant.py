"""Rounds unchanged by translations (scheduler/invariant.py), checked by counting meetings."""

from __future__ import annotations

import threading

import pytest

from bench.instances import golfers
from scheduler.budget import Budget
from scheduler.invariant import invariant_rounds
from scheduler.search import solve
from tests.scheduler.limits import work
from tests.scheduler.test_develop import assert_seats_everyone, meetings


def test_the_social_golfer_problem_has_ten_rounds_without_a_repeat() -> None:
    # 32 golfers at 8 tables of 4: finite fields give 8 rounds, the bound allows 10
    plan = invariant_rounds(4, 3, 10, Budget.of_work(30))
    assert plan is not None and len(plan) == 10
    assert_seats_everyone(plan, 32, [4] * 8)
    met = meetings(plan)
    assert max(met.values()) == 1 and len(met) == 10 * 8 * 6


def test_without_the_assumed_symmetry_the_plain_cover_answers() -> None:
    # 32 people in pairs, 2 orbits of 16 (too few to turn): 15 rounds, 240 different pairs
    plan = invariant_rounds(2, 4, 15, Budget.of_work(30))
    assert plan is not None
    assert_seats_everyone(plan, 32, [2] * 16)
    assert len(meetings(plan)) == 15 * 16 and max(meetings(plan).values()) == 1


def test_too_many_rounds_for_the_classes_are_refused() -> None:
    # 40 at 8 tables of 5: only transversal rounds exist, 8 of them at most
    assert invariant_rounds(5, 3, 9, Budget.of_work(30)) is None
    assert invariant_rounds(6, 6, 3, Budget.of_work(30)) is None  # too many rounds to list


@pytest.mark.parametrize("shape", [(32, 2, 16, 3), (32, 4, 8, 4), (40, 2, 20, 2), (32, 8, 4, 11)])
def test_shapes_with_too_many_invariant_rounds_keep_the_time_limit(
    shape: tuple[int, int, int, int],
) -> None:
    # many orbits over a small group: far more invariant rounds than could be covered in time
    result = solve(golfers(*shape), time_limit=1)
    assert result.seconds < 1 + 1.0 and result.plan.metrics["valid"]


def test_a_stopped_search_returns_nothing() -> None:
    stop = threading.Event()
    stop.set()
    assert invariant_rounds(4, 3, 10, Budget.of_work(30, stop=stop)) is None


def test_solve_gives_the_golfers_plan_without_repeats_and_proves_it() -> None:
    result = solve(golfers(32, 8, 4, 10), **work(5))
    assert result.status == "optimal" and result.plan.metrics["valid"]
    assert result.plan.metrics["repeats"] == 0 and result.plan.metrics["max_meetings"] == 1
