"""What makes a row of each kind of import file valid, and how it is written.

Names are matched the way a person reads them: ignoring case and accents ("Perú" is "Peru"),
so a needs/offers list can name a participant as the participants file spells it, or give
their code.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..i18n import _, ngettext
from ..models import (
    CODE_PATTERN,
    EventTable,
    Participant,
    ParticipantCreate,
    Subject,
    SubjectCreate,
    TableCreate,
    Topic,
    TopicBase,
    pk,
)
from .columns import Kind
from .events import hint, list_participants, list_subjects, list_tables, set_facilitators
from .import_run import RowError, Rows, Run, key, once, upsert, validated
from .topics import EVERYONE, find_topic, link_people

YES = {"yes", "y", "true", "1", "x", "si", "sí", "oui", "sim", ""}  # empty: attends
NO = {"no", "n", "false", "0", "non", "não", "nao"}


# --- participants ----------------------------------------------------------------------------


class Roster:
    """The event's participants as this import sees them: by code, and by name."""

    def __init__(self, people: list[Participant], codes_in_file: set[str]) -> None:
        self.by_code = {p.code: p for p in people}
        self.by_name: dict[str, list[Participant]] = {}
        for person in people:
            self.by_name.setdefault(key(person.name), []).append(person)
        self.codes_in_file = codes_in_file

    def match(self, name: str, code: str) -> Participant | None:
        """The participant a row updates: same code; else the only one of that name whose
        code the file does not give to someone else."""
        if code in self.by_code:
            return self.by_code[code]
        same = [p for p in self.by_name.get(key(name), []) if p.code not in self.codes_in_file]
        if len(same) > 1 and not code:
            raise RowError(
                _(
                    "{count} participants are named {name!r}; add a code column to say which "
                    "one this is"
                ).format(count=len(same), name=name)
            )
        return same[0] if len(same) == 1 else None

    def new_code(self) -> str:
        number = len(self.by_code) + 1
        while f"P{number}" in self.by_code or f"P{number}" in self.codes_in_file:
            number += 1
        return f"P{number}"

    def keep(self, person: Participant, old_code: str | None) -> None:
        if old_code is not None:
            self.by_code.pop(old_code, None)
        else:
            self.by_name.setdefault(key(person.name), []).append(person)
        self.by_code[person.code] = person


def participants(run: Run, file: str, rows: Rows) -> None:
    codes_in_file = {row["code"] for _line, row, _shape in rows if row.get("code")}
    roster = Roster(list_participants(run.session, event=run.event), codes_in_file)
    run.listed |= {key(row["name"]) for _line, row, _shape in rows}
    run.listed |= {key(code) for code in codes_in_file}
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, tuple[int, str]] = {}

    def check(line: int, name: str, code: str) -> None:
        if not name:
            raise RowError(_("the name is empty; every participant needs a name"))
        if code and not re.fullmatch(CODE_PATTERN, code):
            raise RowError(
                _(
                    "code {code!r} has a space, comma, semicolon or *; use a short code such as AR"
                ).format(code=code)
            )
        if code:
            once(
                seen_codes,
                code,
                line,
                _(
                    "code {value!r} is already used on line {line}; "
                    "give each participant their own code"
                ),
            )
        earlier = seen_names.get(key(name))
        if earlier and not (code and earlier[1]):  # two people may share a name, not a code
            raise RowError(
                _("{name!r} is already listed on line {line}; list each participant once").format(
                    name=name, line=earlier[0]
                )
            )
        seen_names[key(name)] = (line, code)

    def apply(line: int, row: dict[str, str]) -> bool:
        name, code = row["name"], row.get("code", "")
        check(line, name, code)
        existing = roster.match(name, code)
        fields = (
            {f: getattr(existing, f) for f in ParticipantCreate.model_fields} if existing else {}
        )
        fields.update(name=name, code=code or (existing.code if existing else roster.new_code()))
        fields.update({c: row[c] for c in ("organization", "country", "language") if c in row})
        if "attended" in row:
            fields["active"] = _yes_no(row["attended"])
        data = validated(ParticipantCreate, fields)
        old_code = existing.code if existing else None
        roster.keep(
            upsert(run.session, existing, Participant, data, event_id=pk(run.event)), old_code
        )
        return existing is None

    run.each("participants", file, rows, apply)


def _yes_no(value: str) -> bool:
    if value.casefold() in YES:
        return True
    if value.casefold() in NO:
        return False
    raise RowError(_("attended is {value!r}; write yes or no").format(value=value))


# --- subjects and tables ---------------------------------------------------------------------


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", cell) if part.strip()]


def subjects(run: Run, file: str, rows: Rows) -> None:
    by_code = {s.code: s for s in list_subjects(run.session, event=run.event)}
    seen: dict[str, int] = {}

    def apply(line: int, row: dict[str, str]) -> bool:
        number = row["number"]
        if not number:
            raise RowError(_("the subject number is empty; number every subject (1, 2, ...)"))
        once(
            seen,
            number,
            line,
            _("subject {value!r} is already on line {line}; list each subject once"),
        )
        existing = by_code.get(number)
        fields = {f: getattr(existing, f) for f in ("name", "hosts")} if existing else {}
        fields.update({"code": number}, **{c: row[c] for c in ("name", "hosts") if row.get(c)})
        data = validated(SubjectCreate, fields)
        subject = upsert(run.session, existing, Subject, data, event_id=pk(run.event))
        if "facilitators" in row:
            set_facilitators(run.session, subject=subject, names=_split(row["facilitators"]))
        by_code[number] = subject
        return existing is None

    run.each("subjects", file, rows, apply)


