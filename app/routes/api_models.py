"""What the JSON API returns and accepts beyond the models' own Create/Update families.

Participants, tables, subjects and topics are addressed by id in URLs; in bodies, people are
named by their codes, subjects by their numbers and tables by their names, as in the imports.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Field, Session, SQLModel

from ..models import (
    ConstraintKind,
    EventTable,
    Moment,
    ParticipantBase,
    Subject,
    SubjectBase,
    TableBase,
    TableUpdate,
    Topic,
    TopicBase,
)
from ..services import events, topics

Patch = TypeVar("Patch", bound=SQLModel)


class ParticipantPublic(ParticipantBase):
    id: int
    attendee_url: str | None = None  # the badge's secret link (organizers only)
    arrived_at: Moment | None = None  # checked in at the venue


class TablePublic(TableBase):
    id: int
    subject_code: str | None = None  # subject mode `fixed`: the subject it keeps

    @classmethod
    def of(cls, session: Session, table: EventTable) -> TablePublic:
        subject = session.get(Subject, table.subject_id) if table.subject_id else None
        return cls(**table.model_dump(), subject_code=subject.code if subject else None)


class TablePatch(TableUpdate):
    subject_code: str | None = None  # set it (or null to clear it) to change the subject


class SubjectPublic(SubjectBase):
    id: int
    facilitators: list[str] = []

    @classmethod
    def of(cls, session: Session, subject: Subject) -> SubjectPublic:
        names = [f.name for f in events.list_facilitators(session, subject=subject)]
        return cls(**subject.model_dump(), facilitators=names)


class TopicPublic(TopicBase):
    id: int
    subject_code: str | None = None
    requesting: list[str] = []  # participant codes, or ["*"] for everyone
    offering: list[str] = []

    @classmethod
    def of(cls, session: Session, topic: Topic) -> TopicPublic:
        subject = session.get(Subject, topic.subject_id) if topic.subject_id else None
        requesting, offering = topics.topic_people(session, topic=topic)
        return cls(
            **topic.model_dump(),
            subject_code=subject.code if subject else None,
            requesting=requesting,
            offering=offering,
        )


class ConstraintCreate(SQLModel):
    kind: ConstraintKind
    participants: list[str] = Field(min_length=2)  # codes
    note: str = Field(default="", max_length=500)


class ConstraintPublic(ConstraintCreate):
    id: int


class PinCreate(SQLModel):
    participant_code: str
    round: int = Field(ge=1)
    table: str  # the table's name


class PinPublic(PinCreate):
    id: int


class AbsenceCreate(SQLModel):
    participant_code: str
    round: int = Field(ge=1)


class AbsencePublic(AbsenceCreate):
    id: int


class SummaryPublic(SQLModel):
    participants: int
    attending: int
    tables: int
    seats: int
    subjects: int
    facilitators: int
    hosts: int
    topics: int
    groups: int
    pins: int
    absences: int
    missing: list[str]  # what to fix before the event can be planned
    ready: bool


class ImportReportPublic(SQLModel):
    event: str
    added: dict[str, int]
    updated: dict[str, int]
    lines: list[str]


class ImportProblemPublic(SQLModel):
    file: str
    line: int | None  # null: the file as a whole
    message: str


class ImportRejectedPublic(SQLModel):
    detail: str
    problems: list[ImportProblemPublic]


class InvalidRequest(SQLModel):
    """The request does not fit the schema (FastAPI's validation errors)."""

    detail: list[dict[str, Any]]


class Detail(SQLModel):
    """A domain error: what is wrong and how to fix it."""

    detail: str


ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": Detail, "description": "Input to fix"},
    401: {"model": Detail, "description": "Sign in first"},
    403: {
        "model": Detail,
        "description": "Not allowed: a change sent from another site, or an account's action "
        "that needs an administrator",
    },
    404: {"model": Detail, "description": "Not found"},
    409: {"model": Detail, "description": "Clashes with what is saved"},
    413: {"model": Detail, "description": "The body is larger than this route allows"},
    429: {"model": Detail, "description": "Too many wrong passwords: wait Retry-After seconds"},
    503: {
        "model": Detail,
        "description": "The database is busy or out of reach: nothing was saved, send it "
        "again after Retry-After seconds",
    },
}


def without_nulls(data: Patch, *, nullable: tuple[str, ...] = ()) -> Patch:
    """A PATCH body without the nulls sent for fields that cannot be empty (they mean "keep")."""
    sent = {
        key: value
        for key, value in data.model_dump(exclude_unset=True).items()
        if value is not None or key in nullable
    }
    return type(data).model_validate(sent)
