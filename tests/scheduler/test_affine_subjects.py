"""AG(2,4) with 5 rotating subjects: the exact subject-visit maximum is 61, not 65."""

from __future__ import annotations

import itertools

import pytest

from bench.affine_subjects import (
    AffinePlane,
    best_visits,
    build_affine_plane,
    check_design,
    check_excess_lemma,
    check_gf4,
    reachable,
    recount_visits,
    smallest_blocking_set,
)

MAXIMUM = 61


@pytest.fixture(scope="module")
def plane() -> AffinePlane:
    return build_affine_plane()


def test_gf4_is_a_field() -> None:
    check_gf4()


def test_design_has_no_repeated_pair_and_covers_every_pair(plane: AffinePlane) -> None:
    check_design(plane)  # asserts internally; recount here without it as well
    pairs = [
        pair for cls in plane.classes for line in cls for pair in itertools.combinations(line, 2)
    ]
    assert len(pairs) == len(set(pairs)) == 16 * 15 // 2
    assert len(plane.classes) == 5 and all(len(cls) == 4 for cls in plane.classes)


def test_excess_lemma_and_blocking_sets(plane: AffinePlane) -> None:
    assert check_excess_lemma(plane) == 5**5 - 1
    assert smallest_blocking_set(plane) == 7  # so no 5 pencil points can carry all 20 lines


def test_65_and_everything_above_61_is_unreachable(plane: AffinePlane) -> None:
    for target in (65, 64, 63, 62):
        assert reachable(target, plane).assignment is None
    found = reachable(MAXIMUM, plane).assignment
    assert found is not None and recount_visits(plane, found) >= MAXIMUM


def test_best_visits_is_61_with_a_valid_plan(plane: AffinePlane) -> None:
    result = best_visits(plane)
    assert result.maximum == MAXIMUM
    assert result.assignment is not None
    assert all(len(set(row)) == 4 for row in result.assignment)
    assert recount_visits(plane, result.assignment) == MAXIMUM


def test_recount_rejects_a_repeated_subject_in_a_round(plane: AffinePlane) -> None:
    bad = ((0, 0, 2, 3),) + tuple((0, 1, 2, 3) for _ in range(4))
    with pytest.raises(AssertionError):
        recount_visits(plane, bad)