def tables(run: Run, file: str, rows: Rows) -> None:
    by_name = {t.name: t for t in list_tables(run.session, event=run.event)}
    subject_ids = {s.code: s.id for s in list_subjects(run.session, event=run.event)}
    seen: dict[str, int] = {}

    def apply(line: int, row: dict[str, str]) -> bool:
        name = row["name"]
        if not name:
            raise RowError(_("the table name is empty; name every table"))
        once(seen, name, line, _("table {value!r} is already on line {line}; list each table once"))
        existing = by_name.get(name)
        low = row.get("min_size") or (existing.min_size if existing else 1)
        data = validated(TableCreate, {"name": name, "capacity": row["capacity"], "min_size": low})
        if not row.get("min_size") and existing is None:
            data.min_size = min(2, data.capacity)  # the scheduler's default, when it fits
        if data.min_size > data.capacity:
            raise RowError(
                _(
                    "min_size {low} is above the capacity {high}; lower min_size or raise the capacity"
                ).format(low=data.min_size, high=data.capacity)
            )
        subject = row.get("subject", "")
        if subject and subject not in subject_ids:
            raise RowError(
                _(
                    "unknown subject {code!r}{hint}; add it to the subjects file or fix the number"
                ).format(code=subject, hint=hint(subject, list(subject_ids)))
            )
        table = upsert(run.session, existing, EventTable, data, event_id=pk(run.event))
        if "subject" in row:
            table.subject_id = subject_ids[subject] if subject else None
        by_name[name] = table
        return existing is None

    run.each("tables", file, rows, apply)


# --- needs and offers ------------------------------------------------------------------------


class Names:
    """Participants as a needs/offers list names them: by name (case and accents aside) or code."""

    def __init__(self, people: list[Participant], listed: set[str]) -> None:
        self.by_name: dict[str, list[Participant]] = {}
        for person in people:
            self.by_name.setdefault(key(person.name), []).append(person)
        self.by_code = {p.code.casefold(): p for p in people}
        self.listed = listed

    def resolve(self, cell: str, side: str) -> tuple[list[Participant] | None, list[str]]:
        """The participants (None: everyone) and the problems, one message per kind."""
        names = _split(cell)
        if names == [EVERYONE]:
            return None, []
        if EVERYONE in names:
            return [], [
                _("{side}: * means everyone; write it alone, or list names").format(side=side)
            ]
        found: list[Participant] = []
        unknown: list[str] = []
        problems = []
        for name in names:
            matches = self.by_name.get(key(name), [])
            if not matches and name.casefold() in self.by_code:
                matches = [self.by_code[name.casefold()]]
            if len(matches) == 1:
                found.append(matches[0])
            elif len(matches) > 1:
                problems.append(
                    _(
                        "{name!r} in {side} is the name of several participants; write their codes instead"
                    ).format(name=name, side=side)
                )
            elif key(name) not in self.listed:  # else their own row is reported already
                unknown.append(name)
        if unknown:
            known = [p.name for group in self.by_name.values() for p in group]
            listed = ", ".join(f"{n!r}{hint(n, known)}" for n in unknown)
            problems.insert(
                0,
                ngettext(
                    "unknown participant in {side}: {names}; add it to the participants file or fix the spelling",
                    "unknown participants in {side}: {names}; add them to the participants file or fix the spelling",
                    len(unknown),
                ).format(side=side, names=listed),
            )
        return found, problems


def needs_offers(run: Run, file: str, rows: Rows) -> None:
    subject_list = list_subjects(run.session, event=run.event)
    subjects = {s.code.casefold(): s for s in subject_list}
    subjects |= {key(s.name): s for s in subject_list if s.name}
    names = Names(list_participants(run.session, event=run.event), run.listed)
    seen: dict[str, int] = {}

    def apply(line: int, row: dict[str, str]) -> bool:
        name, subject_cell = row["topic"], row.get("subject", "")
        if not name:
            raise RowError(_("the topic is empty; name every topic"))
        once(seen, key(name), line, _("this topic is already on line {line}; list each topic once"))
        subject = subjects.get(subject_cell.casefold()) or subjects.get(key(subject_cell))
        problems = []
        if subject_cell and subject is None:
            codes = ", ".join(s.code for s in subject_list) or _("none yet")
            problems.append(
                _(
                    "unknown subject {code!r} (the subjects are: {codes}); add it to the subjects file or fix the number"
                ).format(code=subject_cell, codes=codes)
            )
        requesting, asked = names.resolve(row["requesting"], "requesting")
        offering, offered = names.resolve(row["offering"], "offering")
        if problems + asked + offered:
            raise RowError(*problems, *asked, *offered)
        existing = find_topic(run.session, event=run.event, name=name)
        fields = (
            {f: getattr(existing, f) for f in ("request", "offer", "guidance")} if existing else {}
        )
        fields.update(
            name=name, **{c: row[c] for c in ("request", "offer", "guidance") if c in row}
        )
        data = validated(TopicBase, fields)
        topic = upsert(run.session, existing, Topic, data, event_id=pk(run.event))
        if "subject" in row:
            topic.subject_id = subject.id if subject else None
        link_people(run.session, topic=topic, requesting=requesting, offering=offering)
        return existing is None

    run.each("needs_offers", file, rows, apply)


APPLIERS: dict[Kind, Callable[[Run, str, Rows], None]] = {
    "participants": participants,
    "subjects": subjects,
    "tables": tables,
    "needs_offers": needs_offers,
}
