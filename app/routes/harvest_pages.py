"""The harvest page (`/events/{id}/harvest`): notes and initiatives by subject, topic,
participant or round with a search box, the cooperation tables, and the exports."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ..deps import AccountDep, OrganizerOnly, SessionDep
from ..i18n import _
from ..services import attendance, events, harvest, notes
from ..services.errors import RondaError
from ..services.harvest_groups import GROUPS, grouped, subject_names
from .common import EventDep, flash, page
from .forms import sentence
from .plan_print import download

router = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)


@router.get("/events/{event_id}/harvest")
def harvest_page(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    q: str = "",
    by: str = "round",
) -> Response:
    by = by if by in GROUPS else "round"
    groups = grouped(session, event=event, by=by, query=q.strip()[:200])
    return page(
        request,
        "live/harvest.html",
        account=account,
        event=event,
        section="harvest",
        q=q,
        by=by,
        groups=groups,
        count=len({id(n) for g in groups for n in g.notes}),
        found=len({i.id for g in groups for i in g.initiatives}),
        subjects=subject_names(session, event=event),
        cooperation=harvest.cooperation(session, event=event),
        initiatives=notes.list_initiatives(session, event=event),
        names=harvest.names_of(session, event=event),
    )


@router.post("/events/{event_id}/harvest/initiatives")
def add_initiative(
    request: Request,
    session: SessionDep,
    event: EventDep,
    topic: Annotated[str, Form()],
    subject: Annotated[str, Form()] = "",
    request_text: Annotated[str, Form(alias="request")] = "",
    requesting: Annotated[str, Form()] = "",
    offering: Annotated[str, Form()] = "",
    offer: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    initiative_id: Annotated[str, Form()] = "",
    base_version: Annotated[int, Form()] = 0,
    status: Annotated[str, Form()] = "confirmed",
    back: Annotated[str, Form()] = "",
) -> Response:
    """The organizer records (or confirms) an initiative; it is confirmed at once. From the
    plenary's console (`back=plenary`) the console is shown again."""

    def codes(text: str) -> tuple[str, ...]:
        return tuple(c.strip() for c in text.replace(",", ";").split(";") if c.strip())

    try:
        notes.save_initiative(
            session,
            event=event,
            initiative_id=initiative_id or uuid.uuid4().hex,
            data=notes.InitiativeIn(
                subject=subject,
                topic=topic,
                request=request_text,
                requesting=codes(requesting),
                offering=codes(offering),
                offer=offer,
                contact=contact,
                confirmed=status == "confirmed",
                base_version=base_version,
            ),
            author=_("organizer"),
            may_confirm=True,
        )
    except RondaError as exc:
        flash(request, sentence(str(exc)))
    else:
        flash(request, _("Saved the initiative on {topic}.").format(topic=topic))
    if back == "plenary":
        return RedirectResponse(f"/events/{event.id}/plenary#record", status_code=303)
    return RedirectResponse(f"/events/{event.id}/harvest#initiatives", status_code=303)


@router.get("/events/{event_id}/harvest/export/{fmt}")
def export_harvest(session: SessionDep, event: EventDep, fmt: str) -> Response:
    return download(harvest.export(session, event=event, fmt=fmt))


PAPERS = ("a4", "letter")


@router.get("/events/{event_id}/harvest/report")
def harvest_report(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    paper: str = "a4",
    people: bool = True,
) -> Response:
    """The printable report: the browser prints it (or saves it as PDF) on A4 or Letter."""
    takeaways = []
    if people:
        takeaways = [
            attendance.attendee_view(session, participant=p)
            for p in events.list_participants(session, event=event, active_only=True)
        ]
    return page(
        request,
        "live/harvest_report.html",
        account=account,
        event=event,
        section="harvest",
        paper=paper if paper in PAPERS else "a4",
        cooperation=harvest.cooperation(session, event=event),
        groups=grouped(session, event=event, by="subject"),
        subjects=subject_names(session, event=event),
        names=harvest.names_of(session, event=event),
        takeaways=takeaways,
        match_sentence=attendance.match_sentence,
    )
