"""Facilitators' notes and initiatives, and the harvest: over real HTTP, on the Lima event with a
facilitator per subject."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import openpyxl
import pytest

from app.settings import Settings
from tests.app.factories import add_hosts, published_lima
from tests.app.web_factories import seen, shown


@pytest.fixture
def lima_id(live_server: str, web_settings: Settings) -> int:
    """Lima, published, with a facilitator per subject ("Host 1" ... "Host 5")."""
    event_id = published_lima(web_settings.database_url)
    add_hosts(web_settings.database_url, event_id)
    return event_id


@pytest.fixture
def tablet(live_server: str, organizer: httpx.Client, lima_id: int) -> Iterator[httpx.Client]:
    """Host 1's tablet, signed in with the link of their card."""
    hosts = organizer.get(f"/api/events/{lima_id}/facilitators").json()
    url = next(h["facilitator_url"] for h in hosts if h["name"] == "Host 1")
    with httpx.Client(base_url=live_server, timeout=30) as client:
        reply = client.get("/" + url.split("/", 3)[3])
        assert reply.status_code == 303 and reply.headers["location"] == "/facilitate"
        yield client


def my_rounds(tablet: httpx.Client) -> dict[str, Any]:
    page = tablet.get("/facilitate")
    found = re.search(r'data-rounds="([^"]*)"', page.text)
    assert found
    rounds: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return rounds


def note(rounds: dict[str, Any], round: int, text: str, **extra: Any) -> dict[str, Any]:
    here = rounds[str(round)]
    return {
        "round": round,
        "table": here["table"],
        "text": text,
        "participants": [],
        "topics": [],
        **extra,
    }


def test_the_facilitator_page_shows_my_table_its_people_and_prompts(
    organizer: httpx.Client, tablet: httpx.Client, lima_id: int
) -> None:
    organizer.post(f"/api/events/{lima_id}/session/start")
    rounds = my_rounds(tablet)
    assert set(rounds) == {"1", "2", "3", "4", "5"}  # subject 1 runs every round in Lima
    page = seen(tablet.get("/facilitate?lang=en"))
    first = rounds["1"]
    assert "My table · round 1" in page and first["table"] in page
    assert all(p["name"] in page for p in first["people"])
    assert "can offer experience" in page or "ask who could help" in page


def test_notes_are_stored_once_and_stale_writes_are_refused(
    organizer: httpx.Client, tablet: httpx.Client, lima_id: int
) -> None:
    rounds = my_rounds(tablet)
    url = f"/api/events/{lima_id}/notes/note-1"
    first = tablet.put(url, json=note(rounds, 1, "Peru asks about IPAS"))
    assert first.status_code == 200 and first.json()["version"] == 1
    again = tablet.put(url, json=note(rounds, 1, "Peru asks about IPAS"))
    assert again.json() == first.json()  # sent twice, stored once
    second = tablet.put(
        url, json=note(rounds, 1, "Peru asks about IPAS; Brazil offers", base_version=1)
    )
    assert second.json()["version"] == 2
    stale = organizer.put(url, json=note(rounds, 1, "An organizer's correction", base_version=1))
    assert stale.status_code == 409
    assert stale.json()["current"]["text"] == "Peru asks about IPAS; Brazil offers"
    stored = organizer.get(f"/api/events/{lima_id}/notes").json()
    assert [n["text"] for n in stored] == ["Peru asks about IPAS; Brazil offers"]


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"text": ""}, 400, "the note is empty"),
        ({"text": "x" * 20_001}, 400, "the limit is 20000"),
        ({"participants": ["ZZ"]}, 400, "ZZ are not participants of this event"),
        ({"topics": ["Nope"]}, 400, "Nope are not topics of this event"),
        ({"table": "Table 99"}, 404, "not your table in round 1"),
    ],
)
def test_bad_notes_say_what_to_fix_and_change_nothing(
    organizer: httpx.Client,
    tablet: httpx.Client,
    lima_id: int,
    change: dict[str, Any],
    status: int,
    message: str,
) -> None:
    rounds = my_rounds(tablet)
    reply = tablet.put(
        f"/api/events/{lima_id}/notes/bad-1", json={**note(rounds, 1, "ok"), **change}
    )
    assert reply.status_code == status and message in reply.json()["detail"]
    assert organizer.get(f"/api/events/{lima_id}/notes").json() == []


def test_a_facilitator_tags_only_people_of_their_table(tablet: httpx.Client, lima_id: int) -> None:
    rounds = my_rounds(tablet)
    here = {p["code"] for p in rounds["1"]["people"]}
    away = next(c for c in ("AR", "BR", "CL", "PE", "MX") if c not in here)
    reply = tablet.put(
        f"/api/events/{lima_id}/notes/tag-1", json=note(rounds, 1, "hi", participants=[away])
    )
    assert reply.status_code == 400 and "tag people of this table" in reply.json()["detail"]


