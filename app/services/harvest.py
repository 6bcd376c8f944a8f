"""The harvest: notes and initiatives grouped as the organizer reads them, the cooperation table
of each subject (as in the Lima report), and the files: Markdown, CSV and XLSX."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

from openpyxl import Workbook
from sqlmodel import Session, col, select

from ..i18n import _, join_and
from ..models import (
    Event,
    Initiative,
    Participant,
    Subject,
    Topic,
    TopicOffer,
    TopicRequest,
    pk,
)
from .errors import NotFound
from .exporting import SafeWriter, add_sheet
from .instances import instance_of, plan_of
from .live import published_plan
from .notes import list_initiatives, list_notes
from .printing import ExportFile, file_stem


@dataclass
class CooperationRow:
    """One topic of a subject: who requests it, who offers it, the possible offers."""

    topic: str
    request: str
    requesting: list[str]
    offering: list[str]
    offers: list[str] = field(default_factory=list)  # confirmed initiatives' offers

    @property
    def match(self) -> bool:
        return bool(self.requesting and self.offering)


@dataclass
class SubjectTable:
    code: str
    name: str
    rows: list[CooperationRow]


def names_of(session: Session, *, event: Event) -> dict[str, str]:
    return _names(session, event)


def subjects_by_seat(session: Session, *, event: Event) -> dict[tuple[int, str], str]:
    """(round, table) -> the subject's name in the published plan."""
    saved = published_plan(session, event=event)
    if saved is None:
        return {}
    plan, instance = plan_of(saved), instance_of(saved)
    subjects = {s.id: s.name or s.id for s in instance.subjects}
    return {
        (rnd.round, t.table): subjects.get(t.subject or "", "")
        for rnd in plan.rounds
        for t in rnd.tables
    }


def _names(session: Session, event: Event) -> dict[str, str]:
    people = session.exec(select(Participant).where(Participant.event_id == pk(event))).all()
    return {p.code: p.name for p in people}


def _links(
    session: Session, model: type[TopicRequest] | type[TopicOffer], topic: Topic
) -> list[str]:
    rows = session.exec(
        select(Participant.name)
        .join(model, col(model.participant_id) == Participant.id)
        .where(model.topic_id == topic.id)
        .order_by(col(model.id))
    ).all()
    return list(rows)


def cooperation(session: Session, *, event: Event) -> list[SubjectTable]:
    """Per subject: the needs-and-offers table with the confirmed initiatives merged in."""
    names = _names(session, event)
    everyone = sorted(names.values())
    subjects = list(
        session.exec(
            select(Subject).where(Subject.event_id == pk(event)).order_by(col(Subject.code))
        ).all()
    )
    confirmed = [i for i in list_initiatives(session, event=event) if i.status == "confirmed"]
    tables = []
    for subject in [*subjects, None]:
        code = subject.code if subject else ""
        topics = session.exec(
            select(Topic)
            .where(
                Topic.event_id == pk(event), Topic.subject_id == (subject.id if subject else None)
            )
            .order_by(col(Topic.id))
        ).all()
        rows = {}
        for topic in topics:
            rows[topic.name] = CooperationRow(
                topic=topic.name,
                request=topic.request,
                requesting=everyone
                if topic.everyone_requests
                else _links(session, TopicRequest, topic),
                offering=everyone if topic.everyone_offers else _links(session, TopicOffer, topic),
            )
        for item in (i for i in confirmed if i.subject == code):
            row = rows.setdefault(item.topic, CooperationRow(item.topic, item.request, [], []))
            for who, target in ((item.requesting, row.requesting), (item.offering, row.offering)):
                for c in json.loads(who):
                    if names.get(c, c) not in target:
                        target.append(names.get(c, c))
            if item.offer:
                row.offers.append(item.offer + (f" ({item.contact})" if item.contact else ""))
        if rows or subject is not None:
            tables.append(
                SubjectTable(
                    code,
                    (subject.name or subject.code) if subject else _("No subject"),
                    list(rows.values()),
                )
            )
    return [t for t in tables if t.rows]


@dataclass(frozen=True)
class NoteRow:
    round: int
    table: str
    subject: str
    author: str
    text: str
    participants: list[str]
    topics: list[str]


def note_rows(session: Session, *, event: Event, query: str = "") -> list[NoteRow]:
    """Every note, with names for codes; `query` keeps those whose text, tags or table hold it."""
    names = _names(session, event)
    out = []
    for note in list_notes(session, event=event):
        row = NoteRow(
            round=note.round,
            table=note.table,
            subject="",
            author=note.author,
            text=note.text,
            participants=[names.get(c, c) for c in json.loads(note.participants)],
            topics=json.loads(note.topics),
        )
        haystack = " ".join(
            [row.text, row.table, row.author, *row.participants, *row.topics]
        ).lower()
        if query.lower() in haystack:
            out.append(row)
    return out


