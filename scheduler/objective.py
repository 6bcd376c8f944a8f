"""The objective recomputed from the validator's figures, not from the search's state.

The search (state.py) and the exact model (model.py) keep their own running cost; this module
counts it again from a checked plan: each pair's meetings beyond the first, the most-met
pair's meetings beyond the first, each seat at a subject already seen, each need unserved and
each seat changed from the previous plan. A test asserts the two agree.
"""

from __future__ import annotations

from .schema import Instance, Plan
from .validate import Score


def plan_cost(instance: Instance, plan: Plan, score: Score) -> int:
    """The weighted objective of a valid plan, from `score` (validate.score_plan)."""
    w = instance.weights
    total = 0
    for m in score.meetings.values():
        # a pair's meetings cost convexly: (m - 1) repeats, and (m - 1)(m - 2)/2 more for
        # every meeting past the second, so forced repeats spread over many pairs
        total += w.repeat * (m - 1) + w.max_meetings * (m - 1) * (m - 2) // 2
    seats_at_subjects = sum(
        len(table.participants)
        for plan_round in plan.rounds
        for table in plan_round.tables
        if table.subject is not None
    )
    total += w.subject_repeat * (seats_at_subjects - score.subject_visits)
    total += w.need * (score.needs_total - score.needs_served)
    total += w.change * (score.seat_changes or 0)
    return total
