"""The schema comes from the migrations, matches the models, and cascades from an event."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from app.database import alembic_config, make_engine, migrate
from app.models import Absence, Participant, Pin, SavedPlan, Topic, TopicRequest
from app.services import events, instances, seating
from tests.app.factories import PLAN_LIMITS, add_people, add_tables, import_lima, make_event


def test_migrations_build_every_table_and_match_the_models(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"event", "participant", "event_table", "topic", "saved_plan"} <= tables
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_migrating_twice_changes_nothing(db_url: str, engine: Engine) -> None:
    migrate(db_url)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()


def test_sqlite_enforces_foreign_keys() -> None:
    engine = make_engine("sqlite://")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_deleting_an_event_deletes_everything_it_owns(session: Session) -> None:
    event = import_lima(session)
    seating.pin(session, event=event, code="AR", round=1, table="Table 1")
    seating.mark_absent(session, event=event, code="BR", round=2)
    instances.plan_event(session, event=event, **PLAN_LIMITS)
    other = make_event(session, name="Other")
    add_people(session, other, 2)
    events.delete_event(session, event=event)
    session.expire_all()
    assert [p.code for p in session.exec(select(Participant)).all()] == ["p1", "p2"]
    for model in (Topic, TopicRequest, Pin, Absence, SavedPlan):
        assert session.exec(select(model)).all() == [], model.__name__


def test_removing_a_table_removes_its_pins(session: Session) -> None:
    event = make_event(session)
    add_people(session, event, 4)
    first, _second = add_tables(session, event, 2)
    seating.pin(session, event=event, code="p1", round=1, table="T1")
    events.remove_table(session, table=first)
    assert seating.list_pins(session, event=event) == []
