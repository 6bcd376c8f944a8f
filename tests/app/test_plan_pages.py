"""The plan pages over real HTTP: generate, watch, read, adjust by hand, re-plan, print."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.database import make_engine
from app.models import Event, ParticipantUpdate
from app.services import events, instances
from app.settings import Settings
from tests.app.factories import PLAN_LIMITS, add_people, add_tables, import_lima, make_event

HTMX = {"HX-Request": "true"}


# --- fixtures and helpers, shared with test_api_plans ----------------------------------------


@pytest.fixture
def web_engine(web_settings: Settings, live_server: str) -> Iterator[Engine]:
    """The live server's database (migrated by its start-up), for setting up data."""
    engine = make_engine(web_settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def lima(web_engine: Engine) -> int:
    with Session(web_engine) as session:
        return int(import_lima(session).id or 0)


@pytest.fixture
def planned(web_engine: Engine, lima: int) -> int:
    with Session(web_engine) as session:
        event = session.get(Event, lima)
        assert event is not None
        instances.plan_event(session, event=event, **PLAN_LIMITS)
    return lima


def not_attending(engine: Engine, event_id: int, code: str) -> None:
    with Session(engine) as session:
        event = session.get(Event, event_id)
        assert event is not None
        person = events.get_participant(session, event=event, code=code)
        events.update_participant(session, participant=person, data=ParticipantUpdate(active=False))


def wait_for_job(client: httpx.Client, event_id: int, timeout: float = 30) -> dict[str, object]:
    """Poll the job through the API until it ends; its last status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/api/events/{event_id}/plan/job").json()
        if status["state"] != "running":
            return dict(status)
        time.sleep(0.2)
    raise AssertionError("the job did not end in time")


def plan_json(client: httpx.Client, event_id: int) -> dict[str, object]:
    reply = client.get(f"/api/events/{event_id}/plan")
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def seats(plan: dict[str, object]) -> dict[tuple[str, int], str]:
    rounds = plan["rounds"]
    assert isinstance(rounds, list)
    return {
        (code, rnd["round"]): tab["table"]
        for rnd in rounds
        for tab in rnd["tables"]
        for code in tab["participants"]
    }


def table_of_size(plan: dict[str, object], round: int, size: int) -> str:
    rounds = plan["rounds"]
    assert isinstance(rounds, list)
    tables = next(rnd["tables"] for rnd in rounds if rnd["round"] == round)
    return str(next(tab["table"] for tab in tables if len(tab["participants"]) == size))


class _Rows(HTMLParser):
    """The cell texts of each row of the tables whose class includes `wanted`."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.depth, self.rows = wanted, 0, []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and (self.depth or self.wanted in (dict(attrs).get("class") or "")):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, css_class: str) -> list[list[str]]:
    parser = _Rows(css_class)
    parser.feed(html)
    return parser.rows


# --- generate ----------------------------------------------------------------------------------


def test_no_plan_yet_asks_to_generate(organizer: httpx.Client, lima: int) -> None:
    page = organizer.get(f"/events/{lima}/plan")
    assert page.status_code == 200 and "No plan yet" in page.text
    assert f'href="/events/{lima}/plan/generate"' in page.text
    assert 'aria-current="page">Plan</a>' in page.text  # the event's navigation
    printing = organizer.get(f"/events/{lima}/print")
    assert printing.status_code == 200 and "No plan yet" in printing.text


def test_generate_page_shows_the_bounds_of_each_layout(organizer: httpx.Client, lima: int) -> None:
    page = organizer.get(f"/events/{lima}/plan/generate").text
    assert "5 tables of 3–4 seats" in page and "4 groups of 4" in page
    assert page.count("at least 0 repeated encounters; 80/80 subject visits possible") == 2
    assert 'name="priority" value="subjects"' in page and 'id="time-limit"' in page
    tradeoff = organizer.post(
        f"/events/{lima}/plan/layouts/at_capacity/tradeoff", data={"seconds": "0.5"}, headers=HTMX
    )
    assert tradeoff.status_code == 200 and tradeoff.text.lstrip().startswith(
        '<div class="tradeoff"'
    )
    assert "Repeats first:" in tradeoff.text and "Subjects first:" in tradeoff.text
    assert re.search(r"\d+/80 subject visits", tradeoff.text)
    assert "pull against each other" in tradeoff.text


def test_generate_lima_through_the_page(organizer: httpx.Client, lima: int) -> None:
    start = organizer.post(
        f"/events/{lima}/plan/generate", data={"priority": "repeats", "time_limit": "1"}
    )
    assert start.status_code == 303 and start.headers["location"] == f"/events/{lima}/plan/job"
    panel = organizer.get(f"/events/{lima}/plan/job")
    assert 'role="status"' in panel.text and "Repeated encounters" in panel.text
    deadline = time.monotonic() + 20
    while (
        "See the plan" not in (poll := organizer.get(f"/events/{lima}/plan/job", headers=HTMX)).text
    ):
        assert 'hx-trigger="every 1s"' in poll.text and time.monotonic() < deadline
        time.sleep(0.3)
    assert "Done in" in poll.text and 'hx-swap-oob="true"' in poll.text
    assert "HX-Refresh" not in poll.headers  # the job's own page shows the figures itself
    from_plan = {**HTMX, "HX-Current-URL": f"http://testserver/events/{lima}/plan"}
    ended = organizer.get(f"/events/{lima}/plan/job", headers=from_plan)
    assert ended.headers["HX-Refresh"] == "true"  # the plan page reloads with the new figures
    page = organizer.get(f"/events/{lima}/plan").text
    grid = table_rows(page, "plan-grid")
    assert grid[0] == ["Round", "Table 1", "Table 2", "Table 3", "Table 4", "Table 5"]
    assert [row[0] for row in grid[1:]] == [f"Round {r}" for r in range(1, 6)]
    for r in range(1, 6):
        assert len(re.findall(rf'data-code="AR" data-round="{r}"', page)) == 1
    assert "repeated encounters" in page and "none can be avoided" in page
    assert "Every hard rule holds" in page
    # needs against the bound for plans that give everyone every subject (133 for Lima)
    assert re.search(r'<span class="value">\d+/133</span>', page)
    assert "no plan that gives everyone every subject serves more than 133" in page
    details = organizer.get(f"/events/{lima}/plan/quality").text
    assert 'class="heat-map"' in details and "0: never met" in details


def test_starting_twice_gives_a_message_and_stop_ends_early(
    organizer: httpx.Client, lima: int
) -> None:
    url = f"/events/{lima}/plan/generate"
    first = organizer.post(url, data={"time_limit": "60"}, headers=HTMX)
    assert first.status_code == 202 and 'id="job-panel"' in first.text
    second = organizer.post(url, data={"time_limit": "60"}, headers=HTMX)
    assert second.status_code == 409 and "is already being made" in second.text
    began = time.monotonic()
    stopped = organizer.post(f"/events/{lima}/plan/job/stop", headers=HTMX)
    assert stopped.status_code == 200 and 'id="job-progress"' in stopped.text
    status = wait_for_job(organizer, lima)
    assert status["state"] == "done" and status["stopped"] is True
    assert time.monotonic() - began < 15
    page = organizer.get(f"/events/{lima}/plan/job").text
    assert "Stopped after" in page and "See the plan" in page


def test_an_event_that_cannot_hold_ends_the_job_with_the_reason(
    organizer: httpx.Client, web_engine: Engine
) -> None:
    with Session(web_engine) as session:
        event = make_event(session, "Crowded", rounds=2)
        add_people(session, event, 10)
        add_tables(session, event, 1, capacity=4)
        event_id = int(event.id or 0)
    page = organizer.get(f"/events/{event_id}/plan/generate").text
    assert page.count("Cannot be planned:") >= 1 and "10 participants but only 4 seats" in page
    start = organizer.post(
        f"/events/{event_id}/plan/generate", data={"time_limit": "1"}, headers=HTMX
    )
    assert start.status_code == 202
    assert wait_for_job(organizer, event_id)["state"] == "failed"
    panel = organizer.get(f"/events/{event_id}/plan/job", headers=HTMX).text
    assert "The plan could not be made:" in panel and "10 participants but only 4 seats" in panel
    assert "hx-trigger" not in panel  # polling stops


# --- the plan ----------------------------------------------------------------------------------


def test_itinerary_of_argentina(organizer: httpx.Client, planned: int) -> None:
    page = organizer.get(f"/events/{planned}/plan/participants/AR")
    assert page.status_code == 200 and "Itinerary of Argentina" in page.text
    rows = table_rows(page.text, "itinerary")
    assert rows[0] == ["Round", "Time", "Table", "Subject", "Facilitator", "Who else"]
    assert [row[0] for row in rows[1:]] == [f"Round {r}" for r in range(1, 6)]
    assert rows[1][1] == "0:00–0:35"
    assert len({row[3] for row in rows[1:]}) == 5  # five different subjects
    assert all("Argentina" not in row[5] and row[5] for row in rows[1:])
    jump = organizer.get(f"/events/{planned}/plan/participants", params={"code": "BR"})
    assert jump.status_code == 303 and jump.headers["location"].endswith("/participants/BR")
    missing = organizer.get(f"/events/{planned}/plan/participants/ZZ")
    assert missing.status_code == 404 and "not a participant of this plan" in missing.text


def test_facilitators_and_participants_pages(organizer: httpx.Client, planned: int) -> None:
    routes = organizer.get(f"/events/{planned}/plan/facilitators")
    rows = table_rows(routes.text, "routes")
    assert len(rows) == 1 + 5 and rows[1][0] == "Host of subject 1"
    assert all(cell.startswith("Table ") for cell in rows[1][2:])
    people = organizer.get(f"/events/{planned}/plan/participants")
    assert people.text.count("5 / 5") == 16


def test_move_swap_undo_by_form(organizer: httpx.Client, planned: int) -> None:
    url = f"/events/{planned}/plan"
    before = seats(plan_json(organizer, planned))
    other = next(p for (p, r), t in before.items() if r == 1 and t != before[("AR", 1)])
    swap = organizer.post(
        f"{url}/swap", data={"round": "1", "first": "AR", "second": other}, headers=HTMX
    )
    assert swap.status_code == 200 and swap.text.startswith('<div id="plan-body"')
    assert f"Saved: swapped AR and {other} in round 1." in swap.text
    assert "edited by hand, checked again at once" in swap.text  # not "the best found"
    names = {
        p["code"]: p["name"] for p in organizer.get(f"/api/events/{planned}/participants").json()
    }
    moved = re.search(r'<details class="changed-seats">(.*?)</details>', swap.text, re.S)
    assert moved and "changed 2 seats" in moved.group(1)
    marked = re.findall(
        r'<li class="chip changed" data-seat data-code="([^"]+)" data-round="1"', swap.text
    )
    assert sorted(marked) == sorted(["AR", other])  # the grid marks the seats that changed
    assert f"Argentina: round 1, {before[('AR', 1)]} → {before[(other, 1)]}" in moved.group(1)
    assert f"{names[other]}: round 1, {before[(other, 1)]} → {before[('AR', 1)]}" in moved.group(1)
    assert "the best found in the time" not in swap.text
    organizer.patch(f"/api/events/{planned}", json={"time_zone": "America/Lima"})
    versions = organizer.get(f"{url}/versions").text
    assert "Saved (America/Lima)" in versions
    after = seats(plan_json(organizer, planned))
    assert after[("AR", 1)] == before[(other, 1)]
    assert f'data-code="AR" data-round="1" data-table="{before[(other, 1)]}"' in swap.text

    full = table_of_size(plan_json(organizer, planned), 1, 4)
    mover = next(p for (p, r), t in after.items() if r == 1 and t != full)
    move = organizer.post(
        f"{url}/move", data={"round": "1", "participant": mover, "table": full}, headers=HTMX
    )
    assert move.status_code == 200 and "It breaks" in move.text
    assert 'class="violations" role="alert"' in move.text
    assert f"table &#39;{full}&#39; seats 5, outside 3..4" in move.text
    assert plan_json(organizer, planned)["status"] == "invalid"

    undo = organizer.post(f"{url}/undo", headers=HTMX)
    assert undo.status_code == 200 and "Undone" in undo.text
    assert seats(plan_json(organizer, planned)) == after
    assert "Every hard rule holds" in undo.text

    plain = organizer.post(f"{url}/undo")  # without htmx: back to the page, with a message
    assert plain.status_code == 303 and plain.headers["location"] == url
    assert "Undone" in organizer.get(url).text
    assert seats(plan_json(organizer, planned)) == before


def test_each_part_of_the_plan_has_its_own_address(organizer: httpx.Client, planned: int) -> None:
    url = f"/events/{planned}/plan"
    parts = {
        url: ("Seating", 'class="grid plan-grid"'),
        f"{url}/participants": ("Itineraries", "Rounds seated"),
        f"{url}/facilitators": ("Facilitators", 'class="list routes"'),
        f"{url}/quality": ("Quality details", 'class="heat-map"'),
        f"{url}/versions": ("Versions", "Undo the last change"),
        f"{url}/adjust": ("Adjust", "Re-plan from a round"),
    }
    for address, (label, content) in parts.items():
        page = organizer.get(address).text
        assert content in page, address
        nav = re.search(r'<nav class="plan-parts.*?</nav>', page, re.S)
        assert nav, address
        current = re.findall(
            r'<a href="([^"]+)" aria-current="page"><svg [^>]*>.*?</svg>([^<]+)</a>', nav.group(0)
        )
        assert current == [(address, label)], address  # the tab of this part is marked
        assert len(re.findall(r"<a href=", nav.group(0))) == len(parts)
        others = {a: c for a, (_, c) in parts.items() if a != address}
        assert not any(c in page for c in others.values()), address  # one part at a time
    # every part but the lists shows the quality at a glance on top
    for address in (url, f"{url}/quality", f"{url}/versions", f"{url}/adjust"):
        assert "Quality at a glance" in organizer.get(address).text


def test_a_change_answers_with_the_part_it_was_made_from(
    organizer: httpx.Client, planned: int
) -> None:
    url = f"/events/{planned}/plan"
    before = seats(plan_json(organizer, planned))
    other = next(p for (p, r), t in before.items() if r == 2 and t != before[("AR", 2)])
    swap = {"round": "2", "first": "AR", "second": other}
    from_adjust = organizer.post(f"{url}/swap", data={**swap, "part": "adjust"}, headers=HTMX)
    assert from_adjust.status_code == 200 and 'data-part="adjust"' in from_adjust.text
    assert "Re-plan from a round" in from_adjust.text and "plan-grid" not in from_adjust.text
    # the message offers to take the change back, from the same part
    undo = re.search(r'<div id="plan-message".*?</div>', from_adjust.text, re.S)
    assert undo and f'action="{url}/undo"' in undo.group(0)
    assert 'name="part" value="adjust"' in undo.group(0)
    undone = organizer.post(f"{url}/undo", data={"part": "adjust"}, headers=HTMX)
    assert 'data-part="adjust"' in undone.text and "Undone" in undone.text
    assert f'action="{url}/undo"' not in re.search(
        r'<div id="plan-message".*?</div>|<p id="plan-message".*?</p>', undone.text, re.S
    ).group(0)  # no undo of an undo
    assert seats(plan_json(organizer, planned)) == before
    plain = organizer.post(f"{url}/swap", data={**swap, "part": "versions"})
    assert plain.status_code == 303 and plain.headers["location"] == f"{url}/versions"
    dropped = organizer.post(f"{url}/undo", data={"part": "../../elsewhere"})
    assert dropped.status_code == 303 and dropped.headers["location"] == url  # unknown part
    grid = organizer.post(f"{url}/swap", data=swap, headers=HTMX)  # a drag in the grid
    assert 'data-part="seating"' in grid.text and "plan-grid" in grid.text


def test_impossible_changes_are_refused_with_a_message(
    organizer: httpx.Client, planned: int
) -> None:
    url = f"/events/{planned}/plan"
    unknown = organizer.post(
        f"{url}/move", data={"round": "1", "participant": "AR", "table": "Table 9"}, headers=HTMX
    )
    assert unknown.status_code == 404 and 'role="alert"' in unknown.text
    assert "there is no table &#39;Table 9&#39;" in unknown.text
    first = organizer.post(f"{url}/undo")
    assert first.status_code == 409 and "nothing to undo" in first.text


def test_a_locked_round_refuses_edits(organizer: httpx.Client, planned: int) -> None:
    url = f"/events/{planned}/plan"
    locks = organizer.post(f"{url}/locks", data={"sent": "1", "locked": ["1", "2"]}, headers=HTMX)
    assert locks.status_code == 200 and "Locked rounds: 1, 2." in locks.text
    assert 'name="locked" value="2" checked' in locks.text
    refused = organizer.post(
        f"{url}/swap", data={"round": "2", "first": "AR", "second": "BR"}, headers=HTMX
    )
    assert refused.status_code == 409 and "round 2 is locked" in refused.text
    # the form keeps what was chosen, to be corrected rather than chosen again
    again = organizer.post(
        f"{url}/swap",
        data={"round": "2", "first": "AR", "second": "BR", "part": "adjust"},
        headers=HTMX,
    )
    assert again.status_code == 409 and 'id="swap-form"' in again.text
    swap_form = again.text[again.text.index('id="swap-form"') : again.text.index('id="locks-form"')]
    for chosen in ('value="2" selected', 'value="AR" selected', 'value="BR" selected'):
        assert chosen in swap_form
    assert len(organizer.get(f"/api/events/{planned}/plan/versions").json()) == 1
    assert 'data-round="2" data-table="Table 1">' in refused.text  # no drop target when locked
    organizer.post(f"{url}/locks", data={"sent": "1"}, headers=HTMX)
    assert plan_json(organizer, planned)["locked_rounds"] == []


def test_replan_from_round_three_after_someone_leaves(
    organizer: httpx.Client, planned: int, web_engine: Engine
) -> None:
    before = plan_json(organizer, planned)
    not_attending(web_engine, planned, "AR")
    start = organizer.post(
        f"/events/{planned}/plan/replan", data={"from_round": "3", "time_limit": "1"}, headers=HTMX
    )
    assert start.status_code == 202 and "Re-planning" in start.text
    assert wait_for_job(organizer, planned)["state"] == "done"
    for shown_on, refresh in (("plan/adjust", True), ("plan/participants", False)):
        here = {**HTMX, "HX-Current-URL": f"http://testserver/events/{planned}/{shown_on}"}
        ended = organizer.get(f"/events/{planned}/plan/job", headers=here)
        assert ("HX-Refresh" in ended.headers) is refresh  # re-planned from Adjust: new figures
    after = plan_json(organizer, planned)
    assert after["note"] == "re-planned from round 3"
    assert after["rounds"][:2] == before["rounds"][:2]  # type: ignore[index]
    later = seats(after)
    assert all(("AR", r) in later for r in (1, 2))
    assert not any(("AR", r) in later for r in (3, 4, 5))
    assert after["metrics"]["valid"] is True  # type: ignore[index]
    page = organizer.get(f"/events/{planned}/plan").text
    assert "re-planned from round 3" in page


# --- print and export ----------------------------------------------------------------------------


def test_print_page_has_cards_itineraries_and_badges(
    organizer: httpx.Client, planned: int, live_server: str
) -> None:
    page = organizer.get(f"/events/{planned}/print", params={"start": "09:00"}).text
    assert page.count('class="page table-card"') == 25  # 5 tables x 5 rounds
    assert page.count('class="page itinerary-page"') == 16
    assert page.count('class="badge"') == 16 and page.count('<svg role="img"') == 16
    assert page.count('class="page badge-sheet"') == 2
    token = organizer.get(f"/api/events/{planned}/participants").json()[0]["attendee_url"]
    assert 'href="http://127.0.0.1:8000/a/' in page and f'href="{token}"' in page
    assert f"/attend/{planned}/AR" not in page  # no guessable links
    assert "09:00–09:35" in page and "Round 5 · 11:40–12:15" in page
    only = organizer.get(f"/events/{planned}/print", params={"show": "badges"}).text
    assert "table-card" not in only and only.count('<svg role="img"') == 16  # the QR codes


def test_exports_download(organizer: httpx.Client, planned: int) -> None:
    csv_file = organizer.get(f"/events/{planned}/export/csv")
    assert csv_file.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="lima-2022-plan.csv"' in csv_file.headers["content-disposition"]
    assert csv_file.content.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    lines = csv_file.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0] == "round,table,subject,participant_code,participant_name,start,end,facilitators"
    )
    assert len(lines) == 1 + 80
    xlsx = organizer.get(f"/events/{planned}/export/xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    plan = organizer.get(f"/events/{planned}/export/json")
    assert plan.headers["content-type"] == "application/json"
    assert len(plan.json()["rounds"]) == 5 and "repeats" in plan.json()["metrics"]
    assert organizer.get(f"/events/{planned}/export/pdf").status_code == 404


def test_plan_pages_need_sign_in(anonymous: httpx.Client, lima: int) -> None:
    for path in ("/plan", "/plan/generate", "/plan/facilitators", "/print", "/export/csv"):
        reply = anonymous.get(f"/events/{lima}{path}")
        assert reply.status_code == 303 and reply.headers["location"].startswith("/login")
    htmx = anonymous.post(f"/events/{lima}/plan/undo", headers=HTMX)
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/login")
