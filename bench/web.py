"""Web figures for docs/benchmarks.md: the Lima plan generated from the UI end to end, and the
plan page of a 600-person event (server-side time, from the Server-Timing header).

Run by `make bench` after the solver rows; the app is served by uvicorn on a loopback port with
a fresh SQLite database, and driven over real HTTP with httpx.
"""

from __future__ import annotations

import csv
import io
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from pydantic import SecretStr

from app.main import create_app
from app.settings import Settings

LIMA = Path(__file__).resolve().parent.parent / "examples" / "lima-2022"
ADMIN = ("bench", "bench-password")


@contextmanager
def serve() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{folder}/bench.db",
            secret_key=SecretStr("bench"),
            admin_username=ADMIN[0],
            admin_password=SecretStr(ADMIN[1]),
            solve_time_limit=10,
        )
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def _event(client: httpx.Client, name: str, rounds: int, files: dict[str, bytes]) -> int:
    reply = client.post("/api/events", json={"name": name, "rounds": rounds})
    reply.raise_for_status()
    event_id = int(reply.json()["id"])
    sent = {kind: (f"{kind}.csv", data, "text/csv") for kind, data in files.items()}
    client.post(f"/api/events/{event_id}/import", files=sent).raise_for_status()
    return event_id


def _wait(client: httpx.Client, event_id: int) -> dict[str, object]:
    while True:
        job = client.get(f"/api/events/{event_id}/plan/job").json()
        if job["state"] != "running":
            return dict(job)
        time.sleep(0.1)


def lima_from_the_ui(client: httpx.Client) -> tuple[float, dict[str, object]]:
    """Seconds from pressing Start on the generate page to the plan page being served."""
    files = {
        "participants": (LIMA / "countries.csv").read_bytes(),
        "subjects": (LIMA / "subjects.csv").read_bytes(),
        "tables": (LIMA / "tables.csv").read_bytes(),
        "needs_offers": (LIMA / "needs_offers.csv").read_bytes(),
    }
    event_id = _event(client, "Lima 2022", 5, files)
    started = time.perf_counter()
    client.post(f"/events/{event_id}/plan/generate", data={"priority": "repeats"})
    job = _wait(client, event_id)
    page = client.get(f"/events/{event_id}/plan")
    page.raise_for_status()
    return time.perf_counter() - started, job


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def big_event_page(client: httpx.Client, people: int = 600) -> tuple[list[float], int]:
    """Server milliseconds of the plan page of a planned 600-person event (20 requests)."""
    tables, subjects = people // 5, 6
    files = {
        "participants": _csv(
            [["name", "code"]] + [[f"Person {i}", f"P{i}"] for i in range(1, people + 1)]
        ),
        "subjects": _csv(
            [["number", "name", "hosts"]]
            + [[s, f"Subject {s}", tables // subjects + 1] for s in range(1, subjects + 1)]
        ),
        "tables": _csv(
            [["name", "capacity", "min_size"]] + [[f"T{t}", 5, 4] for t in range(1, tables + 1)]
        ),
    }
    event_id = _event(client, f"{people} people", 6, files)
    client.post(f"/api/events/{event_id}/plan/generate", json={"time_limit": 20})
    _wait(client, event_id)
    timings = []
    size = 0
    for _ in range(20):
        page = client.get(f"/events/{event_id}/plan")
        page.raise_for_status()
        size = len(page.content)
        timings.append(float(page.headers["Server-Timing"].split("dur=")[1]))
    return timings, size


def rows() -> list[str]:
    # a browser names the page's site on every change (the same-site check refuses the rest)
    with (
        serve() as base,
        httpx.Client(base_url=base, timeout=120, headers={"Origin": base}) as client,
    ):
        client.post("/login", data={"username": ADMIN[0], "password": ADMIN[1]})
        seconds, job = lima_from_the_ui(client)
        timings, size = big_event_page(client)
    median, worst = statistics.median(timings), max(timings)
    return [
        "| measure | result | goal |",
        "|---|---|---|",
        f"| Lima plan generated from the UI, end to end (Start → plan page served; default "
        f"time limit {job['time_limit']:g} s) | {seconds:.2f} s ({job['repeats']} repeats, "
        f"{job['subject_visits']}/80 subject visits) | ≤ 3 s |",
        f"| plan page of a 600-person event (120 tables, 6 rounds), server side, 20 requests "
        f"| median {median:.0f} ms, slowest {worst:.0f} ms ({size / 1024:.0f} KiB of HTML) "
        f"| ≤ 300 ms |",
    ]


if __name__ == "__main__":
    print("\n".join(rows()))
