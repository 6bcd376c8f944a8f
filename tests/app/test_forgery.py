"""Another site's page cannot make changes with the organizer's cookie (request forgery)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.requests import Request

from app.main import _same_origin
from app.settings import Settings
from tests.app.conftest import ADMIN, settings_for
from tests.app.web_factories import HTMX, new_event, seen

PROXY = "https://ronda.example.org"


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path, trusted_origins=f" {PROXY}/ , https://other.example.org")


def test_a_form_posted_from_another_site_is_refused_and_changes_nothing(
    organizer: httpx.Client, live_server: str
) -> None:
    event = new_event(organizer, "Lima 2022")
    url = f"/events/{event}/participants"
    evil = {"Origin": "https://evil.example.com"}
    refused = organizer.post(url, data={"name": "Mallory", "active": "yes"}, headers=evil)
    assert refused.status_code == 403
    assert "This change was sent from another site (https://evil.example.com)" in seen(refused)
    as_htmx = organizer.post(url, data={"name": "Mallory"}, headers={**evil, **HTMX})
    assert as_htmx.status_code == 403
    by_referer = organizer.post(
        url,
        data={"name": "Mallory"},
        headers={"Origin": "", "Referer": "http://evil.example.com/x.html"},
    )
    assert by_referer.status_code == 403
    api = organizer.post("/api/events", json={"name": "Evil", "rounds": 3}, headers=evil)
    assert api.status_code == 403 and "RONDA_TRUSTED_ORIGINS" in api.json()["detail"]
    assert "0 participants" in seen(organizer.get(url))  # nothing was saved
    assert [e["name"] for e in organizer.get("/api/events").json()] == ["Lima 2022"]

    # the app's own pages, a proxy's public address, and clients that name no site all work
    own = {"Origin": live_server}
    assert (
        organizer.post(url, data={"name": "Ana", "active": "yes"}, headers=own).status_code == 303
    )
    proxied = organizer.post(url, data={"name": "Ben", "active": "yes"}, headers={"Origin": PROXY})
    assert proxied.status_code == 303
    nameless = {"Origin": ""}  # a request that names no site, yet signed in by the cookie
    refused = organizer.post(url, data={"name": "Eve", "active": "yes"}, headers=nameless)
    assert refused.status_code == 403
    with httpx.Client(base_url=live_server, auth=ADMIN) as script:  # names no site: Basic
        made = script.post(f"/api/events/{event}/participants", json={"name": "Eve", "code": "EV"})
        assert made.status_code == 201, made.text
    assert "3 participants, 3 attending" in seen(organizer.get(url))
    # reading is never refused: a link from another site still opens the page
    assert organizer.get(url, headers=evil).status_code == 200


def test_browsers_that_say_where_a_change_comes_from_are_believed(
    organizer: httpx.Client,
) -> None:
    event = new_event(organizer, "Lima 2022")
    url = f"/events/{event}/participants"
    # a page sent with no-referrer gives Origin "null", but Sec-Fetch-Site still says same-origin
    same = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    assert organizer.post(url, data={"name": "Ana"}, headers=same).status_code == 303
    cross = {"Origin": "https://evil.example.com", "Sec-Fetch-Site": "cross-site"}
    assert organizer.post(url, data={"name": "Eve"}, headers=cross).status_code == 403
    proxied = {"Origin": PROXY, "Sec-Fetch-Site": "cross-site"}
    assert organizer.post(url, data={"name": "Ben"}, headers=proxied).status_code == 303
    alone = {"Origin": "null"}  # a browser that says nothing else: refused
    assert organizer.post(url, data={"name": "Mallory"}, headers=alone).status_code == 403
    assert "2 participants" in seen(organizer.get(url))


@pytest.mark.parametrize(
    ("host", "origin", "same"),
    [
        ("ronda.example.org:443", "https://ronda.example.org", True),
        ("ronda.example.org", "https://ronda.example.org:443", True),
        ("ronda.example.org:8443", "https://ronda.example.org", False),
        ("[::1]:8000", "http://[::1]:8000", True),
        ("ronda.example.org", "https://evil.example.com", False),
    ],
)
def test_default_ports_and_ipv6_hosts_compare_as_browsers_mean_them(
    host: str, origin: str, same: bool
) -> None:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(b"host", host.encode()), (b"origin", origin.encode())],
    }
    assert _same_origin(Request(scope), set()) is same
