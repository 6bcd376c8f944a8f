"""Tabu search over seatings (after Triska & Musliu's social golfer search).

Each step takes one conflicted seat (a unit meeting someone again, seeing a subject again or
missing a need), evaluates every move of it in that round (swap with anyone at another table,
move to a table with room, change its table's subject) and applies the best one that is not
tabu. A long stall is broken by a few random swaps.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from . import moves
from .budget import MOVES_PER_UNIT, Budget
from .state import State

Snapshot = tuple[list[list[int]], list[list[int]]]

SAMPLE = 24  # conflicted seats whose moves are weighed per step
TENURE = (3, 3)  # a move stays tabu for TENURE[0] + randrange(TENURE[1]) steps
STALL = (100, 2)  # steps without a new best, plus per unit, before a restart from the best
SHAKE = 4  # random swaps that shake the best plan at a restart


@dataclass
class Move:
    kind: str  # "swap", "double", "relocate" or "subjects"
    r: int
    u: int
    other: int = -1  # unit to swap with, or destination table
    changes: dict[int, int] | None = None  # table -> subject
    r2: int = -1  # "double": the second round of the swap


def snapshot(st: State) -> Snapshot:
    return [row[:] for row in st.seat], [row[:] for row in st.subj]


def restore(st: State, snap: Snapshot) -> State:
    fresh = State(st.problem)
    seat, subj = snap
    for r, row in enumerate(subj):
        fresh.subj[r] = row[:]
    for r, row in enumerate(seat):
        for u, t in enumerate(row):
            if t >= 0:
                fresh.place(r, u, t)
    return fresh


def conflicts(st: State) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Seats (round, unit) in a repeat, and seats in a lesser conflict (subject, need)."""
    prob = st.problem
    hard: list[tuple[int, int]] = []
    soft: list[tuple[int, int]] = []
    # where every second meeting costs, a seat's cached stay cost says whether it repeats
    quick = st.cached and not st.has_apart and st.add_pair[1] > 0
    for r in range(st.rounds):
        frozen = st.frozen[r]
        stay = st.stay[r] if quick else []
        for t, units in enumerate(st.at[r]):
            s = st.subj[r][t]
            for u in units:
                if frozen[u]:
                    continue
                if quick:
                    repeats = stay[u] > 0
                else:
                    row = st.meet[u]
                    repeats = any(row[x] >= 2 for x in units if x != u) or bool(
                        st.has_apart and st.apart[u] & set(units)
                    )
                if repeats:
                    hard.append((r, u))
                elif s >= 0 and st.visits[u][s] >= 2:
                    soft.append((r, u))
    if st.track_needs and not hard:
        for _k, p in st.unserved_needs():
            u = prob.unit_of[p]
            soft.extend(
                (r, u) for r in range(st.rounds) if st.seat[r][u] >= 0 and not st.frozen[r][u]
            )
    return hard, soft


def candidate_moves(
    st: State, r: int, u: int, rng: random.Random, limit: int = 400
) -> list[tuple[int, Move]]:
    a = st.seat[r][u]
    out: list[tuple[int, Move]] = []
    others = [w for t, units in enumerate(st.at[r]) if t != a for w in units if not st.frozen[r][w]]
    if len(others) > limit:
        others = rng.sample(others, limit)
    for w in others:
        d = moves.swap_delta(st, r, u, w)
        if d is not None:
            out.append((d, Move("swap", r, u, w)))
    return out + _other_moves(st, r, u)


def _double_swaps(st: State, r: int, u: int, others: list[int]) -> list[tuple[int, Move]]:
    """Swap u and w in two rounds where their subjects are crossed: both keep the subjects
    they see, so coverage holds while the groups change."""
    sa = st.subj[r][st.seat[r][u]]
    if sa < 0:
        return []
    out = []
    for w in others:
        sb = st.subj[r][st.seat[r][w]]
        if sb < 0 or sb == sa:
            continue
        for r2 in range(st.rounds):
            if r2 == r or st.frozen[r2][u] or st.frozen[r2][w]:
                continue
            tu, tw = st.seat[r2][u], st.seat[r2][w]
            if tu < 0 or tw < 0 or st.subj[r2][tu] != sb or st.subj[r2][tw] != sa:
                continue
            first = moves.swap_delta(st, r, u, w)
            if first is None:
                break
            moves.apply_swap(st, r, u, w)
            second = moves.swap_delta(st, r2, u, w)
            moves.apply_swap(st, r, u, w)
            if second is not None:
                out.append((first + second, Move("double", r, u, w, r2=r2)))
    return out


