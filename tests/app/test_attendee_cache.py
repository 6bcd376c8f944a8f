"""The attendee's page answered from the process's snapshot of the event (app/attendee_cache.py):
it must never show what an organizer already changed, whichever way the change came."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from app import attendee_cache
from app.attendee_cache import AttendeeCache
from app.database import make_engine, migrate
from app.models import Participant
from app.settings import Settings
from tests.app.factories import published_lima
from tests.app.web_factories import shown


def badge(organizer: httpx.Client, event_id: int, code: str) -> dict[str, Any]:
    found = organizer.get(f"/api/events/{event_id}/participants").json()
    return next(p for p in found if p["code"] == code)


def sign_in(phone: httpx.Client, person: dict[str, Any]) -> None:
    assert phone.get("/a/" + person["attendee_url"].rsplit("/", 1)[1]).status_code == 303


def page_state(phone: httpx.Client) -> tuple[int, str]:
    """The page's status code, and its text in English."""
    reply = phone.get("/attend?lang=en")
    return reply.status_code, shown(reply)


def test_each_command_shows_on_the_next_page_load(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    sign_in(phone, badge(organizer, lima_id, "PE"))
    assert "Not started yet" in page_state(phone)[1]  # the snapshot is read now
    base = f"/api/events/{lima_id}/session"
    state = organizer.post(f"{base}/start").json()
    assert "Round 1 of 5" in page_state(phone)[1]
    state = organizer.post(f"{base}/next", json={"from_round": 1}).json()
    assert state["phase"] == "change"
    assert "Change tables: go to your next table" in page_state(phone)[1]
    expect = {"from_round": state["round"], "from_phase": "change"}
    state = organizer.post(f"{base}/next", json=expect).json()
    assert state["round"] == 2 and state["phase"] == "conversation", state
    assert "Round 2 of 5" in page_state(phone)[1]
    organizer.post(f"{base}/finish")
    assert "Thank you for taking part!" in page_state(phone)[1]


def test_a_renamed_participant_and_a_revoked_badge_show_at_once(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    peru = badge(organizer, lima_id, "PE")
    sign_in(phone, peru)
    assert "Peru" in page_state(phone)[1]
    reply = organizer.patch(
        f"/api/events/{lima_id}/participants/{peru['id']}", json={"name": "República del Perú"}
    )
    assert reply.status_code == 200
    assert "República del Perú" in page_state(phone)[1]
    organizer.post(f"/api/events/{lima_id}/participants/{peru['id']}/token")
    status, text = page_state(phone)
    assert status == 401 and "Scan your badge" in text


def test_a_newly_published_plan_reaches_the_page_at_once(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    sign_in(phone, badge(organizer, lima_id, "AR"))
    first = re.search(r"plan_version&#34;: (\d+)", phone.get("/attend").text)
    assert first is not None
    others = [p["code"] for p in organizer.get(f"/api/events/{lima_id}/participants").json()]
    for other in others:  # Argentina changes table in round 3 with someone at another one
        swap = {"round": 3, "first": "AR", "second": other}
        if organizer.post(f"/api/events/{lima_id}/plan/swap", json=swap).status_code == 200:
            break
    published = organizer.post(f"/api/events/{lima_id}/session/publish").json()
    assert published["plan_version"] != int(first.group(1))
    page = phone.get("/attend")
    now = re.search(r"plan_version&#34;: (\d+)", page.text)
    assert now is not None and int(now.group(1)) == published["plan_version"]
    table = phone.get("/api/attendee").json()["itinerary"][2]["table"]  # read from the database
    assert re.search(r'data-round-item="3".*?class="where">([^<]*)<', page.text, re.S)[1] == table


def test_a_change_made_by_another_process_shows_within_the_freshness_delay(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int, web_settings: Settings
) -> None:
    """Another worker renames a participant: this process hears nothing, and its page must
    show the new name once its snapshot is older than FRESH_SECONDS."""
    sign_in(phone, badge(organizer, lima_id, "CL"))
    assert "Chile" in page_state(phone)[1]
    engine = make_engine(web_settings.database_url)
    with Session(engine) as session:
        chile = session.exec(
            select(Participant).where(Participant.event_id == lima_id, Participant.code == "CL")
        ).one()
        chile.name = "República de Chile"
        session.add(chile)
        session.commit()
    engine.dispose()
    deadline = time.monotonic() + attendee_cache.FRESH_SECONDS + 30  # generous: a slow machine
    while "República de Chile" not in page_state(phone)[1]:
        assert time.monotonic() < deadline, "the page kept the old name"
        time.sleep(0.2)


def test_phones_arriving_together_share_one_read(tmp_path: Path) -> None:
    """2,000 phones after a change: one read of the event, not one each."""
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    migrate(url)
    event_id = published_lima(url)
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.exec(
            select(Participant.token, Participant.code).where(Participant.event_id == event_id)
        )
        codes = dict(rows.all())
    tokens = list(codes)
    cache = AttendeeCache(engine)
    reads: list[int] = []
    load = cache._load

    def counted(event: int) -> Any:
        reads.append(event)
        return load(event)

    cache._load = counted  # type: ignore[method-assign]

    async def phones() -> list[Any]:
        return await asyncio.gather(*(cache.find(t) for t in tokens * 10))

    found = asyncio.run(phones())
    assert reads == [event_id]
    assert [f[1].code if f else None for f in found] == [codes[t] for t in tokens * 10]
    assert asyncio.run(cache.find("x" * 30)) is None  # no such badge
    engine.dispose()


def test_events_no_phone_asks_for_are_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server runs for months: an event whose phones went home leaves its memory."""
    url = f"sqlite:///{tmp_path / 'idle.db'}"
    migrate(url)
    first, second = published_lima(url, "Lima"), published_lima(url, "Lima again")
    engine = make_engine(url)
    with Session(engine) as session:
        token_of = {
            event: session.exec(
                select(Participant.token).where(Participant.event_id == event)
            ).first()
            for event in (first, second)
        }
    cache = AttendeeCache(engine)
    clock = [1000.0]
    monkeypatch.setattr(attendee_cache.time, "monotonic", lambda: clock[0])
    assert asyncio.run(cache.find(str(token_of[first]))) is not None
    assert cache.events_held() == 1
    clock[0] += attendee_cache.IDLE_SECONDS + 1  # the first event's phones went home
    assert asyncio.run(cache.find(str(token_of[second]))) is not None
    assert cache.events_held() == 1 and str(token_of[first]) not in cache._events_of
    assert asyncio.run(cache.find(str(token_of[first]))) is not None  # it comes back if asked
    engine.dispose()


def test_a_page_is_rendered_once_and_the_live_state_filled_in(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The template runs once per participant and language (app/attend_page.py); each load,
    before and after a command, fills the live state into that shape."""
    from app import attend_page

    rendered: list[int] = []
    shape_of = attend_page.shape_of
    monkeypatch.setattr(attend_page, "shape_of", lambda html: rendered.append(1) or shape_of(html))
    base = f"/api/events/{lima_id}/session"
    organizer.post(f"{base}/start")
    sign_in(phone, badge(organizer, lima_id, "PE"))
    first = phone.get("/attend?lang=en").text
    again = phone.get("/attend?lang=en").text
    assert len(rendered) == 1  # the second load filled the kept shape
    time_of = re.compile(r'data-server-time="[^"]*"')
    assert time_of.sub("", first) == time_of.sub("", again)
    assert "<@" not in first and 'data-status="running"' in first
    assert '<li data-round-item="1" class="current">' in first
    organizer.post(f"{base}/next", json={"from_round": 1})
    change = phone.get("/attend?lang=en")
    assert len(rendered) == 1 and 'data-status="change"' in change.text
    assert "Change tables: go to your next table" in shown(change)
    assert "Round 1 of 5" not in shown(change)
    assert "Ronda" in phone.get("/attend?lang=es").text and len(rendered) == 2  # its own shape


def test_a_read_that_finds_nothing_changed_keeps_the_rendered_pages(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot is read again every FRESH_SECONDS; when nothing changed, the pages already
    rendered stay (else each read would render every phone's page again)."""
    from app import attend_page

    rendered: list[int] = []
    shape_of = attend_page.shape_of
    monkeypatch.setattr(attend_page, "shape_of", lambda html: rendered.append(1) or shape_of(html))
    monkeypatch.setattr(attendee_cache, "FRESH_SECONDS", 0.0)  # read again on every load
    sign_in(phone, badge(organizer, lima_id, "UY"))
    for _ in range(4):
        assert phone.get("/attend?lang=en").status_code == 200
        time.sleep(0.3)  # the read again, in the background
    assert len(rendered) == 1
    organizer.patch(  # a change: the next read renders the page anew
        f"/api/events/{lima_id}/participants/{badge(organizer, lima_id, 'UY')['id']}",
        json={"name": "República Oriental del Uruguay"},
    )
    assert "República Oriental del Uruguay" in page_state(phone)[1]
    assert len(rendered) == 2
