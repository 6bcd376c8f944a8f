"""Organizer accounts: create one, check a password."""

from __future__ import annotations

from pwdlib import PasswordHash
from sqlmodel import Session, select

from ..i18n import _
from ..models import Account
from .errors import Conflict, InvalidInput

_hasher = PasswordHash.recommended()  # Argon2id
MIN_PASSWORD = 8


def create_account(session: Session, *, username: str, password: str) -> Account:
    username = username.strip()
    if not username:
        raise InvalidInput(_("the username is empty; choose one"))
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            _("the password has fewer than {n} characters; choose a longer one").format(
                n=MIN_PASSWORD
            )
        )
    if session.exec(select(Account).where(Account.username == username)).first():
        raise Conflict(_("the account {name!r} exists already").format(name=username))
    account = Account(username=username, password_hash=_hasher.hash(password))
    session.add(account)
    session.commit()
    session.refresh(account)
    return account


def authenticate(session: Session, *, username: str, password: str) -> Account | None:
    account = session.exec(select(Account).where(Account.username == username.strip())).first()
    if account is None:
        _hasher.hash(password)  # same work either way: no timing hint that the name exists
        return None
    return account if _hasher.verify(password, account.password_hash) else None


def has_accounts(session: Session) -> bool:
    return session.exec(select(Account.id)).first() is not None
