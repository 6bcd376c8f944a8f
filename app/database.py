"""Engine, session dependency and migrations.

The schema belongs to Alembic (`alembic/versions/`): the app and the tests build their database
by running the migrations, never with `create_all`, so what is tested is what is deployed.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import alembic.command
from alembic.config import Config
from fastapi import Request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from .settings import Settings

ROOT = Path(__file__).resolve().parent.parent


SQLITE_BUSY_SECONDS = 10.0
SQLITE_POOL = 40  # anyio's default number of worker threads, which run the sync routes


def make_engine(
    url: str, *, busy_timeout: float = SQLITE_BUSY_SECONDS, pool_size: int = 20
) -> Engine:
    if not url.startswith("sqlite"):
        # A fixed set of connections, kept open: a request waits (up to 10 s, then 503) for a
        # free one rather than opening its own, since PostgreSQL starts a process for each new
        # connection and closing the extra ones after each request cost more than the requests.
        return create_engine(
            url, pool_pre_ping=True, pool_size=pool_size, max_overflow=0, pool_timeout=10
        )
    # The web server hands a session to worker threads; SQLite allows that once told so.
    # A connection per worker thread (anyio's 40, and a few for the event loop's own reads) stays
    # open: a new SQLite connection reads the whole schema again on its first query, and under
    # load the default pool of 5 made threads queue for a connection and reopen ones it dropped.
    pool = {} if url in ("sqlite://", "sqlite:///:memory:") else {"pool_size": SQLITE_POOL}
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
    event.listen(engine, "connect", partial(_sqlite_pragmas, busy_ms=int(busy_timeout * 1000)))
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, busy_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys (and so the cascades from an event) unless asked per connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    # Write-ahead logging: readers never wait for a writer, nor a writer for readers; only one
    # writer at a time, and the others wait up to the busy timeout for it before giving up
    # (the app then answers 503 with Retry-After).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.close()


def engine_for(settings: Settings) -> Engine:
    """The engine the settings ask for (the app's, the command line's)."""
    return make_engine(
        settings.database_url,
        busy_timeout=settings.sqlite_busy_timeout,
        pool_size=settings.db_pool_size,
    )


def get_session(request: Request) -> Iterator[Session]:
    """A session on the app's own engine (each app, as each test, has its database)."""
    with Session(request.app.state.engine) as session:
        yield session


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    # Called from the app or the tests: leave their logging configuration alone.
    config.attributes["configure_logging"] = False
    return config


MIGRATION_LOCK = 7_214_001  # any fixed number: the advisory lock that one migration holds


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema; a no-op when it is already there.

    On PostgreSQL several workers start at once: an advisory lock lets one migrate while the
    others wait, then find nothing left to do."""
    if url.startswith("sqlite"):
        alembic.command.upgrade(alembic_config(url), "head")
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                alembic.command.upgrade(alembic_config(url), "head")
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
    finally:
        engine.dispose()


@lru_cache
def _migration_heads() -> frozenset[str]:
    """The newest migrations on disk (read once: they do not change while the app runs)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


class NotMigrated(RuntimeError):
    """The database is not at the schema this version needs: `ronda migrate` first."""


def check_schema(engine: Engine) -> None:
    """NotMigrated, saying what to run, unless the database has the newest schema."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        current = sorted(MigrationContext.configure(connection).get_current_heads())
    if set(current) == _migration_heads():
        return
    shown = engine.url.render_as_string(hide_password=True)
    raise NotMigrated(
        f"The database {shown} is at schema {', '.join(current) or 'none (empty)'}; this "
        f"version of Ronda needs {', '.join(sorted(_migration_heads()))}. Run `ronda migrate` "
        "with the same RONDA_DATABASE_URL, then start the app again (or set "
        "RONDA_MIGRATE_ON_START=true to let the app do it)."
    )


def schema_is_current(engine: Engine) -> bool:
    """Whether the database answers and its schema is the newest migration (for /readyz)."""
    try:
        check_schema(engine)
    except NotMigrated:
        return False
    return True
