"""The solve queue: web workers queue, watch and stop jobs through the database; solve workers
run them (real threads, real SQLite and PostgreSQL databases)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import i18n
from app.models import Event, SolveJob, pk, utcnow
from app.services import instances, replanning
from app.solving import Job, JobRunning, Solving, Worker, suggested_time_limit
from tests.app.factories import add_people, add_tables, import_lima, make_event


@pytest.fixture
def workers(engine: Engine) -> Iterator[Callable[..., Worker]]:
    """Solve workers polling often, stopped (their solves saved) at the end of the test."""
    started: list[Worker] = []

    def start(**options: float) -> Worker:
        worker = Worker(engine, poll=0.1, **options)  # type: ignore[arg-type]
        worker.start_thread()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.shutdown()


def _generate(solving: Solving, session: Session, event: Event, time_limit: float) -> Job:
    request = replanning.generation_request(session, event=event)
    return solving.start(event=event, kind="generate", time_limit=time_limit, request=request)


def _finish(solving: Solving, event: Event) -> Job:
    job = solving.wait(pk(event), timeout=60)
    assert job is not None and not job.running, f"the job did not end: {job}"
    return job


def _until(check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def test_a_queued_job_is_solved_by_a_worker_and_its_plan_saved(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    event = import_lima(session)
    solving = Solving(engine)  # a web worker without a solve worker of its own
    job = _generate(solving, session, event, 0.5)
    assert job.state == "queued" and job.elapsed == 0
    time.sleep(0.3)
    assert solving.get(pk(event)).state == "queued"  # type: ignore[union-attr]  (nobody solves)
    workers()
    job = _finish(solving, event)
    assert job.state == "done" and "saved" in job.message and not job.stopped
    assert job.bounds["repeats"] == 0 and job.bounds["subject_visits"] == 80
    figures = job.figures()
    assert figures["repeats"] == 0 and figures["subject_visits"] == 80
    saved = instances.current_plan(session, event=event)
    assert saved.id == job.plan_id and saved.note == "generated"
    assert len(instances.plan_of(saved).rounds) == 5


def test_progress_is_readable_from_another_web_worker(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    event = import_lima(session)
    workers()
    _generate(Solving(engine), session, event, 60)
    elsewhere = Solving(engine)
    _until(lambda: bool(elsewhere.get(pk(event)).best))  # type: ignore[union-attr]
    job = elsewhere.get(pk(event))
    assert job is not None and job.state == "running" and job.best.get("repeats") is not None
    assert 0 < job.time_left <= 60
    elsewhere.stop(pk(event))
    _finish(elsewhere, event)


def test_stop_from_another_web_worker_keeps_the_best_plan(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    event = import_lima(session)
    workers()
    job = _generate(Solving(engine), session, event, 600)
    other = Solving(engine)
    _until(lambda: other.get(pk(event)).state == "running")  # type: ignore[union-attr]
    assert other.stop(pk(event)).stopped  # type: ignore[union-attr]
    job = _finish(other, event)
    assert job.state == "done" and job.stopped and job.elapsed < 60
    assert job.message.startswith("Stopped after")
    assert instances.current_plan(session, event=event).id == job.plan_id


def test_a_queued_job_stopped_before_any_worker_took_it_ends_without_a_plan(
    engine: Engine, session: Session
) -> None:
    event = import_lima(session)
    solving = Solving(engine)
    _generate(solving, session, event, 5)
    job = solving.stop(pk(event))
    assert job is not None and job.state == "failed" and "before it started" in job.message
    with pytest.raises(Exception, match="no plan yet"):
        instances.current_plan(session, event=event)


def test_one_job_per_event_whichever_web_worker_asks(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    event = import_lima(session)
    first = _generate(Solving(engine), session, event, 600)
    with pytest.raises(JobRunning, match="already being made"):
        _generate(Solving(engine), session, event, 1)  # another web worker, same database
    solving = Solving(engine)
    assert solving.get(pk(event)).id == first.id  # type: ignore[union-attr]
    workers()
    solving.stop(pk(event))
    _finish(solving, event)
    again = _generate(solving, session, event, 0.2)  # once it ended, a new job may start
    assert again.id != first.id
    _finish(solving, event)


def test_an_infeasible_event_ends_the_job_with_the_schedulers_message(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    event = make_event(session, "Crowded", rounds=2)
    add_people(session, event, 10)
    add_tables(session, event, 1, capacity=4)
    workers()
    solving = Solving(engine)
    _generate(solving, session, event, 1)
    job = _finish(solving, event)
    assert job.state == "failed"
    assert "10 participants but only 4 seats" in job.message
    with pytest.raises(Exception, match="no plan yet"):
        instances.current_plan(session, event=event)


def test_the_job_speaks_the_language_of_the_request_that_queued_it(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    event = import_lima(session)
    workers()
    solving = Solving(engine)
    with i18n.use_language("es"):
        _generate(solving, session, event, 0.3)
    job = _finish(solving, event)
    with i18n.use_language("es"):
        expected = i18n._("Done in {seconds:.0f} s; the plan is saved.")
    assert expected != "Done in {seconds:.0f} s; the plan is saved."
    assert job.message.startswith(expected.split("{")[0]) and i18n.language() == "en"


def test_a_worker_runs_as_many_solves_at_once_as_its_concurrency(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    events = [import_lima(session, name=f"Lima {n}") for n in range(3)]
    solving = Solving(engine)
    for event in events:
        _generate(solving, session, event, 600)
    workers(concurrency=2)
    _until(lambda: sum(solving.get(pk(e)).state == "running" for e in events) == 2)  # type: ignore[union-attr]
    time.sleep(0.5)
    states = sorted(solving.get(pk(e)).state for e in events)  # type: ignore[union-attr]
    assert states == ["queued", "running", "running"]
    for event in events:
        solving.stop(pk(event))
    for event in events:
        _finish(solving, event)


def test_shutting_a_worker_down_saves_its_solves_best_plans(
    engine: Engine, session: Session
) -> None:
    event = import_lima(session)
    worker = Worker(engine, poll=0.1)
    worker.start_thread()
    solving = Solving(engine)
    _generate(solving, session, event, 600)
    _until(lambda: bool(solving.get(pk(event)).best))  # type: ignore[union-attr]
    worker.shutdown()
    job = solving.get(pk(event))
    assert job is not None and job.state == "done" and "shut down" in job.message
    assert instances.current_plan(session, event=event).id == job.plan_id


def _orphan(session: Session, event: Event, attempts: int) -> None:
    """The row a killed worker leaves: running, its heartbeat a minute old."""
    job = session.get(SolveJob, Solving(session.get_bind()).get(pk(event)).id)  # type: ignore[arg-type, union-attr]
    assert job is not None
    job.state, job.worker, job.attempts = "running", "gone:1:1", attempts
    job.started_at = job.heartbeat_at = utcnow() - dt.timedelta(minutes=1)
    session.add(job)
    session.commit()


def test_a_job_whose_worker_died_is_run_again_by_another(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    event = import_lima(session)
    solving = Solving(engine)
    _generate(solving, session, event, 0.5)
    _orphan(session, event, attempts=1)
    workers(silent=5)
    job = _finish(solving, event)
    assert job.state == "done" and job.attempts == 2
    assert instances.current_plan(session, event=event).id == job.plan_id


def test_a_job_whose_worker_died_on_its_last_attempt_fails_and_says_so(
    engine: Engine, session: Session, workers: Callable[..., Worker]
) -> None:
    event = import_lima(session)
    solving = Solving(engine)
    _generate(solving, session, event, 0.5)
    _orphan(session, event, attempts=2)
    workers(silent=5)
    job = _finish(solving, event)
    assert job.state == "failed" and "stopped answering" in job.message
    assert "start again" in job.message


def test_small_events_get_a_short_default_time_limit(session: Session) -> None:
    event = import_lima(session)
    assert suggested_time_limit(session, event=event, ceiling=10) == 2  # 16 attending
    assert suggested_time_limit(session, event=event, ceiling=1) == 1
    big = make_event(session, name="Big")
    add_people(session, big, 600)
    assert suggested_time_limit(session, event=big, ceiling=10) == 10
