"""The solver's results on the reference event and the guarantees an organizer relies on."""

from __future__ import annotations

import threading

from bench.instances import golfers, lima
from bench.replan import arriving, expected_absent, leaving, most_visits
from scheduler.schema import PlanRound
from scheduler.search import solve
from scheduler.validate import score_plan
from tests.scheduler.limits import work


def test_lima_has_no_repeat_and_every_country_meets_every_subject() -> None:
    inst = lima()
    result = solve(inst, **work(1), seed=0)
    m = result.plan.metrics
    assert m["valid"] and m["repeats"] == 0 and m["subject_visits"] == 80
    score = score_plan(inst, result.plan)
    assert all(len(seen) == 5 for seen in score.subjects_seen.values())
    assert m["needs_served"] > 0.6 * m["needs_possible"]


def test_sixteen_at_four_tables_of_four_has_no_repeat() -> None:
    result = solve(lima(tables=4, capacity=4, min_size=4), **work(2), seed=0)
    assert result.plan.metrics["repeats"] == 0 and result.plan.metrics["valid"]


def test_subjects_first_weights_give_full_coverage() -> None:
    inst = lima(tables=4, capacity=4, min_size=4)
    inst.weights.subject_repeat = 10 * inst.weights.repeat
    m = solve(inst, **work(4), seed=0).plan.metrics
    assert m["valid"] and m["subject_visits"] == 80 and m["repeats"] > 0


def test_large_event_reaches_its_bounds() -> None:
    m = solve(golfers(200, 40, 5, 8), **work(10)).plan.metrics
    assert m["repeats"] == 0 and m["status"] == "optimal"


def test_same_seed_same_plan() -> None:
    inst = golfers(60, 12, 5, 3, subjects=4)
    a = solve(inst, **work(10), seed=7)
    b = solve(inst, **work(10), seed=7)
    assert a.status == b.status == "optimal"
    assert a.plan.rounds == b.plan.rounds


def test_result_comes_back_within_the_time_limit() -> None:
    result = solve(golfers(60, 10, 6, 9), time_limit=2)
    assert result.seconds < 2 + 1.5  # the best plan so far, on time
    assert result.status == "feasible" and result.plan.metrics["valid"]


def test_replan_of_an_unchanged_event_changes_no_seat() -> None:
    inst = lima()
    first = solve(inst, **work(1), seed=0).plan
    later = inst.model_copy(deep=True)
    later.fixed_rounds = [PlanRound.model_validate(r.model_dump()) for r in first.rounds[:2]]
    again = solve(later, **work(2), seed=5, previous=first).plan
    assert again.metrics["seat_changes"] == 0 and again.rounds == first.rounds


def test_replan_when_someone_leaves_keeps_played_rounds() -> None:
    inst = lima()
    first = solve(inst, **work(1), seed=0).plan
    # Cuba leaves after round 2: rounds 1-2 stay as played, Cuba is absent from round 3 on.
    later = leaving(inst, first, "CU", 3)
    second = solve(later, **work(2), seed=0, previous=first).plan
    assert second.metrics["valid"] and second.metrics["repeats"] == 0
    assert second.rounds[:2] == first.rounds[:2]
    assert all("CU" not in t.participants for r in second.rounds[2:] for t in r.tables)
    assert score_plan(later, second, first).seat_changes == second.metrics["seat_changes"]


def test_replan_keeps_the_subject_visits_the_remaining_rounds_allow() -> None:
    inst = lima()
    first = solve(inst, **work(1), seed=0).plan
    for who, from_round in [("MX", 4), ("BR", 4), ("CL", 5)]:
        later = leaving(inst, first, who, from_round)
        most, proven = most_visits(later, seconds=120)
        assert proven
        second = solve(later, **work(2), seed=0, previous=first).plan
        assert second.metrics["repeats"] == 0
        assert second.metrics["subject_visits"] == most, (who, from_round)


def test_replan_for_a_late_arrival_keeps_every_subject_for_everyone() -> None:
    inst = lima()
    # Peru was not expected; it arrives before round 3
    first = solve(expected_absent(inst, "PE"), **work(1), seed=0).plan
    later = arriving(inst, first, "PE", 3)
    second = solve(later, **work(2), seed=0, previous=first).plan
    m = second.metrics
    assert m["valid"] and m["repeats"] == 0
    assert m["subject_visits"] == m["subject_visits_full"] == 78  # 15 x 5 + Peru's 3
    assert second.rounds[:2] == first.rounds[:2]
    seated = [sum("PE" in t.participants for t in r.tables) for r in second.rounds]
    assert seated == [0, 0, 1, 1, 1]


def test_stop_ends_a_long_solve_with_the_best_plan_so_far() -> None:
    stop = threading.Event()
    timer = threading.Timer(1.0, stop.set)
    timer.start()
    result = solve(golfers(60, 10, 6, 9), time_limit=60, stop=stop)
    timer.cancel()
    assert result.seconds < 10 and result.plan.metrics["valid"]


def test_stop_ends_the_exact_phase_too() -> None:
    stop = threading.Event()
    timer = threading.Timer(1.0, stop.set)
    timer.start()
    result = solve(lima(tables=4, capacity=4, min_size=4), time_limit=60, stop=stop)
    timer.cancel()
    assert result.seconds < 10 and result.plan.metrics["valid"]
