"""Which tables are in use in each round, and how many seats each one fills."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .messages import ngettext

if TYPE_CHECKING:
    from .problem import Problem


def choose_open_tables(problem: Problem, r: int) -> list[int]:
    """As many tables as the people present can fill to their minimum (and facilitators host)."""
    from .problem import Infeasible

    rnd = r + 1
    if r in problem.fixed:
        return sorted(set(problem.fixed[r].values()))
    count = sum(problem.present[r])
    required = sorted({t for (_u, rr), t in problem.pins.items() if rr == r})
    others = sorted(
        (t for t in range(len(problem.tid)) if t not in required),
        key=lambda t: (-problem.cap[t], t),
    )
    limit = len(problem.tid)
    if problem.mode == "rotating":
        limit = min(limit, sum(problem.hosts))
        if len(required) > limit:
            raise _infeasible_hosts(problem, rnd, len(required))
    if count == 0:
        return []
    for k in range(limit, len(required) - 1, -1):
        chosen = required + others[: k - len(required)]
        low = sum(problem.lo[t] for t in chosen)
        high = sum(problem.cap[t] for t in chosen)
        if low <= count <= high:
            return sorted(chosen)
        if count > high:
            break
    seats = sum(problem.cap[t] for t in (required + others)[:limit])
    if count > seats and problem.mode == "rotating" and limit < len(problem.tid):
        raise Infeasible(
            ngettext(
                "round {round} has {count} participants but only {seats} seat at the {limit} "
                "tables the subjects' hosts can run; add tables or capacity, or mark people absent",
                "round {round} has {count} participants but only {seats} seats at the {limit} "
                "tables the subjects' hosts can run; add tables or capacity, or mark people absent",
                seats,
            ).format(round=rnd, count=count, seats=seats, limit=limit)
        )
    if count > seats:
        raise Infeasible(
            ngettext(
                "round {round} has {count} participants but only {seats} seat; add tables or "
                "capacity, or mark people absent",
                "round {round} has {count} participants but only {seats} seats; add tables or "
                "capacity, or mark people absent",
                seats,
            ).format(round=rnd, count=count, seats=seats)
        )
    raise Infeasible(
        ngettext(
            "round {round} has {count} participant, too few to fill the minimum size of the "
            "tables it must use; lower min_size or remove pins",
            "round {round} has {count} participants, too few to fill the minimum size of the "
            "tables it must use; lower min_size or remove pins",
            count,
        ).format(round=rnd, count=count)
    )


def _infeasible_hosts(problem: Problem, rnd: int, needed: int) -> Exception:
    from .problem import Infeasible

    hosts = sum(problem.hosts)
    return Infeasible(
        ngettext(
            "round {round} pins people to {needed} tables but the subjects have only {hosts} "
            "host in all; add hosts or remove pins",
            "round {round} pins people to {needed} tables but the subjects have only {hosts} "
            "hosts in all; add hosts or remove pins",
            hosts,
        ).format(round=rnd, needed=needed, hosts=hosts)
    )


def target_sizes(problem: Problem, r: int) -> dict[int, int]:
    """Even group sizes over the open tables: start at the minimum, add to the smallest."""
    if r in problem.fixed:
        sizes: dict[int, int] = {}
        for t in problem.fixed[r].values():
            sizes[t] = sizes.get(t, 0) + 1
        return sizes
    tables = problem.open_tables[r]
    sizes = {t: problem.lo[t] for t in tables}
    left = sum(problem.present[r]) - sum(sizes.values())
    while left > 0:
        room = [t for t in tables if sizes[t] < problem.cap[t]]
        t = min(room, key=lambda t: (sizes[t], -problem.cap[t], t))
        sizes[t] += 1
        left -= 1
    return sizes
