"""Budgets of work: the same seed and work limit give the same plan, however busy the machine."""

from __future__ import annotations

import math
import threading

from bench.instances import lima, short_of_full
from scheduler.budget import Budget
from scheduler.schema import Instance
from scheduler.search import solve


def seats(instance: Instance, seed: int, work: float) -> list[list[list[str]]]:
    plan = solve(instance, time_limit=math.inf, work_limit=work, seed=seed).plan
    return [[t.participants for t in r.tables] for r in plan.rounds]


def test_a_part_spends_the_work_of_the_whole() -> None:
    whole = Budget.of_work(10)
    part = whole.part(0.5)
    part.spend(2)
    assert part.work == 3 and whole.work == 8
    assert not part.over()
    part.spend(5)
    assert part.over() and whole.work == 3


def test_time_only_budgets_count_no_work() -> None:
    budget = Budget.seconds(5)
    budget.spend(100)
    assert budget.work is None and not budget.over() and math.isinf(budget.steps(10))


def test_same_seed_and_work_give_the_same_plan() -> None:
    # the tabu search (29 golfers: no design) and CP-SAT's exact model (Lima)
    for instance, work in ((short_of_full(29, 8, 4, 10), 0.5), (lima(), 1.0)):
        assert seats(instance, 3, work) == seats(instance, 3, work)


def test_a_busy_process_gets_the_same_plan() -> None:
    instance = short_of_full(29, 8, 4, 10)
    calm = seats(instance, 1, 0.5)
    done = threading.Event()

    def busy() -> None:  # holds the interpreter half of the time: the solve runs slower
        x = 0
        while not done.is_set():
            x += 1

    hog = threading.Thread(target=busy)
    hog.start()
    try:
        assert seats(instance, 1, 0.5) == calm
    finally:
        done.set()
        hog.join()
