"""The organizer's own account (`/account`: password, API tokens) and, for admins, everyone's
(`/accounts`: create, disable, enable); the same under `/api/account` and `/api/accounts`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from ..auth import AccountDep
from ..deps import RowId, SessionDep
from ..i18n import _
from ..models import Account
from ..services import accounts
from ..services.errors import Forbidden, NotFound, RondaError
from ..web import render
from .api_models import ERRORS, Moment
from .forms import sentence

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["accounts"], responses=ERRORS)


def admin_only(account: AccountDep) -> Account:
    if not account.is_admin:
        raise Forbidden(_("only an admin manages accounts; ask one"))
    return account


AdminDep = Annotated[Account, Depends(admin_only)]


def _sentence(exc: RondaError) -> str:
    text = sentence(str(exc))
    return text if text.endswith(".") else text + "."


def _account_page(
    request: Request,
    session: SessionDep,
    account: Account,
    *,
    new_token: str = "",
    message: str = "",
    error: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "account.html",
        {
            "account": account,
            "tokens": accounts.list_tokens(session, account=account),
            "new_token": new_token,
            "message": message,
            "error": error,
            "everyone": accounts.list_accounts(session) if account.is_admin else [],
        },
        status_code=status_code,
    )


@pages.get("/account")
def account_page(request: Request, session: SessionDep, account: AccountDep) -> Response:
    return _account_page(request, session, account)


@pages.post("/account/password")
def change_password(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    current: Annotated[str, Form(max_length=1000)],
    new: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        accounts.change_password(session, account=account, current=current, new=new)
    except RondaError as exc:
        return _account_page(request, session, account, error=_sentence(exc), status_code=422)
    # Every session ended, this one too: sign this browser in again with the new password.
    request.session.clear()
    request.session["sid"] = accounts.start_session(session, account=account)
    message = _("Password changed. Every other browser signed in as you was signed out.")
    return _account_page(request, session, account, message=message)


@pages.post("/account/tokens")
def create_token(
    request: Request, session: SessionDep, account: AccountDep, name: Annotated[str, Form()]
) -> Response:
    try:
        _token, secret = accounts.create_token(session, account=account, name=name)
    except RondaError as exc:
        return _account_page(request, session, account, error=_sentence(exc), status_code=422)
    return _account_page(request, session, account, new_token=secret)


@pages.post("/account/tokens/{token_id}/delete")
def revoke_token(session: SessionDep, account: AccountDep, token_id: RowId) -> Response:
    accounts.revoke_token(session, account=account, token_id=token_id)
    return RedirectResponse("/account#tokens", status_code=303)


@pages.post("/accounts")
def add_account(
    request: Request,
    session: SessionDep,
    admin: AdminDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    is_admin: Annotated[bool, Form()] = False,
) -> Response:
    try:
        made = accounts.create_account(
            session, username=username, password=password, is_admin=is_admin
        )
    except RondaError as exc:
        return _account_page(request, session, admin, error=_sentence(exc), status_code=422)
    message = _("Created the account {name}.").format(name=made.username)
    return _account_page(request, session, admin, message=message)


@pages.post("/accounts/{account_id}/{change}")
def enable_or_disable(
    request: Request, session: SessionDep, admin: AdminDep, account_id: RowId, change: str
) -> Response:
    target = session.get(Account, account_id)
    if target is None or change not in ("disable", "enable"):
        return _account_page(
            request, session, admin, error=_("There is no such account."), status_code=404
        )
    try:
        accounts.set_disabled(session, account=target, disabled=change == "disable")
    except RondaError as exc:
        return _account_page(request, session, admin, error=_sentence(exc), status_code=409)
    return RedirectResponse("/account#accounts", status_code=303)


# --- JSON ------------------------------------------------------------------------------------


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class TokenPublic(BaseModel):
    id: int
    name: str
    created_at: Moment
    used_at: Moment | None = None


class TokenCreated(TokenPublic):
    token: str  # shown once: Ronda keeps only its hash


class AccountCreate(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=8, max_length=1000)
    is_admin: bool = False


class AccountPatch(BaseModel):
    disabled: bool


class AccountPublic(BaseModel):
    id: int
    username: str
    is_admin: bool
    disabled: bool
    created_at: Moment


@api.post("/account/password", status_code=204, response_class=Response)
def change_password_api(session: SessionDep, account: AccountDep, data: PasswordChange) -> Response:
    """Change your password; every browser signed in as you is signed out."""
    accounts.change_password(
        session, account=account, current=data.current_password, new=data.new_password
    )
    return Response(status_code=204)


@api.get("/account/tokens", response_model=list[TokenPublic])
def list_tokens(session: SessionDep, account: AccountDep) -> list[TokenPublic]:
    return [
        TokenPublic.model_validate(t, from_attributes=True)
        for t in accounts.list_tokens(session, account=account)
    ]


@api.post("/account/tokens", response_model=TokenCreated, status_code=201)
def create_token_api(session: SessionDep, account: AccountDep, data: TokenCreate) -> TokenCreated:
    """A token for a script: send it as `Authorization: Bearer <token>`. Shown once."""
    token, secret = accounts.create_token(session, account=account, name=data.name)
    return TokenCreated(
        **TokenPublic.model_validate(token, from_attributes=True).model_dump(), token=secret
    )


@api.delete("/account/tokens/{token_id}", status_code=204, response_class=Response)
def revoke_token_api(session: SessionDep, account: AccountDep, token_id: RowId) -> Response:
    accounts.revoke_token(session, account=account, token_id=token_id)
    return Response(status_code=204)


@api.get("/accounts", response_model=list[AccountPublic])
def list_accounts_api(session: SessionDep, _admin: AdminDep) -> list[AccountPublic]:
    return [
        AccountPublic.model_validate(a, from_attributes=True)
        for a in accounts.list_accounts(session)
    ]


@api.post("/accounts", response_model=AccountPublic, status_code=201)
def create_account_api(session: SessionDep, _admin: AdminDep, data: AccountCreate) -> AccountPublic:
    made = accounts.create_account(
        session, username=data.username, password=data.password, is_admin=data.is_admin
    )
    return AccountPublic.model_validate(made, from_attributes=True)


@api.patch("/accounts/{account_id}", response_model=AccountPublic)
def change_account_api(
    session: SessionDep, _admin: AdminDep, account_id: RowId, data: AccountPatch
) -> AccountPublic:
    """Disable an account (it can no longer sign in; its sessions and tokens stop) or enable it."""
    target = session.get(Account, account_id)
    if target is None:
        raise NotFound(_("there is no account {id}").format(id=account_id))
    accounts.set_disabled(session, account=target, disabled=data.disabled)
    return AccountPublic.model_validate(target, from_attributes=True)
