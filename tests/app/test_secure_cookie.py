"""Served over https (RONDA_PUBLIC_URL https://...), the session cookie has the Secure flag."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.settings import Settings
from tests.app.conftest import ADMIN, settings_for


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path, public_url="https://ronda.example.org")


def test_the_session_cookie_is_secure_when_served_over_https(live_server: str) -> None:
    with httpx.Client(base_url=live_server) as client:
        reply = client.post("/login", data={"username": ADMIN[0], "password": ADMIN[1]})
    assert reply.status_code == 303
    cookie = reply.headers["set-cookie"].lower()
    assert "ronda_session=" in cookie and "; secure" in cookie and "httponly" in cookie
