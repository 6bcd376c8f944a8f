"""Events, participants, tables and subjects: what an organizer edits by hand."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import (
    EventUpdate,
    ParticipantCreate,
    ParticipantUpdate,
    SubjectCreate,
    SubjectUpdate,
    TableCreate,
    TableUpdate,
    TopicCreate,
)
from app.services import events, topics
from app.services.errors import Conflict, InvalidInput, NotFound
from tests.app.factories import add_people, add_subjects, add_tables, make_event


def test_create_list_update_delete_an_event(session: Session) -> None:
    lima = make_event(session, name="Lima 2022", rounds=5, venue="Lima")
    make_event(session, name="Asunción 2023")
    assert [e.name for e in events.list_events(session)] == ["Asunción 2023", "Lima 2022"]
    assert (lima.round_minutes, lima.transition_minutes) == (35, 5)
    created = lima.updated_at
    events.update_event(session, event=lima, data=EventUpdate(rounds=4, venue="Lima, Peru"))
    again = events.get_event(session, name="Lima 2022")
    assert (again.rounds, again.venue) == (4, "Lima, Peru")
    assert again.updated_at >= created
    events.delete_event(session, event=again)
    assert [e.name for e in events.list_events(session)] == ["Asunción 2023"]


def test_event_names_are_unique(session: Session) -> None:
    make_event(session, name="Lima 2022")
    other = make_event(session, name="Lima 2023")
    with pytest.raises(Conflict, match="an event named 'Lima 2022' already exists"):
        make_event(session, name="Lima 2022")
    with pytest.raises(Conflict, match="choose another name"):
        events.update_event(session, event=other, data=EventUpdate(name="Lima 2022"))


def test_an_unknown_event_suggests_the_closest_name(session: Session) -> None:
    make_event(session, name="Lima 2022")
    with pytest.raises(
        NotFound, match="no event named 'Lima 2021' \\(did you mean 'Lima 2022'\\?\\)"
    ):
        events.get_event(session, name="Lima 2021")


def test_participants_codes_are_unique_per_event(session: Session) -> None:
    first, second = make_event(session, name="A"), make_event(session, name="B")
    add_people(session, first, 2)
    add_people(session, second, 2)  # the same codes in another event are fine
    with pytest.raises(Conflict, match="participant code 'p1' is already used in 'A'"):
        events.add_participant(
            session, event=first, data=ParticipantCreate(name="Someone", code="p1")
        )


def test_update_and_remove_a_participant(session: Session) -> None:
    event = make_event(session)
    ana, ben = add_people(session, event, 2)
    events.update_participant(
        session, participant=ana, data=ParticipantUpdate(code="AP", active=False)
    )
    assert events.get_participant(session, event=event, code="AP").active is False
    assert [p.code for p in events.list_participants(session, event=event, active_only=True)] == [
        "p2"
    ]
    with pytest.raises(Conflict):
        events.update_participant(session, participant=ben, data=ParticipantUpdate(code="AP"))
    events.remove_participant(session, participant=ben)
    with pytest.raises(NotFound, match="no participant code 'p2'"):
        events.get_participant(session, event=event, code="p2")


def test_tables_check_their_sizes(session: Session) -> None:
    event = make_event(session)
    table = add_tables(session, event, 1, capacity=4, min_size=3)[0]
    with pytest.raises(InvalidInput, match="at least 5 people cannot fit 4 seats"):
        events.add_table(session, event=event, data=TableCreate(name="T2", capacity=4, min_size=5))
    with pytest.raises(InvalidInput, match="lower the minimum or raise the capacity"):
        events.update_table(session, table=table, data=TableUpdate(capacity=2))
    with pytest.raises(Conflict, match="table 'T1' is already used"):
        events.add_table(session, event=event, data=TableCreate(name="T1", capacity=4))
    events.update_table(session, table=table, data=TableUpdate(name="Main table", capacity=6))
    assert [(t.name, t.capacity) for t in events.list_tables(session, event=event)] == [
        ("Main table", 6)
    ]


def test_subjects_keep_their_facilitators(session: Session) -> None:
    event = make_event(session, subject_mode="rotating")
    subject = events.add_subject(
        session, event=event, data=SubjectCreate(code="1", name="IT", facilitators=["Ana", "Ben"])
    )
    assert [f.name for f in events.list_facilitators(session, subject=subject)] == ["Ana", "Ben"]
    events.update_subject(session, subject=subject, data=SubjectUpdate(facilitators=["Cleo"]))
    assert [f.name for f in events.list_facilitators(session, subject=subject)] == ["Cleo"]
    with pytest.raises(Conflict, match="subject '1' is already used"):
        events.add_subject(session, event=event, data=SubjectCreate(code="1"))


def test_a_subject_with_topics_is_not_removed(session: Session) -> None:
    event = make_event(session, subject_mode="rotating")
    subject = add_subjects(session, event, 1)[0]
    topics.add_topic(session, event=event, data=TopicCreate(name="Patents", subject_code="1"))
    with pytest.raises(Conflict, match="subject '1' has 1 topic, 'Patents'; move it"):
        events.remove_subject(session, subject=subject)
    topics.remove_topic(session, topic=topics.get_topic(session, event=event, name="Patents"))
    events.remove_subject(session, subject=subject)
    assert events.list_subjects(session, event=event) == []


def test_two_organizers_may_use_one_name_and_the_command_line_says_which(
    session: Session,
) -> None:
    from app.models import Account, EventCreate
    from app.services import access

    olga, eve = (Account(username=n, password_hash="-") for n in ("olga", "eve"))
    session.add_all([olga, eve])
    session.commit()
    for who in (olga, eve):
        made = events.create_event(session, data=EventCreate(name="Lima", rounds=2), account=who)
        access.add_owner(session, event=made, account=who)
    with pytest.raises(Conflict, match="you already have an event named 'Lima'"):
        events.create_event(session, data=EventCreate(name="Lima", rounds=2), account=eve)
    with pytest.raises(Conflict, match=r"2 events are named 'Lima' \(numbers 1, 2\)"):
        events.get_event(session, name="Lima")
    with pytest.raises(Conflict, match="already exists"):  # the command line: every event
        events.create_event(session, data=EventCreate(name="Lima", rounds=2))
