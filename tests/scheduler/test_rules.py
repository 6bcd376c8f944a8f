"""One test per hard rule: a pattern the solver must honour, or report as infeasible."""

from __future__ import annotations

import pytest

from scheduler.problem import Infeasible
from scheduler.schema import parse_instance
from scheduler.search import solve
from scheduler.validate import score_plan
from tests.factories import instance_data
from tests.scheduler.limits import work


def solved(**kwargs: object):  # type: ignore[no-untyped-def]
    inst = parse_instance(instance_data(**kwargs))
    result = solve(inst, **work(2), seed=1)
    score = score_plan(inst, result.plan)
    assert score.valid, score.violations
    return inst, result.plan


def table_of(plan, person: str, rnd: int) -> str:  # type: ignore[no-untyped-def]
    return plan.seats()[(person, rnd)]


def test_everyone_present_sits_once_per_round() -> None:
    _, plan = solved(people=10, tables=3, capacity=4)
    for rnd in plan.rounds:
        seated = [p for t in rnd.tables for p in t.participants]
        assert sorted(seated) == sorted(f"p{i}" for i in range(1, 11))


def test_table_sizes_within_min_and_capacity() -> None:
    _, plan = solved(people=10, tables=3, capacity=4, min_size=3)
    assert all(3 <= len(t.participants) <= 4 for r in plan.rounds for t in r.tables)


def test_min_size_that_cannot_be_met_is_infeasible() -> None:
    with pytest.raises(Infeasible, match="too few to fill"):
        solve(
            parse_instance(
                instance_data(
                    people=5,
                    tables=3,
                    min_size=4,
                    capacity=4,
                    pins=[
                        {"participant": "p1", "round": 1, "table": "T1"},
                        {"participant": "p2", "round": 1, "table": "T2"},
                    ],
                )
            ),
            **work(1),
        )


def test_subject_at_no_more_tables_than_hosts() -> None:
    _, plan = solved(people=12, tables=4, capacity=3, subjects=4, rounds=4)
    for rnd in plan.rounds:
        subjects = [t.subject for t in rnd.tables]
        assert len(subjects) == len(set(subjects))


def test_more_tables_than_hosts_uses_fewer_tables() -> None:
    _, plan = solved(people=8, tables=4, capacity=4, subjects=2, rounds=2)
    assert all(len(r.tables) == 2 for r in plan.rounds)


def test_keep_apart_never_together() -> None:
    _, plan = solved(people=8, rounds=4, keep_apart=[["p1", "p2"], ["p3", "p4"]])
    for r in range(1, 5):
        assert table_of(plan, "p1", r) != table_of(plan, "p2", r)
        assert table_of(plan, "p3", r) != table_of(plan, "p4", r)


def test_keep_together_always_together() -> None:
    _, plan = solved(people=8, rounds=4, keep_together=[["p1", "p2"]])
    assert all(table_of(plan, "p1", r) == table_of(plan, "p2", r) for r in range(1, 5))


def test_keep_apart_impossible_with_one_table_is_reported() -> None:
    inst = parse_instance(instance_data(people=4, tables=1, keep_apart=[["p1", "p2"]]))
    with pytest.raises(Infeasible, match=r"keep_apart \['p1', 'p2'\] needs 2 tables"):
        solve(inst, **work(1))


def test_pins_hold() -> None:
    pins = [{"participant": "p1", "round": r, "table": "T2"} for r in (1, 2, 3)]
    _, plan = solved(pins=pins)
    assert all(table_of(plan, "p1", r) == "T2" for r in (1, 2, 3))


def test_absent_rounds_have_no_seat() -> None:
    data = instance_data(people=9, tables=3, capacity=4)
    data["participants"][0]["absent_rounds"] = [2]  # type: ignore[index]
    inst = parse_instance(data)
    plan = solve(inst, **work(1)).plan
    assert ("p1", 2) not in plan.seats() and ("p1", 1) in plan.seats()


def test_fixed_rounds_reproduced_exactly() -> None:
    fixed = {
        "round": 1,
        "tables": [
            {"table": "T1", "participants": ["p1", "p2", "p3", "p4"]},
            {"table": "T2", "participants": ["p5", "p6", "p7", "p8"]},
        ],
    }
    _, plan = solved(fixed_rounds=[fixed])
    first = {t.table: sorted(t.participants) for t in plan.rounds[0].tables}
    assert first == {"T1": ["p1", "p2", "p3", "p4"], "T2": ["p5", "p6", "p7", "p8"]}


def test_fixed_round_over_capacity_is_named() -> None:
    fixed = {
        "round": 1,
        "tables": [{"table": "T1", "participants": [f"p{i}" for i in range(1, 9)]}],
    }
    inst = parse_instance(instance_data(fixed_rounds=[fixed]))
    with pytest.raises(Infeasible, match="table 'T1' seats 8, outside 2..4"):
        solve(inst, **work(1))


def test_keep_apart_that_the_tables_cannot_honour_is_reported() -> None:
    # Two tables of two: p3 and p4 fill one, so p1 and p2 would have to share the other.
    inst = parse_instance(
        instance_data(
            people=4,
            tables=2,
            capacity=2,
            rounds=1,
            keep_apart=[["p1", "p2"]],
            keep_together=[["p3", "p4"]],
        )
    )
    with pytest.raises(Infeasible, match="'p1' and 'p2' must be kept apart"):
        solve(inst, **work(1))


def test_fixed_subject_mode_keeps_table_subjects() -> None:
    _, plan = solved(people=8, subjects=2, mode="fixed", table_subjects={"T1": "S1", "T2": "S2"})
    assert all(
        t.subject == {"T1": "S1", "T2": "S2"}[t.table] for r in plan.rounds for t in r.tables
    )


def test_none_mode_has_no_subjects() -> None:
    _, plan = solved()
    assert all(t.subject is None for r in plan.rounds for t in r.tables)
