"""Who may do what (OWASP ASVS 5.0 V8): an event's owners and co-organizers, admins, and every
other organizer, over every route of the app; and the audit log of who changed what."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from app.audit_words import describe
from app.settings import Settings
from tests.app.conftest import ADMIN
from tests.app.factories import add_hosts, published_lima
from tests.app.test_security import routes
from tests.app.web_factories import shown

PASSWORD = "a long enough password"


@pytest.fixture
def people(live_server: str) -> Iterator[dict[str, httpx.Client]]:
    """Olga owns the Lima event, Carl co-organizes it, Eve organizes other events."""
    with httpx.Client(base_url=live_server, auth=ADMIN) as admin:
        for name in ("olga", "carl", "eve"):
            made = admin.post("/api/accounts", json={"username": name, "password": PASSWORD})
            assert made.status_code == 201
    clients = {
        name: httpx.Client(base_url=live_server, auth=(name, PASSWORD), timeout=30)
        for name in ("olga", "carl", "eve")
    } | {"admin": httpx.Client(base_url=live_server, auth=ADMIN, timeout=30)}
    yield clients
    for client in clients.values():
        client.close()


@pytest.fixture
def lima_id(people: dict[str, httpx.Client], web_settings: Settings) -> int:
    event_id = published_lima(web_settings.database_url)
    add_hosts(web_settings.database_url, event_id)
    admin = people["admin"]
    assert (
        admin.put(f"/api/events/{event_id}/organizers/olga", json={"role": "owner"}).status_code
        == 200
    )
    olga = people["olga"]
    assert (
        olga.put(
            f"/api/events/{event_id}/organizers/carl", json={"role": "co-organizer"}
        ).status_code
        == 200
    )
    return event_id


def test_each_organizer_sees_only_their_events(
    people: dict[str, httpx.Client], lima_id: int
) -> None:
    eves = people["eve"].post("/api/events", json={"name": "Eve's café", "rounds": 3})
    assert eves.status_code == 201
    names = {who: [e["name"] for e in c.get("/api/events").json()] for who, c in people.items()}
    assert names["olga"] == names["carl"] == ["Lima 2022"]
    assert names["eve"] == ["Eve's café"]
    assert sorted(names["admin"]) == ["Eve's café", "Lima 2022"]
    hidden = people["eve"].get(f"/api/events/{lima_id}")
    assert hidden.status_code == 404 and "there is no event number" in hidden.json()["detail"]
    assert people["carl"].get(f"/api/events/{eves.json()['id']}").status_code == 404


def test_event_names_are_told_apart_per_organizer(
    people: dict[str, httpx.Client], lima_id: int
) -> None:
    """A taken name says nothing about another organizer's events (ASVS V8.2.2)."""
    eve = people["eve"]
    mine = eve.post("/api/events", json={"name": "Lima 2022", "rounds": 3})
    assert mine.status_code == 201 and mine.json()["id"] != lima_id
    again = eve.post("/api/events", json={"name": "Lima 2022", "rounds": 3})
    assert again.status_code == 409 and "you already have an event named" in again.json()["detail"]
    other = eve.post("/api/events", json={"name": "Asunción 2023", "rounds": 3}).json()
    renamed = eve.patch(f"/api/events/{other['id']}", json={"name": "Lima 2022"})
    assert renamed.status_code == 409 and "already has another event" in renamed.json()["detail"]
    assert [e["name"] for e in people["olga"].get("/api/events").json()] == ["Lima 2022"]
    assert sorted(e["id"] for e in eve.get("/api/events").json()) == sorted(
        [mine.json()["id"], other["id"]]
    )


def test_co_organizers_change_but_only_owners_delete_and_choose_organizers(
    people: dict[str, httpx.Client], lima_id: int
) -> None:
    carl, olga = people["carl"], people["olga"]
    assert carl.patch(f"/api/events/{lima_id}", json={"venue": "Lima"}).status_code == 200
    refused = carl.delete(f"/api/events/{lima_id}")
    assert refused.status_code == 403 and "only the event's owners" in refused.json()["detail"]
    assert (
        carl.put(f"/api/events/{lima_id}/organizers/eve", json={"role": "owner"}).status_code == 403
    )
    last = olga.delete(f"/api/events/{lima_id}/organizers/olga")
    assert last.status_code == 409 and "last owner" in last.json()["detail"]
    assert (
        olga.put(f"/api/events/{lima_id}/organizers/eve", json={"role": "co-organizer"}).status_code
        == 200
    )
    assert people["eve"].get(f"/api/events/{lima_id}").status_code == 200
    assert [o["username"] for o in olga.get(f"/api/events/{lima_id}/organizers").json()] == [
        "carl",
        "eve",
        "olga",
    ]
    assert olga.delete(f"/api/events/{lima_id}").status_code == 204


