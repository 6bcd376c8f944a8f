"""What a part of the solve may spend: wall-clock time, and work where a result must not
depend on the machine.

Work is counted in units of about one second of this project's reference machine: CP-SAT's
deterministic time (`max_deterministic_time`, which counts memory accesses, not seconds), and
search steps converted at a fixed rate. A part given work stops when it has done that much
work, however slow or busy the machine, so with the same seed and work it returns the same
result; the wall-clock deadline stays a safety cap (a result reached before it is the same on
any machine, one cut short by it is not).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

# Work units per step of the searches that count their own work: one unit is about what the
# reference machine does in a second (measured on bench/run.py's instances).
DELTAS_PER_UNIT = 175_000  # swap deltas weighed by the base-round search (base_search.py)
CANDIDATES_PER_UNIT = 16_000  # invariant rounds listed, grouped and modelled (invariant.py)
MOVES_PER_UNIT = 850_000  # moves weighed by the tabu search, from its caches (local_search.py)


@dataclass
class Budget:
    """Time until `deadline` (time.monotonic()), and `work` units when counted (None: time
    only). `stop`, when set by another thread, ends the part at once."""

    deadline: float
    work: float | None = None
    stop: threading.Event | None = None
    parent: Budget | None = None

    @classmethod
    def seconds(cls, seconds: float, stop: threading.Event | None = None) -> Budget:
        return cls(time.monotonic() + max(0.0, seconds), None, stop)

    @classmethod
    def of_work(
        cls, work: float, seconds: float = math.inf, stop: threading.Event | None = None
    ) -> Budget:
        return cls(time.monotonic() + max(0.0, seconds), max(0.0, work), stop)

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def over(self) -> bool:
        return (
            self.stopped()
            or time.monotonic() >= self.deadline
            or (self.work is not None and self.work <= 0)
        )

    def part(self, fraction: float) -> Budget:
        """`fraction` of what is left: of the work when counted, else of the time."""
        if self.work is not None:
            return Budget(self.deadline, self.work * fraction, self.stop, self)
        now = time.monotonic()
        return Budget(now + max(0.0, self.deadline - now) * fraction, None, self.stop, self)

    def spend(self, work: float) -> None:
        """Count work done within this budget, and within the budgets it is a part of."""
        if self.work is not None:
            self.work = max(0.0, self.work - work)
        if self.parent is not None:
            self.parent.spend(work)

    def steps(self, per_unit: float) -> float:
        """How many steps the work allows (infinite when only time counts)."""
        return math.inf if self.work is None else self.work * per_unit

    def configure(self, solver: cp_model.CpSolver, seed: int) -> None:
        """CP-SAT within this budget. When work counts, one worker: CP-SAT's parallel
        workers race each other (a result then depends on the machine), and its deterministic
        interleaved mode is several times slower on these models than one worker."""
        params = solver.parameters
        params.random_seed = seed
        params.num_workers = 2 if self.work is None else 1
        seconds = self.seconds_left()
        params.max_time_in_seconds = max(0.01, seconds) if math.isfinite(seconds) else 1e9
        if self.work is not None:
            params.max_deterministic_time = max(0.001, self.work)
