"""The home page: the organizer's events."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from ..database import schema_is_current
from ..deps import AccountDep, SessionDep
from ..services import access
from ..web import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, session: SessionDep, account: AccountDep) -> Response:
    events = access.visible_events(session, account=account)
    return render(
        request,
        "home.html",
        {"events": events, "rows": access.event_rows(session, events=events), "account": account},
    )


@router.get("/health")
@router.get("/healthz")
def health() -> dict[str, str]:
    """The process is up (for a container's liveness check)."""
    return {"status": "ok"}


@router.get("/readyz")
def ready(request: Request) -> JSONResponse:
    """Ready to serve: the database answers and its schema is current (for a load balancer)."""
    try:
        current = schema_is_current(request.app.state.engine)
    except SQLAlchemyError as exc:
        reason = type(exc).__name__
        return JSONResponse({"status": "database unreachable", "reason": reason}, status_code=503)
    if not current:
        message = (
            "database schema is not current: run `alembic upgrade head` or restart `ronda serve`"
        )
        return JSONResponse({"status": message}, status_code=503)
    return JSONResponse({"status": "ready"})
