"""Trades of whole itineraries (scheduler/itineraries.py): needs move, nothing else does."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from bench.coverage import ABSENT
from bench.instances import (
    golfers,
    lima,
    uneven,
    with_absences,
    with_needs,
    with_organizations,
)
from scheduler import itineraries
from scheduler.budget import Budget
from scheduler.construct import construct
from scheduler.greedy import greedy
from scheduler.problem import build_problem
from scheduler.schema import Instance, parse_instance
from scheduler.search import solve, state_to_plan, summary
from scheduler.state import State
from scheduler.validate import score_plan


def _designed() -> tuple[State, object]:
    # 100 people at 20 tables of 5, 5 subjects of 4 hosts, 160 needs: the subject design
    # seats them with no repeat and every subject for everyone, serving few needs
    inst = with_needs(golfers(100, 20, 5, 5, subjects=5))
    st = State(build_problem(inst))
    assert construct(st, random.Random(0), Budget.of_work(1))
    return st, inst


def test_a_trade_moves_needs_only_and_its_delta_is_the_cost_change() -> None:
    st, _inst = _designed()
    rng = random.Random(1)
    for _ in range(30):
        a, b = rng.sample(range(100), 2)
        before, figures = st.cost(), summary(st)
        delta = itineraries.trade_delta(st, a, b)
        itineraries._trade(st, a, b)
        after = summary(st)
        assert st.cost() == before + delta
        assert (after["repeats"], after["subject_visits"]) == (0, 500)
        assert after["needs_unserved"] - figures["needs_unserved"] == delta // st.need_w


def _no_subjects_with_topics() -> Instance:
    # topics of no subject, met at any table; some people ask what they offer
    data = golfers(24, 6, 4, 4).model_dump()
    rng = random.Random(2)
    people = [p["id"] for p in data["participants"]]
    data["topics"] = [
        {"id": f"k{k}", "requesting": rng.sample(people, 8), "offering": rng.sample(people, 3)}
        for k in range(6)
    ]
    return parse_instance(data)


@pytest.mark.parametrize(
    "make",
    [
        lambda: lima(),  # "*" asks: offerers asking their own topic need another offerer
        _no_subjects_with_topics,
        lambda: with_needs(with_absences(uneven(100, 20, 5, 5, subjects=5), ABSENT)),
    ],
    ids=["lima", "no subjects", "absences"],
)
@pytest.mark.parametrize("replan", [False, True], ids=["first plan", "re-plan"])
def test_every_trade_delta_is_the_cost_change(make: Callable[[], Instance], replan: bool) -> None:
    inst = make()
    previous = None
    if replan:  # seats of an earlier plan: each seat a trade moves counts
        previous = solve(inst, work_limit=0.2, seed=5).plan
    st = State(build_problem(inst, previous))
    rng = random.Random(3)
    if not construct(st, rng, Budget.of_work(1)):
        greedy(st, rng, list(range(st.rounds)))
    kind = itineraries._kinds(st)
    movable = [u for u, k in enumerate(kind) if k >= 0 and kind.count(k) > 1]
    for _ in range(150):
        a = rng.choice(movable)
        b = rng.choice([v for v in movable if kind[v] == kind[a] and v != a])
        before = st.cost()
        delta = itineraries.trade_delta(st, a, b)
        itineraries._trade(st, a, b)
        assert st.cost() == before + delta


def test_trades_serve_more_needs_keeping_pairs_and_subjects() -> None:
    st, inst = _designed()
    unserved = summary(st)["needs_unserved"]
    st = itineraries.improve(st, Budget.of_work(1), seed=0, floor=0)
    figures = summary(st)
    assert figures["repeats"] == 0 and figures["subject_visits"] == 500
    assert figures["needs_unserved"] <= unserved - 60  # the design alone leaves 136 of 160
    score = score_plan(inst, state_to_plan(st))
    assert (
        score.valid and score.repeats == 0 and len(score.served) == 160 - figures["needs_unserved"]
    )


def test_the_same_seed_and_work_give_the_same_trades() -> None:
    first, _inst = _designed()
    again, _inst = _designed()
    itineraries.improve(first, Budget.of_work(0.5), seed=3, floor=0)
    itineraries.improve(again, Budget.of_work(0.5), seed=3, floor=0)
    assert first.seat == again.seat


def test_trades_keep_organizations_apart() -> None:
    # 10 organizations of 10 kept apart: colleagues trade freely, others only where nobody
    # would sit with a colleague
    inst = with_needs(with_organizations(golfers(100, 20, 5, 5, subjects=5), 10))
    st = State(build_problem(inst))
    assert construct(st, random.Random(0), Budget.of_work(1))
    unserved = summary(st)["needs_unserved"]
    st = itineraries.improve(st, Budget.of_work(1), seed=0, floor=0)
    assert summary(st)["needs_unserved"] <= unserved - 30
    score = score_plan(inst, state_to_plan(st))
    assert score.valid and score.repeats == 0 and score.subject_visits == 500
    for group in inst.keep_apart:
        for rnd in state_to_plan(st).rounds:
            for table in rnd.tables:
                assert len(set(group) & set(table.participants)) <= 1


def test_only_people_present_in_the_same_rounds_trade() -> None:
    # six people absent in one or two rounds: a trade with them would seat someone absent
    inst = with_needs(with_absences(uneven(100, 20, 5, 5, subjects=5), ABSENT))
    st = State(build_problem(inst))
    assert construct(st, random.Random(0), Budget.of_work(1))
    unserved = summary(st)["needs_unserved"]
    st = itineraries.improve(st, Budget.of_work(1), seed=0, floor=0)
    assert summary(st)["needs_unserved"] < unserved
    score = score_plan(inst, state_to_plan(st))
    assert score.valid and score.repeats == 0
