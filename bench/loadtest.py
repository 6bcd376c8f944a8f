"""`make loadtest`: the live day under load, written to its own section of docs/benchmarks.md.

Each configuration is a uvicorn subprocess on a loopback port: one process on SQLite, then 4
workers on PostgreSQL (a database made for the run and dropped after it). 2,000 phones hold the
session's event stream while attendee pages are loaded at a steady rate and the organizer moves
the session every few seconds; for each move we count the phones that had the new state within
1 s. Clients are raw asyncio sockets (the streams in 2 processes of their own) so that they stay
light, but they share the machine's cores with the server: the report says how much they used.
Every wait is bounded, so an overloaded server gives poor figures, never a run that hangs.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

HEADING = "## Live day: load"
EDIT_EVERY = 3.0  # seconds between an organizer's edits: a brisk pace for a person at work
PASSWORD = "loadtest-password"
# The organizer's credentials: HTTP Basic until `sign_in` swaps in the session cookie that the
# console uses (Basic checks an Argon2 hash on every press, which is not what the day measures).
AUTH = {"Authorization": "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()}


async def sign_in(port: int) -> None:
    """Sign in as the console does and press with its cookie from then on."""
    form = f"username=admin&password={PASSWORD}&next=/".encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(form)}\r\n\r\n"
    )
    writer.write(head.encode() + form)
    reply = await reader.read()
    writer.close()
    found = re.search(rb"set-cookie: (ronda_session=[^;]+)", reply, re.IGNORECASE)
    assert found, reply[:300]
    AUTH.clear()
    AUTH["Cookie"] = found.group(1).decode()
    AUTH["Origin"] = f"http://127.0.0.1:{port}"  # as the console's page sends it


POSTGRES = "postgres@127.0.0.1:5432"
PAGE_PARTS = ("/attend", "/static/css/live.css", "/static/js/live.js")


def build_event(url: str, people: int, plan_seconds: float) -> tuple[int, list[str]]:
    """People at tables of 5, 5 rounds, no subjects, planned with the app's own services (the
    rows the API would make, without thousands of requests); returns the badge secrets."""
    from sqlmodel import Session, select

    from app.database import make_engine
    from app.models import EventCreate, Participant
    from app.services import events
    from app.services.importing import import_file
    from app.services.instances import plan_event

    people_csv = [
        f"Person {i},P{i},Office {i % 40},{('es', 'pt', 'en')[i % 3]}" for i in range(people)
    ]
    tables_csv = [f"T{t},5,4" for t in range(1, people // 5 + 1)]
    engine = make_engine(url)
    with Session(engine) as session:
        data = EventCreate(name="Load test", rounds=5, subject_mode="none")
        event = events.create_event(session, data=data)
        for kind, lines in (
            ("participants", ["name,code,organization,language", *people_csv]),
            ("tables", ["name,capacity,min_size", *tables_csv]),
        ):
            text = "\n".join(lines).encode()
            import_file(session, event=event, kind=kind, data=text, file=f"{kind}.csv")  # type: ignore[arg-type]
        plan_event(session, event=event, time_limit=plan_seconds)
        query = select(Participant.token).where(Participant.event_id == event.id)
        event_id, tokens = int(event.id or 0), list(session.exec(query).all())
    engine.dispose()
    return event_id, tokens


def _request(port: int, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def fetch(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, bytes, bytes]:
    """One request on a fresh connection, as each phone has its own: (status, head, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(_request(port, method, path, {**headers, "Connection": "close"}, body))
        reply = await reader.read()  # the server closes after the response
    finally:
        writer.close()
    head, _sep, content = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, content


def cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"ronda_attendee={token}"}


def _cpu_now() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


