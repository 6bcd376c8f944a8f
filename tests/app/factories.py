"""Small builders for the organizer's data, and the Lima example files in other shapes."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
from sqlmodel import Session

from app.models import (
    Event,
    EventCreate,
    EventTable,
    Participant,
    ParticipantCreate,
    Subject,
    SubjectCreate,
    TableCreate,
)
from app.services import events
from app.services.importing import import_folder

ROOT = Path(__file__).resolve().parents[2]
LIMA = ROOT / "examples" / "lima-2022"
LIMA_FILES = ("countries.csv", "subjects.csv", "tables.csv", "needs_offers.csv")
# Plans made for the tests stop at a work limit: the same plan on any machine, however busy,
# so that a test that names a seat finds it there (a generous time limit only as a backstop).
PLAN_LIMITS: dict[str, float] = {"work_limit": 0.3, "time_limit": 120}


def make_event(session: Session, name: str = "Test event", **fields: Any) -> Event:
    data = EventCreate(name=name, **{"rounds": 3, "subject_mode": "none", **fields})
    return events.create_event(session, data=data)


def add_people(session: Session, event: Event, count: int, **fields: Any) -> list[Participant]:
    return [
        events.add_participant(
            session, event=event, data=ParticipantCreate(name=f"Person {i}", code=f"p{i}", **fields)
        )
        for i in range(1, count + 1)
    ]


def add_tables(
    session: Session, event: Event, count: int, capacity: int = 4, min_size: int = 2
) -> list[EventTable]:
    return [
        events.add_table(
            session,
            event=event,
            data=TableCreate(name=f"T{t}", capacity=capacity, min_size=min_size),
        )
        for t in range(1, count + 1)
    ]


def add_subjects(session: Session, event: Event, count: int) -> list[Subject]:
    return [
        events.add_subject(session, event=event, data=SubjectCreate(code=str(s), name=f"S{s}"))
        for s in range(1, count + 1)
    ]


def import_lima(
    session: Session, folder: Path = LIMA, rounds: int | None = 5, name: str = "Lima 2022"
) -> Event:
    import_folder(session, folder=folder, event_name=name, rounds=rounds)
    return events.get_event(session, name=name)


def lima_bytes(name: str) -> bytes:
    return (LIMA / name).read_bytes()


def lima_rows(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((LIMA / name).read_text(encoding="utf-8"))))


def as_csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def as_xlsx(rows: list[list[str]]) -> bytes:
    """A workbook as Excel would save it: numbers typed as numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([int(cell) if cell.isdigit() else cell for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def copy_lima(folder: Path, **replace: bytes | None) -> Path:
    """The Lima folder, with some files replaced (file name -> content; None leaves it out)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in LIMA_FILES:
        content = replace.pop(name, lima_bytes(name))
        if content is not None:
            (folder / name).write_bytes(content)
    for name, extra in replace.items():
        if extra is not None:
            (folder / name).write_bytes(extra)
    return folder


def published_lima(database_url: str, name: str = "Lima 2022") -> int:
    """The Lima event planned and its plan published, in the database at the URL; its id."""
    from app.database import make_engine
    from app.services import live
    from app.services.instances import plan_event

    engine = make_engine(database_url)
    with Session(engine) as session:
        event = import_lima(session, name=name)
        plan_event(session, event=event, **PLAN_LIMITS)
        live.publish(session, event=event)
        event_id = int(event.id or 0)
    engine.dispose()
    return event_id


def add_hosts(database_url: str, event_id: int) -> None:
    """A facilitator for each subject of the event: "Host 1", "Host 2", ..."""
    from app.database import make_engine

    engine = make_engine(database_url)
    with Session(engine) as session:
        event = session.get(Event, event_id)
        assert event is not None
        for subject in events.list_subjects(session, event=event):
            events.set_facilitators(session, subject=subject, names=[f"Host {subject.code}"])
        session.commit()
    engine.dispose()
