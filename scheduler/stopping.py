"""Stopping a solve early: a stop flag the caller may set from another thread."""

from __future__ import annotations

import threading
from typing import Any

from ortools.sat.python import cp_model


def stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def share(start: float, deadline: float, fraction: float) -> float:
    """The moment `fraction` of the time from start to deadline has passed."""
    return start + max(0.0, deadline - start) * fraction


def run_cp_sat(solver: cp_model.CpSolver, model: Any, stop: threading.Event | None) -> Any:
    """Solve, ending the search as soon as `stop` is set (CP-SAT stops asynchronously)."""
    if stop is None:
        return solver.solve(model)
    if stop.is_set():
        return cp_model.UNKNOWN
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if stop.is_set():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model)
    finally:
        done.set()
        watcher.join()


def find_solution(
    model: cp_model.CpModel, seconds: float, seed: int, stop: threading.Event | None
) -> cp_model.CpSolver | None:
    """A feasibility solve on both cores: the solver holding a solution, or None when none
    was found in `seconds` (or before `stop`)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 2
    status = run_cp_sat(solver, model, stop)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
