"""The web app answers over real HTTP (the organizer pages come with the web issue)."""

from __future__ import annotations

import httpx
import pytest

from app.main import app


@pytest.mark.anyio
async def test_home_page_names_ronda() -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ronda.test") as client:
        page = await client.get("/")
        health = await client.get("/health")
    assert page.status_code == 200 and "<h1>Ronda</h1>" in page.text
    assert health.json() == {"status": "ok"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
