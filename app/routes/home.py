"""The home page: the organizer's events."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..deps import AccountDep, SessionDep
from ..services import access
from ..web import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, session: SessionDep, account: AccountDep) -> Response:
    return render(
        request,
        "home.html",
        {"events": access.visible_events(session, account=account), "account": account},
    )


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
