"""The organizer's console (`/events/{id}/live`) and the room's screen (`/events/{id}/screen`).

The console's buttons are plain forms that carry the state they were drawn for, so a second
press, or a press after another organizer moved the session on, changes nothing and says so.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..deps import AccountDep, OrganizerOnly, RowId, SessionDep
from ..i18n import _, ngettext
from ..live import LiveHub, now_iso
from ..models import Event
from ..services import attendance, console, live
from ..services.errors import NotFound, RondaError
from ..services.events import get_participant
from ..services.instances import current_plan
from ..services.lookup import get_event_by_id
from ..services.plan_views import facilitator_names, shared_view
from ..viewers import may_watch
from ..web import is_htmx, render
from .common import EventDep, flash, page
from .forms import sentence
from .links import screen_url

router = APIRouter(include_in_schema=False)
organizer = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)

LABELS = {
    "start": lambda: _("Started round 1."),
    "next": lambda: _("Moved on."),
    "back": lambda: _("Went back one round."),
    "pause": lambda: _("Paused."),
    "resume": lambda: _("Resumed."),
    "extend": lambda: _("Added time."),
    "finish": lambda: _("Finished the session."),
    "publish": lambda: _("Published: every live page now follows this plan version."),
}


def _hub(request: Request) -> LiveHub:
    hub: LiveHub = request.app.state.live
    return hub


def console_context(session: Session, event: Event) -> dict[str, Any]:
    state = live.get_state(session, event=event)
    published = live.published_plan(session, event=event)
    try:
        draft = current_plan(session, event=event)
    except NotFound:
        draft = None
    shown = published or draft
    upcoming = 1 if state.status == "not_started" else state.round
    if state.status == "running" and state.phase == "conversation":
        upcoming = min(state.round + 1, event.rounds)
    unpublished = draft is not None and published is not None and draft.id != published.id
    return {
        "state": state,
        "state_json": live.as_json(state, rounds=event.rounds),
        "server_time": now_iso(),
        "describe": live.describe(state),
        "published": published,
        "draft": draft,
        "unpublished": unpublished,
        "moves": console.moves(published, draft, from_round=max(1, state.round))
        if unpublished and published and draft
        else [],
        "checkin": console.check_in(session, event=event, saved=shown, round=upcoming),
        **console.drift_context(session, event=event, saved=shown),
    }


@organizer.get("/events/{event_id}/live")
def console_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    return page(
        request,
        "live/console.html",
        account=account,
        event=event,
        section="live",
        screen_link=screen_url(request, event) if event.screen_token else "",
        **console_context(session, event),
    )


@organizer.post("/events/{event_id}/live/command")
def console_command(
    request: Request,
    session: SessionDep,
    event: EventDep,
    action: Annotated[str, Form()],
    state_version: Annotated[int | None, Form()] = None,
    from_round: Annotated[int | None, Form()] = None,
    from_phase: Annotated[str | None, Form()] = None,
    minutes: Annotated[int | None, Form()] = None,
) -> Response:
    expect = live.Expect(from_round, from_phase, state_version)
    try:
        if action == "publish":
            live.publish(session, event=event, expect=expect)
        elif action in LABELS:
            live.command(session, event=event, action=action, expect=expect, minutes=minutes)  # type: ignore[arg-type]
        else:
            raise live.InvalidInput(_("unknown command {action!r}").format(action=action))
    except RondaError as exc:  # a stale press among them: it says what the session is now
        flash(request, sentence(str(exc)))
    else:
        _hub(request).after_commit_from_thread(int(event.id or 0))
        flash(request, LABELS[action]())
    return RedirectResponse(f"/events/{event.id}/live", status_code=303)


@organizer.post("/events/{event_id}/live/arrived")
def mark_arrived(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    code: Annotated[str, Form()],
    arrived: Annotated[str, Form()] = "yes",
) -> Response:
    attendance.set_arrived(session, event=event, codes=[code], arrived=arrived == "yes")
    if is_htmx(request):
        person = next(
            p
            for p in console.check_in(session, event=event, saved=None, round=1).people
            if p.code == code
        )
        return render(request, "live/_checkin_row.html", {"person": person, "event": event})
    return RedirectResponse(f"/events/{event.id}/live#check-in", status_code=303)


@organizer.post("/events/{event_id}/live/missing-absent")
def missing_absent(
    request: Request,
    session: SessionDep,
    event: EventDep,
    from_round: Annotated[int, Form(ge=1)],
) -> Response:
    """Who has not arrived misses the rounds from `from_round` on; then re-plan those rounds
    (the browser sends the same form on to the re-plan, which answers with the solve's page)."""
    if from_round > event.rounds:
        flash(request, _("There is no round left to re-plan."))
        return RedirectResponse(f"/events/{event.id}/live", status_code=303)
    names = console.mark_missing_absent(session, event=event, from_round=from_round)
    flash(
        request,
        ngettext(
            "%(num)d person not arrived is marked absent from round {round} on.",
            "%(num)d people not arrived are marked absent from round {round} on.",
            len(names),
        )
        .replace("%(num)d", str(len(names)))
        .format(round=from_round),
    )
    return RedirectResponse(f"/events/{event.id}/plan/replan", status_code=307)


@organizer.post("/events/{event_id}/live/screen-link")
def renew_screen_link(request: Request, session: SessionDep, event: EventDep) -> Response:
    renew = event.screen_token is not None
    attendance.screen_token(session, event=event, renew=renew)
    flash(
        request,
        _("A new screen link is ready; the old one no longer opens the screen.")
        if renew
        else _("The screen link is ready: open it on the room's computer."),
    )
    return RedirectResponse(f"/events/{event.id}/live#screen", status_code=303)


@organizer.post("/events/{event_id}/live/badge")
def renew_badge_link(
    request: Request, session: SessionDep, event: EventDep, code: Annotated[str, Form()]
) -> Response:
    """A lost badge: a new secret link for this participant, and their badge to print."""
    person = get_participant(session, event=event, code=code)
    attendance.reissue_token(session, participant=person)
    flash(
        request,
        _("{name} has a new badge link; the old badge no longer opens anything.").format(
            name=person.name
        ),
    )
    return RedirectResponse(
        f"/events/{event.id}/print?show=badges&code={quote(person.code)}", status_code=303
    )


@organizer.post("/events/{event_id}/live/badge-links")
def renew_badge_links(request: Request, session: SessionDep, event: EventDep) -> Response:
    count = attendance.reissue_all_tokens(session, event=event)
    flash(
        request,
        _("New secret links for all {count} badges: print the badges again.").format(count=count),
    )
    return RedirectResponse(f"/events/{event.id}/print?show=badges", status_code=303)


def _screen_event(request: Request, session: SessionDep, event_id: RowId) -> Event:
    event = get_event_by_id(session, event_id=event_id)
    if not may_watch(request, session, event_id):
        raise NotFound(_("this screen link no longer works; ask the organizer for the new one"))
    return event


@router.get("/events/{event_id}/screen")
def screen_page(
    request: Request, session: SessionDep, event: Annotated[Event, Depends(_screen_event)]
) -> Response:
    """The room's screen: the round, a big countdown, where everyone sits."""
    state = live.get_state(session, event=event)
    saved = live.published_plan(session, event=event)
    view = shared_view(event, saved, facilitator_names(session, event=event)) if saved else None
    return render(
        request,
        "live/screen.html",
        {
            "event": event,
            "state": state,
            "state_json": live.as_json(state, rounds=event.rounds),
            "server_time": now_iso(),
            "view": view,
            "alphabetical": view is not None and len(view.people) > 60,
        },
    )


router.include_router(organizer)