async def _stream(
    port: int, event_id: int, token: str, gate: asyncio.Semaphore, seen: list[list[float]]
) -> str:
    """One phone, until cancelled: appends [state_version, monotonic time] of every state
    message and says how it ended. Only the `data:` lines of `state` events matter: chunk
    sizes, comments and `ping` events (the server's heartbeat) pass by."""
    path = f"/api/events/{event_id}/session/stream"
    try:
        async with gate:  # a bounded number of handshakes at once
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
            writer.write(_request(port, "GET", path, cookie(token), b""))
            status = (await asyncio.wait_for(reader.readline(), 30)).split(b" ", 2)[1]
    except (OSError, TimeoutError, IndexError):
        return "failed connections"
    try:
        if status != b"200":
            return "non-200"
        kind = b""
        while line := await reader.readline():
            if line.startswith(b"event:"):
                kind = line[6:].strip()
            elif line.startswith(b"data:") and kind != b"ping":
                seen.append([json.loads(line[5:])["state_version"], time.monotonic()])
        return "streams dropped"  # the server ended it while the phone still listened
    except (OSError, ValueError):
        return "streams dropped"
    finally:
        writer.close()


async def streams(port: int, event_id: int, tokens: list[str]) -> None:
    """A child process's phones (`--streams PORT EVENT`, tokens on stdin): print `ready` once
    each has its first state or has failed (2 min at most), listen until SIGTERM (10 min at
    most), then print what each heard."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    gate, seen = asyncio.Semaphore(100), [[] for _ in tokens]
    tasks = [
        asyncio.create_task(_stream(port, event_id, t, gate, s))
        for t, s in zip(tokens, seen, strict=True)
    ]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(
        not s and not t.done() for s, t in zip(seen, tasks, strict=True)
    ):
        await asyncio.sleep(0.1)
    print("ready", _cpu_now(), flush=True)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), 600)
    ended = Counter(t.result() for t in tasks if t.done() and not t.cancelled())
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps({"seen": seen, "counts": ended, "cpu": _cpu_now()}))


async def pages(
    port: int, tokens: list[str], rate: float, seconds: float, warmup: float = 0.0
) -> dict[str, Any]:
    """Open loop: a page load starts every 1/rate s whatever the earlier ones are doing, each
    on a new connection, as a random participant; timed from connect to last byte, 10 s at
    most (a timeout counts as an error, not as a time). The first `warmup` seconds of load are
    timed apart ("warm"): each worker renders each participant's page once, then keeps it."""
    times: list[float] = []
    warm: list[float] = []
    errors: Counter[str] = Counter()
    pick = random.Random(0)

    async def one(token: str, into: list[float]) -> None:
        started = time.monotonic()
        try:
            status, _h, _b = await asyncio.wait_for(
                fetch(port, "GET", "/attend", cookie(token)), 10
            )
        except (OSError, TimeoutError, IndexError) as exc:
            errors[type(exc).__name__] += 1
            return
        if status != 200:
            errors[f"HTTP {status}"] += 1
        else:
            into.append(time.monotonic() - started)

    began, tasks, first = time.monotonic(), [], int(rate * warmup)
    for i in range(first + int(rate * seconds)):
        await asyncio.sleep(max(0.0, began + i / rate - time.monotonic()))
        tasks.append(asyncio.create_task(one(pick.choice(tokens), warm if i < first else times)))
    await asyncio.gather(*tasks)
    return {"times": times, "warm": warm, "errors": errors, "sent": len(tasks) - first}


async def organizer(
    port: int, event_id: int, state: dict[str, Any], every: float, count: int
) -> list[list[float]]:
    """One press every `every` s: *Next* through the changes of tables and rounds up to the last
    round, then *Back*. [new state version, pressed at, answered in]; stops at a press that is
    not answered within 30 s, since the state is then unknown."""
    moves: list[list[float]] = []
    for _ in range(count):
        await asyncio.sleep(every)
        forward = state["phase"] == "change" or state["round"] < state["rounds"]
        path = f"/api/events/{event_id}/session/{'next' if forward else 'back'}"
        keys = ("from_round", "from_phase", "state_version")
        body = json.dumps({k: state[k.removeprefix("from_")] for k in keys}).encode()
        sent = time.monotonic()
        try:
            status, _h, reply = await asyncio.wait_for(fetch(port, "POST", path, AUTH, body), 30)
        except (OSError, TimeoutError):
            moves.append([state["state_version"] + 1, sent, float("inf")])
            break
        assert status == 200, (path, status, reply[:300])
        state = json.loads(reply)
        moves.append([state["state_version"], sent, time.monotonic() - sent])
    return moves


