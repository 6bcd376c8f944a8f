"""Who may reach what (OWASP ASVS 5.0 V8.2.1, V8.2.2, V8.3.1): every route of the app, each
kind of caller, allowed only where the table below intends, the table the README lists.

Callers: nobody signed in; an organizer of other events (Eve); a co-organizer (Carl) and the
owner (Olga) of the Lima event; an admin; Lima's attendee, facilitator and screen links; and the
links of another event (all three at once).

Each route is sent once by every caller it is not meant for: the answer must refuse (401, 403,
404, or the way to the sign-in page; 422 for a body that does not fit, before anything is read),
and afterwards the event must be as it was. Then every read (GET) is sent by every caller it is
meant for and must be answered (2xx or a redirect elsewhere than the sign-in page)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.settings import Settings
from tests.app.conftest import ADMIN, serving, settings_for
from tests.app.factories import add_hosts, published_lima
from tests.app.test_security import routes

PASSWORD = "a long enough password"

ORGANIZERS = ("co-organizer", "owner", "admin")
SIGNED_IN = ("other organizer", *ORGANIZERS)
LINKS = ("attendee link", "facilitator link", "screen link")
CALLERS = ("anonymous", *SIGNED_IN, *LINKS, "other event's links")

# What each kind of route is for, and who may reach it. The README's "Who may do what" table.
ACCESS: dict[str, tuple[str, ...]] = {
    "public": CALLERS,
    "signed in": SIGNED_IN,
    "admin": ("admin",),
    "event": ORGANIZERS,
    "event owner": ("owner", "admin"),
    "watch": (*ORGANIZERS, *LINKS),
    "attendee": ("attendee link", "other event's links"),  # each sees their own event
    "facilitator": ("facilitator link", "other event's links"),
    "harvest": ("facilitator link", *ORGANIZERS),
}

# (methods or "*", path pattern, kind): the first that matches a route decides.
RULES: list[tuple[str, str, str]] = [
    (
        "*",
        r"^/(login|logout|health|healthz|readyz|docs|openapi\.json|static|facilitate-sw\.js)$",
        "public",
    ),
    ("*", r"^/language/\{code\}$", "public"),
    ("*", r"^/(a|f|s|q)/\{token\}$", "public"),  # the secret is the key
    ("*", r"^/attend/\{event_id\}/\{code\}$", "public"),  # old badges: 410 for everyone
    ("*", r"^/$", "signed in"),
    ("*", r"^/import-templates/", "signed in"),
    ("*", r"^/(attend|api/attendee|questionnaire)$", "attendee"),
    ("*", r"^/attend/floor(/withdraw)?$", "attendee"),
    ("*", r"^/facilitate$", "facilitator"),
    ("*", r"^/(api/)?accounts", "admin"),
    ("*", r"^/(api/)?account/", "signed in"),
    ("*", r"^/account$", "signed in"),
    ("*", r"^/events/new$", "signed in"),
    ("*", r"^/api/events$", "signed in"),
    ("DELETE", r"^/api/events/\{event_id\}$", "event owner"),
    ("*", r"^/events/\{event_id\}/delete$", "event owner"),
    ("PUT DELETE", r"^/api/events/\{event_id\}/organizers/", "event owner"),
    ("POST", r"^/events/\{event_id\}/organizers$", "event owner"),
    ("GET", r"^/api/events/\{event_id\}/session(/stream)?$", "watch"),
    ("*", r"^/events/\{event_id\}/(plenary/)?screen$", "watch"),
    ("*", r"^/api/events/\{event_id\}/(notes|initiatives)(/|$)", "harvest"),
    ("*", r"^/(api/)?events/\{event_id\}(/|$)", "event"),
]


def kind_of(method: str, path: str) -> str:
    for methods, pattern, kind in RULES:
        if (methods == "*" or method in methods.split()) and re.search(pattern, path):
            return kind
    raise AssertionError(f"{method} {path} is in no access rule: add it to RULES and the README")


@dataclass
class World:
    url: str
    event_id: int
    clients: dict[str, httpx.Client]
    values: dict[str, str]
    links: dict[str, str]  # "/a/{token}" -> the attendee's link, and so on


def _signed_in(url: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30, headers={"Origin": url})
    reply = client.post("/login", data={"username": username, "password": password})
    assert reply.status_code == 303, reply.text
    return client


def _with_links(url: str, *links: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30, headers={"Origin": url})
    for link in links:
        reply = client.get("/" + link.split("/", 3)[3])
        assert reply.status_code == 303, (link, reply.status_code)
    return client


def _links(admin: httpx.Client, event_id: int) -> tuple[str, str, str]:
    people = admin.get(f"/api/events/{event_id}/participants").json()
    badge = admin.post(f"/api/events/{event_id}/participants/{people[0]['id']}/token").json()
    hosts = admin.get(f"/api/events/{event_id}/facilitators").json()
    admin.post(f"/events/{event_id}/live/screen-link")
    console = admin.get(f"/events/{event_id}/live").text
    screen = re.search(r"https?://[^\"'<\s]+/s/[\w-]+", console)
    assert screen, "the console shows the screen link"
    return badge["attendee_url"], hosts[0]["facilitator_url"], screen.group(0)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings: Settings = settings_for(tmp_path_factory.mktemp("matrix"))
    from app.database import migrate

    migrate(settings.database_url)
    lima = published_lima(settings.database_url)
    add_hosts(settings.database_url, lima)
    other = published_lima(settings.database_url, name="Another café")
    add_hosts(settings.database_url, other)
    with serving(settings) as url:
        admin = _signed_in(url, *ADMIN)
        for name in ("olga", "carl", "eve"):
            made = admin.post("/api/accounts", json={"username": name, "password": PASSWORD})
            assert made.status_code == 201, made.text
        for name, role in (("olga", "owner"), ("carl", "co-organizer")):
            put = admin.put(f"/api/events/{lima}/organizers/{name}", json={"role": role})
            assert put.status_code == 200, put.text
        admin.put(f"/api/events/{other}/organizers/eve", json={"role": "owner"})
        attendee, host, screen = _links(admin, lima)
        clients = {
            "anonymous": httpx.Client(base_url=url, timeout=30, headers={"Origin": url}),
            "other organizer": _signed_in(url, "eve", PASSWORD),
            "co-organizer": _signed_in(url, "carl", PASSWORD),
            "owner": _signed_in(url, "olga", PASSWORD),
            "admin": admin,
            "attendee link": _with_links(url, attendee),
            "facilitator link": _with_links(url, host),
            "screen link": _with_links(url, screen),
            "other event's links": _with_links(url, *_links(admin, other)),
        }
        first = {
            key: str(admin.get(f"/api/events/{lima}/{path}").json()[0]["id"])
            for key, path in {
                "participant_id": "participants",
                "table_id": "tables",
                "subject_id": "subjects",
                "topic_id": "topics",
                "facilitator_id": "facilitators",
            }.items()
        }
        people = admin.get(f"/api/events/{lima}/participants").json()
        apart = admin.post(
            f"/api/events/{lima}/constraints",
            json={"kind": "keep_apart", "participants": [p["code"] for p in people[:2]]},
        )
        assert apart.status_code == 201, apart.text
        job = admin.post(f"/api/events/{lima}/plan/generate", json={"time_limit": 1})
        assert job.status_code == 202, job.text
        deadline = time.monotonic() + 120
        while admin.get(f"/api/events/{lima}/plan/job").json()["state"] in ("queued", "running"):
            assert time.monotonic() < deadline, "the solve did not end"
            time.sleep(0.2)
        values = first | {
            "constraint_id": str(apart.json()["id"]),
            "event_id": str(lima),
            "code": people[0]["code"],
            "code:path": people[0]["code"],
            "version_id": str(admin.get(f"/api/events/{lima}/plan/versions").json()[0]["id"]),
            "fmt": "csv",
            "kind": "participants",
            "username": "carl",
            "action": "start",
        }
        links = {
            f"/{kind}/{{token}}": "/" + link.split("/", 3)[3]
            for kind, link in zip("afs", (attendee, host, screen), strict=True)
        }
        links["/q/{token}"] = links["/a/{token}"].replace("/a/", "/q/")  # the questionnaire's
        yield World(url, lima, clients, values, links)
        for client in clients.values():
            client.close()


def _filled(path: str, values: dict[str, str]) -> str:
    return re.sub(r"{([^}]+)}", lambda m: values.get(m.group(1), "1"), path)


def _refused(reply: httpx.Response) -> bool:
    if reply.status_code in (401, 403, 404, 422):
        return True
    return reply.is_redirect and "/login" in reply.headers.get("location", "")


def _answered(reply: httpx.Response) -> bool:
    if reply.is_redirect:
        return "/login" not in reply.headers.get("location", "")
    return reply.status_code < 400


def _all_routes() -> list[tuple[str, str]]:
    settings = settings_for(Path("/nonexistent"), migrate_on_start=False)
    return sorted(
        (method, path)
        for path, methods in routes(settings)
        for method in methods - {"HEAD", "OPTIONS"}
        if not path.endswith("/stream")  # never ends: test_live_web.py reads it
    )


def test_every_route_has_an_access_rule() -> None:
    kinds = {kind_of(method, path) for method, path in _all_routes()}
    assert kinds == set(ACCESS)


def test_no_caller_reaches_what_is_not_theirs(world: World) -> None:
    owner = world.clients["owner"]
    before = owner.get(f"/api/events/{world.event_id}/summary").json()
    audit = len(owner.get(f"/api/events/{world.event_id}/audit").json())
    wrong = []
    for method, path in _all_routes():
        allowed = ACCESS[kind_of(method, path)]
        url = _filled(path, world.values)
        for caller in CALLERS:
            if caller in allowed:
                continue
            reply = world.clients[caller].request(method, url, json={})
            if not _refused(reply):
                wrong.append(f"{caller}: {method} {url} -> {reply.status_code}")
    assert wrong == [], "\n".join(wrong)
    assert owner.get(f"/api/events/{world.event_id}/summary").json() == before
    assert len(owner.get(f"/api/events/{world.event_id}/audit").json()) == audit


def test_each_caller_reads_what_is_theirs(world: World) -> None:
    wrong = []
    reads = 0
    for method, path in _all_routes():
        if method != "GET" or path in ("/logout", "/static"):
            continue
        url = world.links.get(path) or _filled(path, world.values)
        for caller in ACCESS[kind_of(method, path)]:
            if path in world.links:  # a link opens for anyone who has it, whoever they are
                with httpx.Client(base_url=world.url, timeout=30) as phone:
                    reply = phone.get(url)
            else:
                reply = world.clients[caller].get(url)
            reads += 1
            if path == "/attend/{event_id}/{code}":  # badges printed before secret links
                if reply.status_code != 410:
                    wrong.append(f"{caller}: GET {url} -> {reply.status_code}, not 410")
            elif not _answered(reply):
                wrong.append(f"{caller}: GET {url} -> {reply.status_code}")
    assert wrong == [], "\n".join(wrong)
    assert reads > 150
