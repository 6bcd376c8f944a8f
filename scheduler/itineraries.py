"""Needs, cheaply: two participants trade their whole itineraries.

Once no pair meets twice and everyone sees every subject, which person follows which
itinerary is still free. Two units of one person each, present in the same rounds and pinned
in none, that trade every seat leave every pair's meetings and every subject count as they
were (the itineraries are the same, only their owners change): the needs served and the seat
changes are all that move. A trade that would seat someone with a person kept apart from them
is not made (two colleagues of one organization can always trade). An unserved need (topic k
of subject s, requester p) is served by giving an offerer the itinerary of someone at p's
table of s, or p the itinerary of someone at an offerer's table of s.

A simulated annealing walks these trades: each step weighs a few of them, without touching
the plan, for one unserved need; it ends when its budget does or when the best plan has not
improved for a long while, and returns the best plan seen. Hundreds of trades are weighed in
the time CP-SAT re-seats one neighbourhood, so on a plan built from a design (where the first
needs come cheap) this serves most of what the re-seating would, far sooner; the re-seating
(reseat.py) then takes over, and can change the itineraries themselves. Small events do the
same before the exact model's neighbourhoods (lns.py).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from .budget import Budget
from .moves import _change_delta, apply_swap, needs_change
from .state import State

TRADES_PER_UNIT = 40_000  # trades weighed per unit of work (budget.py): about a second
SAMPLE = 20  # trades weighed a step
REFRESH = 50  # steps between two listings of the unserved needs
STALE = 20_000  # steps without a better plan that end the phase
HEAT = 1.0  # the first temperature, in needs: a trade losing one need is then taken 37% of times


class _Progress:
    """How much of the budget is spent, 0 to 1: of its work when counted, else of its time."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.work = budget.work
        self.seconds = max(1e-9, budget.seconds_left())

    def done(self) -> float:
        if self.work is not None:
            return 1.0 - (self.budget.work or 0.0) / max(self.work, 1e-9)
        return 1.0 - self.budget.seconds_left() / self.seconds


def _apart_ok(st: State, a: int, b: int) -> bool:
    """Neither a nor b sits with anyone kept apart from them, before the trade or after."""
    if not st.has_apart or not (st.apart[a] or st.apart[b]):
        return True
    for r in range(st.rounds):
        ta, tb = st.seat[r][a], st.seat[r][b]
        if ta == tb:
            continue
        for x in st.at[r][ta]:
            if x != a and (x in st.apart[a] or x in st.apart[b]):
                return False
        for y in st.at[r][tb]:
            if y != b and (y in st.apart[b] or y in st.apart[a]):
                return False
    return True


def trade_delta(st: State, a: int, b: int) -> int:
    """Cost change when units a and b trade every seat (both movable, present alike).

    Only needs of a or b, or of topics one of them offers, can change: anyone else keeps the
    same table companions offering the same topics. Those are counted table by table."""
    d = 0
    pa, pb = st.problem.units[a][0], st.problem.units[b][0]
    topics = _topics_of(st, pa, pb) if st.track_needs else set()
    subjects = {ks for _k, ks in topics}
    anywhere = st.problem.mode == "none" or -1 in subjects
    net: dict[tuple[int, int], int] = {}
    for r in range(st.rounds):
        ta, tb = st.seat[r][a], st.seat[r][b]
        if ta == tb:
            continue
        if st.prev:
            d += _change_delta(st, a, r, ta, tb) + _change_delta(st, b, r, tb, ta)
        if anywhere or st.subj[r][ta] in subjects:
            _side(st, net, topics, r, ta, a, pa, pb)
        if anywhere or st.subj[r][tb] in subjects:
            _side(st, net, topics, r, tb, b, pb, pa)
    return d + needs_change(st, net)


def _topics_of(st: State, pa: int, pb: int) -> set[tuple[int, int]]:
    """(topic, subject) of the topics pa or pb asks or offers."""
    return {*st.asks_of[pa], *st.offers_of[pa], *st.asks_of[pb], *st.offers_of[pb]}


def _side(
    st: State,
    net: dict[tuple[int, int], int],
    topics: set[tuple[int, int]],
    r: int,
    t: int,
    out: int,
    leaving: int,
    coming: int,
) -> None:
    """Into net, the change in how often each need is served at table t of round r when
    `leaving` (of unit out) gives its seat to `coming`, for the topics given."""
    s = st.subj[r][t]
    every = st.problem.mode == "none"
    others = [q for u in st.at[r][t] if u != out for q in st.members[r][u]]
    offers, asks = st.offer_set, st.ask_set
    for k, ks in topics:
        if not (every or ks == s or ks < 0):
            continue
        offering = sum(1 for q in others if k in offers[q])
        before = offering + (k in offers[leaving])
        after = offering + (k in offers[coming])
        if before != after:
            for q in others:
                if k in asks[q]:
                    mine = k in offers[q]  # an offerer asking too needs another offerer
                    change = (after - mine > 0) - (before - mine > 0)
                    if change:
                        net[(k, q)] = net.get((k, q), 0) + change
        if offering:  # the leaving one was served here, the coming one will be
            if k in asks[leaving]:
                net[(k, leaving)] = net.get((k, leaving), 0) - 1
            if k in asks[coming]:
                net[(k, coming)] = net.get((k, coming), 0) + 1


