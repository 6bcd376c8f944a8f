"""Needs and offers: who requests and who offers each topic, `*` for everyone."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import ParticipantCreate, TopicCreate, TopicUpdate
from app.services import events, topics
from app.services.errors import Conflict, NotFound
from tests.app.factories import add_people, add_subjects, make_event


def test_a_topic_lists_requesters_and_offerers_in_order(session: Session) -> None:
    event = make_event(session, subject_mode="rotating")
    add_people(session, event, 4)
    add_subjects(session, event, 1)
    topic = topics.add_topic(
        session,
        event=event,
        data=TopicCreate(
            name="Patents", subject_code="1", requesting=["p3", "p1", "p3"], offering=["*"]
        ),
    )
    assert topics.topic_people(session, topic=topic) == (["p3", "p1"], ["*"])


def test_update_a_topic_keeps_what_is_not_given(session: Session) -> None:
    event = make_event(session)
    add_people(session, event, 3)
    topic = topics.add_topic(
        session, event=event, data=TopicCreate(name="IT", requesting=["p1"], offering=["p2"])
    )
    topics.update_topic(session, topic=topic, data=TopicUpdate(offering=["p3"], request="Help"))
    assert topics.topic_people(session, topic=topic) == (["p1"], ["p3"])
    assert topics.get_topic(session, event=event, name="IT").request == "Help"


def test_inactive_people_drop_out_of_a_topic_for_planning(session: Session) -> None:
    event = make_event(session)
    add_people(session, event, 2)
    events.add_participant(
        session, event=event, data=ParticipantCreate(name="Away", code="CO", active=False)
    )
    topic = topics.add_topic(
        session, event=event, data=TopicCreate(name="IT", requesting=["p1", "CO"], offering=["p2"])
    )
    assert topics.topic_people(session, topic=topic, active_only=True) == (["p1"], ["p2"])


def test_topic_errors_name_the_problem(session: Session) -> None:
    event = make_event(session)
    add_people(session, event, 1)
    topics.add_topic(session, event=event, data=TopicCreate(name="IT"))
    with pytest.raises(Conflict, match="a topic named 'IT' already exists"):
        topics.add_topic(session, event=event, data=TopicCreate(name="IT"))
    with pytest.raises(NotFound, match="no participant code 'p9'"):
        topics.add_topic(session, event=event, data=TopicCreate(name="AI", requesting=["p9"]))
    with pytest.raises(NotFound, match="no subject '7'"):
        topics.add_topic(session, event=event, data=TopicCreate(name="AI", subject_code="7"))
    assert [t.name for t in topics.list_topics(session, event=event)] == ["IT"]
