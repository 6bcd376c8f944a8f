"""Trades of whole itineraries (scheduler/itineraries.py): needs move, nothing else does."""

from __future__ import annotations

import random

from bench.coverage import ABSENT
from bench.instances import golfers, uneven, with_absences, with_needs, with_organizations
from scheduler import itineraries
from scheduler.budget import Budget
from scheduler.construct import construct
from scheduler.problem import build_problem
from scheduler.search import state_to_plan, summary
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
