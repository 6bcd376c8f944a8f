"""FastAPI dependencies, each as an `Annotated` alias that routes use as a type."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from sqlmodel import Session

from .auth import AccountDep, current_account
from .database import get_session

# "function": the session closes (its connection back in the pool) as soon as the route returns,
# not after its answer has gone out: under load, sending waits, and connections with it.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
OrganizerOnly = [Depends(current_account)]  # router-wide: every route needs a signed-in organizer

# Ids are PostgreSQL `integer` columns (SQLite's are wider): a number outside them names no row,
# and sent to the database it would fail there (out of range) instead of being "not found".
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[
    int, Path(ge=1, le=MAX_ROW_ID, description=f"a row's number, from 1 to {MAX_ROW_ID}")
]

__all__ = ["MAX_ROW_ID", "AccountDep", "OrganizerOnly", "RowId", "SessionDep"]
