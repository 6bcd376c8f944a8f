"""The needs phase on larger events (scheduler/reseat.py): what an organizer checks."""

from __future__ import annotations

from bench.instances import golfers, with_needs
from scheduler.search import solve
from tests.scheduler.limits import work


def test_hundred_people_keep_pairs_and_subjects_while_more_needs_are_served() -> None:
    # 100 people, 20 tables of 5, 5 subjects of 4 hosts, 160 needs; the tabu search alone
    # served 56-65 of them in 10 s
    inst = with_needs(golfers(100, 20, 5, 5, subjects=5))
    m = solve(inst, **work(3), seed=0).plan.metrics
    assert m["valid"] and m["repeats"] == 0 and m["subject_visits"] == 500
    assert m["needs_total"] == 160 and m["needs_served"] >= 66
