"""The docs keep up with the code: every command, option, field and metric is documented."""

from __future__ import annotations

from pathlib import Path

import click
import typer.main

from app.cli import app
from app.settings import Settings
from bench.instances import lima
from scheduler.schema import Instance, Weights
from scheduler.search import solve

README = Path("README.md").read_text(encoding="utf-8")
FORMAT = Path("docs/format.md").read_text(encoding="utf-8")


def test_readme_shows_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out.extend(_commands(command, f"{prefix} {name}"))
        else:
            out.append((f"{prefix} {name}", command))
    return out


def test_every_cli_command_and_option_is_in_the_readme() -> None:
    for name, command in _commands(typer.main.get_group(app), "ronda"):
        assert name in README, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in README, f"{name} {opt}"


def test_every_instance_field_is_in_the_format_doc() -> None:
    for field in Instance.model_fields:
        assert f"`{field}`" in FORMAT, field


def test_every_weight_is_in_the_readme() -> None:
    for field in Weights.model_fields:
        assert f"`{field}`" in README, field


def test_every_metric_is_in_the_format_doc() -> None:
    metrics = solve(lima(), time_limit=0.2).plan.metrics
    for key in metrics:
        assert f"`{key}`" in FORMAT, key


def test_every_api_route_is_in_the_readme() -> None:
    from app.main import create_app

    for path in create_app().openapi()["paths"]:
        last = path.rstrip("/").split("/")[-1]
        if last.startswith("{"):
            last = path.rstrip("/").split("/")[-2]
        assert f"/{last}" in README or f"{last}`" in README, path


def test_every_setting_is_in_the_readme() -> None:
    for name in Settings.model_fields:
        assert f"`RONDA_{name.upper()}`" in README, name
