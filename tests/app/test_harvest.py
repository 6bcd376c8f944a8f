"""Facilitators' notes and initiatives, and the harvest: over real HTTP, on the Lima event with a
facilitator per subject."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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


@contextmanager
def tablet_of(
    live_server: str, organizer: httpx.Client, lima_id: int, name: str
) -> Iterator[httpx.Client]:
    """The facilitator's tablet, signed in with the link of their printed card."""
    hosts = organizer.get(f"/api/events/{lima_id}/facilitators").json()
    url = next(h["facilitator_url"] for h in hosts if h["name"] == name)
    with httpx.Client(base_url=live_server, timeout=30, headers={"Origin": live_server}) as client:
        reply = client.get("/" + url.split("/", 3)[3])
        assert reply.status_code == 303 and reply.headers["location"] == "/facilitate"
        yield client


@pytest.fixture
def tablet(live_server: str, organizer: httpx.Client, lima_id: int) -> Iterator[httpx.Client]:
    """Host 1's tablet."""
    with tablet_of(live_server, organizer, lima_id, "Host 1") as client:
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


def test_the_organizers_note_for_facilitators_shows_with_its_topic(
    organizer: httpx.Client, tablet: httpx.Client, lima_id: int
) -> None:
    subject_1 = [
        t for t in organizer.get(f"/api/events/{lima_id}/topics").json() if t["subject_code"] == "1"
    ]
    for topic in subject_1:
        reply = organizer.patch(
            f"/api/events/{lima_id}/topics/{topic['id']}",
            json={"guidance": f"<b>Ask</b> about {topic['name']}"},
        )
        assert reply.status_code == 200 and reply.json()["guidance"].startswith("<b>Ask</b>")
    organizer.post(f"/api/events/{lima_id}/session/start")
    page = tablet.get("/facilitate?lang=en").text
    assert "&lt;b&gt;Ask&lt;/b&gt; about" in page and "<b>Ask</b>" not in page
    assert "Note for facilitators: <b>Ask</b> about" in seen(page)
    too_long = organizer.patch(
        f"/api/events/{lima_id}/topics/{subject_1[0]['id']}", json={"guidance": "x" * 5001}
    )
    assert too_long.status_code == 422


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
    with httpx.Client(base_url=live_server, timeout=30, headers={"Origin": live_server}) as phone:
        phone.get("/" + peru["attendee_url"].split("/", 3)[3])
        page = shown(phone.get("/attend?lang=en"))
    assert "What you take home" in page and "You met" in page
    assert "Management systems (IPAS) : Two technicians trained" in page
    assert "Thank you for taking part!" in page


LIMA = Path(__file__).parents[2] / "examples" / "lima-2022"


def _lima_cooperation_rows(subject: str, names: str) -> list[list[str]]:
    """The rows the cooperation table of a Lima subject must have, read from the event's file."""

    def people(cell: str) -> str:
        who = cell.split(";")
        return who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1]

    with (LIMA / "needs_offers.csv").open(encoding="utf-8") as file:
        return [
            [
                names,
                r["topic"],
                r["request"],
                people(r["requesting"]),
                people(r["offering"]),
                "",
                "match",
            ]
            for r in csv.DictReader(file)
            if r["subject"] == subject
        ]


