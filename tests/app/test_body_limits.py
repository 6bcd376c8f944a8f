"""Request bodies have a size limit per route, checked after the sender is signed in: uploads
RONDA_MAX_UPLOAD_MB (5 MB), everything else 1 MB. A stranger's 200 MB upload is answered 401
before a byte of it is read."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from app.middleware import BodyLimit, BodyTooLarge, allow_upload
from tests.app.conftest import ADMIN, serving, settings_for
from tests.app.web_factories import api_event, lima_upload

BASIC = "Basic " + base64.b64encode(f"{ADMIN[0]}:{ADMIN[1]}".encode()).decode()
MB = 1024 * 1024


def head_only(server: str, path: str, length: int, *headers: str) -> tuple[int, str]:
    """Send a request's headers that announce `length` bytes of body, but none of the body: the
    server must answer from the headers alone. Its status and body."""
    address = urlsplit(server)
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {address.netloc}",
        "Content-Type: multipart/form-data; boundary=xyz",
        f"Content-Length: {length}",
        "Connection: close",
        *headers,
    ]
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode(errors="replace")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with serving(settings_for(tmp_path)) as url:
        yield url


def test_a_strangers_large_upload_is_refused_unread(server: str) -> None:
    status, body = head_only(server, "/api/events/1/import", 200 * MB)
    assert status == 401 and "sign in first" in body
    status, _ = head_only(server, "/events/1/import", 200 * MB)
    assert status == 303  # to the sign-in page


def test_an_upload_over_the_limit_says_the_limit_and_how_to_change_it(server: str) -> None:
    with httpx.Client(base_url=server, auth=ADMIN) as client:
        event = api_event(client)["id"]
    status, body = head_only(
        server, f"/api/events/{event}/import", 200 * MB, f"Authorization: {BASIC}"
    )
    assert status == 413
    assert "larger than the 5 MB allowed at once" in body and "RONDA_MAX_UPLOAD_MB" in body


def test_the_limit_is_a_setting(tmp_path: Path) -> None:
    with (
        serving(settings_for(tmp_path, max_upload_mb=0.002)) as url,
        httpx.Client(base_url=url, auth=ADMIN) as client,
    ):
        event = api_event(client, rounds=5)["id"]
        reply = client.post(f"/api/events/{event}/import", files=lima_upload())
        assert reply.status_code == 413 and "0.002 MB" in reply.json()["detail"]
        page = client.post(f"/events/{event}/import", files=lima_upload())
        assert page.status_code == 413
        assert "larger than the 0.002 MB allowed at once" in page.text
        assert client.get(f"/api/events/{event}/participants").json() == []
    with (
        serving(settings_for(tmp_path, max_upload_mb=1)) as url,
        httpx.Client(base_url=url, auth=ADMIN) as client,
    ):
        reply = client.post(f"/api/events/{event}/import", files=lima_upload())
        assert reply.status_code == 200, reply.text


def test_other_requests_get_one_megabyte(server: str) -> None:
    with httpx.Client(base_url=server, auth=ADMIN) as client:
        big = client.post("/api/events", json={"name": "x" * (2 * MB), "rounds": 3})
        assert big.status_code == 413
        assert big.json() == {
            "detail": "This request is larger than the 1 MB allowed here; send less at once."
        }
        assert client.get("/api/events").json() == []
        api_event(client, "Café")
        page = client.post("/events/new", data={"name": "x" * (2 * MB)})
        assert page.status_code == 413 and "1 MB allowed here" in page.text


async def _read_through(limit: int, chunks: list[bytes], *, upload: int | None) -> list[str]:
    """What an app behind BodyLimit sees when it reads a body sent in chunks, with no length."""
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if upload is not None:
            allow_upload(scope, upload)
        try:
            while (message := await receive())["more_body"]:
                seen.append(f"{len(message['body'])}")
        except BodyTooLarge as exc:
            seen.append(f"{exc.status_code}: {exc.detail}")

    messages = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
    messages.append({"type": "http.request", "body": b"", "more_body": False})

    async def receive() -> Message:
        return messages.pop(0)

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent")

    scope = {"type": "http", "method": "POST", "headers": []}
    await BodyLimit(app, limit=limit)(scope, receive, send)
    return seen


def test_a_body_without_a_length_is_counted_as_it_streams() -> None:
    chunks = [b"x" * 400] * 5
    assert anyio.run(lambda: _read_through(1000, chunks, upload=None)) == [
        "400",
        "400",
        "413: This request is larger than the 0.000954 MB allowed here; send less at once.",
    ]
    assert anyio.run(lambda: _read_through(1000, chunks, upload=2000)) == ["400"] * 5
