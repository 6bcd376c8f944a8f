"""Every move's delta equals the change of the full cost, with and without the caches."""

from __future__ import annotations

import random

import pytest

from bench.instances import lima
from scheduler import moves, state
from scheduler.greedy import greedy
from scheduler.local_search import apply, candidate_moves
from scheduler.problem import build_problem
from scheduler.state import State
from tests.factories import make_instance


def instances():  # type: ignore[no-untyped-def]
    yield lima()
    yield make_instance(
        people=11,
        tables=4,
        capacity=4,
        min_size=2,
        rounds=4,
        subjects=3,
        keep_together=[["p1", "p2"]],
        keep_apart=[["p3", "p4"]],
    )
    yield make_instance(people=12, tables=3, capacity=5, min_size=3, rounds=3)


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("which", [0, 1, 2])
def test_move_deltas_match_the_cost(which: int, cached: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(state, "CACHE_LIMIT", 10**9 if cached else 0)
    inst = list(instances())[which]
    prob = build_problem(inst)
    st = State(prob)
    rng = random.Random(which)
    greedy(st, rng, list(range(prob.rounds)))
    cost = st.cost()
    for _ in range(60):
        r = rng.randrange(prob.rounds)
        u = rng.choice([u for u in range(len(prob.units)) if st.seat[r][u] >= 0])
        cands = candidate_moves(st, r, u, rng)
        if not cands:
            continue
        delta, move = rng.choice(cands)
        apply(st, move)
        cost += delta
        assert st.cost() == cost, move
    if cached:
        fresh = State(prob)
        for r in range(prob.rounds):
            fresh.subj[r] = st.subj[r][:]
            for u, t in enumerate(st.seat[r]):
                if t >= 0:
                    fresh.place(r, u, t)
        assert fresh.join == st.join and fresh.stay == st.stay
    assert moves.size_ok(st, 0, prob.open_tables[0][0], st.count[0][prob.open_tables[0][0]])
