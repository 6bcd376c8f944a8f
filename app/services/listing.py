"""Long lists shown a page at a time, and filtered by what the organizer types.

A filter finds the text typed in any field, regardless of case, accents and spacing ("peru"
finds "Perú"); a page is chosen by number, or as the one holding a given row (the row just edited).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

PAGE_SIZE = 100

# Typographic quotes and apostrophes as typed ones: "Côte d’Ivoire" is "Cote d'Ivoire".
QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"'}
)


def fold(text: str) -> str:
    """Lower case without accents, for matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(QUOTES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matching(items: Sequence[T], query: str, fields: Callable[[T], Sequence[str]]) -> list[T]:
    """The items with a field that holds the query (all items for an empty one)."""
    wanted = " ".join(fold(query).split())
    if not wanted:
        return list(items)
    return [
        item
        for item in items
        if any(wanted in " ".join(fold(f or "").split()) for f in fields(item))
    ]


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int  # from 1
    pages: int
    total: int
    first: int  # position of the first item shown, from 1 (0 when there are none)
    last: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def page_of(
    items: Sequence[T], number: int = 1, *, holding: int | None = None, size: int = PAGE_SIZE
) -> Page[T]:
    """Page `number` of the items (clamped to the pages there are), or the page holding the
    item at index `holding` when given."""
    pages = max(1, math.ceil(len(items) / size))
    if holding is not None:
        number = holding // size + 1
    number = min(max(1, number), pages)
    start = (number - 1) * size
    shown = list(items[start : start + size])
    return Page(
        items=shown,
        number=number,
        pages=pages,
        total=len(items),
        first=start + 1 if shown else 0,
        last=start + len(shown),
    )
