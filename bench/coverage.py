"""Zero repeats and every subject for everyone on World Café shapes near a design: several
hosts a subject, copies of a design, uneven tables, absences, organizations kept apart, with
and without needs, over several seeds. Each row gives the repeats against their lower bound,
the subject visits against theirs (bounds.py) and the needs served against the most a plan
with every subject for everyone serves (need_bounds.py) and all of them.

    python -m bench.coverage [--time-limit 10 | --work-limit 10] [--seeds 3] [--only TEXT]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from bench.instances import golfers, uneven, with_absences, with_needs, with_organizations
from scheduler.schema import Instance
from scheduler.search import solve

# a few people absent: one in each round, one in rounds 2 and 3
ABSENT = [[1], [2], [3], [4], [5], [2, 3]]

EVENTS: list[tuple[str, Callable[[], Instance]]] = [
    ("100 / 20 x 5 / 5, 5 subjects of 4 hosts", lambda: golfers(100, 20, 5, 5, subjects=5)),
    (
        "the same, 160 needs",
        lambda: with_needs(golfers(100, 20, 5, 5, subjects=5)),
    ),
    ("97 / 20 x 4-5 / 5, 5 subjects of 4 hosts", lambda: uneven(97, 20, 5, 5, subjects=5)),
    ("the same, 160 needs", lambda: with_needs(uneven(97, 20, 5, 5, subjects=5))),
    (
        "100 / 20 x 4-5 / 5, 5 subjects, 6 people absent in 1-2 rounds",
        lambda: with_absences(uneven(100, 20, 5, 5, subjects=5), ABSENT),
    ),
    (
        "the same, 160 needs",
        lambda: with_needs(with_absences(uneven(100, 20, 5, 5, subjects=5), ABSENT)),
    ),
    (
        "100 / 20 x 5 / 5, 5 subjects, 10 organizations of 10 kept apart",
        lambda: with_organizations(golfers(100, 20, 5, 5, subjects=5), 10),
    ),
    (
        "the same, 160 needs",
        lambda: with_needs(with_organizations(golfers(100, 20, 5, 5, subjects=5), 10)),
    ),
    (
        "300 / 60 x 5 / 5, 5 subjects of 12 hosts, 480 needs",
        lambda: with_needs(golfers(300, 60, 5, 5, subjects=5), per_topic=24, offering=12),
    ),
    (
        "1,000 / 200 x 5 / 10, 10 subjects of 20 hosts",
        lambda: golfers(1000, 200, 5, 10, subjects=10),
    ),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--work-limit", type=float, default=None)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--only", default="", help="only the events whose label contains this")
    args = ap.parse_args()
    limit = (
        {"work_limit": args.work_limit, "time_limit": 120 + 30 * args.work_limit}
        if args.work_limit is not None
        else {"time_limit": args.time_limit}
    )
    seeds = f"seeds 0-{args.seeds - 1}"
    print(f"| event | repeats (≥) | subject visits (≤) | needs served / most / all, {seeds} |")
    print("|---|---|---|---|")
    for label, build in EVENTS:
        if args.only not in label:
            continue
        instance = build()
        repeats, visits, served = [], [], []
        bound = floor = most = total = 0
        for seed in range(args.seeds):
            result = solve(instance, seed=seed, **limit)
            m = result.plan.metrics
            repeats.append(m["repeats"])
            visits.append(m["subject_visits"])
            served.append(m["needs_served"])
            floor, bound = m["repeats_lower_bound"], m["subject_visits_max"]
            most, total = result.bounds.needs_most or 0, m["needs_total"]
        needs = f"{', '.join(map(str, served))} / {most} / {total}" if total else "—"
        print(
            f"| {label} | {', '.join(map(str, repeats))} (≥ {floor}) | "
            f"{', '.join(map(str, visits))} (≤ {bound}) | {needs} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