def _trade(st: State, a: int, b: int) -> None:
    for r in range(st.rounds):
        if st.seat[r][a] != st.seat[r][b]:
            apply_swap(st, r, a, b)


def _kinds(st: State) -> list[int]:
    """Per unit, -1 when it cannot trade, else a number shared by the units present in the
    same rounds (trades keep who is present when, so this holds for the whole phase). Units
    of several people, or pinned in some round, cannot trade."""
    numbers: dict[tuple[bool, ...], int] = {}
    out = []
    for u in range(len(st.problem.units)):
        if st.weight_u[u] != 1 or any(st.frozen[r][u] for r in range(st.rounds)):
            out.append(-1)
            continue
        rounds = tuple(st.seat[r][u] >= 0 for r in range(st.rounds))
        out.append(numbers.setdefault(rounds, len(numbers)))
    return out


def _candidates(st: State, k: int, p: int, kind: list[int]) -> list[tuple[int, int]]:
    """Trades that seat requester p with an offerer of topic k at a table of its subject."""
    prob = st.problem
    s, _asking, offering = prob.topics[k]
    u = prob.unit_of[p]
    offerers = sorted({prob.unit_of[q] for q in offering if q != p})
    out: list[tuple[int, int]] = []
    for r in range(st.rounds):
        t = st.seat[r][u]
        if t < 0 or (s >= 0 and st.subj[r][t] != s):
            continue
        # an offerer takes the itinerary of someone at p's table (present in the same rounds)
        for o in offerers:
            if kind[o] >= 0:
                out += [(o, v) for v in st.at[r][t] if v not in (u, o) and kind[v] == kind[o]]
    if kind[u] >= 0:
        # p takes the itinerary of someone at an offerer's table of s
        for o in offerers:
            for r in range(st.rounds):
                t = st.seat[r][o]
                if t >= 0 and (s < 0 or st.subj[r][t] == s):
                    out += [(u, v) for v in st.at[r][t] if v not in (u, o) and kind[v] == kind[u]]
    return out


def improve(
    st: State,
    budget: Budget,
    seed: int,
    floor: int,
    on_best: Callable[[State, int], None] | None = None,
) -> State:
    """Serve more needs by trades of whole itineraries; st is changed in place and returned.

    Simulated annealing over the trades around unserved needs: each step picks an unserved
    need and weighs a few of the trades that would serve it, taking the best when it loses
    nothing, else with a chance that shrinks as the phase goes on; the best plan seen is the
    one returned (the trades since it undone, each being its own inverse)."""
    if not st.track_needs:
        return st
    rng = random.Random(seed)
    kind = _kinds(st)
    if sum(1 for x in kind if x >= 0) < 2:
        return st
    st.stop_caching()  # a trade moves 2 seats a round; no swap cost is read from the caches
    cost = best_cost = st.cost()
    since_best: list[tuple[int, int]] = []
    clock = _Progress(budget)
    unserved: list[tuple[int, int]] = []
    step = stale = 0  # stale: steps since the best plan was last improved
    while cost > floor and not budget.over() and stale < STALE:
        step += 1
        stale += 1
        if step % REFRESH == 1:
            unserved = st.unserved_needs()
            if not unserved:
                break
        k, p = unserved[rng.randrange(len(unserved))]
        if st.served[k].get(p):
            continue
        candidates = _candidates(st, k, p, kind)
        if not candidates:
            continue
        weighed = [
            (a, b)
            for a, b in rng.sample(candidates, min(SAMPLE, len(candidates)))
            if _apart_ok(st, a, b)
        ]
        budget.spend(max(1, len(weighed)) / TRADES_PER_UNIT)
        if not weighed:
            continue
        d, a, b = min((trade_delta(st, a, b), a, b) for a, b in weighed)
        heat = st.need_w * HEAT * (1.0 - clock.done())
        if d > 0 and (heat <= 0 or rng.random() >= math.exp(-d / heat)):
            continue
        _trade(st, a, b)
        cost += d
        since_best.append((a, b))
        if cost < best_cost:
            best_cost, since_best, stale = cost, [], 0
            if on_best is not None:
                on_best(st, cost)
    for a, b in reversed(since_best):
        _trade(st, a, b)
    return st
