"""Exports of the current plan: what an organizer prints, hands out, or passes on."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from sqlmodel import Session

from app.models import Event
from app.services import exporting, instances
from app.services.errors import NotFound
from scheduler.schema import parse_instance, parse_plan
from scheduler.validate import score_plan
from tests.app.factories import PLAN_LIMITS, import_lima


@pytest.fixture
def planned(session: Session) -> Event:
    event = import_lima(session)
    instances.plan_event(session, event=event, **PLAN_LIMITS)
    return event


def test_csv_has_one_row_per_seat(session: Session, planned: Event) -> None:
    rows = list(csv.DictReader(io.StringIO(exporting.plan_csv(session, event=planned))))
    assert list(rows[0]) == [
        "round",
        "table",
        "subject",
        "participant_code",
        "participant_name",
        "start",
        "end",
        "facilitators",
    ]
    assert rows[0]["start"] == ""  # the event has no start time
    assert len(rows) == 80  # 16 attending countries x 5 rounds
    assert {r["round"] for r in rows} == {"1", "2", "3", "4", "5"}
    peru = [r for r in rows if r["participant_code"] == "PE"]
    assert {r["participant_name"] for r in peru} == {"Peru"}
    assert len({r["subject"] for r in peru}) == 5  # every subject once
    assert "CO" not in {r["participant_code"] for r in rows}  # Colombia did not attend


def test_xlsx_has_a_sheet_per_round_and_an_itinerary(session: Session, planned: Event) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exporting.plan_xlsx(session, event=planned)))
    assert book.sheetnames == ["Round 1", "Round 2", "Round 3", "Round 4", "Round 5", "Itinerary"]
    round_one = list(book["Round 1"].iter_rows(values_only=True))
    assert round_one[0] == ("Table", "Subject", "Code", "Participant", "Start", "End")
    assert len(round_one) == 1 + 16
    itinerary = list(book["Itinerary"].iter_rows(values_only=True))
    assert itinerary[0] == (
        "Code",
        "Participant",
        "Round 1",
        "Round 2",
        "Round 3",
        "Round 4",
        "Round 5",
    )
    argentina = next(row for row in itinerary if row[0] == "AR")
    assert argentina[1] == "Argentina"
    assert all(str(cell).startswith("Table ") and " · " in str(cell) for cell in argentina[2:])


def test_interchange_json_parses_back(session: Session, planned: Event) -> None:
    instance = parse_instance(json.loads(exporting.instance_json(session, event=planned)))
    plan = parse_plan(json.loads(exporting.plan_json(session, event=planned)))
    assert instance == instances.build_instance(session, event=planned)
    assert plan.metrics["repeats"] == 0 and plan.metrics["subject_visits"] == 80
    assert score_plan(instance, plan).valid


def test_no_plan_no_export(session: Session) -> None:
    event = import_lima(session)
    with pytest.raises(NotFound, match="has no plan yet"):
        exporting.plan_csv(session, event=event)


def test_csv_shows_clock_times_and_each_tables_facilitator(
    session: Session, planned: Event
) -> None:
    import datetime as dt

    from app.services import events

    for subject in events.list_subjects(session, event=planned):
        events.set_facilitators(session, subject=subject, names=[f"Host {subject.code}"])
    planned.start_time, planned.time_zone = dt.time(9, 30), "America/Lima"
    session.add(planned)
    session.commit()
    rows = list(csv.DictReader(io.StringIO(exporting.plan_csv(session, event=planned))))
    first = [r for r in rows if r["round"] == "1"]
    assert {(r["start"], r["end"]) for r in first} == {("09:30", "10:05")}  # 35-minute rounds
    assert {r["facilitators"] for r in rows} == {f"Host {n}" for n in range(1, 6)}
    by_table = {(r["round"], r["table"]): r["facilitators"] for r in rows}
    assert len(set(by_table.values())) == 5 and all(by_table.values())
