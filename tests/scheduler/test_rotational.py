"""1-rotational resolvable designs (scheduler/rotational.py), checked by counting meetings."""

from __future__ import annotations

import pytest

from bench.instances import golfers
from scheduler.bounds import compute_bounds
from scheduler.budget import Budget
from scheduler.problem import build_problem
from scheduler.rotational import rotational_rounds
from scheduler.search import solve
from tests.scheduler.limits import work
from tests.scheduler.test_develop import assert_seats_everyone, meetings


@pytest.mark.parametrize(
    ("g", "n"), [(3, 9), (3, 27), (3, 33), (4, 16), (4, 28), (4, 40), (4, 52), (5, 25)]
)
def test_every_pair_meets_exactly_once(g: int, n: int) -> None:
    rounds = (n - 1) // (g - 1)
    plan = rotational_rounds(g, n, rounds, Budget.of_work(5))
    assert plan is not None and len(plan) == rounds
    assert_seats_everyone(plan, n, [g] * (n // g))
    met = meetings(plan)
    assert max(met.values()) == 1 and len(met) == n * (n - 1) // 2


def test_twenty_eight_need_a_group_other_than_z27() -> None:
    # no family over Z_27; one over Z_3 x Z_9 gives the resolvable (28, 4, 1) design
    plan = rotational_rounds(4, 28, 9, Budget.of_work(5))
    assert plan is not None and max(meetings(plan).values()) == 1


def test_shapes_without_a_family_are_refused_quickly() -> None:
    # KTS(21) exists, but no 1-rotational one over Z_20 nor Z_2 x Z_10: the search says so
    budget = Budget.of_work(5)
    assert rotational_rounds(3, 21, 10, budget) is None and budget.work is not None
    assert budget.work > 4
    assert rotational_rounds(4, 30, 5, Budget.of_work(5)) is None  # 29 is no multiple of 3


def test_forty_at_ten_tables_of_four_meet_nobody_twice_in_thirteen_rounds() -> None:
    # a resolvable (40, 4, 1) design; the search used to end at 39 repeats
    result = solve(golfers(40, 10, 4, 13), **work(10))
    assert result.plan.metrics["repeats"] == 0 and result.status == "optimal"


def test_no_nearly_kirkman_system_of_order_twelve() -> None:
    bounds = compute_bounds(build_problem(golfers(12, 4, 3, 5)))
    # 0 is ruled out by Kotzig and Rosa, 1 and 2 by bench/classic_exact.py (test_bounds.py)
    assert bounds.repeats == 3 and any("Kotzig" in line for line in bounds.impossible)
    assert compute_bounds(build_problem(golfers(12, 4, 3, 4))).repeats == 0