def _cpu_seconds(root: int) -> float:
    """CPU time of a process and its children (uvicorn's workers), from /proc."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if str(root) in (entry.name, fields[1]):
                ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


async def drive(
    port: int,
    server: int,
    event: int,
    tokens: list[str],
    rate: float,
    args: Any,
    tablets: tuple[int, list[str]] | None,
    editors: list[tuple[int, str]] | None = None,
) -> dict[str, Any]:
    """Start the session, open the streams, then load pages, press, autosave notes and edit
    plans for `args.seconds`."""
    from bench.facilitators import autosave, check, first_tables
    from bench.organizers import edit_elsewhere

    await sign_in(port)
    for action in ("publish", "start"):
        status, _h, reply = await fetch(port, "POST", f"/api/events/{event}/session/{action}", AUTH)
        assert status == 200, (action, status, reply[:300])
    state, quiet, size = json.loads(reply), [], {}
    for token in tokens[:5]:  # the page alone, before any load (its Server-Timing)
        _s, head, _b = await fetch(port, "GET", "/attend", cookie(token))
        quiet.append(float(re.findall(rb"app;dur=([\d.]+)", head)[0]))
    for path in PAGE_PARTS:
        size[path] = len((await fetch(port, "GET", path, cookie(tokens[0])))[2])
    hosts = (
        list(zip(tablets[1], await first_tables(port, tablets[1]), strict=True)) if tablets else []
    )
    began, opening, children, half = time.monotonic(), _cpu_seconds(server), [], args.clients // 2
    for part in (tokens[:half], tokens[half : args.clients]):
        command = (sys.executable, "-m", "bench.loadtest", "--streams", str(port), str(event))
        child = await asyncio.create_subprocess_exec(*command, stdin=-1, stdout=-1)  # pipes
        assert child.stdin and child.stdout
        child.stdin.write(json.dumps(part).encode())
        child.stdin.close()
        children.append(child)
    try:
        used = _cpu_now()  # the clients' CPU while measuring: at the end minus at ready
        for child in children:
            used += float((await asyncio.wait_for(child.stdout.readline(), 180)).split()[1])  # type: ignore[union-attr]
        presses, ramp = int(args.seconds // args.every) - 1, time.monotonic() - began
        print(f"  {args.clients} streams opened in {ramp:.1f} s", flush=True)
        opening = (_cpu_seconds(server) - opening) / args.clients  # server CPU per stream
        measured: dict[str, float] = {}

        async def after_warmup() -> list[list[float]]:
            """The measured part begins: the server's CPU is counted and the presses start."""
            await asyncio.sleep(args.warmup)
            measured.update(cpu=_cpu_seconds(server), t0=time.monotonic())
            return await organizer(port, event, state, args.every, presses)

        span = args.warmup + args.seconds
        loads, moves, notes, edits = await asyncio.gather(
            pages(port, tokens, rate, args.seconds, args.warmup),
            after_warmup(),
            autosave(port, tablets[0], hosts, args.autosave, span)
            if tablets
            else asyncio.sleep(0, None),
            edit_elsewhere(port, editors, EDIT_EVERY, args.seconds, args.warmup)
            if editors
            else asyncio.sleep(0, None),
        )
        await asyncio.sleep(2)  # late messages still count, against their 1 s
        spent = time.monotonic() - measured["t0"]
        cpu, used = (_cpu_seconds(server) - measured["cpu"]) / spent, _cpu_now() - used
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        heard = [json.loads(await child.stdout.read()) for child in children if child.stdout]
        await asyncio.gather(*(child.wait() for child in children))
    seen = [s for h in heard for s in h["seen"]]
    counts = sum((Counter(h["counts"]) for h in heard), Counter())
    clients_cpu = (sum(h["cpu"] for h in heard) + used + (edits or {}).get("cpu", 0)) / (
        spent + args.warmup
    )
    if tablets:
        await check(port, tablets[0], AUTH, notes)
    return dict(
        notes=notes,
        edits=edits,
        size=size,
        quiet=statistics.median(quiet),
        opening=opening,
        ramp=ramp,
        loads=loads,
        moves=moves,
        seen=seen,
        counts=counts,
        cpu=(cpu, clients_cpu),
        clients=args.clients,
        presses=presses,
    )


