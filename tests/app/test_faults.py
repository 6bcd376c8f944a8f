"""Faults in the middle of a live session, with real worker processes: PostgreSQL restarted
(on a server of this test's own, so the rest of the suite keeps its own), and a web worker
killed while phones follow the session through it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.database import migrate
from tests.app.conftest import ADMIN
from tests.app.factories import published_lima
from tests.app.test_live_workers import free_port, start_worker

PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))


@dataclass
class Server:
    """A PostgreSQL server of the test's own: stopped and started at will."""

    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/ronda"

    def _ctl(self, *args: str) -> None:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", "120", *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=180)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "-l", str(self.data / "log"), "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")


@pytest.fixture
def server() -> Iterator[Server]:
    data = Path(tempfile.mkdtemp(prefix="ronda-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]
    if os.geteuid() == 0:
        initdb = ["runuser", "-u", "postgres", "--", *initdb]
    subprocess.run(initdb, check=True, capture_output=True, timeout=180)
    own = Server(data, free_port())
    own.start()
    admin = create_engine(own.url.replace("/ronda", "/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE ronda"))
    admin.dispose()
    migrate(own.url)
    try:
        yield own
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            own._ctl("-m", "immediate", "stop")
        shutil.rmtree(data, ignore_errors=True)


class Phone:
    """An attendee's phone following the session's stream on one worker, in a thread: the
    state versions it was sent, until the stream ends."""

    def __init__(self, base: str, link: str, event_id: int) -> None:
        self.client = httpx.Client(base_url=base, timeout=httpx.Timeout(60, read=120))
        opened = self.client.get("/" + link.split("/", 3)[3])
        assert opened.status_code == 303, opened.text
        self.event_id = event_id
        self.versions: list[int] = []
        self.heard = threading.Condition()
        self.ended = False
        self.thread = threading.Thread(target=self._follow, daemon=True)
        self.thread.start()

    def _follow(self) -> None:
        try:
            with self.client.stream("GET", f"/api/events/{self.event_id}/session/stream") as stream:
                for line in stream.iter_lines():
                    if line.startswith("data:"):
                        with self.heard:
                            self.versions.append(json.loads(line[5:])["state_version"])
                            self.heard.notify_all()
        except httpx.TransportError:
            pass  # the worker went away
        finally:
            with self.heard:
                self.ended = True
                self.heard.notify_all()

    def wait_for(self, version: int, timeout: float = 60) -> bool:
        with self.heard:
            return (
                self.heard.wait_for(
                    lambda: bool(self.versions) and self.versions[-1] >= version or self.ended,
                    timeout,
                )
                and bool(self.versions)
                and self.versions[-1] >= version
            )

    def close(self) -> None:
        self.client.close()


def _state(client: httpx.Client, event_id: int) -> dict[str, object]:
    reply = client.get(f"/api/events/{event_id}/session")
    assert reply.status_code == 200, reply.text
    state: dict[str, object] = reply.json()
    return state


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=10).status_code == 200
    except httpx.TransportError:
        return False


def test_postgresql_restarted_mid_session(server: Server) -> None:
    """While the server is down, requests answer 503 with Retry-After (nothing half-done);
    when it is back, the same worker processes serve again, the open streams carry the next
    round, and every acknowledged command and note is there."""
    event_id = published_lima(server.url)
    ports = [free_port(), free_port()]
    workers = [start_worker(server.url, port) for port in ports]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    organizer = httpx.Client(base_url=bases[0], auth=ADMIN, timeout=60)
    phones: list[Phone] = []
    try:
        started = organizer.post(f"/api/events/{event_id}/session/start")
        assert started.status_code == 200, started.text
        note = {"round": 1, "table": "Table 1", "text": "before", "base_version": 0}
        saved = organizer.put(f"/api/events/{event_id}/notes/n-1", json=note)
        assert saved.status_code == 200, saved.text
        people = organizer.get(f"/api/events/{event_id}/participants").json()
        phones = [
            Phone(bases[i % 2], p["attendee_url"], event_id) for i, p in enumerate(people[:4])
        ]
        version = int(_state(organizer, event_id)["state_version"])  # type: ignore[call-overload]
        assert all(phone.wait_for(version) for phone in phones)

        server.stop()
        for base in bases:
            with httpx.Client(base_url=base, auth=ADMIN, timeout=60) as client:
                down = client.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
                assert down.status_code == 503 and down.headers["retry-after"], down.text
                assert "database" in down.json()["detail"]
                late = client.put(
                    f"/api/events/{event_id}/notes/n-1",
                    json=note | {"text": "during", "base_version": saved.json()["version"]},
                )
                assert late.status_code == 503
            assert not _ready(base)

        server.start()
        deadline = time.monotonic() + 120
        while not all(_ready(base) for base in bases):
            assert time.monotonic() < deadline, "the workers did not serve again"
            time.sleep(0.5)
        assert all(w.poll() is None for w in workers)  # the same processes, not restarted
        moved = organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
        assert moved.status_code == 200, moved.text
        after = int(moved.json()["state_version"])
        for phone in phones:  # the streams opened before the restart carry it
            assert phone.wait_for(after), (phone.versions, after)
        notes = organizer.get(f"/api/events/{event_id}/notes").json()
        assert [(n["text"], n["version"]) for n in notes] == [("before", 1)]
        again = organizer.put(
            f"/api/events/{event_id}/notes/n-1",
            json=note | {"text": "after", "base_version": 1},
        )
        assert again.status_code == 200 and again.json()["version"] == 2
    finally:
        for phone in phones:
            phone.close()
        organizer.close()
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)


