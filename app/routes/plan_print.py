"""Print and export: table cards, itineraries and badges on paper; the plan as files."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..deps import AccountDep, OrganizerOnly, SessionDep
from ..services import console, printing
from ..services.errors import NotFound
from ..services.events import list_participants
from ..services.facilitation import list_facilitators
from ..services.plan_views import itinerary, plan_view
from .plan_common import EventDep, page

router = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)

Show = Literal["all", "cards", "itineraries", "badges", "facilitators"]


def download(file: printing.ExportFile) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


def _start_time(start: str | None) -> dt.time | None:
    if not start:
        return None
    try:
        return dt.time.fromisoformat(start)
    except ValueError:
        return None  # the form sends HH:MM; anything else counts from 0:00


@router.get("/events/{event_id}/print")
def print_page(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    start: str | None = None,
    show: Show = "all",
    code: str | None = None,
) -> Response:
    try:
        view = plan_view(session, event=event)
    except NotFound:
        return page(request, "plans/print.html", account=account, event=event, section="print")
    tokens = {
        p.code: p.token
        for p in list_participants(session, event=event)
        if code is None or p.code == code  # one participant's badge (a lost one)
    }
    public_url = str(request.app.state.settings.public_url)
    badges = (
        printing.badges(view, public_url=public_url, tokens=tokens)
        if show in ("all", "badges")
        else []
    )
    return page(
        request,
        "plans/print.html",
        account=account,
        event=event,
        section="print",
        view=view,
        show=show,
        start=start or (event.start_time.strftime("%H:%M") if event.start_time else ""),
        times=printing.round_times(event, start=_start_time(start) or event.start_time),
        cards=printing.table_cards(view) if show in ("all", "cards") else [],
        itineraries=[(p, itinerary(view, p.code)) for p in view.people]
        if show in ("all", "itineraries")
        else [],
        sheets=printing.sheets(badges),
        facilitator_sheets=printing.sheets(
            printing.facilitator_cards(
                [
                    (f, s.name or s.code if s else "")
                    for f, s in list_facilitators(session, event=event)
                ],
                public_url=public_url,
            )
        )
        if show in ("all", "facilitators")
        else [],
        **console.drift_context(session, event=event, saved=view.saved),
    )


@router.get("/events/{event_id}/export/{fmt}")
def export(session: SessionDep, event: EventDep, fmt: str) -> Response:
    return download(printing.export_file(session, event=event, fmt=fmt))
