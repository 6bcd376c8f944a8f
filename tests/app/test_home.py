"""Signing in, the home page, the language switch: over real HTTP."""

from __future__ import annotations

import re

import httpx

from app.settings import Settings
from tests.app.conftest import ADMIN
from tests.app.factories import published_lima
from tests.app.web_factories import api_event, shown


def test_pages_need_a_signed_in_organizer(anonymous: httpx.Client) -> None:
    reply = anonymous.get("/")
    assert reply.status_code == 303 and reply.headers["location"] == "/login?next=/"


def test_wrong_password_is_refused_with_a_message(anonymous: httpx.Client) -> None:
    reply = anonymous.post("/login", data={"username": "admin", "password": "nope"})
    assert reply.status_code == 401 and "Wrong username or password" in reply.text


def test_sign_in_then_home_lists_events(organizer: httpx.Client) -> None:
    page = organizer.get("/")
    assert page.status_code == 200
    assert "<h1>Events</h1>" in page.text and "Sign out (admin)" in page.text


def test_the_events_list_says_who_comes_and_where_the_plan_is(
    organizer: httpx.Client, web_settings: Settings
) -> None:
    lima = published_lima(web_settings.database_url)
    api_event(organizer, "Asunción 2023")
    rows = {r.split(" ", 2)[0]: r for r in _rows(organizer.get("/"))}
    assert "16 (of 17)" in rows["Lima"] and "plan published" in rows["Lima"]
    assert "no plan yet" in rows["Asunción"]
    organizer.post(f"/api/events/{lima}/session/start")
    assert "live: round 1" in next(r for r in _rows(organizer.get("/")) if r.startswith("Lima"))


def _rows(page: httpx.Response) -> list[str]:
    return [shown(row) for row in re.findall(r"<tr>.*?</tr>", page.text, re.S)[1:]]


def test_sign_out(organizer: httpx.Client) -> None:
    organizer.post("/logout")
    assert organizer.get("/").status_code == 303


def test_api_answers_401_without_credentials(anonymous: httpx.Client) -> None:
    reply = anonymous.get("/api/events")
    assert reply.status_code in (401, 404)


def test_http_basic_for_api_clients(anonymous: httpx.Client) -> None:
    page = anonymous.get("/", auth=ADMIN)
    assert page.status_code == 200


def test_language_switch_to_spanish(organizer: httpx.Client) -> None:
    organizer.get("/language/es?next=/")
    page = organizer.get("/")
    assert '<html lang="es">' in page.text and "<h1>Eventos</h1>" in page.text


def test_accept_language_picks_spanish(organizer: httpx.Client) -> None:
    page = organizer.get("/", headers={"Accept-Language": "es-PE,es;q=0.9"})
    assert "<h1>Eventos</h1>" in page.text


def test_open_redirects_are_refused(anonymous: httpx.Client) -> None:
    reply = anonymous.post(
        "/login", data={"username": ADMIN[0], "password": ADMIN[1], "next": "//evil.example"}
    )
    assert reply.headers["location"] == "/"


def test_static_files_are_served_locally(anonymous: httpx.Client) -> None:
    page = anonymous.get("/login")
    assert "/static/vendor/htmx-2.0.11.min.js" in page.text and "unpkg" not in page.text
    assert anonymous.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200


def test_health(anonymous: httpx.Client) -> None:
    assert anonymous.get("/health").json() == {"status": "ok"}
