"""On random small events every plan is valid and never beats a lower bound."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.problem import Infeasible
from scheduler.schema import parse_instance
from scheduler.search import solve
from scheduler.validate import score_plan
from tests.factories import instance_data
from tests.scheduler.limits import work


@st.composite
def events(draw):  # type: ignore[no-untyped-def]
    people = draw(st.integers(4, 14))
    capacity = draw(st.integers(2, 5))
    tables = draw(st.integers(-(-people // capacity), -(-people // capacity) + 2))
    subjects = draw(st.integers(0, 4))
    data = instance_data(
        people=people,
        tables=tables,
        capacity=capacity,
        min_size=draw(st.integers(1, 2)),
        rounds=draw(st.integers(1, 4)),
        subjects=subjects,
        mode=draw(st.sampled_from(["rotating", "none"])) if subjects else None,
    )
    if subjects:
        for s in data["subjects"]:
            s["hosts"] = draw(st.integers(1, 2))
    if draw(st.booleans()):
        data["keep_apart"] = [["p1", "p2"]]
    if draw(st.booleans()) and people > 3:
        data["keep_together"] = [["p3", "p4"]]
    if draw(st.booleans()):
        data["participants"][0]["absent_rounds"] = [1]
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_plans_are_valid_and_respect_bounds(data) -> None:  # type: ignore[no-untyped-def]
    inst = parse_instance(data)
    try:
        result = solve(inst, **work(0.3), seed=0)
    except Infeasible:
        return  # reported with its reason; test_rules covers the messages
    score = score_plan(inst, result.plan)
    bounds = result.bounds
    assert score.valid, score.violations
    assert score.repeats >= bounds.repeats
    assert score.subject_visits <= bounds.subject_visits
    assert score.needs_served <= bounds.needs_possible
    if score.meetings:
        assert score.max_meetings >= bounds.max_meetings
