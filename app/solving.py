"""Plans made in the background, through a job queue kept in the app's own database.

A web request checks what to solve (mistakes answer at once), then queues it as a `SolveJob`
row and answers. A solve worker claims queued jobs, runs the scheduler in a thread of its own
(never on the event loop), writes the best figures so far and a heartbeat to the row, and saves
the plan like any other. Any web worker reads the row for the progress panel; Stop sets the
row's `stop_requested`, which the worker passes to the scheduler: the best plan found until then
is saved. A worker that goes silent (killed, host lost) has its job queued again by another one,
or failed after its last attempt: a job is never left "running" for ever. On SIGTERM a worker
stops its solves and saves their best plans before it exits.

Solve workers are `ronda worker` processes (any number, on any host, each running
`RONDA_SOLVE_CONCURRENCY` jobs at once), and, unless `RONDA_SOLVE_IN_APP=false`, a worker thread
in each app process: the same code, so one laptop with SQLite needs nothing more.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from scheduler import InstanceError, parse_instance, parse_plan, solve
from scheduler import bounds as event_bounds

from . import i18n
from .i18n import _
from .models import ACTIVE_JOB_STATES, Event, JobState, SolveJob, aware, pk, utcnow
from .services import bounds_memo, events
from .services.errors import Conflict, RondaError
from .services.instances import save_plan
from .services.replanning import SolveRequest

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 3.0  # a running job's worker touches its row this often
SILENT_SECONDS = 30.0  # a running job not touched for this long has lost its worker
MAX_ATTEMPTS = 2  # a job whose worker died is run once more, then failed
PROGRESS_SECONDS = 0.5  # the best figures so far are written at most this often


class JobRunning(Conflict):
    """A plan for this event is already being made."""


@dataclass(frozen=True)
class Job:
    """What the pages and the API show of a job: a snapshot of its row."""

    id: int
    event_id: int
    kind: str
    state: JobState
    time_limit: float
    stop_requested: bool
    created: dt.datetime
    started: dt.datetime | None
    finished: dt.datetime | None
    best: dict[str, int]
    bounds: dict[str, int]
    message: str
    plan_id: int | None
    attempts: int

    @classmethod
    def of(cls, row: SolveJob) -> Job:
        return cls(
            id=pk(row),
            event_id=row.event_id,
            kind=row.kind,
            state=row.state,
            time_limit=row.time_limit,
            stop_requested=row.stop_requested,
            created=aware(row.created_at),
            started=aware(row.started_at) if row.started_at else None,
            finished=aware(row.finished_at) if row.finished_at else None,
            best=json.loads(row.best_json),
            bounds=json.loads(row.bounds_json),
            message=row.message,
            plan_id=row.plan_id,
            attempts=row.attempts,
        )

    @property
    def running(self) -> bool:
        """Queued or running: the event's plan is being made (hand edits wait)."""
        return self.state in ACTIVE_JOB_STATES

    @property
    def queued(self) -> bool:
        return self.state == "queued"

    @property
    def stopped(self) -> bool:
        return self.stop_requested

    @property
    def elapsed(self) -> float:
        """Seconds of solving (none while queued)."""
        if self.started is None:
            return 0.0
        return ((self.finished or utcnow()) - self.started).total_seconds()

    @property
    def time_left(self) -> float:
        return 0.0 if not self.running else max(0.0, self.time_limit - self.elapsed)

    def figures(self) -> dict[str, int | None]:
        """Best so far next to the bounds, in the words of the progress panel."""
        unserved = self.best.get("needs_unserved")
        total = self.bounds.get("needs_total")
        return {
            "repeats": self.best.get("repeats"),
            "repeats_lower_bound": self.bounds.get("repeats"),
            "max_meetings": self.best.get("max_meetings"),
            "subject_visits": self.best.get("subject_visits"),
            "subject_visits_max": self.bounds.get("subject_visits"),
            "needs_served": None if unserved is None or total is None else total - unserved,
            "needs_possible": self.bounds.get("needs_possible"),
            "needs_total": total,
        }


def _request_json(request: SolveRequest) -> str:
    return json.dumps(
        {
            "instance": request.instance.model_dump(mode="json"),
            "previous": None
            if request.previous is None
            else request.previous.model_dump(mode="json", exclude={"metrics"}),
            "note": request.note,
            "locked_rounds": list(request.locked_rounds),
        }
    )


def _request_of(text: str) -> SolveRequest:
    data = json.loads(text)
    previous = data["previous"]
    return SolveRequest(
        instance=parse_instance(data["instance"]),
        previous=None if previous is None else parse_plan(previous),
        note=data["note"],
        locked_rounds=tuple(data["locked_rounds"]),
    )


