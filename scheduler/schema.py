"""The interchange format: an event instance in, a plan out (see docs/format.md).

Pydantic checks the shape of each field; `check_references` then checks that every id an
instance mentions exists, so that one clear `InstanceError` names the first thing to fix.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .messages import _, ngettext

SubjectMode = Literal["rotating", "fixed", "none"]
ALL = "*"


class InstanceError(ValueError):
    """Bad input: the message says what is wrong and how to fix it."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Participant(_Model):
    id: str = Field(min_length=1)
    name: str = ""
    organization: str | None = None
    absent_rounds: list[int] = []


class Table(_Model):
    id: str = Field(min_length=1)
    capacity: int = Field(ge=1)
    # A table in use holds at least min_size people; it may also stay empty for a round.
    min_size: int = Field(default=2, ge=1)


class Subject(_Model):
    id: str = Field(min_length=1)
    name: str = ""
    hosts: int = Field(default=1, ge=1)


class Topic(_Model):
    id: str = Field(min_length=1)
    subject: str | None = None
    name: str = ""
    requesting: list[str] = []
    offering: list[str] = []


class Pin(_Model):
    participant: str
    round: int
    table: str


class Weights(_Model):
    """Penalty per unit of each objective term; the defaults give the documented priority."""

    repeat: int = Field(default=1_000_000, ge=0)  # each meeting of a pair beyond the first
    max_meetings: int = Field(default=100_000, ge=0)  # each meeting beyond 1 of the most-met pair
    subject_repeat: int = Field(default=1_000, ge=0)  # each subject visit that is not new
    need: int = Field(default=10, ge=0)  # each need left unserved
    change: int = Field(default=1, ge=0)  # each seat changed from the previous plan


class PlanTable(_Model):
    table: str
    subject: str | None = None
    participants: list[str] = []


class PlanRound(_Model):
    round: int
    tables: list[PlanTable]


class Instance(_Model):
    name: str = "event"
    rounds: int = Field(ge=1, le=100)
    participants: list[Participant] = Field(min_length=1)
    tables: list[Table] = Field(min_length=1)
    subject_mode: SubjectMode = "none"
    subjects: list[Subject] = []
    table_subjects: dict[str, str] = {}
    topics: list[Topic] = []
    keep_apart: list[list[str]] = []
    keep_together: list[list[str]] = []
    pins: list[Pin] = []
    fixed_rounds: list[PlanRound] = []
    weights: Weights = Weights()


class Plan(_Model):
    rounds: list[PlanRound]
    metrics: dict[str, Any] = {}

    def seats(self) -> dict[tuple[str, int], str]:
        """(participant, round) -> table."""
        return {
            (p, rnd.round): tab.table
            for rnd in self.rounds
            for tab in rnd.tables
            for p in tab.participants
        }


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "document"
    return f"{where}: {err['msg']}"


