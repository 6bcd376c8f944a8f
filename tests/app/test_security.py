"""Security headers and a Content-Security-Policy that every page keeps (OWASP ASVS 5.0 V3.4):
every GET page of the app, on the Lima event with its plan published, over real HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from app.main import create_app
from app.settings import Settings
from tests.app.factories import add_hosts, published_lima

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
HANDLER = re.compile(r"\son[a-z]+=", re.I)


def routes(settings: Settings) -> list[tuple[str, set[str]]]:
    """(path, methods) of every route of the app, through included routers (which recent
    FastAPI keeps as routers of their own)."""
    out = []
    for route in create_app(settings).routes:
        nested = getattr(route, "effective_route_contexts", None)
        for each in nested() if nested else [route]:
            out.append((each.path, set(getattr(each, "methods", None) or ())))
    return out


def _pages(settings: Settings, event_id: int) -> list[str]:
    """Every GET route whose only path parameter is the event (streams left out: they never end)."""
    paths = []
    for path, methods in routes(settings):
        names = set(re.findall(r"{(\w+)", path))
        if "GET" in methods and names <= {"event_id"} and not path.endswith("/stream"):
            paths.append(path.replace("{event_id}", str(event_id)))
    return sorted(set(paths))


@pytest.fixture
def lima_id(live_server: str, web_settings: Settings) -> int:
    event_id = published_lima(web_settings.database_url)
    add_hosts(web_settings.database_url, event_id)
    return event_id


def assert_protected(reply: httpx.Response) -> None:
    policy = reply.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, reply.url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["referrer-policy"] in ("same-origin", "no-referrer")
    assert "strict-transport-security" not in reply.headers  # plain http: no HSTS


def assert_no_inline_code(reply: httpx.Response) -> None:
    if "text/html" not in reply.headers.get("content-type", ""):
        return
    page = reply.text
    assert not INLINE_SCRIPT.search(page), (reply.url, INLINE_SCRIPT.search(page))
    assert not INLINE_STYLE.search(page), (reply.url, INLINE_STYLE.search(page))
    assert not HANDLER.search(page), (reply.url, HANDLER.search(page))


def test_every_organizer_page_has_the_headers_and_no_inline_code(
    organizer: httpx.Client, web_settings: Settings, lima_id: int
) -> None:
    organizer.post(f"/api/events/{lima_id}/session/start")
    pages = _pages(web_settings, lima_id)
    assert len(pages) > 30  # the walk reaches the event's pages, the API and the exports
    for path in ["/", "/docs", "/openapi.json", "/static/css/ronda.css", "/nowhere", *pages]:
        reply = organizer.get(path)
        assert reply.status_code < 500, (path, reply.status_code)
        assert_protected(reply)
        assert_no_inline_code(reply)


def test_the_phone_tablet_and_screen_pages_have_no_inline_code(
    organizer: httpx.Client, live_server: str, lima_id: int
) -> None:
    people = organizer.get(f"/api/events/{lima_id}/participants").json()
    hosts = organizer.get(f"/api/events/{lima_id}/facilitators").json()
    screen = organizer.post(f"/events/{lima_id}/live/screen-link", follow_redirects=True)
    assert screen.status_code == 200
    links = [people[0]["attendee_url"], hosts[0]["facilitator_url"]]
    for link in links:
        with httpx.Client(base_url=live_server, follow_redirects=True) as device:
            reply = device.get("/" + link.split("/", 3)[3])
            assert reply.status_code == 200
            assert_protected(reply)
            assert_no_inline_code(reply)
    with httpx.Client(base_url=live_server) as stranger:
        assert_protected(stranger.get("/login"))
        assert_protected(stranger.get("/a/not-a-secret"))


def test_https_gets_strict_transport_security(live_server: str) -> None:
    with httpx.Client(base_url=live_server, headers={"X-Forwarded-Proto": "https"}) as client:
        reply = client.get("/login")
    # uvicorn believes X-Forwarded-Proto from the loopback (its default forwarded_allow_ips)
    assert reply.headers["strict-transport-security"].startswith("max-age=31536000")