def test_a_killed_worker_s_phones_reconnect_to_another_and_converge(pg_url: str) -> None:
    """A worker dies (SIGKILL) with phones on its streams; each phone reconnects, as its page
    does, to the worker the proxy now sends it to, gets the current state at once, and then
    follows the next rounds with everyone else."""
    event_id = published_lima(pg_url)
    ports = [free_port(), free_port()]
    workers = [start_worker(pg_url, port) for port in ports]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    organizer = httpx.Client(base_url=bases[1], auth=ADMIN, timeout=60)
    phones: list[Phone] = []
    try:
        assert organizer.post(f"/api/events/{event_id}/session/start").status_code == 200
        links = [
            p["attendee_url"] for p in organizer.get(f"/api/events/{event_id}/participants").json()
        ]
        phones = [Phone(bases[i % 2], link, event_id) for i, link in enumerate(links[:10])]
        version = int(_state(organizer, event_id)["state_version"])  # type: ignore[call-overload]
        assert all(phone.wait_for(version) for phone in phones)

        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=30)
        orphans = phones[0::2]
        for phone in orphans:
            phone.thread.join(60)
            assert phone.ended
        moved = organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
        assert moved.status_code == 200
        now = int(moved.json()["state_version"])
        for i, phone in enumerate(orphans):  # the page reconnects: the proxy sends it to worker 2
            phone.close()
            phones[2 * i] = Phone(bases[1], links[2 * i], event_id)
        assert all(phone.wait_for(now) for phone in phones)
        state = _state(organizer, event_id)
        command = {"from_round": state["round"], "from_phase": state["phase"]}
        assert (
            organizer.post(f"/api/events/{event_id}/session/next", json=command).status_code == 200
        )
        latest = int(_state(organizer, event_id)["state_version"])  # type: ignore[call-overload]
        assert all(phone.wait_for(latest) for phone in phones)
        assert {phone.versions[-1] for phone in phones} == {latest}
    finally:
        for phone in phones:
            phone.close()
        organizer.close()
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)


@pytest.fixture
def pg_url() -> Iterator[str]:
    from tests.app.conftest import _postgres_database

    yield from _postgres_database()
