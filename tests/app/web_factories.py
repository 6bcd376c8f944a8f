"""Small builders that make an organizer's data the way a person would: through the pages."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import httpx

from tests.app.factories import LIMA, LIMA_FILES

HTMX = {"HX-Request": "true"}


def new_event(client: httpx.Client, name: str = "Café", **fields: Any) -> int:
    """Create an event through the form; its id."""
    form = {
        "name": name,
        "rounds": "3",
        "round_minutes": "35",
        "transition_minutes": "5",
        "subject_mode": "none",
        **{key: str(value) for key, value in fields.items()},
    }
    reply = client.post("/events/new", data=form)
    assert reply.status_code == 303, reply.text
    return int(reply.headers["location"].rsplit("/", 1)[1])


def post(client: httpx.Client, url: str, data: dict[str, Any] | None = None) -> httpx.Response:
    """Send a page's form and follow it back to the page, as a browser does."""
    return client.post(url, data=data or {}, follow_redirects=True)


def add_person(client: httpx.Client, event: int, name: str, code: str, **fields: Any) -> None:
    form = {"name": name, "code": code, "active": "yes", **fields}
    assert post(client, f"/events/{event}/participants", form).status_code == 200


def add_table(
    client: httpx.Client, event: int, name: str, capacity: int = 4, **fields: Any
) -> None:
    form = {"name": name, "capacity": str(capacity), "min_size": "2", **fields}
    assert post(client, f"/events/{event}/tables", form).status_code == 200


def add_subject(client: httpx.Client, event: int, code: str, name: str = "", **fields: Any) -> None:
    form = {"code": code, "name": name, "hosts": "1", **fields}
    assert post(client, f"/events/{event}/subjects", form).status_code == 200


def lima_upload() -> list[tuple[str, tuple[str, bytes, str]]]:
    """The four Lima files, as a browser sends the "several files at once" field."""
    return [("files", (name, (LIMA / name).read_bytes(), "text/csv")) for name in LIMA_FILES]


def api_event(client: httpx.Client, name: str = "Café", **fields: Any) -> dict[str, Any]:
    reply = client.post("/api/events", json={"name": name, "rounds": 3, **fields})
    assert reply.status_code == 201, reply.text
    data: dict[str, Any] = reply.json()
    return data


def ids_of(client: httpx.Client, url: str, key: str = "code") -> dict[str, int]:
    """The ids of an API list by a readable key (participant codes, table names, ...)."""
    return {row[key]: row["id"] for row in client.get(url).json()}


def seen(page: httpx.Response | str) -> str:
    """The text a person reads on the page (or the htmx fragment): no tags, single spaces."""
    html = page.text if isinstance(page, httpx.Response) else page
    html = html.split('<main id="main" tabindex="-1">', 1)[-1]
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Shown(HTMLParser):
    """The text outside <script>, <style> and elements marked `hidden`."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 inside a hidden element
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        if self.depth or "hidden" in dict(attrs) or tag in ("script", "style", "head"):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.words.extend(data.split())


def shown(page: httpx.Response | str) -> str:
    """The text a person sees on a live page before any script runs: hidden blocks left out."""
    parser = _Shown()
    parser.feed(page.text if isinstance(page, httpx.Response) else page)
    return " ".join(parser.words)
