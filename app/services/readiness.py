"""What an event holds, and what is missing before it can be planned.

The checks are the ones an organizer can act on from the setup pages; the scheduler's own
checks (`bounds`) still run when a plan is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from ..i18n import _, ngettext
from ..models import Event, EventTable
from .events import list_facilitators, list_participants, list_subjects, list_tables
from .lookup import list_absence_rows, list_pin_rows
from .seating import constraint_codes, list_constraints
from .topics import list_topics


@dataclass
class Summary:
    participants: int = 0
    attending: int = 0
    tables: int = 0
    seats: int = 0
    subjects: int = 0
    facilitators: int = 0
    hosts: int = 0  # tables that can run a subject at once, all subjects together
    topics: int = 0
    groups: int = 0
    pins: int = 0
    absences: int = 0
    missing: list[str] = field(default_factory=list)  # what to fix before planning
    warnings: list[str] = field(default_factory=list)  # what to settle before the day

    @property
    def ready(self) -> bool:
        return not self.missing


def tables_needed(tables: list[EventTable], people: int) -> int:
    """The fewest tables that seat everyone at once (the largest first)."""
    seats = 0
    for count, capacity in enumerate(sorted((t.capacity for t in tables), reverse=True), 1):
        seats += capacity
        if seats >= people:
            return count
    return len(tables)


def summarize(session: Session, *, event: Event) -> Summary:
    people = list_participants(session, event=event)
    tables = list_tables(session, event=event)
    subjects = list_subjects(session, event=event)
    summary = Summary(
        participants=len(people),
        attending=sum(p.active for p in people),
        tables=len(tables),
        seats=sum(t.capacity for t in tables),
        subjects=len(subjects),
        topics=len(list_topics(session, event=event)),
        pins=len(list_pin_rows(session, event=event)),
        absences=len(list_absence_rows(session, event=event)),
    )
    unnamed = []
    for subject in subjects:
        named = len(list_facilitators(session, subject=subject))
        summary.facilitators += named
        summary.hosts += named or subject.hosts
        if not named:
            unnamed.append(subject.code)
    if unnamed and event.subject_mode != "none":
        summary.warnings.append(
            ngettext(
                "subject {codes} has no facilitator named: its table cards and routes will say "
                '"Host of subject {codes}"; name one on the Subjects page',
                "subjects {codes} have no facilitators named: their table cards and routes will "
                'say "Host of subject …"; name them on the Subjects page',
                len(unnamed),
            ).format(codes=", ".join(unnamed))
        )
    if event.start_time is None:
        summary.warnings.append(
            _(
                "no start time yet: itineraries, table cards and live pages count from 0:00; "
                "set the date, start time and time zone under Edit details"
            )
        )
    groups = list_constraints(session, event=event)
    summary.groups = len(groups)
    summary.missing = _missing(event, summary, tables)
    largest = max((t.capacity for t in tables), default=0)
    for group in groups:
        size = len(constraint_codes(session, constraint=group, active_only=True))
        if group.kind == "keep_together" and tables and size > largest:
            summary.missing.append(
                _(
                    "a keep-together group has {size} attending members but the largest table "
                    "seats {largest}: split the group or enlarge a table"
                ).format(size=size, largest=largest)
            )
    return summary


def _missing(event: Event, summary: Summary, tables: list[EventTable]) -> list[str]:
    missing = []
    if not summary.attending:
        missing.append(_("no attending participants yet: add or import participants"))
    if not summary.tables:
        missing.append(_("no tables yet: add or import tables"))
    elif summary.seats < summary.attending:
        missing.append(
            _(
                "more participants than seats: {people} attend but the tables seat {seats}; "
                "add tables or raise their capacity"
            ).format(people=summary.attending, seats=summary.seats)
        )
    if event.subject_mode != "none" and not summary.subjects:
        missing.append(
            _(
                "no subjects yet, and the subject mode is {mode}: add subjects or set the subject "
                "mode to none"
            ).format(mode=event.subject_mode)
        )
    needed = tables_needed(tables, summary.attending)
    if event.subject_mode == "rotating" and summary.subjects and summary.hosts < needed:
        missing.append(
            _(
                "the subjects have {hosts} hosts in all, but seating everyone takes {tables} "
                "tables at once: add facilitators or hosts to the subjects"
            ).format(hosts=summary.hosts, tables=needed)
        )
    if event.subject_mode == "fixed":
        bare = [t.name for t in tables if t.subject_id is None]
        if bare:
            missing.append(
                ngettext(
                    "the subject mode is fixed but {count} table has no subject ({name!r}): "
                    "choose each table's subject",
                    "the subject mode is fixed but {count} tables have no subject (e.g. {name!r}): "
                    "choose each table's subject",
                    len(bare),
                ).format(count=len(bare), name=bare[0])
            )
    return missing
