"""One import in progress: the rows it applies, what it counts, what it rejects."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlmodel import Session, SQLModel

from ..i18n import _
from ..models import Event
from .columns import KINDS, Kind
from .errors import RowProblem
from .listing import QUOTES
from .validation_words import problem

Rows = list[tuple[int, dict[str, str], str | None]]  # (line, column -> value, shape problem)
Model = TypeVar("Model", bound=SQLModel)


class RowError(Exception):
    """What is wrong with one row (one message per problem); the import goes on to the next."""


@dataclass
class ImportReport:
    event: str
    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [
            _("{kind}: {added} added, {updated} updated").format(
                kind=kind, added=self.added[kind], updated=self.updated[kind]
            )
            for kind in KINDS
            if self.added[kind] or self.updated[kind]
        ]


@dataclass
class Run:
    """One import in progress: where it writes, what it counts, what it rejects."""

    session: Session
    event: Event
    report: ImportReport
    problems: list[RowProblem]
    # Names and codes of this import's participants file, rejected rows included: a need that
    # names someone whose row was rejected is not reported a second time as unknown.
    listed: set[str] = field(default_factory=set)

    def each(
        self, kind: Kind, file: str, rows: Rows, apply: Callable[[int, dict[str, str]], bool]
    ) -> None:
        """Apply every row; `apply` returns True when it added a row, False when it updated one."""
        for line, row, shape_problem in rows:
            try:
                if shape_problem:
                    raise RowError(shape_problem)
                added = apply(line, row)
            except RowError as exc:
                self.problems.extend(RowProblem(file, line, str(message)) for message in exc.args)
                continue
            (self.report.added if added else self.report.updated)[kind] += 1


def key(name: str) -> str:
    """How a person compares names: no case, no accents, single spaces, plain quotes."""
    plain = unicodedata.normalize("NFKD", name.casefold().translate(QUOTES))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def validated(model: type[Model], data: dict[str, Any]) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        column = ".".join(str(part) for part in error["loc"])
        said = problem(error, data.get(str(error["loc"][0])) if error["loc"] else None)
        said = said[:1].lower() + said[1:].rstrip(".")
        raise RowError(_("{column}: {problem}").format(column=column, problem=said)) from exc


def upsert(
    session: Session, row: Model | None, model: type[Model], data: SQLModel, **extra: Any
) -> Model:
    fields = {k: v for k, v in data.model_dump().items() if k in model.model_fields}
    if row is None:
        row = model.model_validate({**fields, **extra})
    else:
        row.sqlmodel_update(fields)
    session.add(row)
    session.flush()
    return row


def once(seen: dict[str, int], value: str, line: int, message: str) -> None:
    if value in seen:
        raise RowError(message.format(value=value, line=seen[value]))
    seen[value] = line
