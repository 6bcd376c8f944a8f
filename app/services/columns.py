"""The four kinds of import file, their columns, and the header names each column accepts.

Header names are matched case-insensitively, ignoring spaces and punctuation ("ISO code" is
`iso_code`), and each column accepts a few common aliases, preferred first: a participants file
may call the name `country` (as the Lima countries file could) and the code `iso`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..i18n import _
from .errors import ImportRejected, RowProblem
from .events import hint
from .tabular import Sheet

Kind = Literal["participants", "subjects", "tables", "needs_offers"]
KINDS: tuple[Kind, ...] = ("participants", "subjects", "tables", "needs_offers")

# The file names `import_folder` recognises for each kind (any of .csv .tsv .txt .xlsx).
FILE_NAMES: dict[Kind, tuple[str, ...]] = {
    "participants": ("participants", "countries", "delegations", "people"),
    "subjects": ("subjects",),
    "tables": ("tables",),
    "needs_offers": ("needs_offers", "needs_and_offers", "needs", "topics"),
}
EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")


@dataclass(frozen=True)
class Column:
    name: str
    headers: tuple[str, ...]  # accepted header names, preferred first
    required: bool = False


COLUMNS: dict[Kind, tuple[Column, ...]] = {
    "participants": (
        Column("name", ("name", "participant", "delegation", "full_name", "country"), True),
        Column("code", ("code", "iso", "iso_code", "id", "short_code")),
        Column("organization", ("organization", "organisation", "org", "office", "institution")),
        Column("country", ("country",)),
        Column("language", ("language", "lang", "working_language")),
        Column("attended", ("attended", "active", "attending", "present")),
    ),
    "subjects": (
        Column("number", ("number", "code", "id", "no", "subject", "subject_number"), True),
        Column("name", ("name", "title", "subject_name")),
        Column("hosts", ("hosts",)),
        Column("facilitators", ("facilitators", "facilitator")),
    ),
    "tables": (
        Column("name", ("name", "table", "table_name"), True),
        Column("capacity", ("capacity", "seats", "max_size", "size"), True),
        Column("min_size", ("min_size", "minimum", "min")),
        Column("subject", ("subject", "fixed_subject")),
    ),
    "needs_offers": (
        Column("subject", ("subject", "subject_number", "number")),
        Column("topic", ("topic", "name", "topic_name"), True),
        Column("request", ("request", "need", "needs", "request_text")),
        Column("offer", ("offer", "offers", "offer_text")),
        Column("guidance", ("guidance", "facilitator_note", "note_for_facilitators", "note")),
        Column("requesting", ("requesting", "requested_by", "requesters"), True),
        Column("offering", ("offering", "offered_by", "offerers"), True),
    ),
}

# A header row and one example row per kind: published as app/import_templates/<kind>.csv.
TEMPLATES: dict[Kind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "participants": (
        ("name", "code", "organization", "country", "language", "attended"),
        ("Ana Perez", "AP", "National IP Office", "Argentina", "es", "yes"),
    ),
    "subjects": (
        ("number", "name", "hosts", "facilitators"),
        ("1", "Infrastructure and new technologies", "1", "Maria Lopez"),
    ),
    "tables": (("name", "capacity", "min_size"), ("Table 1", "4", "3")),
    "needs_offers": (
        ("subject", "topic", "request", "offer", "requesting", "offering"),
        (
            "1",
            "Digitalization",
            "Move the office's digitalization forward.",
            "Share best practices in file digitization.",
            "AP",
            "*",
        ),
    ),
}


def normalize(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.casefold()).strip("_")


def knows(kind: Kind) -> set[str]:
    return {h for column in COLUMNS[kind] for h in column.headers}


def resolve(sheet: Sheet, kind: Kind) -> dict[str, int]:
    """Column name -> its index in the rows; every header problem at once if any."""
    normalized = [normalize(cell) for cell in sheet.header]
    problems: list[str] = []
    for index, header in enumerate(normalized):
        if header and header in normalized[:index]:
            problems.append(
                _("column {name!r} appears twice; keep one").format(name=sheet.header[index])
            )
    found: dict[str, int] = {}
    for column in COLUMNS[kind]:
        at = next((normalized.index(h) for h in column.headers if h in normalized), None)
        if at is not None:
            found[column.name] = at
        elif column.required:
            problems.append(
                _("missing column {name!r}; {expected}").format(
                    name=column.name, expected=expected(kind)
                )
            )
    for index, header in enumerate(normalized):
        if header and index not in found.values():
            problems.append(
                _("unknown column {name!r}{hint}; {expected}").format(
                    name=sheet.header[index],
                    hint=hint(header, sorted(knows(kind))),
                    expected=expected(kind),
                )
            )
    if problems:
        raise ImportRejected([RowProblem(sheet.file, sheet.header_line, p) for p in problems])
    return found


def expected(kind: Kind) -> str:
    required = [c.name for c in COLUMNS[kind] if c.required]
    optional = [c.name for c in COLUMNS[kind] if not c.required]
    return _("a {kind} file has the columns {required} (optional: {optional})").format(
        kind=kind.replace("_", "/"), required=", ".join(required), optional=", ".join(optional)
    )


def values(sheet: Sheet, found: dict[str, int]) -> list[tuple[int, dict[str, str], str | None]]:
    """(line, column -> value, problem) per row; the problem is about the row's shape."""
    width = len(sheet.header)
    out = []
    for line, cells in sheet.rows:
        problem = None
        if any(cells[width:]):
            count = max(i for i, cell in enumerate(cells) if cell) + 1
            problem = _(
                "this row has {count} values but the header has {width} columns; "
                "put quotes around values that contain the delimiter"
            ).format(count=count, width=width)
        row = {name: cells[i] if i < len(cells) else "" for name, i in found.items()}
        out.append((line, row, problem))
    return out
