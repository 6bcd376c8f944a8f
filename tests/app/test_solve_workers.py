"""Solve workers as deployments run them: `ronda worker` processes stopped (SIGTERM) or killed
(SIGKILL) mid-solve, two web processes sharing one queue on PostgreSQL, and an app that refuses
a database it would have to migrate."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import alembic.command
import httpx
import pytest
from sqlmodel import Session

from app.database import alembic_config, make_engine
from app.models import Event, pk
from app.services import instances, replanning
from app.solving import Job, Solving, Worker
from tests.app.conftest import ADMIN, _postgres_database
from tests.app.factories import import_lima
from tests.app.test_live_workers import free_port, start_worker

ROOT = Path(__file__).resolve().parents[2]
RONDA = str(Path(sys.executable).with_name("ronda"))


def _until(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.1)


def _solve_worker(url: str, stderr: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RONDA_DATABASE_URL": url}
    return subprocess.Popen([RONDA, "worker"], cwd=ROOT, env=env, stderr=stderr)


def _queued_lima(url: str, time_limit: float) -> tuple[int, Solving]:
    engine = make_engine(url)
    with Session(engine) as session:
        event = import_lima(session)
        request = replanning.generation_request(session, event=event)
        solving = Solving(engine)
        solving.start(event=event, kind="generate", time_limit=time_limit, request=request)
        return pk(event), solving


def _job(solving: Solving, event_id: int) -> Job:
    job = solving.get(event_id)
    assert job is not None
    return job


def test_sigterm_stops_a_workers_solve_and_saves_its_best_plan(db_url: str) -> None:
    event_id, solving = _queued_lima(db_url, 600)
    worker = _solve_worker(db_url, stderr=subprocess.PIPE)
    try:
        _until(lambda: bool(_job(solving, event_id).best))  # solving, a plan found
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        worker.kill()
    _stdout, said = worker.communicate()
    assert b"save their best plans" in said
    job = _job(solving, event_id)
    assert job.state == "done" and "shut down" in job.message and job.plan_id is not None
    with Session(solving.engine) as session:
        event = session.get(Event, event_id)
        assert event is not None
        assert instances.current_plan(session, event=event).id == job.plan_id
    solving.engine.dispose()


def test_a_killed_workers_job_is_run_again_by_another_worker(db_url: str) -> None:
    event_id, solving = _queued_lima(db_url, 600)
    worker = _solve_worker(db_url)
    try:
        _until(lambda: _job(solving, event_id).state == "running")
        worker.kill()  # SIGKILL: no chance to save anything, nor to say so
        worker.wait(timeout=30)
    finally:
        worker.kill()
    assert _job(solving, event_id).state == "running"  # for now: nobody knows yet
    other = Worker(solving.engine, poll=0.1, silent=3)
    other.start_thread()
    try:
        _until(lambda: _job(solving, event_id).attempts == 2)  # taken up again
        solving.stop(event_id)
        job = solving.wait(event_id, timeout=60)
    finally:
        other.shutdown()
    assert job is not None and job.state == "done" and job.plan_id is not None
    solving.engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _postgres_database()


def test_two_web_processes_share_one_queue(pg_url: str) -> None:
    """A plan started through one web process is watched and stopped through another (each
    runs its own solve worker, as `RONDA_SOLVE_IN_APP` does by default)."""
    engine = make_engine(pg_url)
    with Session(engine) as session:
        _event = pk(import_lima(session))
    engine.dispose()
    ports = [free_port(), free_port()]
    processes = [start_worker(pg_url, port) for port in ports]
    first, second = (
        httpx.Client(base_url=f"http://127.0.0.1:{p}", auth=ADMIN, timeout=30) for p in ports
    )
    try:
        reply = first.post(f"/api/events/{_event}/plan/generate", json={"time_limit": 600})
        assert reply.status_code == 202, reply.text
        job_id = reply.json()["job_id"]
        _until(lambda: second.get(f"/api/events/{_event}/plan/job").json()["repeats"] is not None)
        seen = second.get(f"/api/events/{_event}/plan/job").json()
        assert seen["job_id"] == job_id and seen["state"] == "running"
        again = second.post(f"/api/events/{_event}/plan/generate", json={"time_limit": 5})
        assert again.status_code == 409 and "already being made" in again.json()["detail"]
        assert second.post(f"/api/events/{_event}/plan/job/stop").json()["stopped"]
        _until(lambda: first.get(f"/api/events/{_event}/plan/job").json()["state"] == "done")
        done = first.get(f"/api/events/{_event}/plan/job").json()
        assert done["message"].startswith("Stopped after") and done["plan_id"]
    finally:
        first.close()
        second.close()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


def test_the_app_refuses_an_unmigrated_postgresql_database_and_says_what_to_run(
    pg_url: str,
) -> None:
    alembic.command.downgrade(alembic_config(pg_url), "0008")  # as an older release left it
    env = {**os.environ, "RONDA_DATABASE_URL": pg_url, "RONDA_SECRET_KEY": "x"}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(free_port())]
    started = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120)
    said = started.stderr.decode()
    assert started.returncode != 0
    assert "is at schema 0008" in said and "Run `ronda migrate`" in said
    migrated = subprocess.run(
        [RONDA, "migrate"], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert migrated.returncode == 0, migrated.stderr
    assert b"newest schema" in migrated.stdout
