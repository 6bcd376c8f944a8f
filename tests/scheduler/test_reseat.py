"""The needs phase on larger events (scheduler/reseat.py): what an organizer checks."""

from __future__ import annotations

import random

from bench.instances import golfers, with_needs
from scheduler import reseat
from scheduler.budget import Budget
from scheduler.construct import construct
from scheduler.problem import build_problem
from scheduler.search import solve, state_to_plan, summary
from scheduler.state import State
from scheduler.validate import score_plan
from tests.scheduler.limits import work


def test_hundred_people_keep_pairs_and_subjects_while_more_needs_are_served() -> None:
    # 100 people, 20 tables of 5, 5 subjects of 4 hosts, 160 needs; the tabu search alone
    # served 56-65 of them in 10 s, the re-seating 98-105 at this work limit (seeds 0-2), and
    # with trades of whole itineraries first (itineraries.py) 144-148
    inst = with_needs(golfers(100, 20, 5, 5, subjects=5))
    m = solve(inst, **work(3), seed=0).plan.metrics
    assert m["valid"] and m["repeats"] == 0 and m["subject_visits"] == 500
    assert m["needs_total"] == 160 and m["needs_served"] >= 120


def test_re_seating_gives_back_the_subjects_a_swap_took_away() -> None:
    # the design seats 100 people with no repeat and every subject for everyone; one swap
    # that makes no repeat leaves two people seeing a subject twice and missing another, which
    # the re-seating of a few units takes back without making a repeat
    inst = golfers(100, 20, 5, 5, subjects=5)
    st = State(build_problem(inst))
    assert construct(st, random.Random(0), Budget.of_work(1))
    assert summary(st)["subject_visits"] == 500
    swapped = _swap_without_repeat(st)
    assert summary(st)["subject_visits"] == 498 and summary(st)["repeats"] == 0
    assert reseat.short_of_subjects(st) == sorted(swapped)
    st = reseat.improve(st, Budget.of_work(2), seed=0, floor=0)
    figures = summary(st)
    assert figures["subject_visits"] == 500 and figures["repeats"] == 0
    plan = state_to_plan(st)
    score = score_plan(inst, plan)
    assert score.valid and score.repeats == 0 and score.subject_visits == 500


def _swap_without_repeat(st: State) -> tuple[int, int]:
    for u in range(len(st.problem.units)):
        for w in range(u + 1, len(st.problem.units)):
            for r in range(st.rounds):
                a, b = st.seat[r][u], st.seat[r][w]
                if st.subj[r][a] == st.subj[r][b] or st.meet[u][w]:
                    continue
                st.remove(r, u)
                st.remove(r, w)
                st.place(r, u, b)
                st.place(r, w, a)
                if summary(st)["repeats"] == 0:
                    return u, w
                st.remove(r, u)
                st.remove(r, w)
                st.place(r, u, a)
                st.place(r, w, b)
    raise AssertionError("no swap without a repeat")


def test_thousand_people_see_every_subject_with_no_repeat() -> None:
    # 1,000 at 200 tables of 5, 10 subjects of 20 hosts, 10 rounds (no design: 10 is no prime
    # power): the tabu search ends 2-4 visits short on this seed, the re-seating closes it
    inst = golfers(1000, 200, 5, 10, subjects=10)
    result = solve(inst, **work(10), seed=1)
    score = score_plan(inst, result.plan)
    assert score.valid and score.repeats == 0
    assert score.subject_visits == 10_000 == result.bounds.subject_visits
    assert result.status == "optimal"
