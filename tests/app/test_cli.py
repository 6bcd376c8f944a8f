"""`ronda` as an organizer runs it: a real process on a SQLite file (RONDA_DATABASE_URL)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

import httpx
import openpyxl
import pytest
import typer.main

from app.cli import event_app
from scheduler.schema import parse_instance, parse_plan
from tests.app.factories import LIMA, ROOT, copy_lima

README = (ROOT / "README.md").read_text(encoding="utf-8")
Ronda = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def ronda(tmp_path: Path) -> Ronda:
    env = {**os.environ, "RONDA_DATABASE_URL": f"sqlite:///{tmp_path / 'ronda.db'}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            env=env,
        )

    return run


def test_import_plan_export_list(ronda: Ronda, tmp_path: Path) -> None:
    done = ronda("event", "import", str(LIMA), "--name", "Lima 2022", "--rounds", "5")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "imported into 'Lima 2022':",
        "  participants: 17 added, 0 updated",
        "  subjects: 5 added, 0 updated",
        "  tables: 5 added, 0 updated",
        "  needs_offers: 23 added, 0 updated",
    ]
    listed = ronda("event", "list")
    assert (
        listed.stdout == "Lima 2022: 5 rounds, 17 participants (16 attending), plan: not planned\n"
    )

    planned = ronda("event", "plan", "Lima 2022", "--time-limit", "1")
    assert planned.returncode == 0, planned.stderr
    assert "repeated encounters: 0 (lower bound 0)" in planned.stdout
    assert "subject visits: 80 of 80" in planned.stdout

    seats = list(
        csv.DictReader(io.StringIO(ronda("event", "export", "Lima 2022", "--format", "csv").stdout))
    )
    assert len(seats) == 80 and seats[0]["round"] == "1"
    instance = parse_instance(
        json.loads(ronda("event", "export", "Lima 2022", "--format", "instance").stdout)
    )
    assert len(instance.participants) == 16
    plan_file, book_file = tmp_path / "plan.json", tmp_path / "lima.xlsx"
    for fmt, path in (("plan", plan_file), ("xlsx", book_file)):
        done = ronda("event", "export", "Lima 2022", "--format", fmt, "--output", str(path))
        assert done.returncode == 0 and done.stdout == "", done.stderr
    assert parse_plan(json.loads(plan_file.read_text())).metrics["subject_visits"] == 80
    assert openpyxl.load_workbook(book_file).sheetnames[-1] == "Itinerary"
    assert (
        "plan: " in ronda("event", "list").stdout
        and "not planned" not in ronda("event", "list").stdout
    )


def one_line_error(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    return done.stderr


def test_errors_are_one_clear_line(ronda: Ronda) -> None:
    assert one_line_error(ronda("event", "plan", "Nowhere"), 2) == (
        "error: there is no event named 'Nowhere'; check the name in the list of events\n"
    )
    assert one_line_error(ronda("event", "export", "Lima", "--format", "xlsx"), 2) == (
        "error: an XLSX workbook cannot go to the terminal; add --output FILE.xlsx\n"
    )
    assert one_line_error(ronda("event", "import", str(LIMA), "--name", "New"), 2) == (
        "error: event 'New' is new: say how many rounds it has\n"
    )


def test_a_rejected_import_lists_every_problem(ronda: Ronda, tmp_path: Path) -> None:
    folder = copy_lima(
        tmp_path / "lima", **{"tables.csv": b"name,capacity\nTable 1,4\nTable 1,4\n"}
    )
    stderr = one_line_error(
        ronda("event", "import", str(folder), "--name", "L", "--rounds", "5"), 2
    )
    assert stderr.splitlines() == [
        "error: nothing was imported: 1 problem to fix first",
        "  - tables.csv, line 3: table 'Table 1' is already on line 2; list each table once",
    ]
    assert ronda("event", "list").stdout.startswith("no events yet")


def test_an_infeasible_event_exits_3(ronda: Ronda, tmp_path: Path) -> None:
    folder = copy_lima(tmp_path / "lima", **{"tables.csv": b"name,capacity\nTable 1,4\n"})
    assert ronda("event", "import", str(folder), "--name", "L", "--rounds", "5").returncode == 0
    assert one_line_error(ronda("event", "plan", "L"), 3).startswith(
        "error: 'L' cannot be planned: "
    )


def test_an_unusable_database_is_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'ronda.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "event", "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "RONDA_DATABASE_URL": url},
    )
    assert one_line_error(done, 1).startswith(f"error: cannot use the database {url}: ")


def test_the_scheduler_commands_still_work(ronda: Ronda) -> None:
    done = ronda("solve", str(LIMA / "instance.json"), "--time-limit", "0.5")
    assert done.returncode == 0 and json.loads(done.stdout)["rounds"][0]["round"] == 1
    assert ronda("bounds", str(LIMA / "instance.json")).stdout.startswith(
        "repeated encounters: at least 0"
    )


def test_the_console_script_is_this_app() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "ronda"]
    assert script.value == "app.cli:app"


def test_every_event_command_and_option_is_in_the_readme() -> None:
    group = typer.main.get_group(event_app)
    for name, command in group.commands.items():
        assert f"ronda event {name}" in README, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"event {name} {opt}"


def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    env = {**os.environ, "RONDA_DATABASE_URL": f"sqlite:///{tmp_path / 'ronda.db'}"}
    env |= {"RONDA_TRUSTED_ORIGINS": "ronda.example.org", "RONDA_SOLVE_TIME_LIMIT": "-1"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert "RONDA_TRUSTED_ORIGINS: 'ronda.example.org' is not an address" in done.stderr
    assert "RONDA_SOLVE_TIME_LIMIT: Input should be greater than 0" in done.stderr


def test_import_sets_when_the_event_takes_place(ronda: Ronda) -> None:
    wrong = ronda(
        "event", "import", str(LIMA), "--name", "Lima", "--rounds", "5", "--time-zone", "Lima"
    )
    assert wrong.returncode == 2 and "--time-zone: 'Lima' is not a time zone" in wrong.stderr
    assert "Lima" not in ronda("event", "list").stdout  # nothing imported
    done = ronda(
        "event",
        "import",
        str(LIMA),
        "--name",
        "Lima",
        "--rounds",
        "5",
        "--date",
        "2022-11-23",
        "--start",
        "9:30",
        "--time-zone",
        "America/Lima",
    )
    assert done.returncode == 0, done.stderr
    assert ronda("event", "plan", "Lima", "--time-limit", "1").returncode == 0
    rows = list(
        csv.DictReader(io.StringIO(ronda("event", "export", "Lima", "--format", "csv").stdout))
    )
    assert {(r["round"], r["start"], r["end"]) for r in rows if r["round"] in ("1", "5")} == {
        ("1", "09:30", "10:05"),
        ("5", "12:10", "12:45"),
    }


def test_make_run_on_another_port_prints_badges_for_that_port(tmp_path: Path) -> None:
    """`make run PORT=8080`: the server listens there and the badges' links point there."""
    from tests.app.test_live_workers import free_port

    port = free_port()
    env = {**os.environ, "RONDA_DATABASE_URL": f"sqlite:///{tmp_path / 'ronda.db'}"}
    env |= {"RONDA_ADMIN_PASSWORD": "correct horse battery", "PORT": str(port)}
    env.pop("RONDA_PUBLIC_URL", None)
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "no server"
                time.sleep(0.3)
        auth = ("admin", "correct horse battery")
        people = httpx.get(f"{base}/api/events/1/participants", auth=auth, timeout=30).json()
        assert people and all(p["attendee_url"].startswith(f"{base}/a/") for p in people)
        demo = httpx.get(f"{base}/api/events/1", auth=auth, timeout=30).json()
        assert (demo["date"], demo["venue"], demo["time_zone"]) == (
            "2022-10-04",
            "Lima, Peru",
            "America/Lima",
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
