"""Moves on a State and their cost deltas, evaluated without changing the state."""

from __future__ import annotations

from .state import APART, State


def _need_delta(
    st: State, r: int, before: list[tuple[int, list[int]]], after: list[tuple[int, list[int]]]
) -> int:
    """Change in unserved needs when tables (subject, units) `before` become `after` in
    round r."""
    net: dict[tuple[int, int], int] = {}
    for s, units in before:
        for key in st.served_at(r, s, units):
            net[key] = net.get(key, 0) - 1
    for s, units in after:
        for key in st.served_at(r, s, units):
            net[key] = net.get(key, 0) + 1
    return needs_change(st, net)


def needs_change(st: State, net: dict[tuple[int, int], int]) -> int:
    """Cost change when each need (topic, participant) is served `net` more times than now."""
    d = 0
    for (k, p), change in net.items():
        if change:
            was = st.served[k].get(p, 0)
            d += (was + change == 0) - (was == 0)
    return d * st.need_w


def _subject_delta(st: State, u: int, old: int, new: int) -> int:
    if old == new:
        return 0
    vis = st.visits[u]
    d = 0
    if old >= 0 and vis[old] >= 2:
        d -= 1
    if new >= 0 and vis[new] >= 1:
        d += 1
    return d * st.subject_w * st.weight_u[u]


def subject_pair_delta(st: State, u: int, w: int, sa: int, sb: int) -> int:
    """Subject part of swapping u (at subject sa) with w (at subject sb)."""
    return _subject_delta(st, u, sa, sb) + _subject_delta(st, w, sb, sa)


def _change_delta(st: State, u: int, r: int, old: int, new: int) -> int:
    want = st.prev.get((u, r))
    if want is None:
        return 0
    return st.change_w * st.weight_u[u] * ((new != want) - (old != want))


def _leave_join(st: State, u: int, leave: list[int], join: list[int], skip: int) -> int:
    """Pair-cost change when u leaves the units `leave` and joins `join` (minus `skip`)."""
    row, add, wu, ww = st.meet[u], st.add_pair, st.weight_u, st.weight_u[u]
    d = 0
    for x in leave:
        if x != u:
            d -= ww * wu[x] * add[row[x] - 1]
    for y in join:
        if y != skip:
            d += ww * wu[y] * add[row[y]]
    if st.has_apart:
        bad = st.apart[u]
        d += APART * (
            sum(1 for y in join if y in bad and y != skip) - sum(1 for x in leave if x in bad)
        )
    return d


def size_ok(st: State, r: int, t: int, new_count: int) -> bool:
    prob = st.problem
    return prob.lo[t] <= new_count <= prob.cap[t]


def swap_delta(st: State, r: int, u: int, w: int) -> int | None:
    a, b = st.seat[r][u], st.seat[r][w]
    su, sw = st.size_u[r][u], st.size_u[r][w]
    if su != sw and not (
        size_ok(st, r, a, st.count[r][a] - su + sw) and size_ok(st, r, b, st.count[r][b] - sw + su)
    ):
        return None
    ta, tb = st.at[r][a], st.at[r][b]
    if st.cached and not st.has_apart:
        wu, ww = st.weight_u[u], st.weight_u[w]
        both = wu * ww * st.add_pair[st.meet[u][w]]
        join, stay = st.join[r], st.stay[r]
        d = wu * (join[u][b] - stay[u]) + ww * (join[w][a] - stay[w]) - 2 * both
    else:
        d = _leave_join(st, u, ta, tb, w) + _leave_join(st, w, tb, ta, u)
    sa, sb = st.subj[r][a], st.subj[r][b]
    if sa != sb:
        d += _subject_delta(st, u, sa, sb) + _subject_delta(st, w, sb, sa)
    if st.prev:
        d += _change_delta(st, u, r, a, b) + _change_delta(st, w, r, b, a)
    if st.track_needs:
        new_a = [x for x in ta if x != u] + [w]
        new_b = [y for y in tb if y != w] + [u]
        d += _need_delta(st, r, [(sa, ta), (sb, tb)], [(sa, new_a), (sb, new_b)])
    return d


def relocate_delta(st: State, r: int, u: int, b: int) -> int | None:
    a = st.seat[r][u]
    su = st.size_u[r][u]
    if a == b or st.count[r][b] == 0:
        return None
    if not (size_ok(st, r, a, st.count[r][a] - su) and size_ok(st, r, b, st.count[r][b] + su)):
        return None
    ta, tb = st.at[r][a], st.at[r][b]
    if st.cached and not st.has_apart:
        d = st.weight_u[u] * (st.join[r][u][b] - st.stay[r][u])
    else:
        d = _leave_join(st, u, ta, tb, -1)
    sa, sb = st.subj[r][a], st.subj[r][b]
    d += _subject_delta(st, u, sa, sb)
    if st.prev:
        d += _change_delta(st, u, r, a, b)
    if st.track_needs:
        new_a = [x for x in ta if x != u]
        d += _need_delta(st, r, [(sa, ta), (sb, tb)], [(sa, new_a), (sb, tb + [u])])
    return d


def subjects_delta(st: State, r: int, changes: dict[int, int]) -> int:
    """Cost change when tables take new subjects ({table: subject})."""
    d = 0
    for t, s in changes.items():
        old = st.subj[r][t]
        for u in st.at[r][t]:
            d += _subject_delta(st, u, old, s)
    if st.track_needs:
        before = [(st.subj[r][t], st.at[r][t]) for t in changes]
        after = [(s, st.at[r][t]) for t, s in changes.items()]
        d += _need_delta(st, r, before, after)
    return d


def apply_swap(st: State, r: int, u: int, w: int) -> None:
    a, b = st.seat[r][u], st.seat[r][w]
    st.remove(r, u)
    st.remove(r, w)
    st.place(r, u, b)
    st.place(r, w, a)


def apply_relocate(st: State, r: int, u: int, b: int) -> None:
    st.remove(r, u)
    st.place(r, u, b)


def apply_subjects(st: State, r: int, changes: dict[int, int]) -> None:
    for t, s in changes.items():
        st.set_subject(r, t, s)
