"""The needs phase on small events (scheduler/lns.py): what an organizer checks on Lima."""

from __future__ import annotations

from bench.instances import lima
from scheduler.search import solve
from tests.scheduler.limits import work

# The most needs known for Lima with no repeated pair and every subject for everyone: 129,
# by the default solve at work 10, seed 0 (the exact model of bench/lima_needs.py found 127 in
# 6 minutes); within 5% of it is 123. The bound is 133 (need_bounds.py).
LIMA_BEST_KNOWN = 129


def test_lima_serves_needs_within_five_percent_of_the_best_known() -> None:
    m = solve(lima(), **work(10), seed=0).plan.metrics
    assert m["valid"] and m["repeats"] == 0 and m["subject_visits"] == 80
    assert m["needs_served"] >= 0.95 * LIMA_BEST_KNOWN


def test_lima_needs_phase_gives_the_same_plan_for_the_same_seed_and_work() -> None:
    a = solve(lima(), **work(2), seed=3)
    b = solve(lima(), **work(2), seed=3)
    assert a.plan.rounds == b.plan.rounds
    assert a.plan.metrics["needs_served"] == b.plan.metrics["needs_served"]