class Solving:
    """The queue as the web pages use it: start, read, stop, wait (one app's engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.worker: Worker | None = None  # the app's own solve worker, when it runs one

    def _latest(self, session: Session, event_id: int) -> SolveJob | None:
        query = select(SolveJob).where(SolveJob.event_id == event_id)
        return session.exec(query.order_by(col(SolveJob.id).desc()).limit(1)).first()

    def get(self, event_id: int) -> Job | None:
        """The event's latest job, as it stands now."""
        with Session(self.engine) as session:
            row = self._latest(session, event_id)
            return Job.of(row) if row is not None else None

    def running(self, event_id: int) -> bool:
        job = self.get(event_id)
        return job is not None and job.running

    def start(
        self, *, event: Event, kind: str, time_limit: float, request: SolveRequest, seed: int = 0
    ) -> Job:
        """Queue the solve; JobRunning when this event already has one queued or running (the
        database refuses a second, whichever web worker asks)."""
        row = SolveJob(
            event_id=pk(event),
            kind=kind,
            time_limit=time_limit,
            seed=seed,
            language=i18n.language(),
            request_json=_request_json(request),
        )
        with Session(self.engine) as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                current = self._latest(session, pk(event))
                seconds = Job.of(current).elapsed if current is not None else 0.0
                raise JobRunning(
                    _(
                        "a plan for {event!r} is already being made ({seconds:.0f} s so far); "
                        "wait for it to finish or stop it first"
                    ).format(event=event.name, seconds=seconds)
                ) from None
            session.refresh(row)
            job = Job.of(row)
        if self.worker is not None:
            self.worker.wake()
        return job

    def stop(self, event_id: int) -> Job | None:
        """Ask the running job to stop (its best plan is saved); a queued one ends unstarted."""
        with Session(self.engine) as session:
            row = self._latest(session, event_id)
            if row is None:
                return None
            # First the flag (a worker claiming the job meanwhile sees it and stops at once),
            # then a job no worker has taken ends here.
            session.execute(
                update(SolveJob)
                .where(col(SolveJob.id) == row.id, col(SolveJob.state).in_(ACTIVE_JOB_STATES))
                .values(stop_requested=True)
            )
            session.execute(
                update(SolveJob)
                .where(col(SolveJob.id) == row.id, col(SolveJob.state) == "queued")
                .values(
                    state="failed",
                    finished_at=utcnow(),
                    message=_("Stopped before it started; no plan was made."),
                )
            )
            session.commit()
            session.refresh(row)
            return Job.of(row)

    def wait(self, event_id: int, timeout: float | None = None) -> Job | None:
        """The job once it has ended (or as it is when `timeout` runs out)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.get(event_id)
            if job is None or not job.running:
                return job
            if deadline is not None and time.monotonic() >= deadline:
                return job
            time.sleep(0.1)


# --- the worker ------------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 10_000}"


class Worker:
    """Runs queued jobs, `concurrency` at a time, until `shutdown()`: then it stops its solves,
    saves their best plans, and returns."""

    def __init__(
        self,
        engine: Engine,
        *,
        concurrency: int = 1,
        poll: float = 1.0,
        silent: float = SILENT_SECONDS,
    ) -> None:
        self.engine = engine
        self.concurrency = concurrency
        self.poll = poll
        self.silent = silent
        self.name = worker_name()
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._running: dict[int, tuple[threading.Thread, threading.Event]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start_thread(self) -> None:
        """Run in a daemon thread of this process (the app's own worker)."""
        self._thread = threading.Thread(target=self.run, name="ronda-solve-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def shutdown(self, timeout: float = 60.0) -> None:
        """Stop every solve of this worker, wait for their plans to be saved, stop polling."""
        self._closing.set()
        self._wake.set()
        with self._lock:
            running = list(self._running.values())
        for _thread, stop in running:
            stop.set()
        deadline = time.monotonic() + timeout
        for thread, _stop in running:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self._thread is not None:
            self._thread.join(max(0.0, deadline - time.monotonic()))

    def run(self) -> None:
        """Poll for work until shut down (a wake-up from this process skips the wait)."""
        last_beat = 0.0
        while not self._closing.is_set():
            try:
                if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                    self._heartbeat()
                    self._rescue()
                    last_beat = time.monotonic()
                while self._free() and not self._closing.is_set():
                    job_id = self._claim()
                    if job_id is None:
                        break
                    self._launch(job_id)
            except OperationalError as exc:  # the database is away: try again at the next poll
                log.warning("solve worker %s: database unavailable (%s)", self.name, exc)
            except Exception:  # the worker must outlive any one bad poll
                log.exception("solve worker %s: poll failed", self.name)
            self._wake.wait(self.poll)
            self._wake.clear()

    def _free(self) -> bool:
        with self._lock:
            for job_id in [j for j, (t, _s) in self._running.items() if not t.is_alive()]:
                del self._running[job_id]
            return len(self._running) < self.concurrency

    # -- the queue, through the database

    def _claim(self) -> int | None:
        """The oldest queued job, now ours (a compare-and-set: two workers never get one job)."""
        with Session(self.engine) as session:
            candidates = session.exec(
                select(SolveJob.id)
                .where(SolveJob.state == "queued")
                .order_by(col(SolveJob.id))
                .limit(5)
            ).all()
            for job_id in candidates:
                now = utcnow()
                claimed = session.execute(
                    update(SolveJob)
                    .where(col(SolveJob.id) == job_id, col(SolveJob.state) == "queued")
                    .values(
                        state="running",
                        worker=self.name,
                        started_at=now,
                        heartbeat_at=now,
                        attempts=SolveJob.attempts + 1,  # type: ignore[operator]
                    )
                )
                session.commit()
                if claimed.rowcount == 1:  # type: ignore[attr-defined]
                    return int(job_id) if job_id is not None else None
        return None

    def _heartbeat(self) -> None:
        with self._lock:
            mine = list(self._running)
        if not mine:
            return
        with Session(self.engine) as session:
            session.execute(
                update(SolveJob)
                .where(col(SolveJob.id).in_(mine), col(SolveJob.state) == "running")
                .values(heartbeat_at=utcnow())
            )
            session.commit()

    def _rescue(self) -> None:
        """Jobs whose worker went silent: queued again, or failed after the last attempt."""
        silent = utcnow() - dt.timedelta(seconds=self.silent)
        with Session(self.engine) as session:
            lost = session.exec(
                select(SolveJob).where(
                    SolveJob.state == "running",
                    col(SolveJob.heartbeat_at) < silent,
                )
            ).all()
            for row in lost:
                retry = row.attempts < MAX_ATTEMPTS and not row.stop_requested
                with i18n.use_language(row.language):
                    message = (
                        _(
                            "The solve worker ({worker}) stopped answering; the plan is being made "
                            "again."
                        )
                        if retry
                        else _(
                            "The solve worker ({worker}) stopped answering and no plan was saved; "
                            "start again."
                        )
                    )
                values: dict[str, Any] = {"message": message.format(worker=row.worker)}
                if retry:
                    values |= {"state": "queued", "worker": "", "heartbeat_at": None}
                else:
                    values |= {"state": "failed", "finished_at": utcnow()}
                session.execute(
                    update(SolveJob)
                    .where(
                        col(SolveJob.id) == row.id,
                        col(SolveJob.state) == "running",
                        col(SolveJob.heartbeat_at) < silent,
                    )
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
                log.warning("solve job %s lost its worker %s", row.id, row.worker)
            session.commit()

    # -- one job

    def _launch(self, job_id: int) -> None:
        stop = threading.Event()
        thread = threading.Thread(
            target=self._run_job, args=(job_id, stop), name=f"ronda-solve-{job_id}", daemon=True
        )
        with self._lock:
            self._running[job_id] = (thread, stop)
        thread.start()

    def _write(self, job_id: int, **values: Any) -> bool:
        """Change our running job; False when it is no longer ours (rescued, or ended)."""
        with Session(self.engine) as session:
            done = session.execute(
                update(SolveJob)
                .where(
                    col(SolveJob.id) == job_id,
                    col(SolveJob.state) == "running",
                    col(SolveJob.worker) == self.name,
                )
                .values(**values)
            )
            session.commit()
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def _run_job(self, job_id: int, stop: threading.Event) -> None:
        with Session(self.engine) as session:
            row = session.get(SolveJob, job_id)
            language = row.language if row is not None else i18n.DEFAULT
        with i18n.use_language(language):
            try:
                self._solve(job_id, stop)
            except RondaError as exc:
                self._end(job_id, "failed", str(exc))
            except InstanceError as exc:  # includes Infeasible: the hard rules cannot all hold
                message = _("the event cannot be planned: {problem}").format(problem=exc)
                self._end(job_id, "failed", message)
            except Exception as exc:  # the job must end with a message, whatever happened
                log.exception("solve job %s failed", job_id)
                message = _(
                    "the planner stopped on an unexpected error ({error}); try again"
                ).format(error=exc)
                self._end(job_id, "failed", message)

    def _solve(self, job_id: int, stop: threading.Event) -> None:
        with Session(self.engine) as session:
            row = session.get(SolveJob, job_id)
            if row is None:
                return
            event = session.get(Event, row.event_id)
            if event is None:
                raise RondaError(_("the event was deleted while its plan was being made"))
            request = _request_of(row.request_json)
            time_limit, seed = row.time_limit, row.seed
            started = aware(row.started_at) if row.started_at else utcnow()
        bounds = event_bounds(request.instance, request.previous)
        figures = {
            "repeats": bounds.repeats,
            "subject_visits": bounds.subject_visits,
            "needs_possible": bounds.needs_possible,
            "needs_total": bounds.needs_total,
        }
        self._write(job_id, bounds_json=json.dumps(figures))
        watcher = threading.Thread(
            target=self._watch, args=(job_id, stop), name=f"ronda-watch-{job_id}", daemon=True
        )
        watcher.start()
        written = [0.0]

        def progress(_elapsed: float, best: dict[str, int]) -> None:
            if time.monotonic() - written[0] >= PROGRESS_SECONDS:
                written[0] = time.monotonic()
                self._write(job_id, best_json=json.dumps(best), heartbeat_at=utcnow())

        spent = (utcnow() - started).total_seconds()
        try:
            result = solve(
                request.instance,
                time_limit=max(0.0, time_limit - spent),
                seed=seed,
                previous=request.previous,
                progress=progress,
                stop=stop,
            )
        finally:
            stop.set()  # ends the watcher
        if request.previous is None:  # a re-plan's bounds also weigh the plan it started from
            bounds_memo.keep_in(result.plan.metrics, request.instance, result.bounds)
        with Session(self.engine) as session:
            event = session.get(Event, event.id)
            if event is None:
                raise RondaError(_("the event was deleted while its plan was being made"))
            saved = save_plan(
                session,
                event=event,
                instance=request.instance,
                plan=result.plan,
                note=request.note,
                locked_rounds=request.locked_rounds,
            )
            plan_id = pk(saved)
            row = session.get(SolveJob, job_id)
            asked = bool(row and row.stop_requested)
        metrics = result.plan.metrics
        best = {
            "repeats": int(metrics.get("repeats", 0)),
            "max_meetings": int(metrics.get("max_meetings", 0)),
            "subject_visits": int(metrics.get("subject_visits", 0)),
            "needs_unserved": int(metrics.get("needs_total", 0))
            - int(metrics.get("needs_served", 0)),
        }
        seconds = (utcnow() - started).total_seconds()
        if asked:
            message = _("Stopped after {seconds:.0f} s; the best plan so far is saved.")
        elif self._closing.is_set():
            message = _(
                "The solve worker was shut down after {seconds:.0f} s; the best plan so far is "
                "saved."
            )
        else:
            message = _("Done in {seconds:.0f} s; the plan is saved.")
        self._end(
            job_id,
            "done",
            message.format(seconds=seconds),
            best_json=json.dumps(best),
            plan_id=plan_id,
        )

    def _watch(self, job_id: int, stop: threading.Event) -> None:
        """Pass the organizer's Stop (from any web worker) and this worker's shutdown to the
        solve; keep the job's heartbeat going while the solver is quiet."""
        while not stop.wait(0.5):
            if self._closing.is_set():
                stop.set()
                return
            try:
                with Session(self.engine) as session:
                    asked = session.exec(
                        select(SolveJob.stop_requested).where(SolveJob.id == job_id)
                    ).first()
            except OperationalError:
                continue
            if asked:
                stop.set()

    def _end(self, job_id: int, state: JobState, message: str, **values: Any) -> None:
        finished = self._write(job_id, state=state, message=message, finished_at=utcnow(), **values)
        if not finished:
            log.warning("solve job %s ended here but was no longer this worker's", job_id)


_creating = threading.Lock()


def solving_of(app: FastAPI) -> Solving:
    """The app's queue, made on first use; with RONDA_SOLVE_IN_APP (the default) the app's
    own solve worker starts with it."""
    with _creating:
        manager = getattr(app.state, "solving", None)
        if manager is None:
            manager = app.state.solving = Solving(app.state.engine)
            settings = app.state.settings
            if settings.solve_in_app:
                manager.worker = Worker(
                    app.state.engine, concurrency=settings.solve_concurrency, poll=1.0
                )
                manager.worker.start_thread()
    return manager


def stop_worker(app: FastAPI) -> None:
    """At shutdown: the app's own worker stops its solves and saves their best plans."""
    manager = getattr(app.state, "solving", None)
    if manager is not None and manager.worker is not None:
        manager.worker.shutdown()


def get_solving(request: Request) -> Solving:
    return solving_of(request.app)


SolvingDep = Annotated[Solving, Depends(get_solving)]


def suggested_time_limit(session: Session, *, event: Event, ceiling: float) -> float:
    """Seconds to offer by default: small events are solved well in a couple of seconds, so
    they get about 1 s plus 1 s per 25 attending participants (at least 2 s), up to `ceiling`
    (RONDA_SOLVE_TIME_LIMIT)."""
    people = sum(p.active for p in events.list_participants(session, event=event))
    return float(min(ceiling, max(2, round(1 + people / 25))))
