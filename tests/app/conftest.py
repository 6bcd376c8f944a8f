"""Each test gets a fresh database, built by the migrations: a SQLite file and a PostgreSQL
database of its own (created on the local server, dropped afterwards)."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.database import make_engine, migrate
from app.main import create_app
from app.settings import Settings
from tests.app.factories import published_lima

# The server .ci/run starts; set RONDA_TEST_POSTGRES_URL to use another one.
POSTGRES = os.environ.get(
    "RONDA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _postgres_database() -> Iterator[str]:
    name = f"ronda_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES} ({exc.orig}); start it with "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "postgresql":
        yield from _postgres_database()
        return
    url = f"sqlite:///{tmp_path / 'ronda.db'}"
    migrate(url)
    yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


# --- the web app over real HTTP ----------------------------------------------------------------

ADMIN = ("admin", "correct horse battery")


def settings_for(tmp_path: Path, **changes: Any) -> Settings:
    """The web app's settings in tests: a fresh SQLite file, the test organizer."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'web.db'}",
        "secret_key": SecretStr("test-secret-key"),
        "admin_username": ADMIN[0],
        "admin_password": SecretStr(ADMIN[1]),
        "solve_time_limit": 2,
        "log_format": "off",  # tests/app/test_operations.py reads the log lines itself
        "tune_gc": False,  # a test process starts hundreds of apps
        **changes,
    }
    return Settings(**values)


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread of this process."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(web_settings: Settings) -> Iterator[str]:
    with serving(web_settings) as url:
        yield url


@pytest.fixture
def anonymous(live_server: str) -> Iterator[httpx.Client]:
    """A browser-like client: its changes name the page's site (Origin), as browsers' do."""
    with httpx.Client(base_url=live_server, timeout=30, headers={"Origin": live_server}) as client:
        yield client


@pytest.fixture
def lima_id(live_server: str, web_settings: Settings) -> int:
    """The Lima event, planned and published, on the test server's database."""
    return published_lima(web_settings.database_url)


@pytest.fixture
def phone(live_server: str) -> Iterator[httpx.Client]:
    """A phone's browser on the test server (no cookie until it scans a badge)."""
    with httpx.Client(base_url=live_server, timeout=30, headers={"Origin": live_server}) as client:
        yield client


@pytest.fixture
def organizer(anonymous: httpx.Client) -> httpx.Client:
    """A client signed in as the organizer (session cookie)."""
    reply = anonymous.post("/login", data={"username": ADMIN[0], "password": ADMIN[1]})
    assert reply.status_code == 303, reply.text
    return anonymous