def _best_swap(
    st: State,
    r: int,
    u: int,
    tabu: dict[tuple[int, int, int], int],
    it: int,
    aspiration: int,
    rng: random.Random,
) -> tuple[int, Move] | None:
    """The best non-tabu swap of u in round r, read from the join/stay caches (ties broken
    at random); a tabu swap is taken only if it beats the best cost so far."""
    a = st.seat[r][u]
    sa = st.subj[r][a]
    join, stay, subj, seat = st.join[r], st.stay[r], st.subj[r], st.seat[r]
    ju, su, mu, add = join[u], stay[u], st.meet[u], st.add_pair
    wu = st.weight_u[u]
    size_u = st.size_u[r]
    frozen = st.frozen[r]
    best_d, best_w, ties = 0, -1, 0
    for w in st.here[r]:
        b = seat[w]
        if b == a or frozen[w]:
            continue
        ww = st.weight_u[w]
        if size_u[w] != size_u[u]:
            full = moves.swap_delta(st, r, u, w)
            if full is None:
                continue
            d = full
        else:
            d = wu * (ju[b] - su) + ww * (join[w][a] - stay[w]) - 2 * wu * ww * add[mu[w]]
            sb = subj[b]
            if sa != sb:
                d += moves.subject_pair_delta(st, u, w, sa, sb)
        if best_w >= 0 and d > best_d:
            continue
        if d >= aspiration and (tabu.get((r, u, b), 0) > it or tabu.get((r, w, a), 0) > it):
            continue
        if best_w < 0 or d < best_d:
            best_d, best_w, ties = d, w, 1
        else:
            ties += 1
            if rng.randrange(ties) == 0:
                best_w = w
    return None if best_w < 0 else (best_d, Move("swap", r, u, best_w))


def _other_moves(st: State, r: int, u: int) -> list[tuple[int, Move]]:
    """Moves besides swaps: to a table with room, and subject changes."""
    prob = st.problem
    out: list[tuple[int, Move]] = []
    if any(prob.lo[t] != prob.cap[t] for t in prob.open_tables[r]):
        for b in prob.open_tables[r]:
            d = moves.relocate_delta(st, r, u, b)
            if d is not None:
                out.append((d, Move("relocate", r, u, b)))
    if prob.mode == "rotating" and r not in prob.fixed:
        a = st.seat[r][u]
        out.extend(_subject_moves(st, r, u, a))
        others = [w for w in st.here[r] if st.seat[r][w] != a and not st.frozen[r][w]]
        out.extend(_double_swaps(st, r, u, others))
    return out


def _subject_moves(st: State, r: int, u: int, a: int) -> list[tuple[int, Move]]:
    prob = st.problem
    out = []
    sa = st.subj[r][a]
    for b in prob.open_tables[r]:
        if b != a and st.subj[r][b] != sa:
            ch = {a: st.subj[r][b], b: sa}
            out.append((moves.subjects_delta(st, r, ch), Move("subjects", r, u, changes=ch)))
    used = [0] * len(prob.sid)
    for t in prob.open_tables[r]:
        if st.subj[r][t] >= 0:
            used[st.subj[r][t]] += 1
    for s, k in enumerate(used):
        if k < prob.hosts[s] and s != sa:
            ch = {a: s}
            out.append((moves.subjects_delta(st, r, ch), Move("subjects", r, u, changes=ch)))
    return out


def apply(st: State, move: Move) -> None:
    if move.kind == "swap":
        moves.apply_swap(st, move.r, move.u, move.other)
    elif move.kind == "double":
        moves.apply_swap(st, move.r, move.u, move.other)
        moves.apply_swap(st, move.r2, move.u, move.other)
    elif move.kind == "relocate":
        moves.apply_relocate(st, move.r, move.u, move.other)
    else:
        assert move.changes is not None
        moves.apply_subjects(st, move.r, move.changes)


def _tabu_keys(st: State, move: Move) -> list[tuple[int, int, int]]:
    """What a move would undo: a unit going back to a table, a table going back to a subject."""
    if move.kind == "subjects":
        assert move.changes is not None
        return [(move.r, -1 - t, st.subj[move.r][t]) for t in move.changes]
    keys = [(move.r, move.u, st.seat[move.r][move.u])]
    if move.kind in ("swap", "double"):
        keys.append((move.r, move.other, st.seat[move.r][move.other]))
    if move.kind == "double":
        keys.append((move.r2, move.u, st.seat[move.r2][move.u]))
        keys.append((move.r2, move.other, st.seat[move.r2][move.other]))
    return keys


