"""When the database cannot take a write now: SQLite in WAL mode waits its busy timeout for the
writer ahead, then answers 503 with Retry-After, never 500; the same for a PostgreSQL server that
refuses connections. Nothing acknowledged is lost."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.database import make_engine
from app.main import create_app
from tests.app.conftest import ADMIN, POSTGRES, _postgres_database, serving, settings_for
from tests.app.web_factories import api_event

BUSY = "The database is busy or out of reach, so nothing was saved; try again in a few seconds."


@contextmanager
def signed_in(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=120, headers={"Origin": url}) as client:
        reply = client.post("/login", data={"username": ADMIN[0], "password": ADMIN[1]})
        assert reply.status_code == 303
        yield client


def test_every_sqlite_connection_uses_wal_and_waits(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout=3)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 3000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_a_write_that_cannot_get_the_lock_answers_503(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, sqlite_busy_timeout=0.2)
    with serving(settings) as url, signed_in(url) as client:
        api_event(client, "Before")
        holder = sqlite3.connect(str(tmp_path / "web.db"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer, in the middle of a long import
        try:
            refused = client.post("/api/events", json={"name": "During", "rounds": 3})
            assert refused.status_code == 503
            assert refused.json() == {"detail": BUSY}
            assert refused.headers["Retry-After"] == "2"
            form = {"name": "Page", "rounds": "3", "round_minutes": "35", "subject_mode": "none"}
            page = client.post("/events/new", data={**form, "transition_minutes": "5"})
            assert page.status_code == 503 and "try again in a few seconds" in page.text
            assert page.headers["Retry-After"] == "2"
            # Readers do not wait for the writer.
            assert [e["name"] for e in client.get("/api/events").json()] == ["Before"]
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        api_event(client, "After")
        names = [e["name"] for e in client.get("/api/events").json()]
        assert names == ["After", "Before"]


def test_twenty_writers_during_an_import(tmp_path: Path) -> None:
    with serving(settings_for(tmp_path)) as url, signed_in(url) as client:
        event = api_event(client, rounds=5)["id"]
        people = "name,code\n" + "".join(f"Person {n},P{n}\n" for n in range(4000))
        cookies = dict(client.cookies)
        site = {"Origin": url}  # a change signed in by a cookie names its site

        def import_people() -> int:
            with httpx.Client(base_url=url, timeout=120, cookies=cookies, headers=site) as other:
                files = {"participants": ("people.csv", people.encode())}
                return other.post(f"/api/events/{event}/import", files=files).status_code

        def write(writer: int) -> list[tuple[str, int]]:
            done = []
            with httpx.Client(base_url=url, timeout=120, cookies=cookies, headers=site) as other:
                for number in range(5):
                    name = f"W{writer}-{number}"
                    body = {"name": name, "capacity": 4}
                    reply = other.post(f"/api/events/{event}/tables", json=body)
                    if reply.status_code == 503:
                        assert reply.headers["Retry-After"] == "2"
                    done.append((name, reply.status_code))
            return done

        with ThreadPoolExecutor(max_workers=21) as pool:
            imported = pool.submit(import_people)
            writes = [w for ws in pool.map(write, range(20)) for w in ws]
        statuses = {status for _name, status in writes} | {imported.result()}
        assert statuses <= {200, 201, 503}, statuses
        stored = [t["name"] for t in client.get(f"/api/events/{event}/tables").json()]
        acknowledged = [name for name, status in writes if status == 201]
        assert sorted(stored) == sorted(acknowledged)
        count = len(client.get(f"/api/events/{event}/participants").json())
        assert count == (4000 if imported.result() == 200 else 0)


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _postgres_database()


# Terminated backends leave psycopg connections that the pool could not close cleanly: they are
# collected here, where that is expected, not in whichever test the garbage collector runs next.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_postgresql_out_of_reach_answers_503_then_recovers(pg_url: str, tmp_path: Path) -> None:
    name = make_url(pg_url).database
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with serving(settings_for(tmp_path, database_url=pg_url)) as url, signed_in(url) as client:
        api_event(client, "Before")
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        try:
            for _attempt in range(3):
                reply = client.get("/api/events")
                assert reply.status_code == 503, reply.text
                assert reply.json() == {"detail": BUSY}
                assert reply.headers["Retry-After"] == "2"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        assert [e["name"] for e in client.get("/api/events").json()] == ["Before"]
    admin.dispose()
    gc.collect()


def test_the_api_documents_the_busy_answer(tmp_path: Path) -> None:
    spec = create_app(settings_for(tmp_path)).openapi()
    changes = spec["paths"]["/api/events/{event_id}/tables"]["post"]["responses"]
    assert "503" in changes and "Retry-After" in changes["503"]["description"]
