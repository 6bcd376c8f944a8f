"""The objective checked twice: the search's cost of a plan equals the cost recounted from the
validator's figures (scheduler/objective.py), on plans with repeats, subjects, needs, groups
kept together and a re-plan."""

from __future__ import annotations

import pytest

import scheduler
from bench.instances import golfers, lima
from scheduler import Instance, plan_cost
from tests.factories import make_instance

CASES = {
    "forced repeats": golfers(12, 3, 4, 4),
    "uneven tables, subjects": make_instance(people=14, tables=4, capacity=4, rounds=4, subjects=4),
    "Lima, needs": lima(),
    "kept together": make_instance(
        people=10, tables=3, capacity=4, rounds=3, keep_together=[["p1", "p2"]]
    ),
    "full tables, subjects": make_instance(people=9, tables=3, capacity=3, rounds=3, subjects=3),
}


@pytest.mark.parametrize("instance", list(CASES.values()), ids=list(CASES))
def test_the_search_cost_is_the_validators_cost(instance: Instance) -> None:
    result = scheduler.solve(instance, time_limit=60, work_limit=0.3, seed=2)
    score = scheduler.score(instance, result.plan)
    assert score.valid
    assert result.cost == plan_cost(instance, result.plan, score)


def test_a_replan_counts_its_seat_changes_alike() -> None:
    instance = lima()
    first = scheduler.solve(instance, time_limit=60, work_limit=0.3, seed=1).plan
    instance.participants[0].absent_rounds = [4, 5]
    result = scheduler.solve(instance, time_limit=60, work_limit=0.3, seed=1, previous=first)
    score = scheduler.score(instance, result.plan, first)
    assert score.valid and score.seat_changes
    assert result.cost == plan_cost(instance, result.plan, score)
    changes = scheduler.seat_changes(instance, result.plan, first)
    assert len(changes) == score.seat_changes
    assert all(c.before != c.after and c.name for c in changes)
