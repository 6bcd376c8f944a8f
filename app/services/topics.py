"""Topics: what participants request (needs) and offer, per subject.

`*` in a list means everyone, including people added later, so it is kept as a flag on the
topic rather than expanded into today's participants.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from ..i18n import _
from ..models import (
    Event,
    Participant,
    Topic,
    TopicCreate,
    TopicOffer,
    TopicRequest,
    TopicUpdate,
    pk,
)
from .errors import Conflict, NotFound
from .events import commit, get_subject, hint, participants_by_code

EVERYONE = "*"
Link = type[TopicRequest] | type[TopicOffer]


def list_topics(session: Session, *, event: Event) -> list[Topic]:
    query = select(Topic).where(Topic.event_id == event.id).order_by(col(Topic.id))
    return list(session.exec(query).all())


def find_topic(session: Session, *, event: Event, name: str) -> Topic | None:
    return session.exec(select(Topic).where(Topic.event_id == event.id, Topic.name == name)).first()


def get_topic(session: Session, *, event: Event, name: str) -> Topic:
    topic = find_topic(session, event=event, name=name)
    if topic is None:
        names = [t.name for t in list_topics(session, event=event)]
        raise NotFound(
            _("{event!r} has no topic named {name!r}{hint}; check the name").format(
                event=event.name, name=name, hint=hint(name, names)
            )
        )
    return topic


def _people(session: Session, link: Link, topic: Topic, active_only: bool) -> list[Participant]:
    query = (
        select(Participant)
        .join(link, col(link.participant_id) == Participant.id)
        .where(link.topic_id == topic.id)
        .order_by(col(link.id))
    )
    people = list(session.exec(query).all())
    return [p for p in people if p.active] if active_only else people


def topic_people(
    session: Session, *, topic: Topic, active_only: bool = False
) -> tuple[list[str], list[str]]:
    """The requesting and the offering participants' codes, or ["*"] for everyone."""
    sides = []
    for link, everyone in (
        (TopicRequest, topic.everyone_requests),
        (TopicOffer, topic.everyone_offers),
    ):
        people = _people(session, link, topic, active_only)
        sides.append([EVERYONE] if everyone else [p.code for p in people])
    return sides[0], sides[1]


def link_people(
    session: Session,
    *,
    topic: Topic,
    requesting: list[Participant] | None,
    offering: list[Participant] | None,
) -> None:
    """Replace who requests and who offers the topic (None: everyone). Does not commit."""
    topic.everyone_requests = requesting is None
    topic.everyone_offers = offering is None
    for link, people in ((TopicRequest, requesting), (TopicOffer, offering)):
        for old in session.exec(select(link).where(link.topic_id == pk(topic))).all():
            session.delete(old)
        session.flush()  # the old links go before the new ones meet the unique constraint
        for person_id in dict.fromkeys(pk(person) for person in people or []):
            session.add(link(topic_id=pk(topic), participant_id=person_id))
    session.add(topic)


def _resolve(session: Session, event: Event, codes: list[str]) -> list[Participant] | None:
    if EVERYONE in codes:
        return None
    return participants_by_code(session, event=event, codes=codes)


def _free_name(session: Session, event: Event, name: str) -> None:
    if find_topic(session, event=event, name=name):
        names = [t.name for t in list_topics(session, event=event)]
        raise Conflict(
            _("a topic named {name!r} already exists{hint}; give each topic its own name").format(
                name=name, hint=hint(name, [n for n in names if n != name])
            )
        )


def add_topic(session: Session, *, event: Event, data: TopicCreate) -> Topic:
    _free_name(session, event, data.name)
    subject = (
        get_subject(session, event=event, code=data.subject_code) if data.subject_code else None
    )
    requesting = _resolve(session, event, data.requesting)
    offering = _resolve(session, event, data.offering)
    topic = Topic.model_validate(
        data, update={"event_id": event.id, "subject_id": subject.id if subject else None}
    )
    session.add(topic)
    session.flush()
    link_people(session, topic=topic, requesting=requesting, offering=offering)
    commit(session, event=event)
    session.refresh(topic)
    return topic


def update_topic(session: Session, *, topic: Topic, data: TopicUpdate) -> Topic:
    event = session.get(Event, topic.event_id)
    assert event is not None
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name") not in (None, topic.name):
        _free_name(session, event, changes["name"])
    if "subject_code" in changes:
        code = changes.pop("subject_code")
        topic.subject_id = get_subject(session, event=event, code=code).id if code else None
    requesting, offering = topic_people(session, topic=topic)
    requesting = changes.pop("requesting", requesting)
    offering = changes.pop("offering", offering)
    for key, value in changes.items():
        setattr(topic, key, value)
    link_people(
        session,
        topic=topic,
        requesting=_resolve(session, event, requesting),
        offering=_resolve(session, event, offering),
    )
    commit(session, event=event)
    session.refresh(topic)
    return topic


def remove_topic(session: Session, *, topic: Topic) -> None:
    event = session.get(Event, topic.event_id)
    session.delete(topic)
    commit(session, event=event)
