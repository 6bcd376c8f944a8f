"""Sign in and out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from .. import i18n
from ..deps import SessionDep
from ..services.accounts import authenticate
from ..web import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only redirect within this site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    account = authenticate(session, username=username, password=password)
    if account is None:
        error = i18n._("Wrong username or password. Check both and try again.")
        context = {"next": _safe_next(next), "error": error, "username": username}
        return render(request, "login.html", context, status_code=401)
    request.session["account"] = account.username
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/language/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie("ronda_lang", code, max_age=365 * 24 * 3600, samesite="lax")
    return response
