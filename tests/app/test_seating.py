"""Keep-apart and keep-together groups, pinned seats, absences."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.services import events, seating
from app.services.errors import InvalidInput, NotFound
from tests.app.factories import add_people, add_tables, make_event


def test_groups_kept_apart_or_together(session: Session) -> None:
    event = make_event(session)
    add_people(session, event, 4)
    apart = seating.add_constraint(
        session, event=event, kind="keep_apart", codes=["p1", "p2", "p1"], note="rivals"
    )
    seating.add_constraint(session, event=event, kind="keep_together", codes=["p3", "p4"])
    found = seating.list_constraints(session, event=event)
    assert [(c.kind, seating.constraint_codes(session, constraint=c)) for c in found] == [
        ("keep_apart", ["p1", "p2"]),
        ("keep_together", ["p3", "p4"]),
    ]
    seating.remove_constraint(session, constraint=apart)
    assert len(seating.list_constraints(session, event=event)) == 1


def test_a_group_needs_two_known_people(session: Session) -> None:
    event = make_event(session)
    add_people(session, event, 2)
    with pytest.raises(InvalidInput, match="needs at least two participants"):
        seating.add_constraint(session, event=event, kind="keep_apart", codes=["p1", "p1"])
    with pytest.raises(NotFound, match="'p7'"):
        seating.add_constraint(session, event=event, kind="keep_apart", codes=["p1", "p7"])
    with pytest.raises(InvalidInput, match="use keep_apart or keep_together"):
        seating.add_constraint(session, event=event, kind="apart", codes=["p1", "p2"])  # type: ignore[arg-type]


def test_pins_replace_the_earlier_pin_of_a_round(session: Session) -> None:
    event = make_event(session, rounds=2)
    add_people(session, event, 2)
    add_tables(session, event, 2)
    seating.pin(session, event=event, code="p1", round=1, table="T1")
    seating.pin(session, event=event, code="p1", round=1, table="T2")
    seating.pin(session, event=event, code="p2", round=2, table="T1")
    assert [(p.code, r, t.name) for p, r, t in seating.list_pins(session, event=event)] == [
        ("p1", 1, "T2"),
        ("p2", 2, "T1"),
    ]
    seating.unpin(session, event=event, code="p1", round=1)
    with pytest.raises(NotFound, match="no pinned seat in round 1"):
        seating.unpin(session, event=event, code="p1", round=1)


def test_rounds_must_exist(session: Session) -> None:
    event = make_event(session, rounds=3)
    add_people(session, event, 1)
    add_tables(session, event, 1)
    with pytest.raises(InvalidInput, match="round 4 is outside rounds 1..3"):
        seating.pin(session, event=event, code="p1", round=4, table="T1")
    with pytest.raises(InvalidInput, match="round 0 is outside rounds 1..3"):
        seating.mark_absent(session, event=event, code="p1", round=0)


def test_absences_by_participant(session: Session) -> None:
    event = make_event(session, rounds=3)
    add_people(session, event, 2)
    for round in (3, 1, 3):
        seating.mark_absent(session, event=event, code="p2", round=round)
    assert seating.absent_rounds(session, event=event) == {"p2": [1, 3]}
    seating.mark_present(session, event=event, code="p2", round=3)
    assert seating.absent_rounds(session, event=event) == {"p2": [1]}
    events.remove_participant(
        session, participant=events.get_participant(session, event=event, code="p2")
    )
    assert seating.absent_rounds(session, event=event) == {}
