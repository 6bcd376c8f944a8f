"""The plan services: versions and hand edits, re-planning, layouts, quality, printing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import Session

from app.models import Event, ParticipantCreate, ParticipantUpdate, SubjectUpdate
from app.services import (
    bounds_memo,
    events,
    instances,
    layouts,
    plan_quality,
    plans,
    printing,
    replanning,
)
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.plan_views import facilitator_routes, itinerary, plan_view
from scheduler.search import solve
from tests.app.factories import PLAN_LIMITS, import_lima


@pytest.fixture
def planned(session: Session) -> Event:
    event = import_lima(session)
    instances.plan_event(session, event=event, **PLAN_LIMITS)
    return event


def _seating(session: Session, event: Event) -> dict[tuple[str, int], str]:
    return instances.plan_of(instances.current_plan(session, event=event)).seats()


def _table_of_size(session: Session, event: Event, round: int, size: int) -> str:
    plan = instances.plan_of(instances.current_plan(session, event=event))
    rnd = next(r for r in plan.rounds if r.round == round)
    return next(t.table for t in rnd.tables if len(t.participants) == size)


def test_a_move_is_a_new_version_scored_again(session: Session, planned: Event) -> None:
    before = _seating(session, planned)
    full = _table_of_size(session, planned, 1, 4)
    mover = next(p for (p, r), t in before.items() if r == 1 and t != full)
    change = plans.move_participant(session, event=planned, round=1, code=mover, table=full)
    assert change.note == f"moved {mover} to {full} in round 1"
    assert any(f"table {full!r} seats 5, outside 3..4" in v for v in change.violations)
    assert change.saved.status == "invalid" and change.saved.is_current
    assert _seating(session, planned)[(mover, 1)] == full
    versions = plans.list_versions(session, event=planned)
    assert [v.note for v in versions] == [change.note, "generated"]
    plans.undo(session, event=planned)
    assert _seating(session, planned) == before
    assert [v.note for v in plans.list_versions(session, event=planned)] == ["generated"]


def test_a_swap_exchanges_two_seats(session: Session, planned: Event) -> None:
    before = _seating(session, planned)
    first = "AR"
    second = next(p for (p, r), t in before.items() if r == 2 and t != before[(first, 2)])
    change = plans.swap_participants(session, event=planned, round=2, first=first, second=second)
    after = _seating(session, planned)
    assert after[(first, 2)] == before[(second, 2)] and after[(second, 2)] == before[(first, 2)]
    assert change.violations == [] and change.saved.status in ("optimal", "feasible")
    mate = next(
        p for (p, r), t in after.items() if r == 2 and t == after[(first, 2)] and p != first
    )
    with pytest.raises(InvalidInput, match="already sit at the same table"):
        plans.swap_participants(session, event=planned, round=2, first=first, second=mate)
    with pytest.raises(InvalidInput, match="choose two different participants to swap"):
        plans.swap_participants(session, event=planned, round=2, first=first, second=first)


def test_impossible_changes_are_refused(session: Session, planned: Event) -> None:
    with pytest.raises(NotFound, match="no table 'Table 9'"):
        plans.move_participant(session, event=planned, round=1, code="AR", table="Table 9")
    with pytest.raises(NotFound, match="'ZZ' is not a participant"):
        plans.move_participant(session, event=planned, round=1, code="ZZ", table="Table 1")
    with pytest.raises(InvalidInput, match="outside rounds 1..5"):
        plans.move_participant(session, event=planned, round=6, code="AR", table="Table 1")
    here = _seating(session, planned)[("AR", 1)]
    with pytest.raises(InvalidInput, match="already sits at"):
        plans.move_participant(session, event=planned, round=1, code="AR", table=here)
    with pytest.raises(Conflict, match="nothing to undo"):
        plans.undo(session, event=planned)
    assert len(plans.list_versions(session, event=planned)) == 1


def test_locked_rounds_refuse_edits_and_carry_over(session: Session, planned: Event) -> None:
    plans.set_locked_rounds(session, event=planned, rounds=[2, 1, 2])
    assert plans.locked_of(instances.current_plan(session, event=planned)) == [1, 2]
    with pytest.raises(Conflict, match="round 2 is locked"):
        plans.swap_participants(session, event=planned, round=2, first="AR", second="BR")
    seats = _seating(session, planned)
    other = next(p for (p, r), t in seats.items() if r == 3 and t != seats[("AR", 3)])
    change = plans.swap_participants(session, event=planned, round=3, first="AR", second=other)
    assert plans.locked_of(change.saved) == [1, 2]
    with pytest.raises(InvalidInput, match="round 7 is outside"):
        plans.set_locked_rounds(session, event=planned, rounds=[7])


def test_restore_copies_an_old_version_as_the_newest(session: Session, planned: Event) -> None:
    first = instances.current_plan(session, event=planned)
    seats = _seating(session, planned)
    other = next(p for (p, r), t in seats.items() if r == 1 and t != seats[("AR", 1)])
    plans.swap_participants(session, event=planned, round=1, first="AR", second=other)
    restored = plans.restore_version(session, event=planned, version_id=int(first.id or 0))
    assert restored.note.startswith("restored the version of") and restored.is_current
    assert _seating(session, planned) == seats
    assert len(plans.list_versions(session, event=planned)) == 3


def test_replan_keeps_earlier_rounds_and_follows_who_left_and_arrived(
    session: Session, planned: Event
) -> None:
    before = instances.plan_of(instances.current_plan(session, event=planned))
    argentina = events.get_participant(session, event=planned, code="AR")
    events.update_participant(session, participant=argentina, data=ParticipantUpdate(active=False))
    events.add_participant(session, event=planned, data=ParticipantCreate(name="Canada", code="CA"))
    request = replanning.replan_request(session, event=planned, from_round=3)
    assert request.note == "re-planned from round 3" and request.previous == before
    instance = request.instance
    assert [r.round for r in instance.fixed_rounds] == [1, 2]
    people = {p.id: p for p in instance.participants}
    assert people["AR"].absent_rounds == [3, 4, 5] and people["CA"].absent_rounds == [1, 2]
    plan = solve(instance, time_limit=0.5, previous=request.previous).plan
    assert plan.metrics["valid"], plan.metrics.get("violations")
    assert plan.rounds[:2] == before.rounds[:2]
    later = plan.seats()
    assert not any(("AR", r) in later for r in (3, 4, 5))
    assert all(("CA", r) in later for r in (3, 4, 5))


def test_a_replan_keeps_the_plans_priority_unless_another_is_chosen(
    session: Session, planned: Event
) -> None:
    kept = replanning.replan_request(session, event=planned, from_round=2).instance.weights
    assert kept.subject_repeat <= kept.repeat  # Lima was planned repeats first
    chosen = replanning.replan_request(
        session, event=planned, from_round=2, priority="subjects"
    ).instance.weights
    assert chosen.subject_repeat == chosen.repeat * 10


def test_generation_keeps_locked_rounds(session: Session, planned: Event) -> None:
    plans.set_locked_rounds(session, event=planned, rounds=[1])
    request = replanning.generation_request(session, event=planned, priority="subjects")
    assert [r.round for r in request.instance.fixed_rounds] == [1]
    assert request.locked_rounds == (1,) and request.previous is None
    assert request.instance.weights.subject_repeat > request.instance.weights.repeat
    with pytest.raises(InvalidInput, match="unknown priority"):
        replanning.with_priority(request.instance, "speed")  # type: ignore[arg-type]


def test_layouts_of_lima_show_the_trade_off(session: Session) -> None:
    event = import_lima(session)
    found = {lay.key: lay for lay in layouts.layouts(session, event=event)}
    assert list(found) == ["current", "at_capacity"]  # the others seat people the same way
    assert found["current"].tables == "5 tables of 3–4 seats"
    assert found["current"].seating == "5 groups of 3–4"
    assert found["at_capacity"].seating == "4 groups of 4"
    for lay in found.values():
        assert lay.bounds is not None and lay.bounds.repeats == 0
        assert lay.bounds.subject_visits == 80
    # as `ronda bounds` says: without repeats, 4 tables of 4 are the affine plane of order 4
    assert not found["current"].bounds.impossible  # type: ignore[union-attr]
    assert found["at_capacity"].bounds.subject_visits_without_repeats == 61  # type: ignore[union-attr]
    tradeoff = layouts.tradeoff_of(found["at_capacity"], seconds=0.5)
    assert not tradeoff.both
    first, second = tradeoff.repeats_first, tradeoff.subjects_first
    assert first["repeats"] < second["repeats"]  # type: ignore[operator]
    assert first["subject_visits"] < second["subject_visits"]  # type: ignore[operator]


def test_quality_figures_of_a_plan(session: Session, planned: Event) -> None:
    view = plan_view(session, event=planned)
    heat = plan_quality.heat_map(view)
    assert heat is not None and len(heat.rows) == 16 and heat.most == 1
    assert all(heat.rows[i][i] is None for i in range(16))
    assert all(heat.rows[i][j] == heat.rows[j][i] for i in range(16) for j in range(16))
    counts = dict(plan_quality.meeting_counts(view))
    assert counts[1] == 90 and counts[0] == 120 - 90
    assert all(len(c.seen) == c.possible == 5 for c in plan_quality.coverage(view))
    needs = plan_quality.needs(view)
    assert len(needs) == view.metrics["needs_total"]
    assert sum(1 for n in needs if n.met) == view.metrics["needs_served"]
    unserved = [n for n in needs if not n.met]
    assert needs[: len(unserved)] == unserved  # the exceptions first
    assert all(n.why in ("no_offerer", "offerers_full", "priority") for n in unserved)
    assert all(n.why == "" for n in needs if n.met)
    stops = itinerary(view, "AR")
    assert [s.round for s in stops] == [1, 2, 3, 4, 5]
    assert len({s.cell.subject for s in stops if s.cell}) == 5


def test_facilitators_follow_their_subject(session: Session, planned: Event) -> None:
    subject = events.get_subject(session, event=planned, code="1")
    events.update_subject(session, subject=subject, data=SubjectUpdate(facilitators=["Ana"]))
    view = plan_view(session, event=planned)
    names = {"1": ["Ana"]}
    route = next(r for r in facilitator_routes(view, names) if r.facilitator == "Ana")
    for r, table in zip(view.rounds, route.tables, strict=True):
        assert table is not None and view.cells[(r, table)].facilitators == ["Ana"]


def test_printing_helpers(session: Session, planned: Event) -> None:
    view = plan_view(session, event=planned)
    assert len(printing.table_cards(view)) == 25
    tokens = {p.code: p.token for p in events.list_participants(session, event=planned)}
    badges = printing.badges(view, public_url="http://example.org/", tokens=tokens)
    assert len(badges) == 16
    assert badges[0].url == f"http://example.org/a/{tokens[badges[0].code]}"
    assert (
        badges[0].qr.startswith('<svg role="img" aria-label="QR code') and "viewBox" in badges[0].qr
    )
    assert [len(s) for s in printing.sheets(badges)] == [8, 8]
    times = printing.round_times(planned)
    assert (times[1].start, times[1].end, times[2].start) == ("0:00", "0:35", "0:40")
    clock = printing.round_times(planned, start=dt.time(9, 0))
    assert (clock[5].start, clock[5].end) == ("11:40", "12:15")
    assert printing.file_stem(planned) == "lima-2022"
    csv_file = printing.export_file(session, event=planned, fmt="csv")
    assert csv_file.media_type.startswith("text/csv") and csv_file.filename == "lima-2022-plan.csv"
    with pytest.raises(NotFound, match="unknown export format"):
        printing.export_file(session, event=planned, fmt="pdf")


def test_the_quality_lists_show_the_exceptions_first(session: Session, planned: Event) -> None:
    """After a swap, the two who now see a subject twice come first in the coverage list, and
    the pairs who met more than once are counted, not only the first few listed."""
    view = plan_view(session, event=planned)
    assert all(c.full for c in plan_quality.coverage(view))  # Lima: every subject for everyone
    seats = {(code, r): cell.subject for (r, code), cell in view.seats.items()}
    first = "AR"
    other = next(
        code
        for (code, r), subject in seats.items()
        if r == 1 and subject != seats[(first, 1)] and code != first
    )
    plans.swap_participants(session, event=planned, round=1, first=first, second=other)
    after = plan_view(session, event=planned)
    listed = plan_quality.coverage(after)
    short = [c.person.code for c in listed if not c.full]
    assert sorted(short) == sorted([first, other]) and [c.person.code for c in listed[:2]] == short
    pairs = plan_quality.repeated_pairs(after)
    assert len(plan_quality.most_met(after, limit=1000)) == pairs
    assert len(plan_quality.most_met(after, limit=1)) == min(pairs, 1)


def test_the_grid_marks_the_tables_where_pairs_meet_again(session: Session) -> None:
    """12 people at 3 tables of 4 for 3 rounds cannot avoid meeting again (at least 6 times):
    each table where a pair meets more than once is named with the pair."""
    from tests.app.factories import add_people, add_tables, make_event

    event = make_event(session, "Twelve")
    add_people(session, event, 12)
    add_tables(session, event, 3, capacity=4, min_size=4)
    instances.plan_event(session, event=event, time_limit=2)
    view = plan_view(session, event=event)
    assert view.metrics["repeats"] >= 6
    marked = plan_quality.repeat_cells(view)
    names = {p.code: p.name for p in view.people}
    assert marked and all(len(pairs) >= 1 for pairs in marked.values())
    for (r, table), pairs in marked.items():
        here = {p.name for p in view.cell(r, table).people}
        assert all(a in here and b in here for a, b in pairs)
    by_name = {v: k for k, v in names.items()}
    for pairs in marked.values():
        for a, b in pairs:
            key = tuple(sorted((by_name[a], by_name[b])))
            assert view.score.meetings[key] > 1


def test_hand_edits_reuse_the_bounds_their_version_kept(
    session: Session, planned: Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bounds depend on the event, not the plan: a second edit on another worker (nothing
    in its memory) takes them from the version it edits instead of solving them again."""
    seating = _seating(session, planned)
    others = [p for (p, r), t in seating.items() if r == 2 and t != seating[("AR", 2)]]
    first = plans.swap_participants(session, event=planned, round=2, first="AR", second=others[0])
    figures = {k: v for k, v in json.loads(first.saved.metrics_json).items() if "bound" in k}
    bounds_memo._MEMO.clear()  # another process

    def no_solving(*_args: object) -> object:
        raise AssertionError("the bounds were solved again")

    monkeypatch.setattr(bounds_memo, "bounds", no_solving)
    now = _seating(session, planned)
    other = next(p for (p, r), t in now.items() if r == 2 and t != now[("AR", 2)])
    second = plans.swap_participants(session, event=planned, round=2, first="AR", second=other)
    kept = json.loads(second.saved.metrics_json)
    assert {k: v for k, v in kept.items() if "bound" in k} == figures
    assert bounds_memo.KEPT_KEY not in bounds_memo.public(kept)
    instance = instances.instance_of(second.saved)
    assert bounds_memo.kept(instance, kept) is not None
    instance.participants[0].absent_rounds = [1]  # another event: its own bounds
    assert bounds_memo.kept(instance, kept) is None