def _would_undo(move: Move, st: State, tabu: dict[tuple[int, int, int], int], it: int) -> bool:
    r = move.r
    if move.kind == "subjects":
        assert move.changes is not None
        return any(tabu.get((r, -1 - t, s), 0) > it for t, s in move.changes.items())
    if move.kind in ("swap", "double"):
        a, b = st.seat[r][move.u], st.seat[r][move.other]
        if tabu.get((r, move.u, b), 0) > it or tabu.get((r, move.other, a), 0) > it:
            return True
        if move.kind == "double":
            a, b = st.seat[move.r2][move.u], st.seat[move.r2][move.other]
            return (
                tabu.get((move.r2, move.u, b), 0) > it or tabu.get((move.r2, move.other, a), 0) > it
            )
        return False
    return tabu.get((r, move.u, move.other), 0) > it


def tabu_search(
    st: State,
    rng: random.Random,
    budget: Budget,
    floor: int,
    on_best: Callable[[State, int], None] | None = None,
    enough: Callable[[State], bool] | None = None,
) -> State:
    """Improve st until its cost reaches `floor`, `enough` holds for its best state or the
    budget is spent; returns the best state. Each step's seats weighed, times the units they
    may swap with, count as work."""
    cost = st.cost()
    best_cost, best = cost, snapshot(st)
    tabu: dict[tuple[int, int, int], int] = {}
    units = len(st.problem.units)
    refresh = max(1, units // 64)
    stall_limit = STALL[0] + STALL[1] * units
    it = stall = 0
    hard: list[tuple[int, int]] = []
    soft: list[tuple[int, int]] = []
    fast = st.cached and not st.has_apart and not st.track_needs and not st.prev
    # a full delta costs about this many cached ones (measured: Lima's needs, 29 golfers)
    slow = 75 if st.track_needs else 10
    while best_cost > floor and not budget.over():
        if it % refresh == 0:
            hard, soft = conflicts(st)
            if not hard and not soft:
                break
        it += 1
        pool = hard if hard and (not soft or rng.random() < 0.9) else soft
        if not pool:
            pool = hard or soft
        seats = pool if len(pool) <= SAMPLE else rng.sample(pool, SAMPLE)
        weighed = 0
        chosen: tuple[int, Move] | None = None
        for r, u in seats:
            if fast:
                found = _best_swap(st, r, u, tabu, it, best_cost - cost, rng)
                if found is not None and (chosen is None or found[0] < chosen[0]):
                    chosen = found
                cands = _other_moves(st, r, u)
                weighed += len(st.here[r]) + len(cands)
            else:
                cands = candidate_moves(st, r, u, rng)
                weighed += len(cands) * slow
            rng.shuffle(cands)
            for d, mv in cands:
                if chosen is not None and d >= chosen[0]:
                    continue
                if cost + d < best_cost or not _would_undo(mv, st, tabu, it):
                    chosen = (d, mv)
        # looking at a seat costs work even when it has no move (an event whose hard rules
        # cannot all hold may have none anywhere): the work limit then still ends the search
        budget.spend(max(weighed, len(seats), 1) / MOVES_PER_UNIT)
        if chosen is None:
            continue
        d, mv = chosen
        tenure = TENURE[0] + rng.randrange(TENURE[1])
        for key in _tabu_keys(st, mv):
            tabu[key] = it + tenure
        apply(st, mv)
        cost += d
        if cost < best_cost:
            best_cost, best, stall = cost, snapshot(st), 0
            if on_best is not None:
                on_best(st, cost)
            if enough is not None and enough(st):
                break
        else:
            stall += 1
        if stall > stall_limit:
            st = restore(st, best)
            cost = best_cost
            _shake(st, rng)
            cost = st.cost()
            stall = 0
            tabu.clear()
    if cost != best_cost:
        st = restore(st, best)
    return st


def _shake(st: State, rng: random.Random) -> None:
    prob = st.problem
    free = [r for r in range(st.rounds) if r not in prob.fixed]
    for _ in range(SHAKE):
        if not free:
            return
        r = rng.choice(free)
        movable = [u for u in range(len(prob.units)) if st.seat[r][u] >= 0 and not st.frozen[r][u]]
        if len(movable) < 2:
            continue
        u, w = rng.sample(movable, 2)
        if st.seat[r][u] != st.seat[r][w] and moves.swap_delta(st, r, u, w) is not None:
            moves.apply_swap(st, r, u, w)
