"""The plenary: the moderator's console (`/events/{id}/plenary`), the room's screen
(`/events/{id}/plenary/screen`), and the attendee's "I want to speak on this topic" (from
`/attend`). Each change is announced on the event's live stream; the pages follow it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..deps import AccountDep, OrganizerOnly, RowId, SessionDep
from ..i18n import _
from ..live import now_iso
from ..models import Event, Topic, pk
from ..services import events, live, plenary, topics
from ..services.errors import Conflict, NotFound, RondaError
from ..viewers import attendee
from ..web import render
from .attend import _notice
from .common import EventDep, flash, page
from .forms import sentence
from .live_pages import _hub, _screen_event

router = APIRouter(include_in_schema=False)
organizer = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)


def _view(session: Session, event: Event) -> dict[str, object]:
    """What the console and the screen show: the agenda, the topic on the floor with who asks
    and who offers it, what the rotation found on it, the speaker and the queue."""
    state = plenary.state(session, event=event)
    topic = session.get(Topic, state.topic_id) if state.topic_id else None
    requesting: list[str] = []
    offering: list[str] = []
    found = None
    if topic is not None:
        names = {p.code: p.name for p in events.list_participants(session, event=event)}
        asks, offers = topics.topic_people(session, topic=topic)
        requesting = [names.get(c, c) for c in asks]
        offering = [names.get(c, c) for c in offers]
        found = plenary.found_on(session, event=event, topic=topic)
    live_state = live.get_state(session, event=event)
    ends = plenary.speaker_ends(state)
    return {
        "plenary": state,
        "agenda": plenary.agenda(session, event=event),
        "topic": topic,
        "requesting": requesting,
        "offering": offering,
        "found": found,
        "queue": plenary.queue(session, event=event),
        "speaker_ends": ends.isoformat() if ends else "",
        "state_json": live.as_json(live_state, rounds=event.rounds),
        "server_time": now_iso(),
    }


@organizer.get("/events/{event_id}/plenary")
def console(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    return page(
        request,
        "plenary/console.html",
        account=account,
        event=event,
        section="plenary",
        subjects={s.id: s for s in events.list_subjects(session, event=event)},
        **_view(session, event),
    )


@router.get("/events/{event_id}/plenary/screen")
def screen(
    request: Request,
    session: SessionDep,
    event: Annotated[Event, Depends(_screen_event)],
) -> Response:
    """The room's screen during the plenary: the topic, who asks, who offers, the queue."""
    response = render(request, "plenary/screen.html", {"event": event, **_view(session, event)})
    response.headers["Cache-Control"] = "no-store"
    return response


def _done(request: Request, event: Event, anchor: str = "") -> Response:
    _hub(request).after_commit_from_thread(pk(event))
    return RedirectResponse(f"/events/{event.id}/plenary{anchor}", status_code=303)


def _try(request: Request, event: Event, change: object, anchor: str = "") -> Response:
    """Run a console command; a stale one (pressed on an old page) says what is true now."""
    try:
        change()  # type: ignore[operator]
    except RondaError as exc:
        flash(request, sentence(str(exc)))
    return _done(request, event, anchor)


@organizer.post("/events/{event_id}/plenary/topic")
def choose_topic(
    request: Request,
    session: SessionDep,
    event: EventDep,
    topic_id: Annotated[str, Form()] = "",
) -> Response:
    chosen = int(topic_id) if topic_id.isdigit() else None
    return _try(request, event, lambda: plenary.set_topic(session, event=event, topic_id=chosen))


@organizer.post("/events/{event_id}/plenary/agenda/{topic_id}/{direction}")
def move_topic(
    request: Request, session: SessionDep, event: EventDep, topic_id: RowId, direction: str
) -> Response:
    if direction not in ("up", "down"):
        raise NotFound(_("move a topic up or down, not {word!r}").format(word=direction))
    step = -1 if direction == "up" else 1
    return _try(
        request,
        event,
        lambda: plenary.move_topic(session, event=event, topic_id=topic_id, step=step),
        "#agenda",
    )


@organizer.post("/events/{event_id}/plenary/floor/{request_id}/{action}")
def floor_command(
    request: Request, session: SessionDep, event: EventDep, request_id: RowId, action: str
) -> Response:
    commands = {
        "give": lambda: plenary.give_floor(session, event=event, request_id=request_id),
        "up": lambda: plenary.move(session, event=event, request_id=request_id, step=-1),
        "down": lambda: plenary.move(session, event=event, request_id=request_id, step=1),
        "remove": lambda: plenary.remove(session, event=event, request_id=request_id),
    }
    if action not in commands:
        raise NotFound(
            _("unknown command {action!r}; use give, up, down or remove").format(action=action)
        )
    return _try(request, event, commands[action], "#queue")


@organizer.post("/events/{event_id}/plenary/end-speech")
def end_speech(request: Request, session: SessionDep, event: EventDep) -> Response:
    return _try(request, event, lambda: plenary.end_speech(session, event=event), "#queue")


@organizer.post("/events/{event_id}/plenary/speaker-time")
def speaker_time(
    request: Request, session: SessionDep, event: EventDep, minutes: Annotated[float, Form()]
) -> Response:
    seconds = round(minutes * 60)
    return _try(
        request, event, lambda: plenary.set_speaker_time(session, event=event, seconds=seconds)
    )


# --- the attendee's phone ----------------------------------------------------------------------


@router.post("/attend/floor")
def ask_for_floor(
    request: Request,
    session: SessionDep,
    topic_id: Annotated[int, Form()],
    kind: Annotated[str, Form()] = "comment",
) -> Response:
    person = attendee(request, session)
    if person is None:
        return _notice(request, "signed_out", 401)
    try:
        plenary.ask(session, participant=person, topic_id=topic_id, kind=kind)
    except Conflict as exc:
        said = "moved" if "ask again" in str(exc) else "closed"
    else:
        said = "queued"
        _hub(request).after_commit_from_thread(person.event_id)
    return RedirectResponse(f"/attend?floor={said}#floor", status_code=303)


@router.post("/attend/floor/withdraw")
def withdraw(request: Request, session: SessionDep) -> Response:
    person = attendee(request, session)
    if person is None:
        return _notice(request, "signed_out", 401)
    plenary.withdraw(session, participant=person)
    _hub(request).after_commit_from_thread(person.event_id)
    return RedirectResponse("/attend?floor=withdrawn#floor", status_code=303)
