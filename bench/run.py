"""`make bench`: solve the benchmark events and write docs/benchmarks.md.

Each event runs in its own process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import ortools

# name, instance builder call, time limit (s), lower bound note, peer figures, goal
CASES: list[tuple[str, str, float, str, str]] = [
    ("Lima: 16 / 5 x 3-4 / 5, 5 rotating subjects", "lima()", 1, "—", "0 and 80/80 in ≤ 1 s"),
    (
        "16 / 4 x 4 / 5, 5 rotating subjects",
        "lima(4, 4, 4)",
        10,
        "—",
        "0 repeats, 65/80 visits (unreachable: 61/80 is the proven maximum)",
    ),
    (
        "16 / 4 x 4 / 5, 5 rotating subjects, subjects first",
        "lima(4, 4, 4, subjects_first=True)",
        10,
        "—",
        "80/80 with the fewest repeats",
    ),
    ("30 / 6 x 5 / 6", "golfers(30, 6, 5, 6)", 10, "17-20 in 2-4 s", "0"),
    ("32 / 8 x 4 / 10", "golfers(32, 8, 4, 10)", 30, "31-34 in 2-4 s", "0, or the fewest"),
    ("24 / 6 x 4 / 8", "golfers(24, 6, 4, 8)", 10, "29-31", "≤ 20"),
    ("60 / 10 x 6 / 8", "golfers(60, 10, 6, 8)", 10, "30-33 in 12-16 s", "≤ 10 in ≤ 10 s"),
    ("57 / 10 x 5-6 / 8 (3 short of full)", "short_of_full(57, 10, 6, 8)", 10, "—", "0"),
    ("31 / 8 x 3-4 / 10 (1 short of full)", "short_of_full(31, 8, 4, 10)", 10, "—", "0"),
    ("200 / 40 x 5 / 8", "golfers(200, 40, 5, 8)", 5, "0 in 250-330 s", "0 in ≤ 5 s"),
    (
        "1,000 / 200 x 5 / 10, 10 subjects",
        "golfers(1000, 200, 5, 10, subjects=10)",
        30,
        "out of reach",
        "0, full coverage, ≤ 30 s, ≤ 2 GB",
    ),
    (
        "2,000 / 250 x 8 / 8, 10 subjects",
        "golfers(2000, 250, 8, 8, subjects=10)",
        60,
        "—",
        "0, full coverage, ≤ 60 s",
    ),
]


def run_case(build: str, limit: float, seed: int) -> dict[str, object]:
    from bench.instances import golfers, lima, short_of_full  # noqa: F401  (used by eval)
    from scheduler.search import solve

    inst = eval(build)  # the builders above, nothing else
    result = solve(inst, time_limit=limit, seed=seed)
    m = result.plan.metrics
    last = result.history[-1][0] if result.history else result.seconds
    first = next(
        (
            t
            for t, f in result.history
            if f["repeats"] <= m["repeats"] and f["subject_visits"] >= m["subject_visits"]
        ),
        last,
    )
    return {**m, "time_to_best": round(last, 2), "time_to_pairs": round(first, 2)}


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; Python {platform.python_version()}, "
        f"OR-Tools {ortools.__version__}"
    )


def _row(name: str, limit: float, peer: str, goal: str, m: dict[str, object], rss: float) -> str:
    visits = (
        f"{m['subject_visits']}/{m['subject_visits_full']}" if m["subject_visits_full"] else "—"
    )
    needs = f"{m['needs_served']}/{m['needs_possible']}" if m["needs_total"] else "—"
    return (
        f"| {name} | {m['repeats']} | {m['repeats_lower_bound']} | {m['max_meetings']} | "
        f"{visits} | {needs} | {m['status']} | {m['time_to_pairs']} s | {m['time_to_best']} s | "
        f"{limit:g} s | "
        f"{rss:.0f} MB | {peer} | {goal} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--case", help="run one case (internal)")
    parser.add_argument("--limit", type=float, default=10)
    parser.add_argument(
        "--keep-web", action="store_true", help="keep the web section of --output as it is"
    )
    parser.add_argument("--no-classic", action="store_true", help="skip bench/classic.py")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.limit, args.seed)))
        return
    rows = []
    for name, build, limit, peer, goal in CASES:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.monotonic()
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.run",
                "--case",
                build,
                "--limit",
                str(limit),
                "--seed",
                str(args.seed),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.monotonic() - started
        rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        metrics = json.loads(out.stdout)
        rows.append(_row(name, limit, peer, goal, metrics, rss))
        print(f"{name}: {metrics['repeats']} repeats, {metrics['status']}, {wall:.1f}s", flush=True)
    from bench import classic, geg, loadtest

    blocks = {"main": _report(rows, args.seed)}
    if not args.no_classic:
        blocks.update(classic.report(args.seed, geg.available(), _machine()))
    if not args.keep_web:
        from bench import web

        blocks["web"] = _web_report(web.rows())
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(splice_blocks(old, blocks, loadtest.HEADING), encoding="utf-8")
    print(f"wrote {args.output}")


def _marks(name: str) -> tuple[str, str]:
    return f"<!-- make bench: {name} -->\n", f"<!-- /make bench: {name} -->\n"


def splice_blocks(old: str, blocks: dict[str, str], last: str) -> str:
    """`old` with each generated block (between its marks) replaced by its new text: the
    notes written between the blocks, and the sections of other commands, stay as they are.
    A block `old` lacks goes before the heading `last` (the load section), else at the end."""
    text = old
    for name, body in blocks.items():
        begin, end = _marks(name)
        block = begin + body.strip("\n") + "\n" + end
        start = text.find(begin)
        stop = text.find(end, start + len(begin)) if start >= 0 else -1
        if start >= 0 and stop >= 0:
            text = text[:start] + block + text[stop + len(end) :]
            continue
        at = text.find(last) if text else -1
        if at < 0:
            text = (text.rstrip("\n") + "\n\n" if text else "") + block
        else:
            text = text[:at].rstrip("\n") + "\n\n" + block + text[at:]
    return text


def _report(rows: list[str], seed: int) -> str:
    header = (
        "| instance (participants / tables x size / rounds) | repeats | lower bound | "
        "most meetings | subject visits | needs served / possible | status | "
        "time to these repeats and visits | time to best | time limit | peak memory | "
        "peer (Good Enough Golfers) | goal |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    return (
        "# Benchmarks\n\n"
        f"Measured on {date.today().isoformat()} by `make bench` "
        f"(`python -m bench.run`, seed {seed}), one solve per row, each in its own process.\n\n"
        f"Machine: {_machine()}.\n\n"
        "*time to these repeats and visits* is when the search first held a plan with the "
        "returned repeats and subject visits (needs may improve later); "
        "*time to best* is when the returned plan was found; the solve stops there when it "
        "meets every bound (status *optimal*), else at the time limit. *Peak memory* is the "
        "largest resident size of any solve so far (a running maximum over the rows). "
        "The peer column quotes the figures the scheduler issue gives for Good Enough Golfers "
        "on this kind of machine; the classic table below runs it side by side.\n\n"
        f"{header}\n" + "\n".join(rows) + "\n"
    )


def _web_report(rows: list[str]) -> str:
    return (
        "\n## Web app\n\n"
        "Served by uvicorn on a loopback port with a fresh SQLite database, driven over real "
        "HTTP (`python -m bench.web`, also run by `make bench`). Server-side times come from "
        "the app's `Server-Timing` header.\n\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    main()