@contextlib.contextmanager
def serve(url: str, workers: int, log: Path) -> Iterator[tuple[int, int]]:
    """uvicorn as the README runs it, in a process group of its own so that all of its workers
    stop with it; ready once every worker has logged that its start-up is complete."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RONDA_DATABASE_URL": url, "RONDA_ADMIN_PASSWORD": PASSWORD}
    env |= {"RONDA_SECRET_KEY": "loadtest", "RONDA_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    command = [uvicorn, "app.main:app", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--no-access-log"]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while log.read_text().count("Application startup complete") < workers:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield port, server.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:  # still busy with the requests the load queued
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


@contextlib.contextmanager
def database(kind: str, folder: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder}/loadtest.db"
        return
    import psycopg

    name = f"ronda_loadtest_{os.getpid()}"
    with psycopg.connect(f"postgresql://{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://{POSTGRES}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(kind: str, workers: int, rate: float, rates: list[float], args: Any) -> dict[str, Any]:
    from bench.facilitators import build_facilitated
    from bench.organizers import build_organizers

    with tempfile.TemporaryDirectory() as folder, database(kind, folder) as url:
        log = Path(folder) / "server.log"
        subprocess.run(
            [str(Path(sys.executable).with_name("ronda")), "migrate"],
            check=True,
            env={**os.environ, "RONDA_DATABASE_URL": url},
            stdout=subprocess.DEVNULL,
        )
        with serve(url, workers, log) as (port, pid):
            event_id, tokens = build_event(url, args.clients, args.plan_seconds)
            # The tablets write while the phones are connected, at the lowest page rate: the
            # highest one measures the phones alone, as a single process must carry them.
            tablets = (
                build_facilitated(url, args.plan_seconds / 2)
                if rate == min(rates) and not args.no_tablets
                else None
            )
            # The organizers edit on PostgreSQL at the highest page rate (a deployment's load).
            editors = (
                build_organizers(url, 0.5)
                if kind == "postgres" and rate == max(rates) and not args.no_organizers
                else None
            )
            result = asyncio.run(drive(port, pid, event_id, tokens, rate, args, tablets, editors))
        text = log.read_text()
        kinds = Counter(re.findall(r"^(?:\w+\.)*([A-Z][a-z]\w*): ", text, re.M))
        result["server_errors"] = (len(re.findall(r"^ERROR", text, re.M)), kinds)
    return result


def _pct(values: list[float], *qs: float) -> str:
    ordered = sorted(values)
    return " / ".join(f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))]:,.0f}" for q in qs)


def summary(r: dict[str, Any]) -> dict[str, str]:
    """One configuration's cells of the table."""
    shares, delays, spreads = [], [], []
    for version, sent, _took in r["moves"]:
        firsts = [next((t for v, t in s if v >= version), None) for s in r["seen"]]
        got = sorted((t - sent) * 1000 for t in firsts if t is not None)
        shares.append(sum(d <= 1000 for d in got) / r["clients"])
        delays += got
        spreads += [got[int(0.99 * (len(got) - 1))] - got[0]] if got else []
    ms, loads, c = [t * 1000 for t in r["loads"]["times"]], r["loads"], r["counts"]
    took = [m[2] * 1000 for m in r["moves"] if m[2] < float("inf")]
    notes, edits = r["notes"], r.get("edits")
    saves = [t * 1000 for t in notes["times"]] if notes else []
    lost = ", ".join(f"{n:,} {kind}" for kind, n in loads["errors"].items()) or "none"
    return {
        "streams": f"{sum(1 for s in r['seen'] if s):,} of {r['clients']:,} in {r['ramp']:.1f} s "
        f"({r['opening'] * 1000:.1f} ms of server CPU each)",
        "share": f"{min(shares):.1%} worst, {statistics.median(shares):.1%} median; "
        f"{sum(s >= 0.99 for s in shares)} of {len(shares)} changes at ≥ 99%",
        "delay": f"{_pct(delays, 0.5, 0.99, 1)} ms; first → 99th phone: {_pct(spreads, 0.5, 1)} ms"
        if delays
        else "none arrived",
        "pages": f"{_pct(ms, 0.5, 0.95, 0.99) if ms else '—'} ms ({len(ms):,} of "
        f"{loads['sent']:,} answered; alone: {r['quiet']:.0f} ms; warm-up: "
        f"{_pct([t * 1000 for t in loads['warm']], 0.5, 0.99) if loads['warm'] else '—'} ms)",
        "errors": f"{c['failed connections']} / {c['non-200']} / {c['streams dropped']}; "
        f"pages: {lost}; server log: {r['server_errors'][0]} errors "
        f"({', '.join(f'{n} {k}' for k, n in r['server_errors'][1].items()) or 'none'})",
        "commands": f"{len(took)} of {r['presses']} answered within 30 s"
        + (f"; {_pct(took, 0.5, 1)} ms" if took else ""),
        "cpu": f"server {r['cpu'][0]:.2f}, clients {r['cpu'][1]:.2f}",
        "notes": f"{len(notes['acknowledged']):,} notes, {len(notes['times']):,} saves acknowledged; "
        f"stored {notes['stored']:,}: {notes['lost']} lost or changed, {notes['doubled']} "
        f"doubled or unknown; p50 / p99 / max {_pct(saves, 0.5, 0.99, 1)} ms; retried: "
        + (", ".join(f"{n:,} {k}" for k, n in notes["failures"].items()) or "none")
        if notes
        else "—",
        "edits": f"{edits['organizers']} organizers: "
        + "; ".join(
            f"{len(t):,} {kind}s {_pct([x * 1000 for x in t], 0.5, 0.99)} ms"
            for kind, t in edits["times"].items()
            if t
        )
        + "; errors: "
        + (", ".join(f"{n:,} {k}" for k, n in edits["errors"].items()) or "none")
        if edits
        else "—",
    }


