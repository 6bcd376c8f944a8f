"""The organizer's data: an event and everything that belongs to it.

Each entity with a form has the model family `XBase` (the fields a person types), `X` (the
table), `XCreate` and `XUpdate` (what services accept). Everything hangs off an event, and every
foreign key cascades from it in the database itself, so deleting an event (or a participant)
leaves nothing behind whichever code path deletes it. The schema is created by the Alembic
migrations in `alembic/versions/`, never by `create_all`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema, field_validator
from sqlmodel import Field, SQLModel

from .i18n import _

SubjectMode = Literal["rotating", "fixed", "none"]
ConstraintKind = Literal["keep_apart", "keep_together"]
CODE_PATTERN = r"^[^\s;,*]+$"  # codes appear in `;`-separated lists, and `*` means everyone

# Stable constraint names, so that later migrations (and SQLite batch mode) can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(moment: dt.datetime) -> dt.datetime:
    """A stored time with its zone: SQLite gives times back without one (they are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# A time in an answer: RFC 3339 with its offset, whichever database it was read from.
Moment = Annotated[dt.datetime, AfterValidator(aware)]


def known_time_zone(value: str | None) -> str | None:
    """An IANA time zone name such as America/Lima (what the event's clock times are in)."""
    if value is None:
        return None
    value = value.strip() or "UTC"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            _(
                "{zone!r} is not a time zone; use a name such as America/Lima or Europe/Madrid"
            ).format(zone=value)
        ) from None
    return value


def clock_time(value: Any) -> Any:
    """ "9:30" as 09:30 (people type one digit for the hour)."""
    if isinstance(value, str) and len(value.strip()) == 4 and value.strip()[1] == ":":
        return "0" + value.strip()
    return value


def _local(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError(
            "write the start time as the clock shows it in the event's time zone "
            "(time_zone), without an offset: for example 09:30"
        )
    return value.replace(microsecond=0)


# The event's start as the venue's clock shows it ("09:30"); its zone is the event's time_zone.
ClockTime = Annotated[
    dt.time,
    BeforeValidator(clock_time),
    AfterValidator(_local),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "description": "clock time in the event's time zone, HH:MM",
            "examples": ["09:30"],
        }
    ),
]


def new_token() -> str:
    """A secret for a link: 192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


def pk(row: Any) -> int:
    """The id of a saved row (SQLModel types ids `int | None` because new rows have none yet)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: add it to the session and flush")
    return int(row.id)


def _parent(
    table: str, ondelete: Literal["CASCADE", "SET NULL"] = "CASCADE", nullable: bool = False
) -> Any:
    if nullable:
        return Field(default=None, foreign_key=f"{table}.id", ondelete=ondelete, index=True)
    return Field(foreign_key=f"{table}.id", ondelete=ondelete, index=True)


def _stamp() -> Any:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


# --- event -----------------------------------------------------------------------------------


class EventBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    date: dt.date | None = None
    venue: str = Field(default="", max_length=200)
    rounds: int = Field(ge=1, le=100)
    round_minutes: int = Field(default=35, ge=1, le=600)
    transition_minutes: int = Field(default=5, ge=0, le=600)
    subject_mode: SubjectMode = Field(default="rotating", sa_type=sa.String(10))
    # The clock time of round 1 on `date`, in the event's IANA time zone ("America/Lima").
    start_time: ClockTime | None = None
    time_zone: str = Field(default="UTC", max_length=64)

    _zone = field_validator("time_zone")(classmethod(lambda cls, v: known_time_zone(v)))


class Event(EventBase, table=True):
    # AUTOINCREMENT on SQLite: a deleted event's id is never given again (old QR codes).
    # Names are told apart per organizer (services/events.py), not across the whole server.
    __table_args__ = (sa.Index("ix_event_name", "name"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = _stamp()
    updated_at: dt.datetime = _stamp()
    # The projector's secret link (`/s/{screen_token}`); a new one revokes the old.
    screen_token: str | None = Field(default=None, max_length=64, unique=True)


class EventCreate(EventBase):
    pass


class EventUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    date: dt.date | None = None
    venue: str | None = Field(default=None, max_length=200)
    rounds: int | None = Field(default=None, ge=1, le=100)
    round_minutes: int | None = Field(default=None, ge=1, le=600)
    transition_minutes: int | None = Field(default=None, ge=0, le=600)
    subject_mode: SubjectMode | None = None
    start_time: ClockTime | None = None
    time_zone: str | None = Field(default=None, max_length=64)

    _zone = field_validator("time_zone")(classmethod(lambda cls, v: known_time_zone(v)))


class EventPublic(EventBase):
    id: int
    created_at: Moment
    updated_at: Moment


# --- participants ----------------------------------------------------------------------------


class ParticipantBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=1, max_length=20, schema_extra={"pattern": CODE_PATTERN})
    organization: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=100)
    language: str = Field(default="", max_length=50)
    # False for someone registered who does not attend: kept, but not planned.
    active: bool = True


