"""Counting bounds match the known values, and impossibilities come with their reason."""

from __future__ import annotations

from bench.instances import golfers, lima
from scheduler.bounds import compute_bounds
from scheduler.problem import build_problem


def bounds_of(inst):  # type: ignore[no-untyped-def]
    return compute_bounds(build_problem(inst))


def test_24_people_6_tables_of_4_8_rounds_needs_12_repeats() -> None:
    b = bounds_of(golfers(24, 6, 4, 8))
    assert (b.pair_meetings, b.pairs_possible, b.repeats) == (288, 276, 12)
    assert b.max_meetings == 2
    assert any("at least 12 repeated encounters" in line for line in b.impossible)


def test_lima_allows_no_repeats_and_every_subject() -> None:
    b = bounds_of(lima())
    assert b.repeats == 0 and b.subject_visits == b.subject_visits_full == 80
    assert b.needs_total == 154


def test_absent_participants_lower_the_subject_ceiling() -> None:
    inst = lima()
    inst.participants[0].absent_rounds = [1, 2]
    b = bounds_of(inst)
    assert b.subject_visits_full == 78


def test_need_nobody_else_offers_is_impossible() -> None:
    inst = golfers(
        8,
        2,
        4,
        2,
        subjects=2,
        topics=[{"id": "solo", "subject": "S1", "requesting": ["p1"], "offering": ["p1"]}],
    )
    b = bounds_of(inst)
    assert b.needs_possible == 0 and b.needs_total == 1
    assert any("nobody it can meet offers it" in line for line in b.impossible)


def test_more_rounds_than_subjects_caps_coverage() -> None:
    b = bounds_of(golfers(12, 3, 4, 4, subjects=3))
    assert b.subject_visits_full == 36 and b.subject_visits == 36
