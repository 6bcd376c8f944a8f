"""`ronda`: solve, score and bound World Café rotation plans from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .bounds import compute_bounds
from .messages import _, ngettext
from .problem import Infeasible, build_problem
from .schema import Instance, InstanceError, Plan, load_instance, load_plan
from .search import plan_metrics, solve

app = typer.Typer(add_completion=False, help="Plan World Café rotations.", no_args_is_help=True)

InstancePath = Annotated[Path, typer.Argument(help="Instance JSON (see docs/format.md).")]


def _fail(exc: Exception) -> None:
    if isinstance(exc, Infeasible):
        typer.echo(_("infeasible: {problem}").format(problem=exc), err=True)
    else:
        typer.echo(_("error: {problem}").format(problem=exc), err=True)
    raise typer.Exit(3 if isinstance(exc, Infeasible) else 2)


def _write(data: Any, output: Path | None) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _with_every_subject(most: int | None, possible: int) -> list[str]:
    """The line under the needs that can be served: the most a plan with every subject for
    everyone serves, when that is fewer."""
    if most is None or most >= possible:
        return []
    return ["  " + _("at most {most} with every subject for everyone").format(most=most)]


def _summary(m: dict[str, Any]) -> list[str]:
    lines = [
        _("repeated encounters: {count} (lower bound {bound}, gap {gap})").format(
            count=m["repeats"],
            bound=m["repeats_lower_bound"],
            gap=m["repeats"] - m["repeats_lower_bound"],
        ),
        _("most meetings of one pair: {count} (lower bound {bound})").format(
            count=m["max_meetings"], bound=m["max_meetings_lower_bound"]
        ),
        _("pairs who met: {count}").format(count=m["pairs_met"]),
    ]
    if m["subject_visits_full"]:
        lines.append(
            _("subject visits: {visits} of {full} (at most {possible} possible)").format(
                visits=m["subject_visits"],
                full=m["subject_visits_full"],
                possible=m["subject_visits_max"],
            )
        )
    if m["needs_total"]:
        lines.append(
            _("needs served: {served} of {total} ({possible} can be served at all)").format(
                served=m["needs_served"], total=m["needs_total"], possible=m["needs_possible"]
            )
        )
        lines += _with_every_subject(m.get("needs_most"), m["needs_possible"])
    if "seat_changes" in m:
        lines.append(
            _("seats changed from the previous plan: {count}").format(count=m["seat_changes"])
        )
    return lines


@app.command("solve")
def solve_cmd(
    instance: InstancePath,
    time_limit: Annotated[float, typer.Option(help="Seconds the search may take.")] = 10.0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    previous: Annotated[
        Path | None, typer.Option(help="Earlier plan: change as few of its seats as possible.")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Write the plan here, not to stdout.")] = None,
) -> None:
    """Build the best rotation plan found within the time limit."""
    try:
        inst = load_instance(instance)
        prev = load_plan(previous) if previous else None

        def progress(elapsed: float, figures: dict[str, int]) -> None:
            if time_limit >= 1:
                shown = ", ".join(f"{k} {v}" for k, v in figures.items())
                typer.echo(
                    _("[{elapsed:6.1f}s] best so far: {figures}").format(
                        elapsed=elapsed, figures=shown
                    ),
                    err=True,
                )

        result = solve(inst, time_limit=time_limit, seed=seed, previous=prev, progress=progress)
    except InstanceError as exc:
        _fail(exc)
        return
    _write(result.plan.model_dump(), output)
    typer.echo(
        _("status: {status} in {seconds:.2f}s").format(
            status=result.status, seconds=result.seconds
        ),
        err=True,
    )
    for line in _summary(result.plan.metrics):
        typer.echo(line, err=True)


@app.command("score")
def score_cmd(
    instance: InstancePath,
    plan: Annotated[Path, typer.Argument(help="Plan JSON to check.")],
    previous: Annotated[
        Path | None, typer.Option(help="Count seats changed from this plan.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Validate a plan and print its metrics; exit 1 if it breaks a hard rule."""
    try:
        inst = load_instance(instance)
        the_plan = load_plan(plan)
        prev = load_plan(previous) if previous else None
        bounds = compute_bounds(build_problem(inst))
    except InstanceError as exc:
        _fail(exc)
        return
    metrics = plan_metrics(inst, the_plan, bounds, prev)
    if as_json:
        _write(metrics, None)
    else:
        typer.echo(_("valid plan") if metrics["valid"] else _("INVALID plan"))
        for line in metrics.get("violations", []):
            typer.echo(f"  - {line}")
        for line in _summary(metrics):
            typer.echo(line)
    if not metrics["valid"]:
        raise typer.Exit(1)


@app.command("bounds")
def bounds_cmd(
    instance: InstancePath,
    tradeoff: Annotated[
        bool, typer.Option(help="Also solve with repeats first and with subjects first.")
    ] = False,
    time_limit: Annotated[float, typer.Option(help="Seconds for each trade-off solve.")] = 5.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the bounds as JSON.")] = False,
) -> None:
    """Lower bounds, and what is provably impossible for this event, with the reason."""
    try:
        inst = load_instance(instance)
        bounds = compute_bounds(build_problem(inst))
        points = _tradeoffs(inst, time_limit) if tradeoff else {}
    except InstanceError as exc:
        _fail(exc)
        return
    if as_json:
        _write({**bounds.as_dict(), "tradeoff": points}, None)
        return
    typer.echo(_("repeated encounters: at least {count}").format(count=bounds.repeats))
    typer.echo(
        "  "
        + _("({meetings} pair meetings for {pairs} pairs who can meet)").format(
            meetings=bounds.pair_meetings, pairs=bounds.pairs_possible
        )
    )
    typer.echo(_("most meetings of one pair: at least {count}").format(count=bounds.max_meetings))
    if bounds.subject_visits_full:
        typer.echo(
            _("subject visits: at most {visits} of {full}").format(
                visits=bounds.subject_visits, full=bounds.subject_visits_full
            )
        )
    if bounds.needs_total:
        typer.echo(
            _("needs: at most {possible} of {total} can be served").format(
                possible=bounds.needs_possible, total=bounds.needs_total
            )
        )
        for line in _with_every_subject(bounds.needs_most, bounds.needs_possible):
            typer.echo(line)
    typer.echo(_("impossible:") if bounds.impossible else _("nothing is provably impossible"))
    for line in bounds.impossible:
        typer.echo(f"  - {line}")
    for name, m in points.items():
        typer.echo(
            ngettext(
                "{name}: found {repeats} repeat with {visits} subject visits ({status}, {seconds}s)",
                "{name}: found {repeats} repeats with {visits} subject visits ({status}, {seconds}s)",
                m["repeats"],
            ).format(
                name=name,
                repeats=m["repeats"],
                visits=m["subject_visits"],
                status=m["status"],
                seconds=m["seconds"],
            )
        )


def _tradeoffs(inst: Instance, seconds: float) -> dict[str, dict[str, Any]]:
    """Two solves that show what each priority costs the other."""
    out: dict[str, dict[str, Any]] = {}
    if inst.subject_mode == "none":
        return out
    subjects_first = inst.model_copy(deep=True)
    subjects_first.weights.subject_repeat = inst.weights.repeat * 10
    for name, variant in (("repeats first", inst), ("subjects first", subjects_first)):
        plan: Plan = solve(variant, time_limit=seconds).plan
        out[name] = {k: plan.metrics[k] for k in ("repeats", "subject_visits", "status", "seconds")}
    return out


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