def _filled(path: str, event_id: int) -> str:
    return re.sub(r"{[^}]+}", "1", path.replace("{event_id}", str(event_id)))


def test_another_organizer_reaches_nothing_of_the_event(
    people: dict[str, httpx.Client], web_settings: Settings, lima_id: int
) -> None:
    """Every route under an event, every method, as Eve: never an answer that shows or changes
    anything (401, 403, 404, 405, 410 or 422), and the event is unchanged afterwards."""
    before = people["olga"].get(f"/api/events/{lima_id}/summary").json()
    tried = 0
    for path, methods in routes(web_settings):
        if "{event_id}" not in path:
            continue
        for method in methods - {"HEAD", "OPTIONS"}:
            reply = people["eve"].request(method, _filled(path, lima_id), json={})
            assert reply.status_code in (401, 403, 404, 405, 410, 422), (
                method,
                path,
                reply.status_code,
            )
            tried += 1
    assert tried > 80
    assert people["olga"].get(f"/api/events/{lima_id}/summary").json() == before


def test_the_audit_log_says_who_changed_what(
    people: dict[str, httpx.Client], live_server: str, lima_id: int
) -> None:
    people["carl"].patch(
        f"/api/events/{lima_id}", json={"venue": "Lima, Peru", "time_zone": "America/Lima"}
    )
    people["olga"].post(f"/api/events/{lima_id}/session/start")
    hosts = people["olga"].get(f"/api/events/{lima_id}/facilitators").json()
    with httpx.Client(base_url=live_server, headers={"Origin": live_server}) as tablet:
        tablet.get("/" + hosts[0]["facilitator_url"].split("/", 3)[3])
        proposed = tablet.put(
            f"/api/events/{lima_id}/initiatives/i-1",
            json={"topic": "Digitalization", "subject": "1"},
        )
        assert proposed.status_code == 200
    people["eve"].patch(f"/api/events/{lima_id}", json={"venue": "Nowhere"})  # refused: not logged
    log = people["olga"].get(f"/api/events/{lima_id}/audit").json()
    lines = [(e["actor"], e["action"]) for e in log]
    assert lines[:3] == [
        (f"{hosts[0]['name']} (facilitator)", f"PUT /api/events/{lima_id}/initiatives/i-1"),
        ("olga", f"POST /api/events/{lima_id}/session/start"),
        ("carl", f"PATCH /api/events/{lima_id}"),
    ]
    assert [e["summary"] for e in log[:3]] == [
        "recorded an initiative",
        "started the session",
        "changed the event's details",
    ]
    assert all(e["at"].endswith(("Z", "+00:00")) for e in log)
    page = people["olga"].get(f"/events/{lima_id}/organizers")
    assert page.status_code == 200 and "carl" in page.text
    assert "changed the event's details" in shown(page) and "When (America/Lima)" in shown(page)
    spanish = people["olga"].get(f"/events/{lima_id}/organizers", headers={"Accept-Language": "es"})
    assert "inició la sesión" in shown(spanish)


def test_every_change_an_organizer_can_make_has_words(web_settings: Settings) -> None:
    """The history says what was done in an organizer's words, for every route that changes
    an event (the request itself is kept for the curious, in the row's tooltip)."""
    unsaid = []
    for path, methods in routes(web_settings):
        if not path.startswith(("/events", "/api/events")) or path.endswith("/delete"):
            continue
        for method in methods & {"POST", "PUT", "PATCH", "DELETE"}:
            action = f"{method} {_filled(path.replace('{action}', 'next'), 7)}"
            if method == "DELETE" and path == "/api/events/{event_id}":
                continue  # the event and its history are gone
            if "/notes/" in path:
                continue  # autosaves are not logged: each note keeps its author and versions
            if describe(action) == action:
                unsaid.append(action)
    assert unsaid == []
