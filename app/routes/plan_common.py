"""What the plan pages share: the event from the URL, the page layout, messages after a change."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from ..deps import RowId, SessionDep
from ..i18n import _
from ..models import Account, Event, pk
from ..services.errors import Conflict
from ..services.lookup import get_event_by_id
from ..solving import Solving
from ..web import is_htmx, render


def event_from_path(event_id: RowId, session: SessionDep) -> Event:
    return get_event_by_id(session, event_id=event_id)


EventDep = Annotated[Event, Depends(event_from_path)]


def flash(request: Request, message: str) -> None:
    """A message for the next page shown, after a redirect."""
    request.session["flash"] = [*request.session.get("flash", []), message]


def page(
    request: Request,
    template: str,
    *,
    account: Account,
    event: Event,
    section: str = "plan",
    partial: str | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """A page of the event (or only `partial` for htmx), with the messages waiting for it."""
    notices = [] if is_htmx(request) else request.session.pop("flash", [])
    data = {"account": account, "event": event, "section": section, "notices": notices}
    return render(request, template, {**data, **context}, partial=partial, status_code=status_code)


def back_to(request: Request, url: str, message: str) -> Response:
    """After a change made by a plain form: show the page again, with what was done."""
    flash(request, message)
    return RedirectResponse(url, status_code=303)


def no_job_running(solving: Solving, event: Event) -> None:
    """Hand edits wait while a plan is being made: its save would bury them."""
    if solving.running(pk(event)):
        raise Conflict(
            _(
                "a plan for {event!r} is being made; wait for it to finish (or stop it) "
                "before changing seats"
            ).format(event=event.name)
        )
