"""Facilitators autosaving under load, for `make loadtest`: a second event whose 50 facilitators
each type into their notes and save every 2 s (as the tablet does a moment after typing stops),
while the first event's 2,000 phones hold their streams. Afterwards the stored notes are
compared with every write the server acknowledged: none may be missing, changed or doubled."""

from __future__ import annotations

import asyncio
import html
import json
import random
import re
import time
from collections import Counter
from typing import Any

from bench.loadtest import fetch

SUBJECTS, HOSTS = 10, 5  # 10 subjects with 5 facilitators each: 50 tablets
NEW_NOTE_EVERY = 10  # saves: a facilitator starts a new note after this many


def build_facilitated(url: str, plan_seconds: float) -> tuple[int, list[str]]:
    """250 people at 50 tables of 5, 10 subjects of 5 tables each (rotating), a facilitator per
    subject table, planned and published; returns the facilitators' secrets."""
    from sqlmodel import Session, select

    from app.database import make_engine
    from app.models import EventCreate, Facilitator
    from app.services import events, live
    from app.services.importing import import_file
    from app.services.instances import plan_event

    people = SUBJECTS * HOSTS * 5
    files = {
        "participants": ["name,code", *(f"Delegate {i},D{i}" for i in range(people))],
        "tables": ["name,capacity,min_size", *(f"T{t},5,4" for t in range(1, people // 5 + 1))],
        "subjects": [
            "number,name,hosts,facilitators",
            *(
                f"{s},Subject {s},{HOSTS},{';'.join(f'Host {s}.{h}' for h in range(1, HOSTS + 1))}"
                for s in range(1, SUBJECTS + 1)
            ),
        ],
    }
    engine = make_engine(url)
    with Session(engine) as session:
        data = EventCreate(name="Facilitated", rounds=5, subject_mode="rotating")
        event = events.create_event(session, data=data)
        for kind, lines in files.items():
            text = "\n".join(lines).encode()
            import_file(session, event=event, kind=kind, data=text, file=f"{kind}.csv")  # type: ignore[arg-type]
        plan_event(session, event=event, time_limit=plan_seconds)
        live.publish(session, event=event)
        query = select(Facilitator.token).where(Facilitator.event_id == event.id)
        event_id, tokens = int(event.id or 0), list(session.exec(query).all())
    engine.dispose()
    return event_id, tokens


async def first_tables(port: int, tokens: list[str]) -> list[str]:
    """Each tablet opens its page (before the measured minute, as facilitators do on arrival)
    and reads its table in round 1 from it."""
    return list(await asyncio.gather(*(_first_table(port, t) for t in tokens)))


async def _first_table(port: int, token: str) -> str:
    """The facilitator's table in round 1, from their tablet page."""
    status, _h, page = await fetch(port, "GET", "/facilitate", _cookie(token))
    assert status == 200, (status, page[:300])
    found = re.search(rb'data-rounds="([^"]*)"', page)
    assert found, page[:300]
    rounds = json.loads(html.unescape(found.group(1).decode()))
    return str(rounds["1"]["table"])


def _cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"ronda_facilitator={token}"}


async def autosave(
    port: int, event_id: int, tablets: list[tuple[str, str]], every: float, seconds: float
) -> dict[str, Any]:
    """Each tablet (secret, table) saves its open note every `every` s for `seconds`; a save
    that fails or times out (10 s) is sent again, unchanged, as the tablet does. Returns the
    acknowledged notes (id -> text), the write times and the failures."""
    acknowledged: dict[str, str] = {}
    sent: dict[str, list[str]] = {}  # every text sent for a note, in order
    times: list[float] = []
    failures: Counter[str] = Counter()
    pick = random.Random(1)

    async def tablet(number: int, token: str, table: str) -> None:
        await asyncio.sleep(pick.random() * every)  # tablets do not type in step
        headers = {**_cookie(token), "Origin": f"http://127.0.0.1:{port}"}  # as the page sends
        version, text, note = 0, "", f"bench-{number}-0"
        stop = time.monotonic() + seconds
        for save in range(1, 10**6):
            if time.monotonic() >= stop:
                return
            if save % NEW_NOTE_EVERY == 0:
                version, text, note = 0, "", f"bench-{number}-{save}"
            text += f"Point {save} from tablet {number}: ideas, offers, who to contact. "
            body = {"round": 1, "table": table, "text": text, "base_version": version}
            path = f"/api/events/{event_id}/notes/{note}"
            sent.setdefault(note, []).append(text)
            for _attempt in range(5):
                started = time.monotonic()
                try:
                    status, _h, reply = await asyncio.wait_for(
                        fetch(port, "PUT", path, headers, json.dumps(body).encode()), 10
                    )
                except (OSError, TimeoutError) as exc:
                    failures[type(exc).__name__] += 1
                    continue
                if status == 200:
                    times.append(time.monotonic() - started)
                    version = json.loads(reply)["version"]
                    acknowledged[note] = text
                    break
                failures[f"HTTP {status}"] += 1
            await asyncio.sleep(max(0.0, every - (time.monotonic() - started)))

    await asyncio.gather(*(tablet(n, token, table) for n, (token, table) in enumerate(tablets)))
    return {"acknowledged": acknowledged, "sent": sent, "times": times, "failures": failures}


async def check(port: int, event_id: int, auth: dict[str, str], saved: dict[str, Any]) -> None:
    """What the organizer reads back, against what the tablets were told was stored."""
    status, _h, reply = await fetch(port, "GET", f"/api/events/{event_id}/notes", auth)
    assert status == 200, (status, reply[:300])
    stored = json.loads(reply)
    ids = Counter(n["id"] for n in stored)
    texts = {n["id"]: n["text"] for n in stored}
    sent, acknowledged = saved["sent"], saved["acknowledged"]
    saved["stored"] = len(stored)
    saved["doubled"] = sum(n - 1 for n in ids.values()) + len(set(ids) - set(sent))
    # Lost: the stored text is older than the last one the server acknowledged. (A later text
    # whose answer timed out may have been stored: that is the tablet's newer typing, kept.)
    saved["lost"] = sum(
        texts.get(note) not in sent[note][sent[note].index(text) :]
        for note, text in acknowledged.items()
    )
