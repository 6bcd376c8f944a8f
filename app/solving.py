"""Plans made in the background: one solve per event at a time, its progress, Stop, the save.

The scheduler runs in a thread of its own, never on the event loop. The job records the best
figures so far for the progress panel; Stop sets the `threading.Event` the scheduler watches,
and the best plan found until then is saved like any other. The thread saves with a database
session of its own, and speaks the language of the request that started it.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scheduler import InstanceError, solve
from scheduler import bounds as event_bounds

from .i18n import _
from .models import Event, pk
from .services import events
from .services.errors import Conflict, RondaError
from .services.instances import save_plan
from .services.replanning import SolveRequest

log = logging.getLogger(__name__)

JobState = Literal["running", "done", "failed"]
# Builds what to solve, in the job's own session, from the event (so errors end the job).
Prepare = Callable[[Session, Event], SolveRequest]


class JobRunning(Conflict):
    """A plan for this event is already being made."""


@dataclass
class Job:
    event_id: int
    kind: str  # "generate" or "replan"
    time_limit: float
    started: float = field(default_factory=time.monotonic)
    state: JobState = "running"
    stop: threading.Event = field(default_factory=threading.Event)
    best: dict[str, int] = field(default_factory=dict)  # figures of the best plan so far
    bounds: dict[str, int] = field(default_factory=dict)
    finished: float | None = None
    message: str = ""
    plan_id: int | None = None
    thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def stopped(self) -> bool:
        return self.stop.is_set()

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

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


class Solving:
    """The jobs of one app (kept on `app.state`): the latest job of each event."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._jobs: dict[int, Job] = {}
        self._lock = threading.Lock()

    def get(self, event_id: int) -> Job | None:
        return self._jobs.get(event_id)

    def running(self, event_id: int) -> bool:
        job = self._jobs.get(event_id)
        return job is not None and job.running

    def start(
        self, *, event: Event, kind: str, time_limit: float, prepare: Prepare, seed: int = 0
    ) -> Job:
        """Start solving in a thread; JobRunning when this event already has a job running."""
        event_id = pk(event)
        with self._lock:
            job = self._jobs.get(event_id)
            if job is not None and job.running:
                raise JobRunning(
                    _(
                        "a plan for {event!r} is already being made ({seconds:.0f} s so far); "
                        "wait for it to finish or stop it first"
                    ).format(event=event.name, seconds=job.elapsed)
                )
            job = Job(event_id=event_id, kind=kind, time_limit=time_limit)
            self._jobs[event_id] = job
        context = contextvars.copy_context()  # the language of the request that started it
        job.thread = threading.Thread(
            target=context.run,
            args=(self._run, job, prepare, seed),
            name=f"ronda-solve-{event_id}",
            daemon=True,
        )
        job.thread.start()
        return job

    def stop(self, event_id: int) -> Job | None:
        job = self._jobs.get(event_id)
        if job is not None and job.running:
            job.stop.set()
        return job

    def wait(self, event_id: int, timeout: float | None = None) -> Job | None:
        job = self._jobs.get(event_id)
        if job is not None and job.thread is not None:
            job.thread.join(timeout)
        return job

    def _run(self, job: Job, prepare: Prepare, seed: int) -> None:
        try:
            with Session(self.engine) as session:
                self._solve(session, job, prepare, seed)
        except RondaError as exc:
            self._end(job, "failed", str(exc))
        except InstanceError as exc:  # includes Infeasible: the hard rules cannot all hold
            self._end(
                job, "failed", _("the event cannot be planned: {problem}").format(problem=exc)
            )
        except Exception as exc:  # the thread must end with a message, whatever happened
            log.exception("solving event %s failed", job.event_id)
            self._end(
                job,
                "failed",
                _("the planner stopped on an unexpected error ({error}); try again").format(
                    error=exc
                ),
            )

    def _solve(self, session: Session, job: Job, prepare: Prepare, seed: int) -> None:
        event = session.get(Event, job.event_id)
        if event is None:
            raise RondaError(_("the event was deleted while its plan was being made"))
        request = prepare(session, event)
        bounds = event_bounds(request.instance, request.previous)
        job.bounds = {
            "repeats": bounds.repeats,
            "subject_visits": bounds.subject_visits,
            "needs_possible": bounds.needs_possible,
            "needs_total": bounds.needs_total,
        }

        def progress(_elapsed: float, figures: dict[str, int]) -> None:
            job.best = dict(figures)

        result = solve(
            request.instance,
            time_limit=max(0.0, job.time_limit - job.elapsed),
            seed=seed,
            previous=request.previous,
            progress=progress,
            stop=job.stop,
        )
        saved = save_plan(
            session,
            event=event,
            instance=request.instance,
            plan=result.plan,
            note=request.note,
            locked_rounds=request.locked_rounds,
        )
        job.plan_id = pk(saved)
        metrics = result.plan.metrics
        if job.stopped:
            message = _("Stopped after {seconds:.0f} s; the best plan so far is saved.")
        else:
            message = _("Done in {seconds:.0f} s; the plan is saved.")
        job.best = {
            "repeats": int(metrics.get("repeats", 0)),
            "max_meetings": int(metrics.get("max_meetings", 0)),
            "subject_visits": int(metrics.get("subject_visits", 0)),
            "needs_unserved": int(metrics.get("needs_total", 0))
            - int(metrics.get("needs_served", 0)),
        }
        self._end(job, "done", message.format(seconds=job.elapsed))

    @staticmethod
    def _end(job: Job, state: JobState, message: str) -> None:
        job.finished = time.monotonic()
        job.message = message
        job.state = state


_creating = threading.Lock()


def solving_of(app: FastAPI) -> Solving:
    """The app's job manager, made on first use."""
    with _creating:
        manager = getattr(app.state, "solving", None)
        if manager is None:
            manager = app.state.solving = Solving(app.state.engine)
    return manager


def get_solving(request: Request) -> Solving:
    return solving_of(request.app)


SolvingDep = Annotated[Solving, Depends(get_solving)]


def suggested_time_limit(session: Session, *, event: Event, ceiling: float) -> float:
    """Seconds to offer by default: small events are solved well in a couple of seconds, so
    they get about 1 s plus 1 s per 25 attending participants (at least 2 s), up to `ceiling`
    (RONDA_SOLVE_TIME_LIMIT)."""
    people = sum(p.active for p in events.list_participants(session, event=event))
    return float(min(ceiling, max(2, round(1 + people / 25))))
