"""What the event pages share: the event from the URL, the submitted form, the page layout."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ..deps import AccountDep, RowId, SessionDep
from ..middleware import allow_upload
from ..models import Account, Event
from ..services import access
from ..services.lookup import get_event_by_id
from ..web import is_htmx, render


def event_from_path(event_id: RowId, session: SessionDep, account: AccountDep) -> Event:
    """The event of the address, if the signed-in organizer may open it."""
    event = get_event_by_id(session, event_id=event_id)
    access.require(session, account=account, event=event)
    return event


async def read_form(request: Request) -> AsyncIterator[FormData]:
    # A topic form lists every participant twice (requesting, offering): allow large events.
    form = await request.form(max_fields=20_000, max_files=20)
    try:
        yield form
    finally:
        await form.close()  # uploaded files are spooled to temporary files


async def read_upload_form(request: Request) -> AsyncIterator[FormData]:
    # Only a route's dependencies that come first (signing in, the event) run before this one, so
    # a stranger's upload is refused without being read.
    allow_upload(request.scope, request.app.state.settings.max_upload_bytes())
    form = await request.form(max_fields=100, max_files=20)
    try:
        yield form
    finally:
        await form.close()


EventDep = Annotated[Event, Depends(event_from_path)]
FormDep = Annotated[FormData, Depends(read_form)]
UploadFormDep = Annotated[FormData, Depends(read_upload_form)]


def flash(request: Request, message: str) -> None:
    """A message for the next page shown (after a redirect), such as "Table 3 added"."""
    request.session["flash"] = [*request.session.get("flash", []), message]


def page(
    request: Request,
    template: str,
    *,
    account: Account,
    event: Event | None = None,
    section: str | None = None,
    partial: str | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """Render an organizer page in the event's layout (or only `partial` for htmx)."""
    partial_render = partial is not None and is_htmx(request)
    notices = [] if is_htmx(request) else request.session.pop("flash", [])
    data = {
        "account": account,
        "event": event,
        "section": section,
        "notices": notices,
        "partial_render": partial_render,
    }
    return render(request, template, {**data, **context}, partial=partial, status_code=status_code)


def done(request: Request, url: str, message: str) -> Response:
    """After a change made by a plain form: show the page again, with what was done."""
    flash(request, message)
    return RedirectResponse(url, status_code=303)


def confirm(
    request: Request,
    *,
    account: Account,
    event: Event,
    section: str,
    question: str,
    consequence: str,
    action: str,
    cancel: str,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The page that asks before something is removed (it works without JavaScript)."""
    return page(
        request,
        "events/confirm.html",
        account=account,
        event=event,
        section=section,
        question=question,
        consequence=consequence,
        action=action,
        cancel=cancel,
        error=error,
        status_code=status_code,
    )
