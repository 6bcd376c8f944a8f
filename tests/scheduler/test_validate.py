"""The validator catches each broken rule in a hand-made plan and counts what happened."""

from __future__ import annotations

from scheduler.schema import parse_instance, parse_plan
from scheduler.validate import score_plan
from tests.factories import instance_data

GOOD = [
    {
        "round": 1,
        "tables": [
            {"table": "T1", "participants": ["p1", "p2", "p3", "p4"]},
            {"table": "T2", "participants": ["p5", "p6", "p7", "p8"]},
        ],
    },
    {
        "round": 2,
        "tables": [
            {"table": "T1", "participants": ["p1", "p2", "p5", "p6"]},
            {"table": "T2", "participants": ["p3", "p4", "p7", "p8"]},
        ],
    },
]


def check(plan_rounds, **kwargs):  # type: ignore[no-untyped-def]
    inst = parse_instance(instance_data(rounds=2, **kwargs))
    return score_plan(inst, parse_plan({"rounds": plan_rounds}))


def test_good_plan_counts_repeats() -> None:
    score = check(GOOD)
    assert score.valid
    # p1-p2, p3-p4, p5-p6, p7-p8 meet twice
    assert score.repeats == 4 and score.max_meetings == 2


def test_missing_seat() -> None:
    rounds = [GOOD[0], {"round": 2, "tables": [GOOD[1]["tables"][0]]}]
    assert "round 2: 'p3' is present but has no seat" in check(rounds).violations


def test_double_seat() -> None:
    rounds = [
        GOOD[0],
        {
            "round": 2,
            "tables": [
                {"table": "T1", "participants": ["p1", "p2", "p5", "p6"]},
                {"table": "T2", "participants": ["p1", "p3", "p4", "p7", "p8"]},
            ],
        },
    ]
    violations = check(rounds).violations
    assert any("'p1' sits at both" in v for v in violations)
    assert any("seats 5, outside 2..4" in v for v in violations)


def test_keep_apart_broken() -> None:
    assert any("kept apart" in v for v in check(GOOD, keep_apart=[["p1", "p2"]]).violations)


def test_keep_together_broken() -> None:
    assert any("is split" in v for v in check(GOOD, keep_together=[["p1", "p8"]]).violations)


def test_pin_broken() -> None:
    pins = [{"participant": "p1", "round": 2, "table": "T2"}]
    assert any("pinned" in v for v in check(GOOD, pins=pins).violations)


def test_rotating_subject_hosts() -> None:
    rounds = [
        {"round": r, "tables": [{**t, "subject": "S1"} for t in GOOD[r - 1]["tables"]]}
        for r in (1, 2)
    ]
    violations = check(rounds, subjects=2).violations
    assert any("subject 'S1' at 2 tables but has 1 host" in v for v in violations)


def test_absent_participant_seated() -> None:
    data = instance_data(rounds=2)
    data["participants"][0]["absent_rounds"] = [1]  # type: ignore[index]
    score = score_plan(parse_instance(data), parse_plan({"rounds": GOOD}))
    assert "round 1: 'p1' is seated but absent" in score.violations


def test_needs_served_only_with_an_offerer_at_the_subject() -> None:
    topics = [
        {"id": "k", "subject": "S1", "requesting": ["p1"], "offering": ["p2"]},
        {"id": "m", "subject": "S2", "requesting": ["p1"], "offering": ["p3"]},
    ]
    rounds = [
        {
            "round": r,
            "tables": [
                {**t, "subject": s}
                for t, s in zip(GOOD[r - 1]["tables"], ("S1", "S2"), strict=True)
            ],
        }
        for r in (1, 2)
    ]
    score = check(rounds, subjects=2, topics=topics)
    assert score.served == {("k", "p1")} and score.needs_total == 2
    # p1, p2, p7, p8 see one subject twice; p3, p4, p5, p6 see both
    assert score.subject_visits == 12