ROWS = [
    ("streams", "SSE clients with their first state (time to open them all)", "2,000"),
    ("share", "phones with the new state within 1 s of the organizer's press", "≥ 99%"),
    (
        "delay",
        "press → phone over all phones and changes: p50 / p99 / max; spread of one "
        "change's deliveries, first phone → 99th percentile phone: median / worst",
        "≤ 1 s",
    ),
    ("pages", "attendee page `/attend`: p50 / p95 / p99", "p99 ≤ 100 ms (≤ 150 ms at 300/s)"),
    ("errors", "streams failed to connect / non-200 / dropped; page errors", "0"),
    ("commands", "presses (`POST .../session/next`, session cookie): median / slowest", "—"),
    (
        "notes",
        "50 facilitators autosaving every 2 s (`PUT /api/events/{id}/notes/{note_id}`): "
        "notes and saves acknowledged, stored, lost, doubled; write time",
        "0 lost, 0 doubled",
    ),
    (
        "edits",
        f"organizers editing their own event through the API (API token) every {EDIT_EVERY:g} s "
        "each: read the plan, swap two seats (a new version), rename a participant; "
        "p50 / p99 of each, errors",
        "0 errors",
    ),
    ("cpu", "cores used while measuring (of 2)", "—"),
]


def _commit() -> str:
    """The code measured: the commit, and whether the app's files differed from it."""
    git = ["git", "-C", str(Path(__file__).resolve().parent.parent)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "app", "templates", "static"],
        capture_output=True,
        text=True,
    )
    return head.stdout.strip() + (" with uncommitted changes to the app" if dirty.stdout else "")


