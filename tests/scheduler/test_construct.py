"""The algebraic designs have no repeated pair (and, for the Latin one, no repeated subject)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from typing import Any

import pytest

from bench.instances import golfers, short_of_full, with_needs
from scheduler.designs import affine_latin_rounds, subject_rounds, transversal_rounds
from scheduler.fields import field
from scheduler.schema import Instance, parse_instance
from scheduler.search import solve
from scheduler.validate import score_plan
from tests.scheduler.limits import work


def max_meetings(design: list[list[list[int]]]) -> int:
    met: Counter[tuple[int, int]] = Counter()
    for groups in design:
        for group in groups:
            met.update(combinations(sorted(group), 2))
    return max(met.values())


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9, 16, 25])
def test_field_tables_are_a_field(q: int) -> None:
    gf = field(q)
    assert gf is not None
    add, mul = gf
    for a in range(1, q):
        assert sorted(mul[a]) == list(range(q))  # every non-zero element is invertible
    assert all(add[a][0] == a and mul[a][1] == a for a in range(q))


def test_field_refuses_non_prime_powers() -> None:
    assert field(6) is None and field(10) is None


@pytest.mark.parametrize(("g", "groups", "rounds"), [(4, 4, 5), (5, 40, 8), (8, 250, 8), (3, 6, 3)])
def test_transversal_design_has_no_repeat(g: int, groups: int, rounds: int) -> None:
    design = transversal_rounds(g, groups, rounds)
    assert design is not None and len(design) == rounds
    for groups_r in design:
        assert sorted(p for grp in groups_r for p in grp) == list(range(g * groups))
    assert max_meetings(design) == 1


def test_transversal_design_refuses_impossible_shapes() -> None:
    assert transversal_rounds(5, 6, 6) is None  # 6 is no prime power


def test_affine_latin_covers_every_subject_once() -> None:
    design = affine_latin_rounds(5, 16, 5)
    assert design is not None and max_meetings(design) == 1
    for person in range(16):
        subjects = [s for groups in design for s, grp in enumerate(groups) if person in grp]
        assert sorted(subjects) == [0, 1, 2, 3, 4]


def test_transversal_design_gives_what_rounds_it_can() -> None:
    design = transversal_rounds(4, 8, 10)  # GF(8) gives 8 of the 10 rounds
    assert design is not None and len(design) == 8 and max_meetings(design) == 1


@pytest.mark.parametrize(
    ("n", "tables", "size", "rounds"),
    [(57, 10, 6, 8), (31, 8, 4, 10), (30, 8, 4, 10), (45, 8, 6, 7), (28, 6, 5, 6)],
)
def test_a_few_people_short_of_a_design_still_meet_nobody_twice(
    n: int, tables: int, size: int, rounds: int
) -> None:
    # the design for full tables, less people who never share a table
    result = solve(short_of_full(n, tables, size, rounds), **work(10))
    metrics = result.plan.metrics
    assert metrics["valid"] and metrics["repeats"] == 0 and result.status == "optimal"
    for plan_round in result.plan.rounds:
        assert {len(t.participants) for t in plan_round.tables} <= {size - 1, size}
        assert sum(len(t.participants) for t in plan_round.tables) == n


def test_too_many_short_for_a_design_still_gives_a_valid_plan() -> None:
    # 29 at 8 tables of 3-4: 3 people of the 32-person design who never meet do not exist
    result = solve(short_of_full(29, 8, 4, 10), **work(3))
    assert result.plan.metrics["valid"] and result.status == "feasible"


@pytest.mark.parametrize(
    ("people", "tables", "size", "subjects"),
    [(100, 20, 5, 5), (80, 20, 4, 5), (97, 20, 5, 5), (84, 21, 4, 7), (30, 10, 3, 5)],
)
def test_subjects_with_several_hosts_get_full_coverage_and_no_repeats(
    people: int, tables: int, size: int, subjects: int
) -> None:
    # 100 at 20 tables of 5, 5 subjects of 4 hosts, 5 rounds: 500 of 500 visits, 0 repeats
    instance = golfers(people, tables, size, subjects, subjects=subjects)
    for table in instance.tables:
        table.min_size = size - 1
    result = solve(instance, time_limit=30, work_limit=1)
    metrics = result.plan.metrics
    assert metrics["valid"] and metrics["repeats"] == 0
    assert metrics["subject_visits"] == people * subjects == metrics["subject_visits_max"]
    assert result.status == "optimal"


def test_subject_rounds_meet_nobody_twice_and_show_every_subject_once() -> None:
    for q, groups, hosts, paired in ((5, 4, 4, True), (5, 4, 2, False), (7, 3, 3, True)):
        design = subject_rounds(q, groups, hosts, paired, q if not paired else hosts + 1)
        assert design is not None
        plan = [[people for _s, people in tables] for tables in design]
        assert max_meetings(plan) == 1
        for person in {p for tables in plan for people in tables for p in people}:
            seen = [s for tables in design for s, people in tables if person in people]
            assert len(seen) == len(set(seen)) == len(design)


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_copies_of_the_subject_design_seat_three_hundred_with_needs(seed: int) -> None:
    # 300 at 60 tables of 5, 5 subjects of 12 hosts: three copies of the 100-person design
    # (4 hosts each), whatever the needs; the tabu search's start lost 2 visits on these seeds
    instance = with_needs(golfers(300, 60, 5, 5, subjects=5), per_topic=24, offering=12)
    result = solve(instance, **work(1), seed=seed)
    score = score_plan(instance, result.plan)
    assert score.valid and score.repeats == 0 and score.max_meetings == 1
    assert score.subject_visits == 1500 == result.bounds.subject_visits
    assert all(len(seen) == 5 for seen in score.subjects_seen.values())
    assert score.needs_served > 0


@pytest.mark.parametrize(("people", "tables"), [(200, 40), (196, 40), (290, 60)])
def test_copies_of_the_subject_design_less_a_few_people(people: int, tables: int) -> None:
    # copies of the 100-person design side by side, a few short (tables of 4 and 5): the
    # optimum at once, with too little work for the search to reach it (196: 976 visits)
    instance = golfers(people, tables, 5, 5, subjects=5)
    for table in instance.tables:
        table.min_size = 4
    result = solve(instance, **work(0.1), seed=0)
    score = score_plan(instance, result.plan)
    assert score.valid and score.repeats == 0
    assert score.subject_visits == people * 5
    assert result.status == "optimal"


def _hundred(**extra: Any) -> Instance:
    """100 at 20 tables of 4-5, 5 subjects of 4 hosts, 5 rounds."""
    data = golfers(100, 20, 5, 5, subjects=5).model_dump()
    for table in data["tables"]:
        table["min_size"] = 4
    data.update(extra)
    return parse_instance(data)


def test_subject_design_keeps_organizations_apart() -> None:
    # ten organizations of ten, each kept apart: each on people of the design who never
    # share a table, so no repeat, every subject for everyone and nobody beside a colleague
    people = [f"p{i + 1}" for i in range(100)]
    instance = _hundred(keep_apart=[people[o::10] for o in range(10)])
    result = solve(instance, **work(0.1), seed=0)
    score = score_plan(instance, result.plan)
    assert score.valid and not score.violations and score.repeats == 0
    assert score.subject_visits == 500 and result.status == "optimal"


def test_subject_design_leaves_out_people_absent_in_some_rounds() -> None:
    # six people absent in one or two rounds: each sees every subject of the rounds they are
    # there for (the bound: 493 of 500) and nobody meets anyone twice
    data = _hundred().model_dump()
    for i, rounds in enumerate([[1], [2], [3], [4], [5], [2, 3]]):
        data["participants"][i]["absent_rounds"] = rounds
    instance = parse_instance(data)
    result = solve(instance, **work(0.1), seed=0)
    score = score_plan(instance, result.plan)
    assert score.valid and score.repeats == 0
    assert score.subject_visits == 493 == result.bounds.subject_visits
    assert result.status == "optimal"