class Participant(ParticipantBase, table=True):
    __table_args__ = (sa.UniqueConstraint("event_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    # The badge's secret link (`/a/{token}`): 128 bits or more, URL-safe; a new one revokes it.
    token: str = Field(default_factory=lambda: new_token(), max_length=64, unique=True)
    # Check-in: when the participant was seen at the venue (None: not yet).
    arrived_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ParticipantCreate(ParticipantBase):
    pass


class ParticipantUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    code: str | None = Field(
        default=None, min_length=1, max_length=20, schema_extra={"pattern": CODE_PATTERN}
    )
    organization: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=50)
    active: bool | None = None


# --- tables and subjects ---------------------------------------------------------------------


class TableBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    capacity: int = Field(ge=1, le=1000)
    min_size: int = Field(default=2, ge=1, le=1000)


class EventTable(TableBase, table=True):
    __tablename__ = "event_table"
    __table_args__ = (sa.UniqueConstraint("event_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    # Subject mode `fixed` only: the subject this table keeps all day.
    subject_id: int | None = _parent("subject", ondelete="SET NULL", nullable=True)


class TableCreate(TableBase):
    subject_code: str | None = None


class TableUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    capacity: int | None = Field(default=None, ge=1, le=1000)
    min_size: int | None = Field(default=None, ge=1, le=1000)


class SubjectBase(SQLModel):
    code: str = Field(min_length=1, max_length=20, schema_extra={"pattern": CODE_PATTERN})
    name: str = Field(default="", max_length=200)
    # Tables that can run this subject at once; the facilitators, when they are listed, decide.
    hosts: int = Field(default=1, ge=1, le=1000)


class Subject(SubjectBase, table=True):
    __table_args__ = (sa.UniqueConstraint("event_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")


class SubjectCreate(SubjectBase):
    facilitators: list[str] = []


class SubjectUpdate(SQLModel):
    code: str | None = Field(
        default=None, min_length=1, max_length=20, schema_extra={"pattern": CODE_PATTERN}
    )
    name: str | None = Field(default=None, max_length=200)
    hosts: int | None = Field(default=None, ge=1, le=1000)
    facilitators: list[str] | None = None


class Facilitator(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    subject_id: int | None = _parent("subject", ondelete="SET NULL", nullable=True)
    name: str = Field(min_length=1, max_length=200)
    # The facilitator's secret link (`/f/{token}`); a new one revokes the old.
    token: str = Field(default_factory=lambda: new_token(), max_length=64, unique=True)


# --- needs and offers ------------------------------------------------------------------------


class TopicBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    request: str = Field(default="", sa_type=sa.Text)
    offer: str = Field(default="", sa_type=sa.Text)
    # The organizer's note for facilitators: how to lead the conversation on this topic.
    guidance: str = Field(default="", max_length=5000, sa_type=sa.Text)
    # `*` in the import: the topic is requested (or offered) by everyone, present or future.
    everyone_requests: bool = False
    everyone_offers: bool = False


class Topic(TopicBase, table=True):
    __table_args__ = (sa.UniqueConstraint("event_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    # No cascade: a subject with topics is not removed until its topics are moved or removed.
    subject_id: int | None = Field(default=None, foreign_key="subject.id", index=True)


class TopicCreate(TopicBase):
    subject_code: str | None = None
    requesting: list[str] = []  # participant codes
    offering: list[str] = []


class TopicUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    request: str | None = None
    offer: str | None = None
    guidance: str | None = Field(default=None, max_length=5000)
    subject_code: str | None = None
    requesting: list[str] | None = None
    offering: list[str] | None = None


class _TopicLink(SQLModel):
    id: int | None = Field(default=None, primary_key=True)  # keeps the order of the lists
    topic_id: int = _parent("topic")
    participant_id: int = _parent("participant")


class TopicRequest(_TopicLink, table=True):
    __tablename__ = "topic_request"
    __table_args__ = (sa.UniqueConstraint("topic_id", "participant_id"),)


class TopicOffer(_TopicLink, table=True):
    __tablename__ = "topic_offer"
    __table_args__ = (sa.UniqueConstraint("topic_id", "participant_id"),)


# --- seating rules ---------------------------------------------------------------------------


class Constraint(SQLModel, table=True):
    """A group of participants kept apart (never at one table) or together (always)."""

    __tablename__ = "seating_constraint"  # CONSTRAINT is an SQL keyword
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    kind: ConstraintKind = Field(sa_type=sa.String(20))
    note: str = Field(default="", max_length=500)


class ConstraintMember(SQLModel, table=True):
    __tablename__ = "constraint_member"
    __table_args__ = (sa.UniqueConstraint("constraint_id", "participant_id"),)
    id: int | None = Field(default=None, primary_key=True)
    constraint_id: int = _parent("seating_constraint")
    participant_id: int = _parent("participant")


class Pin(SQLModel, table=True):
    """A seat decided by the organizer: this participant sits at this table in this round."""

    __table_args__ = (sa.UniqueConstraint("participant_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = _parent("participant")
    round: int = Field(ge=1)
    table_id: int = _parent("event_table")


class Absence(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("participant_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = _parent("participant")
    round: int = Field(ge=1)


# --- plans -----------------------------------------------------------------------------------


class SavedPlan(SQLModel, table=True):
    """A solved plan, with the instance it was solved for (the event may change afterwards)."""

    __tablename__ = "saved_plan"
    __table_args__ = (
        # At most one current plan per event, enforced by the database on both backends.
        sa.Index(
            "uq_saved_plan_current",
            "event_id",
            unique=True,
            sqlite_where=sa.text("is_current"),
            postgresql_where=sa.text("is_current"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    created_at: dt.datetime = _stamp()
    status: str = Field(max_length=20)
    is_current: bool = False
    plan_json: str = Field(sa_type=sa.Text)
    metrics_json: str = Field(default="{}", sa_type=sa.Text)
    instance_json: str = Field(sa_type=sa.Text)
    # What made this version ("generated", "moved AR to Table 2 in round 3", ...): the undo list.
    note: str = Field(default="", max_length=300)
    # Rounds the organizer locked: kept as they are by hand edits and re-plans ("1,2").
    locked_rounds: str = Field(default="", max_length=300)


JobState = Literal["queued", "running", "done", "failed"]
ACTIVE_JOB_STATES = ("queued", "running")


class SolveJob(SQLModel, table=True):
    """A plan being made: queued by a web request, run by a solve worker (`ronda worker`, or a
    thread of the app itself), watched and stopped from any web worker through this row."""

    __tablename__ = "solve_job"
    __table_args__ = (
        # One plan at a time per event, enforced by the database on both backends.
        sa.Index(
            "uq_solve_job_active",
            "event_id",
            unique=True,
            sqlite_where=sa.text("state IN ('queued', 'running')"),
            postgresql_where=sa.text("state IN ('queued', 'running')"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    kind: str = Field(max_length=20)  # "generate" or "replan"
    state: JobState = Field(default="queued", sa_type=sa.String(10), index=True)
    time_limit: float
    seed: int = 0
    language: str = Field(default="en", max_length=10)  # of the request that started it
    # What to solve, fixed when it was asked: instance, previous plan, note, locked rounds.
    request_json: str = Field(sa_type=sa.Text)
    created_at: dt.datetime = _stamp()
    started_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    finished_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # A running job's worker writes this every few seconds; a job whose worker went silent is
    # queued again (or failed after its last attempt) by any other worker.
    heartbeat_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    worker: str = Field(default="", max_length=200)  # host and process that runs it
    attempts: int = 0
    stop_requested: bool = False
    best_json: str = Field(default="{}", sa_type=sa.Text)  # figures of the best plan so far
    bounds_json: str = Field(default="{}", sa_type=sa.Text)
    message: str = Field(default="", sa_type=sa.Text)
    plan_id: int | None = None  # the saved plan (a version the organizer may delete later)


# --- organizers and plan history -------------------------------------------------------------


class Account(SQLModel, table=True):
    """An organizer who may sign in; the password is stored only as an Argon2 hash."""

    __table_args__ = (sa.UniqueConstraint("username"),)
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(min_length=1, max_length=100)
    password_hash: str = Field(max_length=255)
    created_at: dt.datetime = _stamp()
    is_admin: bool = False  # manages accounts
    disabled: bool = False  # may not sign in; its sessions and API tokens stop working


EventRole = Literal["owner", "co-organizer"]


class EventMember(SQLModel, table=True):
    """Who organizes an event: owners (who may also delete it and choose its organizers) and
    co-organizers. Admins reach every event."""

    __tablename__ = "event_member"
    __table_args__ = (sa.UniqueConstraint("event_id", "account_id"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    account_id: int = _parent("account")
    role: EventRole = Field(default="owner", sa_type=sa.String(20))


class AuditEntry(SQLModel, table=True):
    """Who changed what and when: one line per change accepted (setup, plans, publishing,
    session commands), kept after the account or the event is gone."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(default=None, index=True)  # no foreign key: outlives the event
    actor: str = Field(max_length=200)
    action: str = Field(max_length=300)
    at: dt.datetime = _stamp()


class LoginSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a secret, the database only its SHA-256, so that
    signing out, a password change or disabling the account ends it on every worker."""

    __tablename__ = "login_session"
    id: str = Field(primary_key=True, max_length=64)  # sha256 of the cookie's secret, hex
    account_id: int = _parent("account")
    created_at: dt.datetime = _stamp()
    seen_at: dt.datetime = _stamp()


class ApiToken(SQLModel, table=True):
    """A script's credential (`Authorization: Bearer ...`), stored as its SHA-256 only."""

    __tablename__ = "api_token"
    __table_args__ = (sa.UniqueConstraint("token_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = _parent("account")
    name: str = Field(min_length=1, max_length=100)
    token_hash: str = Field(max_length=64)
    created_at: dt.datetime = _stamp()
    used_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


# --- the day itself --------------------------------------------------------------------------

SessionStatus = Literal["not_started", "running", "paused", "finished"]
SessionPhase = Literal["conversation", "change"]


class LiveSession(SQLModel, table=True):
    """Where the event's session stands: the one row every live page follows.

    `state_version` grows by one with every change; a command names the state it expects and
    is applied by an UPDATE that only matches that version, so two presses advance once.
    `round` is the round being played (or the one people are moving to, in the change phase),
    0 before the start. `phase_ends_at` is the server time at which the phase ends; while
    paused it is None and `remaining_seconds` keeps what was left.
    """

    __tablename__ = "live_session"
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", primary_key=True)
    status: SessionStatus = Field(default="not_started", sa_type=sa.String(20))
    round: int = 0
    phase: SessionPhase = Field(default="conversation", sa_type=sa.String(20))
    phase_ends_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    remaining_seconds: float | None = None
    # The published plan version that attendees, screens and facilitators follow.
    plan_id: int | None = _parent("saved_plan", ondelete="SET NULL", nullable=True)
    state_version: int = 0
    # A copy of the plenary's topic on the floor, so that every live message carries it.
    plenary_topic_id: int | None = None
    updated_at: dt.datetime = _stamp()


# --- the harvest: facilitators' notes and cooperation initiatives ------------------------------


class Note(SQLModel, table=True):
    """A facilitator's note on one table in one round. The id is made on the device that
    wrote it, so a note sent twice is stored once; `version` grows with every change."""

    id: str = Field(primary_key=True, max_length=64)
    event_id: int = _parent("event")
    round: int = Field(ge=1)
    table: str = Field(max_length=100)
    text: str = Field(default="", sa_type=sa.Text)
    participants: str = Field(default="[]", sa_type=sa.Text)  # JSON list of codes
    topics: str = Field(default="[]", sa_type=sa.Text)  # JSON list of topic names
    author: str = Field(default="", max_length=200)
    version: int = 1
    created_at: dt.datetime = _stamp()
    updated_at: dt.datetime = _stamp()


InitiativeStatus = Literal["proposed", "confirmed"]


class Initiative(SQLModel, table=True):
    """A possible cooperation: a request, who asks, who offers, the possible offer, a contact."""

    id: str = Field(primary_key=True, max_length=64)
    event_id: int = _parent("event")
    subject: str = Field(default="", max_length=20)  # the subject's code
    topic: str = Field(max_length=200)
    request: str = Field(default="", sa_type=sa.Text)
    requesting: str = Field(default="[]", sa_type=sa.Text)  # JSON list of codes
    offering: str = Field(default="[]", sa_type=sa.Text)
    offer: str = Field(default="", sa_type=sa.Text)
    contact: str = Field(default="", max_length=300)
    status: InitiativeStatus = Field(default="proposed", sa_type=sa.String(20))
    author: str = Field(default="", max_length=200)
    version: int = 1
    created_at: dt.datetime = _stamp()
    updated_at: dt.datetime = _stamp()


# --- the questionnaire before the event: needs, capacities, areas -----------------------------

QuestionKind = Literal["need", "offer", "other"]
QuestionnaireStatus = Literal["draft", "open", "closed"]
ANSWER_MAX = 2000  # characters in one answer


class Questionnaire(SQLModel, table=True):
    """Whether participants may answer: `draft` (being written), `open`, `closed`."""

    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", primary_key=True)
    status: QuestionnaireStatus = Field(default="draft", sa_type=sa.String(10))
    opened_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    closed_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class Question(SQLModel, table=True):
    """One question, in each language, with how many answers it asks for ("your three main
    needs": 3). A `need` answer becomes a request, an `offer` answer an offer."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    position: int = 0
    kind: QuestionKind = Field(default="other", sa_type=sa.String(10))
    answers: int = Field(default=1, ge=1, le=5)
    text_en: str = Field(default="", max_length=1000)
    text_es: str = Field(default="", max_length=1000)
    text_pt: str = Field(default="", max_length=1000)


AnswerUse = Literal["request", "offer"]


class Answer(SQLModel, table=True):
    """A participant's answer in one slot of a question; once the organizer maps it, the topic
    it became and whether as a request or an offer (the wording stays here)."""

    __table_args__ = (sa.UniqueConstraint("participant_id", "question_id", "slot"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    participant_id: int = _parent("participant")
    question_id: int = _parent("question")
    slot: int = Field(default=1, ge=1, le=5)
    text: str = Field(default="", sa_type=sa.Text)
    updated_at: dt.datetime = _stamp()
    topic_id: int | None = _parent("topic", ondelete="SET NULL", nullable=True)
    used_as: AnswerUse | None = Field(default=None, sa_type=sa.String(10))


# --- the plenary after the rotation: the agenda and the speaker queue ----------------------------

FloorKind = Literal["request", "offer", "comment"]
FloorState = Literal["waiting", "speaking", "done", "withdrawn", "removed", "missed"]
ACTIVE_FLOOR = "state IN ('waiting', 'speaking')"


class Plenary(SQLModel, table=True):
    """The moderated plenary: the agenda (topic ids in order, JSON), the topic on the floor,
    who speaks and since when, and how long a speaker may speak."""

    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", primary_key=True)
    agenda: str = Field(default="[]", sa_type=sa.Text)
    topic_id: int | None = _parent("topic", ondelete="SET NULL", nullable=True)
    speaker_since: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    speaker_seconds: int = Field(default=180, ge=10, le=3600)


class FloorRequest(SQLModel, table=True):
    """A participant asking for the floor on a topic: to request, to offer, or to comment.
    One active request per person (a partial unique index)."""

    __tablename__ = "floor_request"
    __table_args__ = (
        sa.Index(
            "uq_floor_request_active",
            "event_id",
            "participant_id",
            unique=True,
            sqlite_where=sa.text(ACTIVE_FLOOR),
            postgresql_where=sa.text(ACTIVE_FLOOR),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _parent("event")
    participant_id: int = _parent("participant")
    topic_id: int = _parent("topic")
    kind: FloorKind = Field(default="comment", sa_type=sa.String(10))
    state: FloorState = Field(default="waiting", sa_type=sa.String(10))
    position: int = 0
    created_at: dt.datetime = _stamp()
