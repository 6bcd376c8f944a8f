"""Who may use the organizer area: a browser's session (a secret in the signed cookie, looked up
on the server so that signing out ends it everywhere), an API token (`Authorization: Bearer`),
or HTTP Basic for scripts. Wrong passwords are limited per account and per client address."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from .database import get_session
from .limits import SignInLimit
from .models import Account
from .services.accounts import authenticate, session_account, token_account


class LoginRequired(Exception):
    """Raised by the dependency; the app answers with the login page or a 401."""


class TooManyAttempts(Exception):
    """Too many wrong passwords for this account or from this address: wait `seconds`."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_password(
    request: Request, session: Session, username: str, password: str
) -> Account | None:
    """The account if the password is right; counts wrong ones, and refuses to check at all
    (TooManyAttempts) once this account or this address has failed too often."""
    limit: SignInLimit = request.app.state.sign_in_limit
    address = client_address(request)
    wait = limit.wait(username, address)
    if wait:
        raise TooManyAttempts(wait)
    account = authenticate(session, username=username, password=password)
    if account is None:
        limit.failed(username, address)
    return account


def basic_account(request: Request, session: Session) -> Account | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return token_account(session, secret=header[7:].strip())
    if not header.lower().startswith("basic "):
        return None
    try:
        username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return check_password(request, session, username, password)


def signed_in(request: Request, session: Session) -> Account | None:
    """The organizer of the browser's session (None when signed out or expired)."""
    secret = request.session.get("sid")
    if not isinstance(secret, str) or not secret:
        return None
    settings = request.app.state.settings
    return session_account(
        session,
        secret=secret,
        idle=dt.timedelta(minutes=settings.session_idle_minutes),
        longest=dt.timedelta(hours=settings.session_max_hours),
    )


def current_account(
    request: Request, session: Annotated[Session, Depends(get_session, scope="function")]
) -> Account:
    account = signed_in(request, session) or basic_account(request, session)
    if account is None:
        raise LoginRequired
    request.state.actor = account.username  # for the audit log
    return account


AccountDep = Annotated[Account, Depends(current_account)]
