"""The audit log: every change the server accepted (POST, PUT, PATCH, DELETE answered below 400)
on an event, with who made it and when, written after the answer is sent. Facilitators'
note autosaves are left out: each note keeps its own author and versions."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import anyio
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .models import AuditEntry

logger = logging.getLogger("ronda.audit")
CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EVENT_PATH = re.compile(r"^/(?:api/)?events/(\d{1,10})(?:/|$)")
CREATED = re.compile(rb"^/events/(\d{1,10})")
SKIPPED = re.compile(r"/notes/")
# Commands that move the live session: the hub tells the attendees' cache of the new state.
LIVE_COMMANDS = re.compile(r"/session/\w+$|/live/command$")


def actor(scope: Scope) -> str:
    return str(scope.get("state", {}).get("actor") or "")


class AuditLog:
    def __init__(
        self, app: ASGIApp, *, engine: Engine, changed: Callable[[int], None] = lambda _e: None
    ) -> None:
        self.app = app
        self.engine = engine
        self.changed = changed  # told of each accepted change to an event, before its answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in CHANGES:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        found: dict[str, object] = {}
        scope.setdefault("state", {})  # one dict, shared with the routes' request.state
        match = EVENT_PATH.match(path)

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                found["status"] = message["status"]
                if (
                    match
                    and message["status"] < 400
                    and not SKIPPED.search(path)
                    and not LIVE_COMMANDS.search(path)
                ):
                    self.changed(int(match.group(1)))  # saved: pages read it again
                for name, value in message.get("headers", []):
                    if name == b"location" and (made := CREATED.match(value)):
                        found["created"] = int(made.group(1))
            await send(message)

        await self.app(scope, receive, watch)
        status = found.get("status")
        who = actor(scope)
        if not isinstance(status, int) or status >= 400 or not who or SKIPPED.search(path):
            return
        event_id = int(match.group(1)) if match else found.get("created")
        if event_id is None and not path.startswith(("/events", "/api/events")):
            return
        entry = AuditEntry(
            event_id=event_id if isinstance(event_id, int) and event_id < 2**31 else None,
            actor=who[:200],
            action=f"{scope['method']} {path}"[:300],
        )
        await anyio.to_thread.run_sync(self._write, entry)

    def _write(self, entry: AuditEntry) -> None:
        # The change itself is saved and answered: a busy database only costs its log line.
        try:
            with Session(self.engine) as session:
                session.add(entry)
                session.commit()
        except SQLAlchemyError:
            logger.warning("audit entry not written: %s by %s", entry.action, entry.actor)


def history(session: Session, *, event_id: int, limit: int = 500) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.event_id == event_id)
    return list(session.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit)).all())
