"""Pydantic's validation messages in an organizer's words, in the reader's language: the
forms put them next to each field, the imports after the column's name."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

from ..i18n import _

NUMBER_PROBLEMS = {"int_parsing", "int_type", "int_from_float", "float_parsing"}


def problem(error: ErrorDetails, typed: Any) -> str:
    kind, limits = error["type"], error.get("ctx") or {}
    if kind == "missing" or (typed == "" and kind in NUMBER_PROBLEMS | {"string_too_short"}):
        return _("Fill this in.")
    if kind in NUMBER_PROBLEMS:
        return _("Enter a whole number, such as 4.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Enter {limit} or more.").format(limit=limits.get("ge", limits.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("Enter {limit} or less.").format(limit=limits.get("le", limits.get("lt")))
    if kind == "string_too_long":
        return _("Shorten this to {limit} characters or fewer.").format(
            limit=limits.get("max_length")
        )
    if kind.startswith("time"):
        return _("Enter a time as hours:minutes, such as 09:30.")
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind.startswith("date"):
        return _("Enter a date as year-month-day, such as 2022-11-23.")
    if kind == "string_pattern_mismatch":
        return _("Use no spaces, commas, semicolons or asterisks here, e.g. AR.")
    if kind == "literal_error":
        return _("Choose one of the options.")
    return str(error["msg"])
