"""The classic social golfer table, World Café shapes and the needs bound, side by side with
Good Enough Golfers (bench/geg.py) in the same run: `python -m bench.classic`.

Each classic row is n people at g tables of s for w rounds, with the best known result from
design theory (0 repeats where a resolvable design or enough orthogonal Latin squares exist),
or the fewest proven where none exists (bounds.py, bench/classic_exact.py), and its source.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench import coverage, geg
from bench.instances import golfers, lima, with_needs
from scheduler import solve

# (tables, size, rounds, best known repeats, source)
CLASSIC: list[tuple[int, int, int, str, str]] = [
    (3, 3, 4, "0", "affine plane of order 3"),
    (4, 3, 4, "0", "resolvable design; 5 rounds: no NKTS(12) (Kotzig-Rosa 1974)"),
    (
        4,
        3,
        5,
        "3",
        "not 0: no NKTS(12) (Kotzig-Rosa 1974); not 1 nor 2: exhaustive CP-SAT search, "
        "`python -m bench.classic_exact 12 3 5 --clean 3 --at-most 2`",
    ),
    (5, 3, 7, "0", "KTS(15), Kirkman's schoolgirls (1850)"),
    (4, 4, 5, "0", "affine plane of order 4"),
    (6, 3, 8, "0", "NKTS(18) (Baker-Wilson 1977)"),
    (
        6,
        4,
        8,
        "12",
        "the counting bound; everyone meets everyone: a resolvable minimum covering (Handbook "
        "of Combinatorial Designs 1996, Example 8.28)",
    ),
    (7, 3, 10, "0", "KTS(21) (Ray-Chaudhuri-Wilson 1971)"),
    (5, 5, 6, "0", "affine plane of order 5"),
    (9, 3, 13, "0", "KTS(27)"),
    (7, 4, 9, "0", "RBIBD(28,4,1) (Hanani-Ray-Chaudhuri-Wilson 1972)"),
    (6, 5, 6, "0", "resolvable transversal design"),
    (8, 4, 10, "0", "SGP 8-4-10 (Aguado 2004)"),
    (6, 6, 3, "0", "a Latin square of order 6"),
    (
        6,
        6,
        4,
        "2",
        "not 0: no 2 MOLS of order 6 (Tarry 1900); not 1: no two Latin squares show all "
        "pairs but one (proof in bounds.py)",
    ),
    (10, 4, 13, "0", "RBIBD(40,4,1) (Hanani-Ray-Chaudhuri-Wilson 1972)"),
    (15, 3, 22, "0", "KTS(45)"),
    (7, 7, 8, "0", "affine plane of order 7"),
    (13, 4, 17, "0", "RBIBD(52,4,1)"),
    (10, 6, 8, "0", "difference matrix over Z_10"),
    (8, 8, 9, "0", "affine plane of order 8"),
    (16, 4, 21, "0", "RBIBD(64,4,1)"),
    (9, 9, 10, "0", "affine plane of order 9"),
    (10, 10, 4, "0", "2 MOLS of order 10 (Parker 1959)"),
    (
        10,
        10,
        11,
        "≥ 2",
        "not 0: no plane of order 10 (Lam-Thiel-Swiercz 1989); not 1: as for 36 / 6 x 6 / 4; "
        "best found: Ronda's",
    ),
    (11, 11, 12, "0", "affine plane of order 11"),
    (12, 12, 7, "0", "5 MOLS of order 12 (Johnson-Dulmage-Mendelsohn 1961)"),
]

# World Café shapes: (label, builder, time limit)
CAFE = [
    ("Lima: 16 / 5 x 3-4 / 5, 5 subjects, 1 host each", lambda: lima(), 2.0),
    ("Lima, the default time limit", lambda: lima(), 10.0),
    ("20 / 5 x 4 / 5, 5 subjects, 1 host each", lambda: golfers(20, 5, 4, 5, subjects=5), 10.0),
    (
        "the same, 80 needs",
        lambda: with_needs(golfers(20, 5, 4, 5, subjects=5), per_topic=4, offering=2),
        10.0,
    ),
    ("80 / 20 x 4 / 5, 5 subjects of 4 hosts", lambda: golfers(80, 20, 4, 5, subjects=5), 10.0),
    ("84 / 21 x 4 / 7, 7 subjects of 3 hosts", lambda: golfers(84, 21, 4, 7, subjects=7), 10.0),
    ("300 / 60 x 5 / 5, 5 subjects of 12 hosts", lambda: golfers(300, 60, 5, 5, subjects=5), 10.0),
    # several hosts, uneven tables, absences, organizations kept apart, with and without
    # needs, up to 1,000 people (bench/coverage.py runs them over several seeds)
    *((label, build, 10.0) for label, build in coverage.EVENTS),
]

LIMIT = 10.0


def classic_rows(seed: int, with_geg: bool, only: list[int] | None = None) -> list[str]:
    rows = []
    for tables, size, rounds, best, source in CLASSIC:
        n = tables * size
        if only and n not in only:
            continue
        instance = golfers(n, tables, size, rounds)
        started = time.monotonic()
        result = solve(instance, time_limit=LIMIT, seed=seed)
        seconds = time.monotonic() - started
        m = result.plan.metrics
        last = result.history[-1][0] if result.history else seconds
        peer = "not run"
        if with_geg:
            try:
                found = geg.run(tables, size, rounds, seed)
                peer = f"{found.repeats} in {found.seconds:.1f} s"
            except Exception as exc:  # noqa: BLE001 - a peer failure is a row's note, not the run's
                peer = f"failed ({type(exc).__name__})"
        rows.append(
            f"| {n} / {tables} x {size} / {rounds} | {best} ({source}) | {m['repeats_lower_bound']} "
            f"| {m['repeats']} | {m['status']} | {last:.2f} s | {peer} |"
        )
        print(rows[-1], flush=True)
    return rows


def cafe_rows(seed: int) -> list[str]:
    rows = []
    for label, build, limit in CAFE:
        instance = build()
        result = solve(instance, time_limit=limit, seed=seed)
        m = result.plan.metrics
        last = result.history[-1][0] if result.history else result.seconds
        needs = "—"
        if m["needs_total"]:
            most = result.bounds.needs_most
            needs = f"{m['needs_served']} / {most} / {m['needs_total']}"
        rows.append(
            f"| {label} | {m['repeats']} (≥ {m['repeats_lower_bound']}) | "
            f"{m['subject_visits']}/{m['subject_visits_max']} | {needs} | {m['status']} | "
            f"{last:.2f} s | {limit:g} s |"
        )
        print(rows[-1], flush=True)
    return rows


def report(seed: int, with_geg: bool, machine: str) -> dict[str, str]:
    """The classic table and the World Café shapes, as blocks of docs/benchmarks.md."""
    return {"classic": classic_block(seed, with_geg, machine), "cafe": cafe_block(seed)}


def classic_block(seed: int, with_geg: bool, machine: str) -> str:
    return (
        "## Classic designs\n\n"
        f"`python -m bench.classic` (seed {seed}), on {machine}; Ronda with a {LIMIT:g} s "
        "time limit; Good Enough Golfers (`lib/geneticSolver.js` at commit "
        f"{geg.COMMIT[:7]}, headless in node, bench/geg.py) on the same instance in the same "
        "run. *time* is when Ronda's returned plan was found. *best known* is the fewest "
        "repeats known from design theory or proven for this project, with its source.\n\n"
        "| participants / tables x size / rounds | best known | Ronda's lower bound | "
        "Ronda | status | time | Good Enough Golfers |\n|---|---|---|---|---|---|---|\n"
        + "\n".join(classic_rows(seed, with_geg))
    )


def cafe_block(seed: int) -> str:
    return (
        "## World Café shapes\n\n"
        f"`python -m bench.classic --cafe` (seed {seed}; also run by `make bench`). Rotating "
        "subjects, each hosted at several tables (`golfers(..., subjects=k)`: hosts = tables / "
        "subjects). Repeats against their lower bound, subject visits against the most "
        "possible (bounds.py); needs: served / the most a plan with every subject for everyone "
        "serves (need_bounds.py) / all needs. *time* is when the returned plan was found.\n\n"
        "| event | repeats (lower bound) | subject visits | needs | status | time | limit |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(cafe_rows(seed))
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-geg", action="store_true")
    parser.add_argument(
        "--output", type=Path, help="write the tables into this file (between their marks)"
    )
    parser.add_argument(
        "--only", type=int, nargs="+", help="only the classic rows of these many participants"
    )
    parser.add_argument("--cafe", action="store_true", help="only the World Café shapes")
    args = parser.parse_args()
    from bench.loadtest import HEADING
    from bench.run import _machine, splice_blocks

    if args.only:
        classic_rows(args.seed, not args.no_geg and geg.available(), args.only)
        return
    if args.cafe:
        blocks = {"cafe": cafe_block(args.seed)}
    else:
        blocks = report(args.seed, not args.no_geg and geg.available(), _machine())
    if args.output:
        old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        args.output.write_text(splice_blocks(old, blocks, HEADING), encoding="utf-8")
    else:
        print("\n\n".join(blocks.values()))


if __name__ == "__main__":
    main()
