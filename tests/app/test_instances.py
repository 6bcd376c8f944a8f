"""The event's rows become the scheduler's instance; solved plans are saved and read back."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from app.models import EventUpdate, ParticipantCreate, SavedPlan, SubjectCreate, TableCreate
from app.services import events, instances, seating
from app.services.errors import CannotPlan, NotFound
from scheduler.problem import Infeasible
from scheduler.schema import load_instance
from scheduler.search import solve
from tests.app.factories import LIMA, PLAN_LIMITS, add_people, add_tables, import_lima, make_event


def test_lima_builds_the_example_instance(session: Session) -> None:
    built = instances.build_instance(session, event=import_lima(session))
    assert built.model_dump() == load_instance(LIMA / "instance.json").model_dump()


def test_lima_solves_without_repeats_and_with_every_subject(session: Session) -> None:
    instance = instances.build_instance(session, event=import_lima(session))
    metrics = solve(instance, time_limit=1).plan.metrics
    assert metrics["valid"] and metrics["repeats"] == 0
    assert metrics["subject_visits"] == 80  # 16 countries x 5 subjects


def test_rules_absences_and_facilitators_reach_the_instance(session: Session) -> None:
    event = make_event(session, rounds=3, subject_mode="fixed")
    add_people(session, event, 6)
    events.add_participant(
        session, event=event, data=ParticipantCreate(name="Away", code="x", active=False)
    )
    events.add_subject(
        session, event=event, data=SubjectCreate(code="A", facilitators=["Ana", "Ben"])
    )
    for name in ("T1", "T2"):
        events.add_table(
            session, event=event, data=TableCreate(name=name, capacity=4, subject_code="A")
        )
    seating.add_constraint(session, event=event, kind="keep_apart", codes=["p1", "p2"])
    seating.add_constraint(session, event=event, kind="keep_together", codes=["p3", "x"])
    seating.pin(session, event=event, code="p4", round=2, table="T2")
    seating.mark_absent(session, event=event, code="p5", round=3)
    built = instances.build_instance(session, event=event)
    assert [p.id for p in built.participants] == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert built.participants[4].absent_rounds == [3]
    assert [s.hosts for s in built.subjects] == [2]  # one table per facilitator
    assert built.table_subjects == {"T1": "A", "T2": "A"}
    assert built.keep_apart == [["p1", "p2"]]
    assert built.keep_together == []  # the only partner does not attend
    assert [(p.participant, p.round, p.table) for p in built.pins] == [("p4", 2, "T2")]


@pytest.mark.parametrize(
    ("people", "tables", "mode", "message"),
    [
        (0, 1, "none", "'Test event' has no attending participants; import or add participants"),
        (4, 0, "none", "'Test event' has no tables; import or add tables first"),
        (4, 1, "rotating", "subject mode 'rotating' but no subjects; add subjects or set the"),
    ],
)
def test_what_is_missing_before_planning(
    session: Session, people: int, tables: int, mode: str, message: str
) -> None:
    event = make_event(session, subject_mode=mode)
    add_people(session, event, people)
    add_tables(session, event, tables)
    with pytest.raises(CannotPlan, match=message.replace("(", "\\(")):
        instances.build_instance(session, event=event)


def test_scheduler_errors_say_what_to_fix(session: Session) -> None:
    event = make_event(session, rounds=3)
    add_people(session, event, 4)
    add_tables(session, event, 1)
    seating.pin(session, event=event, code="p1", round=3, table="T1")
    events.update_event(session, event=event, data=EventUpdate(rounds=2))
    with pytest.raises(CannotPlan, match="cannot be planned yet: .*round 3, outside rounds 1..2"):
        instances.build_instance(session, event=event)


def test_an_infeasible_event_is_reported_as_such(session: Session) -> None:
    event = make_event(session)
    add_people(session, event, 6)
    add_tables(session, event, 1, capacity=4)
    with pytest.raises(CannotPlan, match="'Test event' cannot be planned: ") as caught:
        instances.plan_event(session, event=event, time_limit=0.2)
    assert isinstance(caught.value.__cause__, Infeasible)


def test_plans_are_saved_and_the_latest_is_current(session: Session) -> None:
    event = import_lima(session)
    with pytest.raises(NotFound, match="'Lima 2022' has no plan yet; plan the event first"):
        instances.current_plan(session, event=event)
    first = instances.plan_event(session, event=event, **PLAN_LIMITS)
    second = instances.plan_event(session, event=event, **PLAN_LIMITS, seed=1)
    current = instances.current_plan(session, event=event)
    assert current.id == second.id != first.id
    plan = instances.plan_of(current)
    assert len(plan.rounds) == 5 and plan.metrics["repeats"] == 0
    assert current.status == plan.metrics["status"]
    assert instances.instance_of(current).name == "Lima 2022"
    current_rows = session.exec(select(SavedPlan).where(col(SavedPlan.is_current))).all()
    assert [row.id for row in current_rows] == [second.id]


def test_a_saved_plan_keeps_its_instance_when_the_event_changes(session: Session) -> None:
    event = import_lima(session)
    saved = instances.plan_event(session, event=event, **PLAN_LIMITS)
    events.remove_participant(
        session, participant=events.get_participant(session, event=event, code="AR")
    )
    assert "AR" in [p.id for p in instances.instance_of(saved).participants]
    assert any(code == "AR" for code, _round in instances.plan_of(saved).seats())
