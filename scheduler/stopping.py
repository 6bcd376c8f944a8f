"""CP-SAT within a budget, stopped early by a flag the caller may set from another thread."""

from __future__ import annotations

import threading
from typing import Any

from ortools.sat.python import cp_model

from .budget import Budget


def run_cp_sat(solver: cp_model.CpSolver, model: Any, budget: Budget) -> Any:
    """Solve within the budget (its work spent), ending the search as soon as its stop is set
    (CP-SAT stops asynchronously)."""
    stop = budget.stop
    if stop is not None and stop.is_set():
        return cp_model.UNKNOWN
    status = _solve(solver, model, stop)
    budget.spend(solver.deterministic_time)
    return status


def _solve(solver: cp_model.CpSolver, model: Any, stop: threading.Event | None) -> Any:
    if stop is None:
        return solver.solve(model)
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


def find_solution(model: cp_model.CpModel, budget: Budget, seed: int) -> cp_model.CpSolver | None:
    """A feasibility solve within the budget (its work spent): the solver holding a
    solution, or None when none was found in time (or before the stop)."""
    solver = cp_model.CpSolver()
    budget.configure(solver, seed)
    status = run_cp_sat(solver, model, budget)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def solve_step(
    model: cp_model.CpModel, budget: Budget, seed: int, most: float
) -> tuple[Any, cp_model.CpSolver]:
    """One neighbourhood of a large-neighbourhood search (lns.py, reseat.py): one worker and
    at most `most` deterministic time (less when the budget's work has less left);
    (status, solver)."""
    solver = cp_model.CpSolver()
    budget.configure(solver, seed)
    solver.parameters.num_workers = 1
    left = most if budget.work is None else min(most, budget.work)
    solver.parameters.max_deterministic_time = max(0.001, left)
    return run_cp_sat(solver, model, budget), solver
