"""The background job manager, with real threads and a real database."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import i18n
from app.models import Event, pk
from app.services import instances, replanning
from app.services.errors import CannotPlan
from app.solving import Job, JobRunning, Solving, suggested_time_limit
from tests.app.factories import add_people, add_tables, import_lima, make_event


def _generate(solving: Solving, event: Event, time_limit: float) -> Job:
    return solving.start(
        event=event,
        kind="generate",
        time_limit=time_limit,
        prepare=lambda s, e: replanning.generation_request(s, event=e),
    )


def _finish(solving: Solving, event: Event) -> Job:
    job = solving.wait(pk(event), timeout=30)
    assert job is not None and not job.running, "the job did not end"
    return job


def test_a_job_solves_in_a_thread_and_saves_the_plan(engine: Engine, session: Session) -> None:
    event = import_lima(session)
    solving = Solving(engine)
    job = _generate(solving, event, 0.5)
    assert job.running and job.thread is not None and job.thread.name.startswith("ronda-solve")
    job = _finish(solving, event)
    assert job.state == "done" and "saved" in job.message and not job.stopped
    assert job.bounds["repeats"] == 0 and job.bounds["subject_visits"] == 80
    figures = job.figures()
    assert figures["repeats"] == 0 and figures["subject_visits"] == 80
    saved = instances.current_plan(session, event=event)
    assert saved.id == job.plan_id and saved.note == "generated"
    assert len(instances.plan_of(saved).rounds) == 5


def test_progress_is_recorded_while_the_job_runs(engine: Engine, session: Session) -> None:
    event = import_lima(session)
    solving = Solving(engine)
    job = _generate(solving, event, 1.5)
    deadline = time.monotonic() + 1.2
    while not job.best and time.monotonic() < deadline:
        time.sleep(0.02)
    assert job.running and job.best.get("repeats") is not None
    assert 0 < job.time_left <= 1.5
    _finish(solving, event)


def test_stop_ends_the_job_early_and_keeps_the_best_plan(engine: Engine, session: Session) -> None:
    event = import_lima(session)
    solving = Solving(engine)
    job = _generate(solving, event, 60)
    time.sleep(0.3)
    assert solving.stop(pk(event)) is job
    job = _finish(solving, event)
    assert job.state == "done" and job.stopped and job.elapsed < 15
    assert job.message.startswith("Stopped after")
    assert instances.current_plan(session, event=event).id == job.plan_id


def test_one_job_per_event_at_a_time(engine: Engine, session: Session) -> None:
    event = import_lima(session)
    solving = Solving(engine)
    first = _generate(solving, event, 60)
    with pytest.raises(JobRunning, match="already being made"):
        _generate(solving, event, 1)
    assert solving.get(pk(event)) is first
    solving.stop(pk(event))
    _finish(solving, event)
    again = _generate(solving, event, 0.2)  # once it ended, a new job may start
    assert again is not first
    _finish(solving, event)


def test_an_infeasible_event_ends_the_job_with_the_schedulers_message(
    engine: Engine, session: Session
) -> None:
    event = make_event(session, "Crowded", rounds=2)
    add_people(session, event, 10)
    add_tables(session, event, 1, capacity=4)
    solving = Solving(engine)
    _generate(solving, event, 1)
    job = _finish(solving, event)
    assert job.state == "failed"
    assert "10 participants but only 4 seats" in job.message
    with pytest.raises(Exception, match="no plan yet"):
        instances.current_plan(session, event=event)


def test_a_domain_error_while_preparing_ends_the_job(engine: Engine, session: Session) -> None:
    event = make_event(session, "Empty")

    def prepare(_session: Session, _event: Event) -> replanning.SolveRequest:
        raise CannotPlan("'Empty' has no attending participants; add participants first")

    solving = Solving(engine)
    solving.start(event=event, kind="generate", time_limit=1, prepare=prepare)
    job = _finish(solving, event)
    assert job.state == "failed" and "no attending participants" in job.message


def test_the_job_speaks_the_language_of_the_request_that_started_it(
    engine: Engine, session: Session
) -> None:
    event = import_lima(session)
    seen: list[str] = []

    def prepare(job_session: Session, job_event: Event) -> replanning.SolveRequest:
        seen.append(i18n.language())
        return replanning.generation_request(job_session, event=job_event)

    solving = Solving(engine)
    with i18n.use_language("es"):
        solving.start(event=event, kind="generate", time_limit=0.2, prepare=prepare)
    _finish(solving, event)
    assert seen == ["es"] and i18n.language() == "en"


def test_small_events_get_a_short_default_time_limit(session: Session) -> None:
    event = import_lima(session)
    assert suggested_time_limit(session, event=event, ceiling=10) == 2  # 16 attending
    assert suggested_time_limit(session, event=event, ceiling=1) == 1
    big = make_event(session, name="Big")
    add_people(session, big, 600)
    assert suggested_time_limit(session, event=big, ceiling=10) == 10
