"""The JSON API for needs and offers (topics), keep-apart/together groups and pinned seats."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..deps import RowId, SessionDep
from ..models import Constraint, Topic, TopicCreate, TopicUpdate, pk
from ..services import seating, topics
from ..services.lookup import get_pin, get_row, list_pin_rows
from .api_models import (
    ERRORS,
    ConstraintCreate,
    ConstraintPublic,
    PinCreate,
    PinPublic,
    TopicPublic,
    without_nulls,
)
from .common import EventDep

router = APIRouter(prefix="/events/{event_id}", responses=ERRORS)


@router.get("/topics", response_model=list[TopicPublic], tags=["topics"])
def list_topics(session: SessionDep, event: EventDep) -> list[TopicPublic]:
    return [TopicPublic.of(session, t) for t in topics.list_topics(session, event=event)]


@router.post("/topics", response_model=TopicPublic, status_code=201, tags=["topics"])
def add_topic(session: SessionDep, event: EventDep, data: TopicCreate) -> TopicPublic:
    """Add a topic; `requesting` and `offering` list participant codes, or `["*"]`: everyone."""
    return TopicPublic.of(session, topics.add_topic(session, event=event, data=data))


@router.get("/topics/{topic_id}", response_model=TopicPublic, tags=["topics"])
def read_topic(session: SessionDep, event: EventDep, topic_id: RowId) -> TopicPublic:
    return TopicPublic.of(session, get_row(session, event=event, model=Topic, row_id=topic_id))


@router.patch("/topics/{topic_id}", response_model=TopicPublic, tags=["topics"])
def update_topic(
    session: SessionDep, event: EventDep, topic_id: RowId, data: TopicUpdate
) -> TopicPublic:
    """Change the fields given; `subject_code: null` leaves the topic without a subject."""
    topic = get_row(session, event=event, model=Topic, row_id=topic_id)
    changes = without_nulls(data, nullable=("subject_code",))
    return TopicPublic.of(session, topics.update_topic(session, topic=topic, data=changes))


@router.delete("/topics/{topic_id}", status_code=204, response_class=Response, tags=["topics"])
def remove_topic(session: SessionDep, event: EventDep, topic_id: RowId) -> Response:
    topic = get_row(session, event=event, model=Topic, row_id=topic_id)
    topics.remove_topic(session, topic=topic)
    return Response(status_code=204)


def _group(session: SessionDep, group: Constraint) -> ConstraintPublic:
    codes = seating.constraint_codes(session, constraint=group)
    return ConstraintPublic(id=pk(group), kind=group.kind, participants=codes, note=group.note)


@router.get("/constraints", response_model=list[ConstraintPublic], tags=["constraints"])
def list_constraints(session: SessionDep, event: EventDep) -> list[ConstraintPublic]:
    return [_group(session, g) for g in seating.list_constraints(session, event=event)]


@router.post("/constraints", response_model=ConstraintPublic, status_code=201, tags=["constraints"])
def add_constraint(
    session: SessionDep, event: EventDep, data: ConstraintCreate
) -> ConstraintPublic:
    """Keep two or more participants (by code) apart, or together, in every round."""
    group = seating.add_constraint(
        session, event=event, kind=data.kind, codes=data.participants, note=data.note
    )
    return _group(session, group)


@router.get("/constraints/{constraint_id}", response_model=ConstraintPublic, tags=["constraints"])
def read_constraint(session: SessionDep, event: EventDep, constraint_id: RowId) -> ConstraintPublic:
    return _group(session, get_row(session, event=event, model=Constraint, row_id=constraint_id))


@router.delete(
    "/constraints/{constraint_id}",
    status_code=204,
    response_class=Response,
    tags=["constraints"],
)
def remove_constraint(session: SessionDep, event: EventDep, constraint_id: RowId) -> Response:
    group = get_row(session, event=event, model=Constraint, row_id=constraint_id)
    seating.remove_constraint(session, constraint=group)
    return Response(status_code=204)


@router.get("/pins", response_model=list[PinPublic], tags=["pins"])
def list_pins(session: SessionDep, event: EventDep) -> list[PinPublic]:
    return [
        PinPublic(id=pk(pin), participant_code=person.code, round=pin.round, table=table.name)
        for pin, person, table in list_pin_rows(session, event=event)
    ]


@router.post("/pins", response_model=PinPublic, status_code=201, tags=["pins"])
def add_pin(session: SessionDep, event: EventDep, data: PinCreate) -> PinPublic:
    """Seat the participant at the table in that round (replacing their pin of that round)."""
    pin = seating.pin(
        session, event=event, code=data.participant_code, round=data.round, table=data.table
    )
    return PinPublic(id=pk(pin), **data.model_dump())


@router.delete("/pins/{pin_id}", status_code=204, response_class=Response, tags=["pins"])
def remove_pin(session: SessionDep, event: EventDep, pin_id: RowId) -> Response:
    pin, person, _table = get_pin(session, event=event, pin_id=pin_id)
    seating.unpin(session, event=event, code=person.code, round=pin.round)
    return Response(status_code=204)
