"""What a deployment watches: /healthz and /readyz, and one JSON log line per request that
never holds a secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import alembic.command
import httpx
import pytest

from app.database import alembic_config
from app.main import create_app
from app.request_log import JsonLines
from app.settings import Settings
from tests.app.conftest import settings_for
from tests.app.factories import published_lima


def test_health_and_readiness(anonymous: httpx.Client, web_settings: Settings) -> None:
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    assert anonymous.get("/readyz").json() == {"status": "ready"}
    alembic.command.downgrade(alembic_config(web_settings.database_url), "-1")
    behind = anonymous.get("/readyz")
    assert behind.status_code == 503 and "alembic upgrade head" in behind.json()["status"]
    assert anonymous.get("/healthz").status_code == 200  # the process is still up


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonLines())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def access_log() -> Iterator[Lines]:
    handler = Lines()
    logger = logging.getLogger("ronda.access")
    level, logger.level = logger.level, logging.INFO
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_request_is_one_json_line_without_secrets(
    anonymous: httpx.Client, web_settings: Settings, access_log: Lines
) -> None:
    event_id = published_lima(web_settings.database_url)
    with httpx.Client(
        base_url=str(anonymous.base_url), auth=("admin", "correct horse battery")
    ) as api:
        person = api.get(f"/api/events/{event_id}/participants").json()[0]
    token = person["attendee_url"].rsplit("/", 1)[1]
    reply = anonymous.get(f"/a/{token}", headers={"X-Request-ID": "venue-proxy-0001"})
    assert reply.headers["x-request-id"] == "venue-proxy-0001"
    anonymous.post("/login", data={"username": "admin", "password": "a wrong password"})
    anonymous.get("/events?secret=hidden")
    lines = [json.loads(line) for line in access_log.lines]
    badge = next(line for line in lines if line["request_id"] == "venue-proxy-0001")
    assert badge["path"] == "/a/…" and badge["status"] == 303 and badge["method"] == "GET"
    assert {"time", "ms", "client", "level"} <= set(badge)
    text = "\n".join(access_log.lines)
    assert token not in text and "a wrong password" not in text and "hidden" not in text
    assert len({line["request_id"] for line in lines}) == len(lines)  # one id each


def test_workers_starting_together_make_one_first_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four uvicorn workers on a new database each find no account and create the first one:
    the ones that lose the race start anyway (they used to stop on a duplicate username)."""
    from sqlmodel import Session, select

    from app import main
    from app.database import migrate
    from app.models import Account

    settings = settings_for(tmp_path)
    migrate(settings.database_url)
    app = create_app(settings)
    main._first_account(app, settings)
    monkeypatch.setattr(main, "has_accounts", lambda _session: False)  # as a racing worker saw
    main._first_account(app, settings)  # no exception
    with Session(app.state.engine) as session:
        assert len(session.exec(select(Account)).all()) == 1
