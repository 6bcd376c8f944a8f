"""FastAPI dependencies, each as an `Annotated` alias that routes use as a type."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from .auth import AccountDep, current_account
from .database import get_session

SessionDep = Annotated[Session, Depends(get_session)]
OrganizerOnly = [Depends(current_account)]  # router-wide: every route needs a signed-in organizer

__all__ = ["AccountDep", "OrganizerOnly", "SessionDep"]
