"""Web figures for docs/benchmarks.md: the Lima plan generated from the UI end to end, and the
plan page of a 600-person event (server-side time, from the Server-Timing header).

Run by `make bench` after the solver rows; the app is served by uvicorn on a loopback port with
a fresh SQLite database, and driven over real HTTP with httpx.
"""

from __future__ import annotations

import csv
import io
import random
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


PARTS = {"seating": "", "quality details": "/quality", "versions": "/versions", "adjust": "/adjust"}


def big_event_pages(
    client: httpx.Client, people: int = 600, requests: int = 10
) -> dict[str, tuple[list[float], int]]:
    """Server milliseconds and bytes of each part of the plan page of a planned 600-person
    event with needs and offers (18 topics; each person requests 2 and offers 1)."""
    tables, subjects = people // 5, 6
    pick = random.Random(600)
    topics = [(s, f"Topic {s}.{k}") for s in range(1, subjects + 1) for k in range(1, 4)]
    wants: dict[tuple[int, str], tuple[list[str], list[str]]] = {t: ([], []) for t in topics}
    for i in range(1, people + 1):
        for topic in pick.sample(topics, 2):
            wants[topic][0].append(f"Person {i}")
        wants[pick.choice(topics)][1].append(f"Person {i}")
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
        "needs_offers": _csv(
            [["subject", "topic", "request", "offer", "requesting", "offering"]]
            + [
                [s, topic, f"Learn about {topic}", f"Share {topic}", ";".join(ask), ";".join(give)]
                for (s, topic), (ask, give) in wants.items()
            ]
        ),
    }
    event_id = _event(client, f"{people} people", 6, files)
    client.post(f"/api/events/{event_id}/plan/generate", json={"time_limit": 20})
    _wait(client, event_id)
    measured = {}
    for part, path in PARTS.items():
        timings = []
        size = 0
        for _ in range(requests):
            page = client.get(f"/events/{event_id}/plan{path}")
            page.raise_for_status()
            size = len(page.content)
            timings.append(float(page.headers["Server-Timing"].split("dur=")[1]))
        measured[part] = (timings, size)
    return measured


def rows() -> list[str]:
    # a browser names the page's site on every change (the same-site check refuses the rest)
    with (
        serve() as base,
        httpx.Client(base_url=base, timeout=120, headers={"Origin": base}) as client,
    ):
        client.post("/login", data={"username": ADMIN[0], "password": ADMIN[1]})
        seconds, job = lima_from_the_ui(client)
        parts = big_event_pages(client)
    lines = [
        "| measure | result | goal |",
        "|---|---|---|",
        f"| Lima plan generated from the UI, end to end (Start → plan page served; default "
        f"time limit {job['time_limit']:g} s) | {seconds:.2f} s ({job['repeats']} repeats, "
        f"{job['subject_visits']}/80 subject visits) | ≤ 3 s |",
    ]
    for part, (timings, size) in parts.items():
        lines.append(
            f"| plan page of a 600-person event with 1,200 needs (120 tables, 6 rounds), "
            f"*{part}*, server side, {len(timings)} requests | median "
            f"{statistics.median(timings):.0f} ms, slowest {max(timings):.0f} ms "
            f"({size / 1024:.0f} KiB of HTML) | ≤ 300 ms |"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(rows()))