def _initiative_cells(item: Initiative, names: dict[str, str]) -> list[object]:
    return [
        item.subject,
        item.topic,
        item.request,
        join_and([names.get(c, c) for c in json.loads(item.requesting)]),
        join_and([names.get(c, c) for c in json.loads(item.offering)]),
        item.offer,
        item.contact,
        _("confirmed") if item.status == "confirmed" else _("proposed"),
    ]


def _headers() -> dict[str, list[str]]:
    return {
        "cooperation": [
            _("Subject"),
            _("Topic"),
            _("Request"),
            _("Requesting"),
            _("Offering"),
            _("Possible offers of collaboration"),
            _("Match"),
        ],
        "initiatives": [
            _("Subject"),
            _("Topic"),
            _("Request"),
            _("Requesting"),
            _("Offering"),
            _("Possible offer of collaboration"),
            _("Contact"),
            _("Status"),
        ],
        "notes": [_("Round"), _("Table"), _("Author"), _("Note"), _("Participants"), _("Topics")],
    }


def _cooperation_cells(table: SubjectTable, row: CooperationRow) -> list[object]:
    return [
        table.name,
        row.topic,
        row.request,
        join_and(row.requesting),
        join_and(row.offering),
        "; ".join(row.offers),
        _("match") if row.match else _("no offer yet"),
    ]


def _note_cells(row: NoteRow) -> list[object]:
    return [
        row.round,
        row.table,
        row.author,
        row.text,
        join_and(row.participants),
        ", ".join(row.topics),
    ]


def harvest_csv(session: Session, *, event: Event) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    heads = _headers()
    writer.writerow([_("Cooperation table")])
    writer.writerow(heads["cooperation"])
    for table in cooperation(session, event=event):
        for row in table.rows:
            writer.writerow(_cooperation_cells(table, row))
    writer.writerow([])
    writer.writerow([_("Initiatives")])
    writer.writerow(heads["initiatives"])
    names = _names(session, event)
    for item in list_initiatives(session, event=event):
        writer.writerow(_initiative_cells(item, names))
    writer.writerow([])
    writer.writerow([_("Notes")])
    writer.writerow(heads["notes"])
    for note in note_rows(session, event=event):
        writer.writerow(_note_cells(note))
    return out.getvalue()


def harvest_xlsx(session: Session, *, event: Event) -> bytes:
    """A sheet per subject (its cooperation table), one for initiatives, one for notes."""
    book = Workbook()
    book.remove(book.active)
    heads = _headers()
    used: set[str] = set()
    for table in cooperation(session, event=event):
        title = (table.name or table.code)[:28].replace("/", "-") or "-"
        while title in used:
            title = title[:26] + "+"
        used.add(title)
        add_sheet(
            book, title, heads["cooperation"], [_cooperation_cells(table, r) for r in table.rows]
        )
    names = _names(session, event)
    add_sheet(
        book,
        _("Initiatives"),
        heads["initiatives"],
        [_initiative_cells(i, names) for i in list_initiatives(session, event=event)],
    )
    add_sheet(
        book, _("Notes"), heads["notes"], [_note_cells(n) for n in note_rows(session, event=event)]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def harvest_md(session: Session, *, event: Event) -> str:
    lines = [f"# {_('Harvest')}: {event.name}", ""]
    heads = _headers()
    for table in cooperation(session, event=event):
        lines += [
            f"## {_md(table.name)}",
            "",
            "| " + " | ".join(heads["cooperation"][1:]) + " |",
            "|" + "---|" * (len(heads["cooperation"]) - 1),
        ]
        for row in table.rows:
            lines.append(
                "| " + " | ".join(_md(c) for c in _cooperation_cells(table, row)[1:]) + " |"
            )
        lines.append("")
    items = list_initiatives(session, event=event)
    if items:
        names = _names(session, event)
        heads_i = heads["initiatives"]
        lines += [f"## {_('Initiatives')}", "", "| " + " | ".join(heads_i) + " |"]
        lines.append("|" + "---|" * len(heads_i))
        for item in items:
            cells = _initiative_cells(item, names)
            lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
        lines.append("")
    notes = note_rows(session, event=event)
    if notes:
        lines += [f"## {_('Notes')}", ""]
        for n in notes:
            lines.append(
                f"- {_('Round')} {n.round}, {_md(n.table)} ({_md(n.author)}): {_md(n.text)}"
            )
    return "\n".join(lines) + "\n"


MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export(session: Session, *, event: Event, fmt: str) -> ExportFile:
    stem = f"{file_stem(event)}-harvest"
    if fmt == "md":
        content = harvest_md(session, event=event).encode()
    elif fmt == "csv":
        content = harvest_csv(session, event=event).encode("utf-8-sig")
    elif fmt == "xlsx":
        content = harvest_xlsx(session, event=event)
    else:
        raise NotFound(_("unknown harvest format {fmt!r}; use md, csv or xlsx").format(fmt=fmt))
    return ExportFile(content=content, media_type=MEDIA[fmt], filename=f"{stem}.{fmt}")
