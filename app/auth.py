"""Who may use the organizer area: a signed session cookie, or HTTP Basic for API clients."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session, select

from .database import get_session
from .models import Account
from .services.accounts import authenticate


class LoginRequired(Exception):
    """Raised by the dependency; the app answers with the login page or a 401."""


def basic_account(request: Request, session: Session) -> Account | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return authenticate(session, username=username, password=password)


def signed_in(request: Request, session: Session) -> Account | None:
    """The organizer of the session cookie (None when signed out)."""
    username = request.session.get("account")
    if not username:
        return None
    return session.exec(select(Account).where(Account.username == username)).first()


def current_account(request: Request, session: Annotated[Session, Depends(get_session)]) -> Account:
    account = signed_in(request, session) or basic_account(request, session)
    if account is None:
        raise LoginRequired
    return account


AccountDep = Annotated[Account, Depends(current_account)]
