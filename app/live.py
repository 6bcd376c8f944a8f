"""Live updates: every open live page of an event hears of each change of its session's state.

Each worker process keeps one `LiveHub` (on `app.state.live`): the queues of the streams it
serves, by event. When a state changes, the hub reads it once and puts the same small message
(the JSON of `GET /api/events/{id}/session`) in every queue of that event; a queue keeps only
the newest message, since a newer state makes an older one useless.

How a change reaches the hubs: on SQLite (one process) the route that committed it tells its
own hub. On PostgreSQL every hub listens on the channel that `services.live` notifies in the
command's transaction, with a connection of its own that reconnects by itself; after a
reconnect it re-sends every event's state, since notifications may have been missed meanwhile.
A ticker ends changes of tables whose time is up; on several workers each tries and the state
version lets one win. No stream holds a database session: states are read in short sessions.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from .models import Event, LiveSession
from .services import live

log = logging.getLogger(__name__)

CACHE_SECONDS = 1.0  # a state read for one stream serves the streams that open in that second
TICK_SECONDS = 1.0
FAN_OUT_BATCH = 100  # streams woken at once when a state changes
FAN_OUT_PAUSE = 0.5  # then a pause of this share of the time they took


def version_of(message: str) -> int:
    """A state message's `state_version` (-1 for one without, such as "gone")."""
    version = json.loads(message).get("state_version")
    return version if isinstance(version, int) else -1


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class LiveHub:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.listening = engine.dialect.name == "postgresql"
        self._queues: dict[int, set[asyncio.Queue[tuple[int, str]]]] = defaultdict(set)
        self._cache: dict[int, tuple[float, dict[str, Any]]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        # Told of each event whose state this process learns changed, with the new state once
        # read (None before): the attendees' cache.
        self.listeners: list[Callable[[int, LiveSession | None], None]] = []

    # --- the life of the hub -------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._tasks.append(asyncio.create_task(self._tick_forever()))
        if self.listening:
            self._tasks.append(asyncio.create_task(self._listen_forever()))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    # --- streams -----------------------------------------------------------------------------

    def subscribe(self, event_id: int) -> asyncio.Queue[tuple[int, str]]:
        """A stream's queue: it holds the newest (state version, message) not yet sent."""
        queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue(maxsize=1)
        self._queues[event_id].add(queue)
        return queue

    def unsubscribe(self, event_id: int, queue: asyncio.Queue[tuple[int, str]]) -> None:
        queues = self._queues.get(event_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[event_id]

    def streams(self, event_id: int | None = None) -> int:
        if event_id is not None:
            return len(self._queues.get(event_id, ()))
        return sum(len(q) for q in self._queues.values())

    def _read(self, event_id: int) -> tuple[dict[str, Any], LiveSession] | None:
        with Session(self.engine, expire_on_commit=False) as session:
            event = session.get(Event, event_id)
            if event is None:
                return None
            state = live.get_state(session, event=event)
            return live.as_json(state, rounds=event.rounds), state

    async def current(self, event_id: int, *, fresh: bool = False) -> str:
        """The state as a message (read at most once a second for many streams opening)."""
        cached = self._cache.get(event_id)
        if fresh or cached is None or time.monotonic() - cached[0] > CACHE_SECONDS:
            read = await asyncio.to_thread(self._read, event_id)
            if read is None:
                self._cache.pop(event_id, None)
                return json.dumps({"status": "gone", "server_time": now_iso()})
            cached = (time.monotonic(), read[0])
            self._cache[event_id] = cached
            if fresh:
                self._tell(event_id, read[1])
        return json.dumps({**cached[1], "server_time": now_iso()})

    def _tell(self, event_id: int, state: LiveSession | None) -> None:
        for listener in self.listeners:
            listener(event_id, state)

    async def changed(self, event_id: int) -> None:
        """Send the event's state as it is now to each of its streams in this process."""
        message = await self.current(event_id, fresh=True)
        item = (version_of(message), message)  # read once here, not by each stream
        loop = asyncio.get_running_loop()
        queues = list(self._queues.get(event_id, ()))
        for start in range(0, len(queues), FAN_OUT_BATCH):
            began = loop.time()
            for queue in queues[start : start + FAN_OUT_BATCH]:
                if queue.full():
                    with contextlib.suppress(asyncio.QueueEmpty):
                        queue.get_nowait()
                queue.put_nowait(item)
            await asyncio.sleep(0)  # the streams just woken send now
            # Then leave the loop to everything else for part of that time: 2,000 streams
            # take a few hundred milliseconds to send to, and pages asked for meanwhile must
            # not wait for all of them (they would, since the loop runs every woken stream
            # before it reads the sockets again).
            await asyncio.sleep((loop.time() - began) * FAN_OUT_PAUSE)

    async def after_commit(self, event_id: int) -> None:
        """A route changed the state: on SQLite tell the streams now (PostgreSQL's NOTIFY will)."""
        self._tell(event_id, None)
        if not self.listening:
            await self.changed(event_id)
        else:
            self._cache.pop(event_id, None)

    def after_commit_from_thread(self, event_id: int) -> None:
        """The same, from a worker thread (a solve that published a plan, say)."""
        self._tell(event_id, None)  # before the route answers: the next page reads it
        if self._loop is not None and not self.listening:
            asyncio.run_coroutine_threadsafe(self.changed(event_id), self._loop)
        else:
            self._cache.pop(event_id, None)

    # --- the change of tables ends by itself -------------------------------------------------

    def _tick(self) -> list[int]:
        ended = []
        with Session(self.engine) as session:
            for event_id in live.due_changes(session):
                if live.tick(session, event_id=event_id):
                    ended.append(event_id)
        return ended

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            try:
                ended = await asyncio.to_thread(self._tick)
            except Exception:  # the database may be restarting: try again next second
                log.exception("live ticker")
                continue
            for event_id in ended:
                await self.after_commit(event_id)

    # --- PostgreSQL LISTEN ------------------------------------------------------------------

    def _conninfo(self) -> str:
        url = make_url(self.engine.url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    async def _listen_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo(), autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {live.CHANNEL}")
                    delay = 0.5
                    await self._resend_all()  # anything missed while not listening
                    async for note in connection.notifies():
                        event_id, _sep, _version = note.payload.partition(":")
                        if event_id.isdigit():
                            await self.changed(int(event_id))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("live updates: listening connection lost (%s); reconnecting", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def _resend_all(self) -> None:
        for event_id in list(self._queues):
            await self.changed(event_id)
