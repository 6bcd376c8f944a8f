"""Bad input gets one clear message that says what to fix."""

from __future__ import annotations

import json

import pytest

from scheduler.problem import Infeasible, build_problem
from scheduler.schema import InstanceError, load_instance, parse_instance
from tests.factories import instance_data


def reject(data: dict[str, object]) -> str:
    with pytest.raises(InstanceError) as err:
        build_problem(parse_instance(data))
    return str(err.value)


def test_valid_instance_loads() -> None:
    inst = parse_instance(instance_data())
    assert len(inst.participants) == 8 and inst.rounds == 3


def test_unknown_participant_in_keep_apart_is_named() -> None:
    msg = reject(instance_data(keep_apart=[["p1", "zz"]]))
    assert "unknown participant 'zz'" in msg


def test_duplicate_participant_id() -> None:
    data = instance_data()
    data["participants"].append({"id": "p1"})  # type: ignore[attr-defined]
    assert "participant id 'p1' is used twice" in reject(data)


def test_pin_outside_rounds() -> None:
    msg = reject(instance_data(pins=[{"participant": "p1", "round": 9, "table": "T1"}]))
    assert "round 9, outside rounds 1..3" in msg


def test_pin_to_unknown_table() -> None:
    msg = reject(instance_data(pins=[{"participant": "p1", "round": 1, "table": "T9"}]))
    assert "unknown table 'T9'" in msg


def test_keep_together_larger_than_any_table() -> None:
    data = instance_data(keep_together=[["p1", "p2", "p3", "p4", "p5"]])
    with pytest.raises(Infeasible, match="has 5 people but the largest table seats 4"):
        build_problem(parse_instance(data))


def test_too_few_seats() -> None:
    msg = reject(instance_data(people=9))
    assert "9 participants but only 8 seats" in msg


def test_min_size_above_capacity() -> None:
    data = instance_data()
    data["tables"][0]["min_size"] = 6  # type: ignore[index]
    assert "min_size 6 above its capacity 4" in reject(data)


def test_missing_field_is_located() -> None:
    data = instance_data()
    del data["rounds"]
    assert "rounds: Field required" in reject(data)


def test_subject_mode_without_subjects() -> None:
    assert "needs at least one subject" in reject(instance_data(subject_mode="rotating"))


def test_fixed_mode_subject_over_its_hosts() -> None:
    data = instance_data(subjects=1, mode="fixed", table_subjects={"T1": "S1", "T2": "S1"})
    assert "given to 2 tables but has 1 host" in reject(data)


def test_apart_and_together_at_once() -> None:
    data = instance_data(keep_apart=[["p1", "p2"]], keep_together=[["p1", "p2"]])
    with pytest.raises(Infeasible, match="both kept apart and kept together"):
        build_problem(parse_instance(data))


def test_malformed_json_names_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    path.write_text('{"rounds": 3,\n "participants": [}')
    with pytest.raises(InstanceError, match="not valid JSON \\(line 2"):
        load_instance(path)


def test_example_instance_loads() -> None:
    inst = load_instance("examples/lima-2022/instance.json")
    assert len(inst.participants) == 16 and len(inst.subjects) == 5
    assert json.loads(inst.model_dump_json())["rounds"] == 5
