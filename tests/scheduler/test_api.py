"""The scheduler's public API: the names `scheduler/__init__.py` exports are all the app uses."""

from __future__ import annotations

import ast
from pathlib import Path

import scheduler
from bench.instances import golfers

APP = Path(__file__).resolve().parents[2] / "app"
# the command line is mounted whole, and the app installs its translator in the messages hook
PLUMBING = {("scheduler.cli", "app"), ("scheduler", "messages")}


def test_the_app_imports_only_the_public_api() -> None:
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("scheduler") for a in node.names), path
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scheduler"):
                for alias in node.names:
                    name = (node.module or "", alias.name)
                    assert name in PLUMBING or (
                        node.module == "scheduler" and alias.name in scheduler.__all__
                    ), f"{path.name} imports {name}"


def test_solve_score_and_bounds_agree() -> None:
    instance = golfers(12, 3, 4, 3)
    result = scheduler.solve(instance, time_limit=30, work_limit=0.5)
    score = scheduler.score(instance, result.plan)
    bounds = scheduler.bounds(instance)
    assert score.valid and score.repeats >= bounds.repeats
    assert scheduler.metrics(instance, result.plan, bounds)["repeats"] == score.repeats
    assert scheduler.group_sizes(instance) == [(4, 4, 4)] * 3
