"""Several worker processes on PostgreSQL: a command sent to one reaches the streams of both
(LISTEN/NOTIFY), and a listener whose connection drops comes back by itself."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.database import make_engine
from tests.app.conftest import ADMIN, _postgres_database
from tests.app.factories import published_lima

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _postgres_database()


def start_worker(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "RONDA_DATABASE_URL": url,
        "RONDA_SECRET_KEY": "shared-by-the-workers",
        "RONDA_ADMIN_USERNAME": ADMIN[0],
        "RONDA_ADMIN_PASSWORD": ADMIN[1],
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("a worker did not start")


@pytest.fixture
def workers(pg_url: str) -> Iterator[list[str]]:
    ports = [free_port(), free_port()]
    processes = []
    try:
        for port in ports:
            processes.append(start_worker(pg_url, port))
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def planned_event(url: str) -> int:
    return published_lima(url)


def listen(base: str, event_id: int, versions: list[int], ready: threading.Event) -> None:
    """Collect the state versions one worker's stream sends, until it sends three."""
    with (
        httpx.Client(base_url=base, auth=ADMIN, timeout=60) as client,
        client.stream("GET", f"/api/events/{event_id}/session/stream") as stream,
    ):
        for line in stream.iter_lines():
            if line.startswith("data:"):
                versions.append(json.loads(line[5:])["state_version"])
                ready.set()
                if len(versions) == 3:
                    return


def test_a_command_sent_to_one_worker_reaches_the_streams_of_both(
    workers: list[str], pg_url: str
) -> None:
    event_id = planned_event(pg_url)
    heard: list[list[int]] = [[], []]
    ready = [threading.Event(), threading.Event()]
    threads = [
        threading.Thread(target=listen, args=(base, event_id, heard[i], ready[i]), daemon=True)
        for i, base in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    assert all(r.wait(60) for r in ready)
    with httpx.Client(base_url=workers[0], auth=ADMIN, timeout=60) as organizer:
        assert organizer.post(f"/api/events/{event_id}/session/start").status_code == 200
        time.sleep(0.5)
        reply = organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
        assert reply.status_code == 200
    for thread in threads:
        thread.join(60)
    first = heard[0][0]
    assert heard[0] == [first, first + 1, first + 2]
    assert heard[1] == [first, first + 1, first + 2]  # the other worker heard it too


def test_a_listener_that_loses_its_connection_reconnects(workers: list[str], pg_url: str) -> None:
    event_id = planned_event(pg_url)
    engine = make_engine(pg_url)
    listening = text(
        "SELECT pid, backend_start FROM pg_stat_activity "
        "WHERE query LIKE 'LISTEN%' AND datname = current_database()"
    )
    # Autocommit: pg_stat_activity is read once per transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        before = set(connection.execute(listening).all())
        assert len(before) == 2
        for pid, _start in before:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # both come back, on new connections
            now = set(connection.execute(listening).all())
            if len(now) == 2 and not now & before:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the workers did not listen again")
    engine.dispose()
    heard: list[int] = []
    ready = threading.Event()
    thread = threading.Thread(target=listen, args=(workers[1], event_id, heard, ready), daemon=True)
    thread.start()
    assert ready.wait(60)
    with httpx.Client(base_url=workers[0], auth=ADMIN, timeout=60) as organizer:
        organizer.post(f"/api/events/{event_id}/session/start")
        organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
    thread.join(60)
    assert len(heard) == 3 and heard[2] == heard[0] + 2
