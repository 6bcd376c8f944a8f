"""The live session's state machine, on SQLite and PostgreSQL: commands, stale commands,
double presses, the change of tables that ends by itself, publishing, clock times."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import Event, EventCreate
from app.services import clock, console, live
from app.services.errors import InvalidInput
from app.services.instances import plan_event, plan_of
from app.services.plans import move_participant
from tests.app.factories import PLAN_LIMITS, import_lima

T0 = dt.datetime(2022, 11, 23, 14, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


@pytest.fixture
def lima(session: Session) -> Event:
    event = import_lima(session)
    plan_event(session, event=event, **PLAN_LIMITS)
    return event


def run(session: Session, event: Event, action: live.Command, **kw: object) -> live.LiveSession:
    return live.command(session, event=event, action=action, **kw)  # type: ignore[arg-type]


def test_a_session_runs_round_by_round_with_a_change_of_tables(
    session: Session, lima: Event
) -> None:
    state = run(session, lima, "start", now=T0)
    assert (state.status, state.round, state.phase) == ("running", 1, "conversation")
    assert live.aware(state.phase_ends_at) == T0 + minutes(35)
    assert state.plan_id is not None  # starting published the plan

    state = run(session, lima, "next", expect=live.Expect(from_round=1), now=T0 + minutes(36))
    assert (state.round, state.phase) == (2, "change")
    assert live.aware(state.phase_ends_at) == T0 + minutes(41)  # 5 minutes to move

    assert live.tick(session, event_id=lima.id or 0, now=T0 + minutes(40)) is False
    assert live.tick(session, event_id=lima.id or 0, now=T0 + minutes(41.5)) is True
    state = live.get_state(session, event=lima)
    session.refresh(state)
    assert (state.round, state.phase) == (2, "conversation")
    assert live.aware(state.phase_ends_at) == T0 + minutes(41 + 35)


def test_pause_keeps_the_time_left_and_resume_gives_it_back(session: Session, lima: Event) -> None:
    run(session, lima, "start", now=T0)
    state = run(session, lima, "pause", now=T0 + minutes(10))
    assert state.status == "paused" and state.phase_ends_at is None
    assert state.remaining_seconds == pytest.approx(25 * 60)
    state = run(session, lima, "extend", minutes=5, now=T0 + minutes(20))
    assert state.remaining_seconds == pytest.approx(30 * 60)
    state = run(session, lima, "resume", now=T0 + minutes(30))
    assert live.aware(state.phase_ends_at) == T0 + minutes(60)


def test_extending_a_round_over_time_counts_from_now(session: Session, lima: Event) -> None:
    run(session, lima, "start", now=T0)
    state = run(session, lima, "extend", minutes=1, now=T0 + minutes(40))
    assert live.aware(state.phase_ends_at) == T0 + minutes(41)


@pytest.mark.parametrize("extra", [0, -1, 1000, None])
def test_extend_refuses_nonsense_and_changes_nothing(
    session: Session, lima: Event, extra: int | None
) -> None:
    before = run(session, lima, "start", now=T0)
    with pytest.raises(InvalidInput, match="1 to 120 minutes"):
        run(session, lima, "extend", minutes=extra, now=T0)
    after = live.get_state(session, event=lima)
    assert after.state_version == before.state_version


def test_a_stale_command_is_refused_with_the_state_as_it_is(session: Session, lima: Event) -> None:
    run(session, lima, "start", now=T0)
    run(session, lima, "next", expect=live.Expect(from_round=1), now=T0)
    with pytest.raises(live.StaleState) as refused:
        run(session, lima, "next", expect=live.Expect(from_round=1), now=T0)
    assert refused.value.state.round == 2
    assert "round 2" in str(refused.value)
    # A page that names an old state version is refused too.
    with pytest.raises(live.StaleState):
        run(session, lima, "pause", expect=live.Expect(state_version=1), now=T0)


def test_the_last_round_and_a_finished_session_refuse_to_move_on(
    session: Session, lima: Event
) -> None:
    run(session, lima, "start", now=T0)
    for k in range(1, 5):
        state = run(session, lima, "next", expect=live.Expect(from_round=k), now=T0)
        state = run(
            session, lima, "next", expect=live.Expect(from_round=k + 1, from_phase="change"), now=T0
        )
    assert (state.round, state.phase) == (5, "conversation")
    with pytest.raises(InvalidInput, match="last round"):
        run(session, lima, "next", expect=live.Expect(from_round=5), now=T0)
    state = run(session, lima, "finish", now=T0)
    assert state.status == "finished"
    assert run(session, lima, "finish", now=T0).state_version == state.state_version  # twice: once
    with pytest.raises(InvalidInput, match="finished"):
        run(session, lima, "next", expect=live.Expect(from_round=5), now=T0)
    with pytest.raises(InvalidInput, match="finished"):
        run(session, lima, "extend", minutes=5, now=T0)
    state = run(session, lima, "back", expect=live.Expect(from_round=5), now=T0)
    assert (state.status, state.round) == ("running", 5)


def test_back_one_round_and_not_before_the_first(session: Session, lima: Event) -> None:
    run(session, lima, "start", now=T0)
    with pytest.raises(InvalidInput, match="first round"):
        run(session, lima, "back", expect=live.Expect(from_round=1), now=T0)
    run(session, lima, "next", expect=live.Expect(from_round=1), now=T0)
    state = run(session, lima, "back", expect=live.Expect(from_round=2), now=T0)
    assert (state.round, state.phase) == (1, "conversation")


def test_commands_before_the_start_say_to_start_first(session: Session, lima: Event) -> None:
    with pytest.raises(InvalidInput, match="not started"):
        run(session, lima, "pause", now=T0)


def test_starting_without_a_plan_says_to_generate_one(session: Session) -> None:
    event = import_lima(session)
    with pytest.raises(InvalidInput, match="generate a plan"):
        run(session, event, "start", now=T0)


def test_two_presses_at_the_same_moment_advance_once(engine: Engine, lima: Event) -> None:
    with Session(engine) as first:
        run(first, first.get(Event, lima.id) or lima, "start", now=T0)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def press() -> None:
        with Session(engine) as own:
            event = own.get(Event, lima.id)
            assert event is not None
            live.get_state(own, event=event)
            barrier.wait()
            try:
                run(own, event, "next", expect=live.Expect(from_round=1), now=T0)
                outcomes.append("advanced")
            except live.StaleState:
                outcomes.append("stale")

    threads = [threading.Thread(target=press) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["advanced", "stale", "stale", "stale"]
    with Session(engine) as check:
        event = check.get(Event, lima.id)
        assert event is not None
        assert live.get_state(check, event=event).round == 2


def test_publishing_a_draft_lists_who_moves(session: Session, lima: Event) -> None:
    run(session, lima, "start", now=T0)
    published = live.published_plan(session, event=lima)
    assert published is not None
    fourth = plan_of(published).rounds[3].tables
    target = next(t.table for t in fourth if "PE" not in t.participants)  # not Peru's table
    change = move_participant(session, event=lima, round=4, code="PE", table=target)
    moved = console.moves(published, change.saved, from_round=1)
    assert any(m.name == "Peru" and m.round == 4 and m.after == target for m in moved)
    assert any("Peru: round 4" in str(m) and f"→ {target}" in str(m) for m in moved)
    state = live.publish(session, event=lima)
    assert state.plan_id == change.saved.id
    # Publishing again changes nothing.
    assert live.publish(session, event=lima).state_version == state.state_version


def test_the_plan_is_checked_against_the_event_as_it_is_now(session: Session, lima: Event) -> None:
    from app.services.seating import mark_absent

    saved = live.published_plan(session, event=lima)
    run(session, lima, "start", now=T0)
    saved = live.published_plan(session, event=lima)
    assert saved is not None
    assert not console.drift(session, event=lima, saved=saved).changed
    mark_absent(session, event=lima, code="PE", round=3)
    drift = console.drift(session, event=lima, saved=saved)
    assert drift.changed and any("Peru" in p for p in drift.people)
    assert any("PE" in v for v in drift.violations)  # seated in a round they now miss
    assert console.drift_summary(drift).startswith("1 person changed since this plan was made")


def test_clock_times_come_from_the_start_time_in_the_events_time_zone(session: Session) -> None:
    event = Event.model_validate(
        EventCreate(
            name="Timed",
            rounds=3,
            date=dt.date(2022, 11, 23),
            start_time=dt.time(9, 30),
            time_zone="America/Lima",
        )
    )
    times = clock.planned(event)
    assert [clock.hm(times[r].start) for r in (1, 2, 3)] == ["09:30", "10:10", "10:50"]
    assert times[1].start.utcoffset() == dt.timedelta(hours=-5)


def test_an_unknown_time_zone_is_refused_with_an_example() -> None:
    with pytest.raises(ValueError, match="America/Lima"):
        EventCreate(name="X", rounds=3, time_zone="Mars/Olympus")
