"""The current plan as the organizer hands it out: CSV, an XLSX workbook, or interchange JSON.

Names come from the instance saved with the plan, so an export shows the plan as it was solved
even if participants were renamed or removed since.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from scheduler import Instance, Plan

from ..i18n import _
from ..models import Event
from . import clock
from .bounds_memo import public
from .instances import build_instance, current_plan, instance_of, plan_of
from .plan_views import build_view, facilitator_names

CSV_COLUMNS = (
    "round",
    "table",
    "subject",
    "participant_code",
    "participant_name",
    "start",  # clock times in the event's time zone (empty without a start time)
    "end",
    "facilitators",  # of the table's subject at that table, as the plan page shows them
)


@dataclass(frozen=True)
class Seat:
    round: int
    table: str
    subject: str  # the subject's name ("" when the table has none)
    code: str
    name: str
    facilitators: str = ""


def _current(session: Session, event: Event) -> tuple[Instance, Plan]:
    saved = current_plan(session, event=event)
    return instance_of(saved), plan_of(saved)


def seats(session: Session, *, event: Event) -> list[Seat]:
    """Every seat of the current plan, by round, table and participant, with the table's
    facilitators as the plan page assigns them."""
    saved = current_plan(session, event=event)
    view = build_view(event, saved, facilitator_names(session, event=event))
    return [
        Seat(
            cell.round,
            cell.table,
            cell.subject_name if cell.subject else "",
            person.code,
            person.name,
            "; ".join(cell.facilitators),
        )
        for rnd in view.plan.rounds
        for tab in rnd.tables
        if (cell := view.cells[(rnd.round, tab.table)])
        for person in cell.people
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A spreadsheet must not run a cell as a formula ("=HYPERLINK(...)" typed as a name):
    text that starts like one gets a leading apostrophe in CSV."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose text cells never start a formula."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: list[object] | tuple[object, ...]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])


def plan_csv(session: Session, *, event: Event) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(CSV_COLUMNS)
    times = clock.planned(event)
    for seat in seats(session, event=event):
        slot = times.get(seat.round)
        start, end = (clock.hm(slot.start), clock.hm(slot.end)) if slot else ("", "")
        writer.writerow(
            [
                seat.round,
                seat.table,
                seat.subject,
                seat.code,
                seat.name,
                start,
                end,
                seat.facilitators,
            ]
        )
    return out.getvalue()


def add_sheet(book: Workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    sheet: Worksheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)


def plan_xlsx(session: Session, *, event: Event) -> bytes:
    """One sheet per round (who sits where), then an itinerary: each participant's tables."""
    instance, plan = _current(session, event)
    all_seats = seats(session, event=event)
    book = Workbook()
    book.remove(book.active)
    header = [_("Table"), _("Subject"), _("Code"), _("Participant"), _("Start"), _("End")]
    times = clock.planned(event)
    for rnd in range(1, instance.rounds + 1):
        slot = times.get(rnd)
        start, end = (clock.hm(slot.start), clock.hm(slot.end)) if slot else ("", "")
        rows: list[list[object]] = [
            [s.table, s.subject, s.code, s.name, start, end] for s in all_seats if s.round == rnd
        ]
        add_sheet(book, _("Round {number}").format(number=rnd), header, rows)
    where = {
        (s.code, s.round): f"{s.table} · {s.subject}" if s.subject else s.table for s in all_seats
    }
    rounds = range(1, instance.rounds + 1)
    add_sheet(
        book,
        _("Itinerary"),
        [_("Code"), _("Participant"), *(_("Round {number}").format(number=r) for r in rounds)],
        [
            [p.id, p.name or p.id, *(where.get((p.id, r), _("absent")) for r in rounds)]
            for p in instance.participants
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def instance_json(session: Session, *, event: Event) -> str:
    """The event as it is now, in the interchange format (docs/format.md)."""
    instance = build_instance(session, event=event)
    return json.dumps(instance.model_dump(), indent=2, ensure_ascii=False) + "\n"


def plan_json(session: Session, *, event: Event) -> str:
    """The current plan with its metrics, in the interchange format."""
    _instance, plan = _current(session, event)
    plan.metrics = public(plan.metrics)
    return json.dumps(plan.model_dump(), indent=2, ensure_ascii=False) + "\n"