def test_a_revoked_facilitator_link_stops_the_tablet(
    organizer: httpx.Client, tablet: httpx.Client, lima_id: int
) -> None:
    host = next(
        h
        for h in organizer.get(f"/api/events/{lima_id}/facilitators").json()
        if h["name"] == "Host 1"
    )
    organizer.post(f"/api/events/{lima_id}/facilitators/{host['id']}/token")
    assert tablet.get("/facilitate").status_code == 401
    rounds_reply = tablet.put(
        f"/api/events/{lima_id}/notes/x-1", json={"round": 1, "table": "Table 1", "text": "x"}
    )
    assert rounds_reply.status_code == 404


def test_the_cooperation_table_and_exports(
    organizer: httpx.Client, tablet: httpx.Client, lima_id: int
) -> None:
    rounds = my_rounds(tablet)
    tablet.put(f"/api/events/{lima_id}/notes/n-1", json=note(rounds, 1, '=HYPERLINK("http://x")'))
    proposal = {
        "subject": "1",
        "topic": "Management systems (IPAS)",
        "request": "Learn how offices run IPAS",
        "requesting": ["PE"],
        "offering": ["BR"],
        "offer": "+Brazil trains two technicians",
        "contact": "ipas@example.org",
    }
    proposed = tablet.put(f"/api/events/{lima_id}/initiatives/i-1", json=proposal)
    assert proposed.status_code == 200 and proposed.json()["status"] == "proposed"
    refused = tablet.put(
        f"/api/events/{lima_id}/initiatives/i-1",
        json={**proposal, "status": "confirmed", "base_version": 1},
    )
    assert refused.status_code == 400 and "only the organizer confirms" in refused.json()["detail"]
    confirmed = organizer.put(
        f"/api/events/{lima_id}/initiatives/i-1",
        json={**proposal, "status": "confirmed", "base_version": 1},
    )
    assert confirmed.json()["status"] == "confirmed"

    page = seen(organizer.get(f"/events/{lima_id}/harvest"))
    assert "Management systems (IPAS)" in page and "+Brazil trains two technicians" in page

    raw = organizer.get(f"/api/events/{lima_id}/harvest.csv")
    assert raw.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    ipas = next(
        r
        for r in rows
        if r[:2] == ["Infrastructure and new technologies", "Management systems (IPAS)"]
    )
    assert ipas[5] == "'+Brazil trains two technicians (ipas@example.org)"
    assert ipas[6] == "match"
    assert any(len(r) > 3 and r[3] == '\'=HYPERLINK("http://x")' for r in rows)  # not a formula

    book = openpyxl.load_workbook(
        io.BytesIO(organizer.get(f"/api/events/{lima_id}/harvest.xlsx").content)
    )
    assert "Initiatives" in book.sheetnames and "Notes" in book.sheetnames
    cell = book["Notes"]["D2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    markdown = organizer.get(f"/api/events/{lima_id}/harvest.md").text
    assert "| Management systems (IPAS) |" in markdown


def test_facilitator_cards_print_with_their_links(organizer: httpx.Client, lima_id: int) -> None:
    page = organizer.get(f"/events/{lima_id}/print", params={"show": "facilitators"}).text
    hosts = organizer.get(f"/api/events/{lima_id}/facilitators").json()
    assert page.count('class="badge"') == len(hosts) == 5
    assert all(f'href="{h["facilitator_url"]}"' in page for h in hosts)


def test_after_the_session_attendees_see_what_they_take_home(
    organizer: httpx.Client, live_server: str, lima_id: int
) -> None:
    organizer.put(
        f"/api/events/{lima_id}/initiatives/i-2",
        json={
            "subject": "1",
            "topic": "Management systems (IPAS)",
            "requesting": ["PE"],
            "offering": ["BR"],
            "offer": "Two technicians trained",
            "status": "confirmed",
        },
    )
    organizer.post(f"/api/events/{lima_id}/session/start")
    organizer.post(f"/api/events/{lima_id}/session/finish")
    peru = next(
        p for p in organizer.get(f"/api/events/{lima_id}/participants").json() if p["code"] == "PE"
    )
    with httpx.Client(base_url=live_server, timeout=30) as phone:
        phone.get("/" + peru["attendee_url"].split("/", 3)[3])
        page = shown(phone.get("/attend?lang=en"))
    assert "What you take home" in page and "You met" in page
    assert "Management systems (IPAS) : Two technicians trained" in page
    assert "Thank you for taking part!" in page
