"""Organizer accounts: create one, check a password, change it, disable an account; the
sessions of signed-in browsers and the API tokens of scripts, both stored as hashes only."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading

from pwdlib import PasswordHash
from sqlmodel import Session, col, delete, select

from ..i18n import _
from ..models import Account, ApiToken, LoginSession, aware, utcnow
from .errors import Conflict, InvalidInput, NotFound, RondaError

_hasher = PasswordHash.recommended()  # Argon2id: about 64 MiB and tens of ms per check
MIN_PASSWORD = 8
MAX_PASSWORD = 1000
# Argon2 checks at once in this process; more wait (a flood of wrong passwords cannot take
# the memory or the database connections that the day's pages need).
HASHING = threading.BoundedSemaphore(2)
HASH_WAIT = 10.0  # seconds a check waits for its turn before the request answers 503


class Busy(RondaError):
    """Too many password checks at once: try again in a few seconds."""


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _checked(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            _("the password has fewer than {n} characters; choose a longer one").format(
                n=MIN_PASSWORD
            )
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(
            _("the password has more than {n} characters; choose a shorter one").format(
                n=MAX_PASSWORD
            )
        )
    return password


def _argon2(call: object, *args: str) -> object:
    if not HASHING.acquire(timeout=HASH_WAIT):
        raise Busy(_("the server is checking many passwords at once; try again in a moment"))
    try:
        return call(*args)  # type: ignore[operator]
    finally:
        HASHING.release()


def create_account(
    session: Session, *, username: str, password: str, is_admin: bool = False
) -> Account:
    username = username.strip()
    if not username:
        raise InvalidInput(_("the username is empty; choose one"))
    _checked(password)
    if session.exec(select(Account).where(Account.username == username)).first():
        raise Conflict(_("the account {name!r} exists already").format(name=username))
    digest = str(_argon2(_hasher.hash, password))
    account = Account(username=username, password_hash=digest, is_admin=is_admin)
    session.add(account)
    session.commit()
    session.refresh(account)
    return account


def authenticate(session: Session, *, username: str, password: str) -> Account | None:
    """The account, if the password is its own and it is not disabled. The database connection
    is given back before the hash is checked, so slow checks never hold one."""
    row = session.exec(
        select(Account.id, Account.password_hash, Account.disabled).where(
            Account.username == username.strip()
        )
    ).first()
    session.rollback()  # ends the read: the connection returns to the pool
    if row is None or len(password) > MAX_PASSWORD:
        _argon2(_hasher.hash, password[:MAX_PASSWORD])  # same work: no hint the name exists
        return None
    account_id, digest, disabled = row
    if not _argon2(_hasher.verify, password, digest) or disabled:
        return None
    return session.get(Account, account_id)


def has_accounts(session: Session) -> bool:
    return session.exec(select(Account.id)).first() is not None


def get_account(session: Session, *, username: str) -> Account:
    account = session.exec(select(Account).where(Account.username == username.strip())).first()
    if account is None:
        raise NotFound(_("there is no account {name!r}").format(name=username))
    return account


def list_accounts(session: Session) -> list[Account]:
    return list(session.exec(select(Account).order_by(col(Account.username))).all())


def end_sessions(session: Session, *, account: Account) -> None:
    """Sign the account out of every browser (its API tokens are revoked one by one)."""
    session.exec(delete(LoginSession).where(col(LoginSession.account_id) == account.id))  # type: ignore[call-overload]


def change_password(session: Session, *, account: Account, current: str, new: str) -> None:
    if authenticate(session, username=account.username, password=current) is None:
        raise InvalidInput(_("the current password is not right; type it again"))
    digest = str(_argon2(_hasher.hash, _checked(new)))
    account = session.get(Account, account.id)  # type: ignore[assignment]
    account.password_hash = digest
    end_sessions(session, account=account)
    session.commit()


def set_password(session: Session, *, account: Account, password: str) -> None:
    """An admin's reset: the account's sessions end."""
    account.password_hash = str(_argon2(_hasher.hash, _checked(password)))
    end_sessions(session, account=account)
    session.commit()


def set_disabled(session: Session, *, account: Account, disabled: bool) -> None:
    if disabled and account.is_admin:
        admins = [a for a in list_accounts(session) if a.is_admin and not a.disabled]
        if admins == [account]:
            raise Conflict(
                _("{name!r} is the last admin; make another admin first").format(
                    name=account.username
                )
            )
    account.disabled = disabled
    if disabled:
        end_sessions(session, account=account)
    session.commit()


# --- browsers' sessions ----------------------------------------------------------------------


def start_session(session: Session, *, account: Account) -> str:
    """A new signed-in browser; returns the secret its cookie keeps."""
    secret = secrets.token_urlsafe(32)
    session.add(LoginSession(id=_hash(secret), account_id=account.id))  # type: ignore[arg-type]
    session.commit()
    return secret


def end_session(session: Session, *, secret: str) -> None:
    session.exec(delete(LoginSession).where(col(LoginSession.id) == _hash(secret)))  # type: ignore[call-overload]
    session.commit()


def session_account(
    session: Session, *, secret: str, idle: dt.timedelta, longest: dt.timedelta
) -> Account | None:
    """The account of a browser's session, if it is still open: not ended, used within `idle`,
    started within `longest`, its account not disabled."""
    found = session.get(LoginSession, _hash(secret))
    if found is None:
        return None
    now = utcnow()
    seen, started = aware(found.seen_at), aware(found.created_at)
    if now - seen > idle or now - started > longest:
        session.delete(found)
        session.commit()
        return None
    account = session.get(Account, found.account_id)
    if account is None or account.disabled:
        return None
    if now - seen > dt.timedelta(minutes=1):  # one write a minute, not one a request
        found.seen_at = now
        session.commit()
    return account


# --- scripts' API tokens ---------------------------------------------------------------------

TOKEN_PREFIX = "ronda_"


def create_token(session: Session, *, account: Account, name: str) -> tuple[ApiToken, str]:
    """A new token; its secret is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput(
            _("give the token a name of 1 to 100 characters, such as 'import script'")
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(account_id=account.id, name=name, token_hash=_hash(secret))  # type: ignore[arg-type]
    session.add(token)
    session.commit()
    session.refresh(token)
    return token, secret


def list_tokens(session: Session, *, account: Account) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.account_id == account.id)
    return list(session.exec(query.order_by(col(ApiToken.id))).all())


def revoke_token(session: Session, *, account: Account, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id:
        raise NotFound(_("there is no API token {id} of yours").format(id=token_id))
    session.delete(token)
    session.commit()


def token_account(session: Session, *, secret: str) -> Account | None:
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == _hash(secret))).first()
    if token is None:
        return None
    account = session.get(Account, token.account_id)
    if account is None or account.disabled:
        return None
    now = utcnow()
    if token.used_at is None or now - aware(token.used_at) > dt.timedelta(minutes=1):
        token.used_at = now
        session.commit()
    return account
