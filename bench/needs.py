"""Needs served by the default solve, over several seeds: Lima against the best known (129,
`solve(lima(), work_limit=10, seed=0)`; 127 by bench/lima_needs.py), and events of 100 and
300 people with needs (instances.with_needs).

    python -m bench.needs [--time-limit 10] [--seeds 5] [--only TEXT]
"""

from __future__ import annotations

import argparse

from bench.instances import golfers, lima, with_needs
from scheduler.schema import Instance
from scheduler.search import solve

EVENTS: list[tuple[str, Instance]] = [
    ("Lima: 16 / 5 x 3-4 / 5, 5 subjects", lima()),
    ("100 / 20 x 5 / 5, 5 subjects of 4 hosts", with_needs(golfers(100, 20, 5, 5, subjects=5))),
    (
        "300 / 60 x 5 / 5, 5 subjects of 12 hosts",
        with_needs(golfers(300, 60, 5, 5, subjects=5), per_topic=24, offering=12),
    ),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--only", default="", help="only the events whose label contains this")
    args = ap.parse_args()
    seeds = f"seeds 0-{args.seeds - 1}"
    print(f"| event | needs served, {seeds} | bound / all | repeats | subject visits |")
    print("|---|---|---|---|---|")
    for label, instance in EVENTS:
        if args.only not in label:
            continue
        served, repeats, visits = [], set(), set()
        bound = total = 0
        for seed in range(args.seeds):
            result = solve(instance, time_limit=args.time_limit, seed=seed)
            m = result.plan.metrics
            served.append(m["needs_served"])
            repeats.add(m["repeats"])
            visits.add(f"{m['subject_visits']}/{m['subject_visits_max']}")
            bound, total = result.bounds.needs_most or 0, m["needs_total"]
        print(
            f"| {label} | {', '.join(map(str, served))} | {bound} / {total} | "
            f"{', '.join(map(str, sorted(repeats)))} | {', '.join(sorted(visits))} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
