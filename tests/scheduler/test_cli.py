"""The `ronda` command as a user runs it: a real process, files in, JSON out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import instance_data

LIMA = "examples/lima-2022/instance.json"


def ronda(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scheduler.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_solve_then_score_lima(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    done = ronda("solve", LIMA, "--time-limit", "1", "--output", str(plan))
    assert done.returncode == 0, done.stderr
    assert "repeated encounters: 0 (lower bound 0" in done.stderr
    data = json.loads(plan.read_text())
    assert len(data["rounds"]) == 5 and data["metrics"]["subject_visits"] == 80
    scored = ronda("score", LIMA, str(plan))
    assert scored.returncode == 0 and "valid plan" in scored.stdout
    assert "subject visits: 80 of 80" in scored.stdout


def test_solve_writes_plan_to_stdout() -> None:
    done = ronda("solve", LIMA, "--time-limit", "0.5")
    assert done.returncode == 0
    assert json.loads(done.stdout)["rounds"][0]["round"] == 1


def test_score_rejects_a_broken_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "rounds": [
                    {
                        "round": 1,
                        "tables": [
                            {
                                "table": "Table 1",
                                "subject": "1",
                                "participants": ["AR", "BR", "CL", "CR", "CU"],
                            }
                        ],
                    }
                ]
            }
        )
    )
    done = ronda("score", LIMA, str(plan))
    assert done.returncode == 1
    assert "INVALID plan" in done.stdout and "seats 5, outside 3..4" in done.stdout


def test_bounds_shows_impossibilities(tmp_path: Path) -> None:
    inst = tmp_path / "golf.json"
    inst.write_text(
        json.dumps(instance_data(people=24, tables=6, capacity=4, min_size=4, rounds=8))
    )
    done = ronda("bounds", str(inst))
    assert done.returncode == 0
    assert "repeated encounters: at least 12" in done.stdout
    assert "no plan without repeats" in done.stdout


def test_bounds_show_the_needs_a_plan_with_every_subject_can_serve() -> None:
    done = ronda("bounds", LIMA)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    reachable = lines.index("needs: at most 154 of 154 can be served")
    # Digitalization: 12 ask, 2 offer, each offerer at one table of 4 once
    assert lines[reachable + 1] == "  at most 133 with every subject for everyone"


def test_bounds_tradeoff_for_four_tables_of_four(tmp_path: Path) -> None:
    data = json.loads(Path(LIMA).read_text())
    data["tables"] = [{"id": f"T{i}", "capacity": 4, "min_size": 4} for i in range(4)]
    inst = tmp_path / "lima4.json"
    inst.write_text(json.dumps(data))
    done = ronda("bounds", str(inst), "--tradeoff", "--time-limit", "2", "--json")
    points = json.loads(done.stdout)["tradeoff"]
    assert points["repeats first"]["repeats"] == 0
    assert points["subjects first"]["subject_visits"] == 80


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (line 1"),
        (json.dumps(instance_data(keep_apart=[["p1", "nobody"]])), "unknown participant 'nobody'"),
        (json.dumps(instance_data(people=20)), "20 participants but only 8 seats"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, content: str, message: str) -> None:
    inst = tmp_path / "bad.json"
    inst.write_text(content)
    done = ronda("solve", str(inst))
    assert done.returncode in (2, 3)
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_missing_file() -> None:
    done = ronda("bounds", "no/such/file.json")
    assert done.returncode == 2 and "cannot read instance file" in done.stderr
