"""A seating under search: who sits where, with the counts that make move deltas cheap.

The search works on units (participants kept together). The cost is the weighted sum of the
objective terms; a pair's meetings cost convexly (a third meeting costs more than a second) so
that forced repeats spread over many pairs instead of piling on one.
"""

from __future__ import annotations

from .problem import Problem

APART = 10**12  # a kept-apart pair at one table: never worth it
CACHE_LIMIT = 400_000  # units x tables x rounds up to which join costs are cached


class State:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        w = problem.instance.weights
        rounds, units = problem.rounds, len(problem.units)
        self.rounds = rounds
        self.size_u = [
            [len(problem.unit_members(u, r)) for u in range(units)] for r in range(rounds)
        ]
        self.weight_u = [len(m) for m in problem.units]
        top = rounds + 2
        self.pair_cost = [0] + [
            w.repeat * (m - 1) + w.max_meetings * (m - 1) * (m - 2) // 2 for m in range(1, top)
        ]
        self.add_pair = [self.pair_cost[m + 1] - self.pair_cost[m] for m in range(top - 1)]
        self.subject_w = w.subject_repeat
        self.need_w = w.need
        self.change_w = w.change
        self.seat = [[-1] * units for _ in range(rounds)]
        ntab = len(problem.tid)
        self.at: list[list[list[int]]] = [[[] for _ in range(ntab)] for _ in range(rounds)]
        self.count = [[0] * ntab for _ in range(rounds)]
        self.subj = [[-1] * ntab for _ in range(rounds)]
        self.meet = [bytearray(units) for _ in range(units)]
        nsub = len(problem.sid)
        self.visits = [[0] * nsub for _ in range(units)]
        self.has_apart = any(problem.apart)
        self.apart = [frozenset(a) for a in problem.apart]
        self.track_needs = bool(problem.topics) and self.need_w > 0
        # per round, each unit's people present; per person, the topics asked and offered
        self.members = [[problem.unit_members(u, r) for u in range(units)] for r in range(rounds)]
        self.asks_of: list[list[tuple[int, int]]] = [[] for _ in range(problem.n)]
        self.offers_of: list[list[tuple[int, int]]] = [[] for _ in range(problem.n)]
        for k, (s, asking, offering) in enumerate(problem.topics):
            for p in asking:
                self.asks_of[p].append((k, s))
            for p in offering:
                self.offers_of[p].append((k, s))
        self.ask_set = [frozenset(k for k, _s in topics) for topics in self.asks_of]
        self.offer_set = [frozenset(k for k, _s in topics) for topics in self.offers_of]
        self.served = [dict[int, int]() for _ in problem.topics]  # participant -> rounds served
        self.prev = {(problem.unit_of[p], r): t for (p, r), t in problem.previous.items()}
        self.frozen = [
            [r in problem.fixed or (u, r) in problem.pins for u in range(units)]
            for r in range(rounds)
        ]

        # Small events keep, per round, what each unit would pay to join each table and what it
        # pays where it sits: a swap's pair cost is then read, not summed (see moves.py).
        self.cached = units * ntab * rounds <= CACHE_LIMIT
        self.here = [[u for u in range(units) if self.size_u[r][u]] for r in range(rounds)]
        self.join = (
            [[[0] * ntab for _ in range(units)] for _ in range(rounds)] if self.cached else []
        )
        self.stay = [[0] * units for _ in range(rounds)] if self.cached else []

    def stop_caching(self) -> None:
        """Drop the join/stay caches: each seat placed or removed then costs a table's worth of
        work, not a round's. For the phases that move many seats and read few swap costs."""
        self.cached = False
        self.join, self.stay = [], []

    # -- building -------------------------------------------------------------------------------
    def _bump(self, a: int, b: int, d: int) -> None:
        """Change how often a and b met, keeping the join/stay caches right in every round."""
        old = self.meet[a][b]
        new = old + d
        self.meet[a][b] = self.meet[b][a] = new
        if not self.cached:
            return
        add = self.add_pair
        dj = add[new] - add[old]
        ds = (add[new - 1] if new else 0) - (add[old - 1] if old else 0)
        wa, wb = self.weight_u[a], self.weight_u[b]
        for r in range(self.rounds):
            ta, tb = self.seat[r][a], self.seat[r][b]
            if tb >= 0:
                self.join[r][a][tb] += wb * dj
            if ta >= 0:
                self.join[r][b][ta] += wa * dj
                if ta == tb:
                    self.stay[r][a] += wb * ds
                    self.stay[r][b] += wa * ds

    def place(self, r: int, u: int, t: int) -> None:
        for x in self.at[r][t]:
            self._bump(u, x, +1)
        if self.cached:
            add, wu = self.add_pair, self.weight_u[u]
            for z in self.here[r]:
                if z != u:
                    self.join[r][z][t] += wu * add[self.meet[z][u]]
            stay = 0
            for x in self.at[r][t]:
                m = self.meet[u][x]
                self.stay[r][x] += wu * add[m - 1]
                stay += self.weight_u[x] * add[m - 1]
            self.stay[r][u] = stay
        s = self.subj[r][t]
        if s >= 0:
            self.visits[u][s] += 1
        self._needs(r, t, -1)
        self.at[r][t].append(u)
        self.count[r][t] += self.size_u[r][u]
        self.seat[r][u] = t
        self._needs(r, t, +1)

    def remove(self, r: int, u: int) -> int:
        t = self.seat[r][u]
        self._needs(r, t, -1)
        self.at[r][t].remove(u)
        self.count[r][t] -= self.size_u[r][u]
        self.seat[r][u] = -1
        if self.cached:
            add, wu = self.add_pair, self.weight_u[u]
            for z in self.here[r]:
                if z != u:
                    self.join[r][z][t] -= wu * add[self.meet[z][u]]
            for x in self.at[r][t]:
                self.stay[r][x] -= wu * add[self.meet[u][x] - 1]
            self.stay[r][u] = 0
        for x in self.at[r][t]:
            self._bump(u, x, -1)
        s = self.subj[r][t]
        if s >= 0:
            self.visits[u][s] -= 1
        self._needs(r, t, +1)
        return t

    def set_subject(self, r: int, t: int, s: int) -> None:
        old = self.subj[r][t]
        self._needs(r, t, -1)
        for u in self.at[r][t]:
            if old >= 0:
                self.visits[u][old] -= 1
            if s >= 0:
                self.visits[u][s] += 1
        self.subj[r][t] = s
        self._needs(r, t, +1)

    # -- needs ----------------------------------------------------------------------------------
    def served_at(self, r: int, s: int, units: list[int]) -> list[tuple[int, int]]:
        """(topic, participant) pairs a table of subject s with these units serves."""
        if not self.track_needs:
            return []
        members = self.members[r]
        people = [p for u in units for p in members[u]]
        if len(people) < 2:
            return []
        every = self.problem.mode == "none"
        offered: dict[int, int] = {}
        for q in people:
            for k, ks in self.offers_of[q]:
                if every or ks == s or ks < 0:
                    offered[k] = offered.get(k, 0) + 1
        if not offered:
            return []
        topics = self.problem.topics
        out = []
        for p in people:
            for k, ks in self.asks_of[p]:
                count = offered.get(k)
                mine = every or ks == s or ks < 0
                if count and mine and (count > 1 or p not in topics[k][2]):
                    out.append((k, p))
        return out

    def _needs(self, r: int, t: int, sign: int) -> None:
        if not self.track_needs:
            return
        for k, p in self.served_at(r, self.subj[r][t], self.at[r][t]):
            self.served[k][p] = self.served[k].get(p, 0) + sign

    # -- cost -----------------------------------------------------------------------------------
    def cost(self) -> int:
        total = 0
        units = len(self.weight_u)
        wu = self.weight_u
        for u in range(units):
            row = self.meet[u]
            for v in range(u + 1, units):
                m = row[v]
                if m:
                    total += wu[u] * wu[v] * self.pair_cost[m]
                    if self.has_apart and v in self.apart[u]:
                        total += APART * m
        for u in range(units):
            total += wu[u] * self.subject_w * sum(max(0, v - 1) for v in self.visits[u])
        total += self.need_w * self.unserved()
        total += self.change_w * self.changes()
        return total

    def unserved_needs(self) -> list[tuple[int, int]]:
        """(topic, participant) of every need not served, by topic then participant."""
        if not self.track_needs:
            return []
        return [
            (k, p)
            for k, (_s, asking, _o) in enumerate(self.problem.topics)
            for p in sorted(asking)
            if not self.served[k].get(p)
        ]

    def unserved(self) -> int:
        return len(self.unserved_needs())

    def changes(self) -> int:
        return sum(
            self.weight_u[u]
            for (u, r), t in self.prev.items()
            if not self.frozen[r][u] and self.seat[r][u] not in (-1, t)
        )
