"""Ids in addresses are numbers from 1 to 2^31-1 (PostgreSQL's `integer`): any other number
names no row, and is answered 422 naming the id, never with a server error, on SQLite and on
PostgreSQL. Every route of the app is tried."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from sqlmodel import Session

from app.deps import MAX_ROW_ID
from app.main import create_app
from app.services import events
from tests.app.conftest import ADMIN, serving, settings_for
from tests.app.factories import make_event

OUT_OF_RANGE = ["9223372036854775808", "2147483648", "0", "-1"]


def _int_path_params(dependant: Dependant) -> set[str]:
    found = {f.name for f in dependant.path_params if f.field_info.annotation is int}
    for sub in dependant.dependencies:
        found |= _int_path_params(sub)
    return found


def routes_with_ids(tmp_path: Path) -> list[tuple[str, str, set[str]]]:
    """(method, path, its integer path parameters) for every route of the app."""
    app = create_app(settings_for(tmp_path))
    found = []
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        ids = _int_path_params(dependant) if dependant else set()
        for method in sorted(context.methods or ()):
            if ids and method != "HEAD":
                found.append((method, str(context.path), ids))
    return found


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[httpx.Client]:
    with (
        serving(settings_for(tmp_path, database_url=db_url)) as url,
        httpx.Client(base_url=url, timeout=30, headers={"Origin": url}) as client,
    ):
        reply = client.post("/login", data={"username": ADMIN[0], "password": ADMIN[1]})
        assert reply.status_code == 303
        yield client


def test_the_documented_examples(client: httpx.Client) -> None:
    for number in OUT_OF_RANGE:
        reply = client.get(f"/api/events/{number}")
        assert reply.status_code == 422, (number, reply.text)
        (error,) = reply.json()["detail"]
        assert error["loc"] == ["path", "event_id"]
        assert re.search(
            r"greater than or equal to 1|less than or equal to 2147483647", error["msg"]
        )
        page = client.get(f"/events/{number}/participants")
        assert page.status_code == 422
        assert "This address has a value that cannot be used (event_id)" in page.text
    assert client.get(f"/api/events/{MAX_ROW_ID}").status_code == 404


def test_every_route_refuses_ids_out_of_range(client: httpx.Client, tmp_path: Path) -> None:
    event = client.post("/api/events", json={"name": "Café", "rounds": 3}).json()["id"]
    routes = routes_with_ids(tmp_path)
    assert len(routes) > 80  # the pages and the API
    tried: list[Any] = []
    for method, path, ids in routes:
        for bad in ids:
            for number in OUT_OF_RANGE:
                values = {name: number if name == bad else str(event) for name in ids}
                url = re.sub(r"{(\w+)}", lambda m: values.get(m[1], "csv"), path)  # noqa: B023
                reply = client.request(method, url)
                tried.append((method, url, reply.status_code))
                assert reply.status_code == 422, (method, url, reply.status_code)
                assert bad in reply.text, (method, url)
    assert len(tried) > 300


def test_the_api_documents_the_range(tmp_path: Path) -> None:
    spec = create_app(settings_for(tmp_path)).openapi()
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                if parameter["in"] == "path" and schema.get("type") == "integer":
                    assert (schema["minimum"], schema["maximum"]) == (1, MAX_ROW_ID), path


def test_a_deleted_events_number_is_never_given_again(session: Session) -> None:
    """An old printed QR code must never open another event."""
    first = make_event(session, "First")
    last = make_event(session, "Last")
    numbers = {first.id, last.id}
    events.delete_event(session, event=last)
    again = make_event(session, "Again")
    assert again.id not in numbers
