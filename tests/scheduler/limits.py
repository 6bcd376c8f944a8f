"""Solve limits for tests: work, not seconds (scheduler/budget.py), so that what a test sees
does not depend on the machine's speed or load; the time cap only guards against a hang."""

from __future__ import annotations


def work(units: float) -> dict[str, float]:
    """About `units` seconds of solving on the reference machine, the same plan on any."""
    return {"work_limit": units, "time_limit": 120 + 30 * units}
