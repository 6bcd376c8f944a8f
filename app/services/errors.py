"""Domain errors: every message says what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import _, ngettext


class RondaError(Exception):
    """A problem the user can fix."""


class NotFound(RondaError):
    pass


class Forbidden(RondaError):
    """Signed in, but this is not yours to see or change."""


class Conflict(RondaError):
    """The change would duplicate a name or code, or break what depends on it."""


class InvalidInput(RondaError):
    pass


class CannotPlan(RondaError):
    """The event's data do not make a plannable instance (yet)."""


@dataclass(frozen=True)
class RowProblem:
    file: str
    line: int | None  # None: the problem is the file as a whole
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return _("{file}, line {line}: {message}").format(
            file=self.file, line=self.line, message=self.message
        )


class ImportRejected(RondaError):
    """Nothing was imported; `problems` lists every rejected row."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        summary = ngettext(
            "nothing was imported: {count} problem to fix first",
            "nothing was imported: {count} problems to fix first",
            len(problems),
        ).format(count=len(problems))
        super().__init__("\n".join([summary, *(f"  - {p}" for p in problems)]))
