"""The needs bound: per offerer and per requesting participant, when coverage holds; and why
each unserved need is unserved."""

from __future__ import annotations

import scheduler
from bench.instances import lima
from tests.factories import make_instance


def test_two_offerers_serve_at_most_six_of_twelve_at_tables_of_four() -> None:
    # Lima's Digitalization: 12 countries ask, Chile and Mexico offer; with every subject
    # once for everyone each offerer sits at a Digitalization table once, with 3 others
    instance = lima()
    bounds = scheduler.bounds(instance)
    assert bounds.needs_by_topic["t1"] == 6
    assert bounds.needs_most is not None
    assert bounds.needs_most < bounds.needs_possible == bounds.needs_total == 154
    plan = scheduler.solve(instance, time_limit=60, work_limit=1).plan
    served = scheduler.score(instance, plan).served
    assert plan.metrics["subject_visits"] == 80
    assert sum(1 for topic, _p in served if topic == "t1") <= 6
    assert len(served) <= bounds.needs_most


def test_needs_weighed_above_coverage_keep_the_plain_bound() -> None:
    instance = lima()
    instance.weights.need = instance.weights.subject_repeat
    bounds = scheduler.bounds(instance)
    assert bounds.needs_most == bounds.needs_possible == 154


def needs_instance() -> scheduler.Instance:
    # 8 people at 2 tables of 4, 2 subjects over 2 rounds: everyone at each subject once (put
    # before repeats, which this layout forces)
    return make_instance(
        weights={"subject_repeat": 10_000_000},
        people=8,
        tables=2,
        capacity=4,
        min_size=4,
        rounds=2,
        subjects=2,
        topics=[
            # one offerer, 6 asking: at most 3 served (the offerer's table has 3 other seats)
            {
                "id": "few",
                "subject": "S1",
                "requesting": [f"p{i}" for i in range(2, 8)],
                "offering": ["p1"],
            },
            {"id": "none", "subject": "S2", "requesting": ["p8"], "offering": ["p8"]},
        ],
    )


def test_each_unserved_need_says_why() -> None:
    instance = needs_instance()
    bounds = scheduler.bounds(instance)
    assert bounds.needs_by_topic == {"few": 3, "none": 0}
    assert bounds.needs_unreachable == [("none", "p8")]
    result = scheduler.solve(instance, time_limit=60, work_limit=1)
    assert result.plan.metrics["needs_served"] == 3 == bounds.needs_most
    why = {
        (u.topic, u.participant): u.why
        for u in scheduler.unserved_needs(instance, result.plan, bounds)
    }
    assert why[("none", "p8")] == "no_offerer"
    assert sorted(why.values()).count("offerers_full") == 3 and len(why) == 4