def section(results: dict[str, dict[str, Any]], args: Any) -> str:
    from bench.run import _machine

    cells = {name: summary(r) for name, r in results.items()}
    head = "| measure | " + " | ".join(cells) + " | target |\n|---|" + "---|" * (len(cells) + 1)
    rows = [
        f"| {label} | {' | '.join(c[key] for c in cells.values())} | {goal} |"
        for key, label, goal in ROWS
    ]
    size = next(iter(results.values()))["size"]
    parts = " + ".join(f"{n:,} (`{p}`)" for p, n in size.items())
    return (
        f"{HEADING}\n\nMeasured on {date.today().isoformat()} by `make loadtest` (`python -m "
        f"bench.loadtest --output docs/benchmarks.md`) at commit {_commit()}. Machine: "
        f"{_machine()}.\n\n"
        f"An event of {args.clients:,} participants at {args.clients // 5} tables of 5, 5 rounds, "
        f"no subjects, published and started. {args.clients:,} server-sent-event clients hold "
        "`/api/events/{id}/session/stream`, each with its own attendee cookie; the attendee "
        "page `GET /attend` is loaded at the rate each column names (a random participant each "
        "time, on a new connection, open loop, 10 s timeout), first for a warm-up of "
        f"{args.warmup:g} s (each worker renders each participant's page once; its times are "
        f"given apart as *warm-up*: p50 / p99), then for the {args.seconds:.0f} s measured, "
        f"while the organizer presses *Next* (or *Back*) every {args.every:g} s. Server: "
        "`uvicorn app.main:app --workers N --no-access-log`, a fresh server and database per "
        "column, migrated first by `ronda migrate` as a deployment does. The clients "
        "(raw asyncio sockets, "
        "the streams in 2 processes) share the 2 cores with the server, and other work on the "
        "machine was not stopped. A phone has the new state once a `data:` message with its "
        "`state_version` (or a later one) arrived; phones that never connected count as not "
        "having it. *alone* is the median server time (`Server-Timing`) of the first 5 page "
        "loads, before any load: with 4 workers these include each worker's first build of the "
        "plan view it then keeps. In the columns at the lowest page rate, at the same time, in a second event (250 people at 50 tables "
        "of 5, 10 subjects with 5 facilitators each, rotating), each of the 50 facilitators' "
        f"tablets saves its open note every {args.autosave:g} s with the text typed so far and "
        "the version it was based on, starting a new note every 10 saves; a save that fails "
        "is sent again unchanged. Afterwards the organizer's `GET /api/events/{id}/notes` is "
        "compared with every save the server acknowledged. In the PostgreSQL column at the "
        "highest page rate, at the same time, 20 organizers (each an account with an API token "
        "and a copy of the Lima event, planned) each read their plan, swap two seats in a round "
        f"and rename a participant every {EDIT_EVERY:g} s (`bench/organizers.py`, in a "
        "client process of its own, as the organizers sit at other computers).\n\n"
        f"{head}\n" + "\n".join(rows) + "\n\n"
        f"The attendee page weighs {sum(size.values()):,} bytes uncompressed: {parts}.\n"
    )


def splice(document: str, text: str) -> str:
    """The document with its load section replaced by `text` (appended when there is none)."""
    start = document.find(HEADING)
    if start < 0:
        return document.rstrip("\n") + "\n\n" + text
    end = document.find("\n## ", start + len(HEADING))
    return document[:start] + text + ("\n" + document[end + 1 :] if end >= 0 else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument(
        "--rate", type=float, nargs="+", default=[100, 2], help="pages a second (SQLite)"
    )
    parser.add_argument(
        "--pg-rate",
        type=float,
        nargs="+",
        default=[100, 300, 2],
        help="pages a second (PostgreSQL)",
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--warmup", type=float, default=15, help="seconds of load before the measured part"
    )
    parser.add_argument("--every", type=float, default=5, help="seconds between presses")
    parser.add_argument("--plan-seconds", type=float, default=20)
    parser.add_argument("--autosave", type=float, default=2, help="seconds between note saves")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--no-tablets", action="store_true", help="phones only, at every rate")
    parser.add_argument("--no-organizers", action="store_true", help="no organizers editing")
    parser.add_argument("--streams", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it too
    if args.streams:
        asyncio.run(streams(*args.streams, json.loads(sys.stdin.read())))
        return
    results = {}
    for name, kind, workers in (
        ("SQLite, 1 process", "sqlite", 1),
        ("PostgreSQL, 4 workers", "postgres", 4),
    ):
        rates = args.rate if kind == "sqlite" else args.pg_rate
        for rate in rates if args.only in (None, kind) else ():
            column = f"{name}, {rate:g} pages/s"
            print(f"{column}:", flush=True)
            results[column] = run(kind, workers, rate, rates, args)
            print(json.dumps(summary(results[column]), indent=1, ensure_ascii=False), flush=True)
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else "# Benchmarks\n"
    args.output.write_text(splice(old, section(results, args)), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