def test_the_lima_harvest_cell_by_cell(
    organizer: httpx.Client, live_server: str, lima_id: int
) -> None:
    """Two subjects' facilitators write notes and propose initiatives; the organizer confirms
    them; the cooperation tables and every export hold exactly what was recorded."""
    subjects = {"1": "Infrastructure and new technologies"}
    subjects["2"] = "Management, enforcement and building respect for IP"
    ipas = {
        "subject": "1",
        "topic": "Management systems (IPAS)",
        "request": "Learn how offices run IPAS",
        "requesting": ["PE"],
        "offering": ["BR"],
        "offer": "Brazil trains two technicians",
        "contact": "ipas@example.org",
    }
    customs = {
        "subject": "2",
        "topic": "Customs training",
        "request": "Train customs officers",
        "requesting": ["PY", "UY"],
        "offering": ["MX"],
        "offer": "-Mexico hosts a workshop",
        "contact": "",
    }
    written = []
    for host, initiative in (("Host 1", ipas), ("Host 2", customs)):
        with tablet_of(live_server, organizer, lima_id, host) as tablet:
            rounds = my_rounds(tablet)
            for round in (1, 2):
                text = f"{host}, round {round}: =SUM(A1) ideas"
                body = note(
                    rounds, round, text, participants=[rounds[str(round)]["people"][0]["code"]]
                )
                reply = tablet.put(f"/api/events/{lima_id}/notes/{host[-1]}-{round}", json=body)
                assert reply.status_code == 200
                written.append(
                    (round, body["table"], host, text, rounds[str(round)]["people"][0]["name"])
                )
            key = f"{lima_id}-{host[-1]}"
            assert (
                tablet.put(f"/api/events/{lima_id}/initiatives/{key}", json=initiative).json()[
                    "status"
                ]
                == "proposed"
            )
            organizer.put(
                f"/api/events/{lima_id}/initiatives/{key}",
                json={**initiative, "status": "confirmed", "base_version": 1},
            )
    organizer.put(  # proposed only: not in the cooperation table
        f"/api/events/{lima_id}/initiatives/draft",
        json={**customs, "topic": "Not yet agreed"},
    )

    expected = {code: _lima_cooperation_rows(code, name) for code, name in subjects.items()}
    row = next(r for r in expected["1"] if r[1] == "Management systems (IPAS)")
    row[5] = "Brazil trains two technicians (ipas@example.org)"
    expected["2"].append(
        [
            subjects["2"],
            "Customs training",
            "Train customs officers",
            "Paraguay and Uruguay",
            "Mexico",
            "-Mexico hosts a workshop",
            "match",
        ]
    )

    raw = organizer.get(f"/api/events/{lima_id}/harvest.csv")
    assert raw.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))

    def safe(cells: list[object]) -> list[str]:  # how a CSV keeps a formula-looking cell as text
        return [f"'{c}" if str(c).startswith(tuple("=+-@")) else str(c) for c in cells]

    for code, name in subjects.items():
        assert [r for r in rows if r[:1] == [name]] == [safe(r) for r in expected[code]]
    notes_at = rows.index(["Notes"])
    assert sorted(rows[notes_at + 2 :]) == sorted(
        safe([str(w[0]), w[1], w[2], w[3], w[4], ""]) for w in written
    )
    initiatives = rows[rows.index(["Initiatives"]) + 2 : notes_at - 1]
    assert sorted(r[1] for r in initiatives) == [
        "Customs training",
        "Management systems (IPAS)",
        "Not yet agreed",
    ]
    assert [r[7] for r in initiatives if r[1] == "Not yet agreed"] == ["proposed"]

    book = openpyxl.load_workbook(
        io.BytesIO(organizer.get(f"/api/events/{lima_id}/harvest.xlsx").content)
    )
    for code, name in subjects.items():
        sheet = book[name[:28]]
        values = [[c.value or "" for c in r] for r in sheet.iter_rows(min_row=2)]
        assert values == expected[code]
        assert all(c.data_type == "s" for r in sheet.iter_rows(min_row=2) for c in r if c.value)
    notes_sheet = [[c.value for c in r] for r in book["Notes"].iter_rows(min_row=2)]
    assert sorted(r[:5] for r in notes_sheet) == sorted(list(w) for w in written)

    markdown = organizer.get(f"/api/events/{lima_id}/harvest.md").text
    assert (
        "| Customs training | Train customs officers | Paraguay and Uruguay | Mexico |" in markdown
    )
    assert (
        "| 2 | Customs training | Train customs officers | Paraguay and Uruguay | Mexico |"
        in (markdown.split("## Initiatives")[1])
    )
    assert markdown.count("=SUM(A1) ideas") == 4


def test_the_harvest_groups_notes_and_initiatives_and_finds_words(
    organizer: httpx.Client, tablet: httpx.Client, lima_id: int
) -> None:
    rounds = my_rounds(tablet)
    first = next(p for p in rounds["1"]["people"] if p["code"] not in ("PE", "CL"))
    tablet.put(
        f"/api/events/{lima_id}/notes/g-1",
        json=note(
            rounds, 1, "Scanning backlog", participants=[first["code"]], topics=["Digitalization"]
        ),
    )
    tablet.put(f"/api/events/{lima_id}/notes/g-2", json=note(rounds, 2, "Budget <script>"))
    organizer.put(
        f"/api/events/{lima_id}/initiatives/g-3",
        json={
            "subject": "1",
            "topic": "Digitalization",
            "requesting": ["PE"],
            "offering": ["CL"],
            "offer": "Chile shares its scanner specs",
            "status": "confirmed",
        },
    )
    url = f"/events/{lima_id}/harvest"
    by_topic = seen(organizer.get(url, params={"by": "topic", "lang": "en"}))
    assert "Digitalization Digitalization · confirmed" in by_topic
    assert (
        by_topic.index("Scanning backlog") < by_topic.index("No topic") < by_topic.index("Budget")
    )
    by_person = seen(organizer.get(url, params={"by": "participant"}))
    assert f"{first['name']} Round 1" in by_person and "Peru Digitalization" in by_person
    assert "Chile Digitalization" in by_person  # an offerer too
    found = organizer.get(url, params={"q": "scanner"})
    assert "Chile shares its scanner specs" in seen(found) and "Scanning backlog" not in seen(found)
    assert "0 notes · 1 initiative" in seen(found)
    assert "Budget &lt;script&gt;" in organizer.get(url).text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_printable_report_has_the_tables_and_a_page_per_participant(
    organizer: httpx.Client, tablet: httpx.Client, lima_id: int, paper: str
) -> None:
    rounds = my_rounds(tablet)
    tablet.put(f"/api/events/{lima_id}/notes/r-1", json=note(rounds, 1, "Offices <em>share</em>"))
    reply = organizer.get(f"/events/{lima_id}/harvest/report", params={"paper": paper})
    assert f'href="/static/css/paper-{paper}.css" media="print"' in reply.text
    assert "Offices &lt;em&gt;share&lt;/em&gt;" in reply.text
    report = seen(reply)
    assert "Cooperation tables Infrastructure and new technologies Topic Request" in report
    assert reply.text.count('class="report-person"') == 16
    assert "Peru What you take home" in report and "You met" in report
    alone = organizer.get(f"/events/{lima_id}/harvest/report", params={"people": "false"})
    assert 'class="report-person"' not in alone.text
