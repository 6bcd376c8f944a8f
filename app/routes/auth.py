"""Sign in and out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from .. import i18n
from ..auth import TooManyAttempts, check_password
from ..deps import SessionDep
from ..services.accounts import end_session, start_session
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


def wait_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return i18n.ngettext(
        "Too many wrong passwords: sign-in is paused for this account or this address. Try again in {n} minute.",
        "Too many wrong passwords: sign-in is paused for this account or this address. Try again in {n} minutes.",
        minutes,
    ).format(n=minutes)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    context = {"next": _safe_next(next), "username": username}
    try:
        account = check_password(request, session, username, password)
    except TooManyAttempts as wait:
        context["error"] = wait_message(wait.seconds)
        reply = render(request, "login.html", context, status_code=429)
        reply.headers["Retry-After"] = str(wait.seconds)
        return reply
    if account is None:
        context["error"] = i18n._("Wrong username or password. Check both and try again.")
        return render(request, "login.html", context, status_code=401)
    old = request.session.get("sid")
    if isinstance(old, str):
        end_session(session, secret=old)
    request.session.clear()  # a new session secret at each sign-in (no session fixation)
    request.session["sid"] = start_session(session, account=account)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    secret = request.session.get("sid")
    if isinstance(secret, str):
        end_session(session, secret=secret)  # the cookie stops working on every worker
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/language/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie("ronda_lang", code, max_age=365 * 24 * 3600, samesite="lax")
    return response
