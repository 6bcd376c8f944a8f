"""Organizers editing under load, for `make loadtest`: 20 organizers, each with an account of
their own, an API token and their own copy of the Lima event (planned), edit at the same time as
the phones load their pages. Each, every few seconds, reads the current plan, swaps two
countries seated at different tables in one round (a new plan version) and renames a country.
Every answer is timed; an error is a timeout, a refused connection or a status other than 200.

They run in a process of their own (`python -m bench.organizers PORT EVERY SECONDS`, the
organizers on stdin, the timings on stdout), as they sit at other computers: reading their
plans must not hold up the phones' clock in the load test's own process."""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.loadtest import fetch

ORGANIZERS = 20
LIMA = Path(__file__).resolve().parent.parent / "examples" / "lima-2022"
FILES = {
    "participants": "countries.csv",
    "subjects": "subjects.csv",
    "tables": "tables.csv",
    "needs_offers": "needs_offers.csv",
}


def build_organizers(url: str, plan_seconds: float) -> list[tuple[int, str]]:
    """The organizers' accounts, tokens and planned events: (event id, token secret) each."""
    from sqlmodel import Session

    from app.database import make_engine
    from app.models import EventCreate
    from app.services import access, accounts, events
    from app.services.importing import import_file
    from app.services.instances import plan_event

    made = []
    engine = make_engine(url)
    with Session(engine) as session:
        for n in range(1, ORGANIZERS + 1):
            account = accounts.create_account(
                session, username=f"organizer{n}", password=f"organizer-{n}-password"
            )
            data = EventCreate(name=f"Lima {n}", rounds=5, subject_mode="rotating")
            event = events.create_event(session, data=data, account=account)
            access.add_owner(session, event=event, account=account)
            for kind, name in FILES.items():
                data_bytes = (LIMA / name).read_bytes()
                import_file(session, event=event, kind=kind, data=data_bytes, file=name)  # type: ignore[arg-type]
            plan_event(session, event=event, time_limit=plan_seconds)
            _token, secret = accounts.create_token(session, account=account, name="load test")
            made.append((int(event.id or 0), secret))
    engine.dispose()
    return made


async def edit(
    port: int, organizers: list[tuple[int, str]], every: float, seconds: float, warmup: float = 0
) -> dict[str, Any]:
    """Each organizer reads, swaps and renames in a loop for `warmup` + `seconds`; the timings
    by kind of the calls made after the warm-up."""
    times: dict[str, list[float]] = {"read": [], "swap": [], "rename": []}
    errors: Counter[str] = Counter()
    measured = time.monotonic() + warmup
    until = measured + seconds

    async def call(
        kind: str, headers: dict[str, str], method: str, path: str, body: Any = None
    ) -> Any:
        data = json.dumps(body).encode() if body is not None else b""
        started = time.monotonic()
        try:
            status, _h, reply = await asyncio.wait_for(fetch(port, method, path, headers, data), 10)
        except (OSError, TimeoutError, IndexError) as exc:
            errors[f"{kind}: {type(exc).__name__}"] += 1
            return None
        if status != 200:
            errors[f"{kind}: HTTP {status}"] += 1
            return None
        if started >= measured:
            times[kind].append(time.monotonic() - started)
        return json.loads(reply)

    async def organizer(event_id: int, secret: str, pick: random.Random) -> None:
        headers = {"Authorization": f"Bearer {secret}"}
        base = f"/api/events/{event_id}"
        people = await call("read", headers, "GET", f"{base}/participants") or []
        await asyncio.sleep(pick.uniform(0, every))  # not all in step
        turn = 0
        while time.monotonic() < until:
            began, turn = time.monotonic(), turn + 1
            plan = await call("read", headers, "GET", f"{base}/plan")
            if plan:
                rnd = pick.choice(plan["rounds"])
                first, second = pick.sample(rnd["tables"], 2)
                swap = {
                    "round": rnd["round"],
                    "first": pick.choice(first["participants"]),
                    "second": pick.choice(second["participants"]),
                }
                await call("swap", headers, "POST", f"{base}/plan/swap", swap)
            if people:
                person = pick.choice(people)
                name = person["name"] + (" (edited)" if turn % 2 else "")
                await call(
                    "rename",
                    headers,
                    "PATCH",
                    f"{base}/participants/{person['id']}",
                    {"name": name},
                )
            await asyncio.sleep(max(0.0, began + every - time.monotonic()))

    await asyncio.gather(
        *(organizer(e, s, random.Random(i)) for i, (e, s) in enumerate(organizers))
    )
    return {"times": times, "errors": errors, "organizers": len(organizers)}


async def edit_elsewhere(
    port: int, organizers: list[tuple[int, str]], every: float, seconds: float, warmup: float
) -> dict[str, Any]:
    """`edit` in a child process; its result, with the CPU seconds it used ("cpu")."""
    numbers = (port, every, seconds, warmup)
    command = (sys.executable, "-m", "bench.organizers", *map(str, numbers))
    child = await asyncio.create_subprocess_exec(*command, stdin=-1, stdout=-1)
    out, _err = await child.communicate(json.dumps(organizers).encode())
    return dict(json.loads(out))


def main() -> None:
    port, (every, seconds, warmup) = int(sys.argv[1]), map(float, sys.argv[2:5])
    organizers = [(int(e), str(s)) for e, s in json.loads(sys.stdin.read())]
    done = asyncio.run(edit(port, organizers, every, seconds, warmup))
    use = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({**done, "cpu": use.ru_utime + use.ru_stime}))


if __name__ == "__main__":
    main()