def _read_json(path: Path, what: Literal["instance", "plan"]) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        if what == "instance":
            message = _("cannot read instance file {path}: {error}")
        else:
            message = _("cannot read plan file {path}: {error}")
        raise InstanceError(message.format(path=path, error=exc.strerror)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError(
            _("{path} is not valid JSON (line {line}, column {column}: {error})").format(
                path=path, line=exc.lineno, column=exc.colno, error=exc.msg
            )
        ) from exc


def parse_instance(data: Any) -> Instance:
    try:
        instance = Instance.model_validate(data)
    except ValidationError as exc:
        raise InstanceError(_("invalid instance, {error}").format(error=_first_error(exc))) from exc
    check_references(instance)
    return instance


def parse_plan(data: Any) -> Plan:
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise InstanceError(_("invalid plan, {error}").format(error=_first_error(exc))) from exc


def load_instance(path: str | Path) -> Instance:
    return parse_instance(_read_json(Path(path), "instance"))


def load_plan(path: str | Path) -> Plan:
    return parse_plan(_read_json(Path(path), "plan"))


Kind = Literal["participant", "table", "subject", "topic"]


def _no_duplicates(kind: Kind, ids: list[str]) -> None:
    dup = [i for i, n in Counter(ids).items() if n > 1]
    if not dup:
        return
    if kind == "participant":
        message = _("participant id {id!r} is used twice; give each participant its own id")
    elif kind == "table":
        message = _("table id {id!r} is used twice; give each table its own id")
    elif kind == "subject":
        message = _("subject id {id!r} is used twice; give each subject its own id")
    else:
        message = _("topic id {id!r} is used twice; give each topic its own id")
    raise InstanceError(message.format(id=dup[0]))


def _known(kind: Kind, ids: set[str], ref: str, where: str) -> None:
    if ref in ids:
        return
    if kind == "participant":
        message = _(
            "{where} names unknown participant {ref!r}; add it to the participants or fix the id"
        )
    elif kind == "table":
        message = _("{where} names unknown table {ref!r}; add it to the tables or fix the id")
    else:
        message = _("{where} names unknown subject {ref!r}; add it to the subjects or fix the id")
    raise InstanceError(message.format(where=where, ref=ref))


def _round_ok(instance: Instance, rnd: int, where: str) -> None:
    if not 1 <= rnd <= instance.rounds:
        raise InstanceError(
            _(
                "{where} names round {round}, outside rounds 1..{rounds}; fix the round number"
            ).format(where=where, round=rnd, rounds=instance.rounds)
        )


def check_references(instance: Instance) -> None:
    """Every id refers to something declared, and the modes fit the data."""
    people = [p.id for p in instance.participants]
    tables = [t.id for t in instance.tables]
    subjects = [s.id for s in instance.subjects]
    _no_duplicates("participant", people)
    _no_duplicates("table", tables)
    _no_duplicates("subject", subjects)
    _no_duplicates("topic", [t.id for t in instance.topics])
    pset, tset, sset = set(people), set(tables), set(subjects)
    for p in instance.participants:
        for rnd in p.absent_rounds:
            where = _("participant {participant!r} absent_rounds").format(participant=p.id)
            _round_ok(instance, rnd, where)
    for t in instance.tables:
        if t.min_size > t.capacity:
            raise InstanceError(
                _("table {table!r} has min_size {min_size} above its capacity {capacity}").format(
                    table=t.id, min_size=t.min_size, capacity=t.capacity
                )
            )
    _check_subject_mode(instance, tset, sset)
    for topic in instance.topics:
        if topic.subject is not None:
            _known("subject", sset, topic.subject, _("topic {topic!r}").format(topic=topic.id))
        for side in ("requesting", "offering"):
            where = _("topic {topic!r} {field}").format(topic=topic.id, field=side)
            for ref in getattr(topic, side):
                if ref != ALL:
                    _known("participant", pset, ref, where)
    for kind in ("keep_apart", "keep_together"):
        for group in getattr(instance, kind):
            if len(group) < 2:
                raise InstanceError(
                    _("{kind} entry {group} needs at least two participant ids").format(
                        kind=kind, group=group
                    )
                )
            for ref in group:
                _known("participant", pset, ref, kind)
    for pin in instance.pins:
        _known("participant", pset, pin.participant, _("pin"))
        where = _("pin of {participant!r}").format(participant=pin.participant)
        _known("table", tset, pin.table, where)
        _round_ok(instance, pin.round, where)
    seen_rounds: set[int] = set()
    for fixed in instance.fixed_rounds:
        _round_ok(instance, fixed.round, "fixed_rounds")
        if fixed.round in seen_rounds:
            raise InstanceError(
                _("fixed_rounds gives round {round} twice; keep one").format(round=fixed.round)
            )
        seen_rounds.add(fixed.round)
        where = _("fixed round {round}").format(round=fixed.round)
        for tab in fixed.tables:
            _known("table", tset, tab.table, where)
            if tab.subject is not None:
                _known("subject", sset, tab.subject, where)
            for ref in tab.participants:
                _known("participant", pset, ref, where)


def _check_subject_mode(instance: Instance, tset: set[str], sset: set[str]) -> None:
    mode = instance.subject_mode
    if mode != "none" and not instance.subjects:
        raise InstanceError(
            _("subject_mode {mode!r} needs at least one subject; add subjects").format(mode=mode)
        )
    if instance.table_subjects and mode != "fixed":
        raise InstanceError(
            _("table_subjects is only used with subject_mode 'fixed'; remove it or change the mode")
        )
    if mode != "fixed":
        return
    for table, subject in instance.table_subjects.items():
        _known("table", tset, table, "table_subjects")
        _known("subject", sset, subject, f"table_subjects[{table!r}]")
    uses = Counter(instance.table_subjects.values())
    for s in instance.subjects:
        if uses[s.id] > s.hosts:
            raise InstanceError(
                ngettext(
                    "subject {subject!r} is given to {count} tables but has {hosts} host; "
                    "raise its hosts or give fewer tables that subject",
                    "subject {subject!r} is given to {count} tables but has {hosts} hosts; "
                    "raise its hosts or give fewer tables that subject",
                    s.hosts,
                ).format(subject=s.id, count=uses[s.id], hosts=s.hosts)
            )
