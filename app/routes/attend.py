"""The attendees' and screens' own pages: badge and screen links, the attendee's phone page.

`/a/{token}` (a badge's QR code) and `/s/{token}` (the projector's link) trade the secret for a
cookie and send the browser on to a clean address. A wrong, revoked or malformed secret gets a
friendly page in the three languages, and a client address that sends many is made to wait.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from .. import attend_page, i18n
from ..attendee_cache import AttendeeCache
from ..auth import client_address
from ..deps import SessionDep
from ..limits import FailureLimit
from ..live import now_iso
from ..models import Event, Participant, Topic
from ..services import attendance, plenary, questionnaire
from ..viewers import (
    ATTENDEE_COOKIE,
    COOKIE_AGE,
    SCREEN_COOKIE,
    attendee,
    secure,
)
from ..web import render, templates

router = APIRouter(include_in_schema=False)


def _notice_text(kind: str) -> tuple[str, str]:
    """A notice's title and text, in the current language."""
    _ = i18n._
    if kind == "old":
        return (
            _("This badge is out of date"),
            _(
                "It was printed before badges had their own secret link. Ask at the reception "
                "desk for a new badge."
            ),
        )
    if kind == "signed_out":
        return (
            _("Scan your badge"),
            _("This phone is not signed in to an event. Scan the QR code on your badge."),
        )
    if kind == "signed_out_facilitator":
        return (
            _("Scan your card"),
            _("This device is not signed in as a facilitator. Scan the QR code on your card."),
        )
    if kind == "slow_down":
        return (
            _("Too many wrong links"),
            _("Wait a minute, then scan the QR code on your badge again."),
        )
    return (
        _("This link does not open anything"),
        _(
            "The link is wrong, or the organizer has replaced it. Scan the QR code on your "
            "badge again, or ask at the reception desk for a new badge."
        ),
    )


def _messages(kind: str) -> list[tuple[str, tuple[str, str]]]:
    """The notice in every language, the reader's first."""
    first = i18n.language()
    out = []
    for code in [first, *(c for c in i18n.LANGUAGES if c != first)]:
        with i18n.use_language(code):
            out.append((code, _notice_text(kind)))
    return out


def _notice(request: Request, kind: str, status_code: int) -> Response:
    messages = _messages(kind)
    return render(
        request,
        "live/notice.html",
        {"messages": messages, "title": messages[0][1][0]},
        status_code=status_code,
    )


def failures(request: Request) -> FailureLimit:
    limit: FailureLimit = request.app.state.link_failures
    return limit


def _wrong_link(request: Request) -> Response:
    failures(request).failed(client_address(request))
    return _notice(request, "unknown", 404)


def exchange(
    request: Request, found: object | None, cookie: str, token: str, target: str
) -> Response:
    """A secret link: a friendly page when it opens nothing (counted against the client's
    address), else the secret as a cookie and the browser sent on to a clean address."""
    if found is None:
        return _wrong_link(request)
    response = RedirectResponse(target, status_code=303)
    _cookie(response, request, cookie, token)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )


@router.get("/a/{token}")
def badge_link(request: Request, session: SessionDep, token: str) -> Response:
    """A badge's QR code: sign this phone in as the participant and show their page."""
    if failures(request).blocked(client_address(request)):
        return _notice(request, "slow_down", 429)
    person = attendance.by_token(session, token=token)
    if person is not None:
        event = session.get(Event, person.event_id)
        assert event is not None
        attendance.check_in_by_scan(session, participant=person, event=event)
    return exchange(request, person, ATTENDEE_COOKIE, token, "/attend")


@router.get("/s/{token}")
def screen_link(request: Request, session: SessionDep, token: str) -> Response:
    """The projector's link: open the event's screen without the organizer's password."""
    if failures(request).blocked(client_address(request)):
        return _notice(request, "slow_down", 429)
    event = attendance.by_screen_token(session, token=token)
    target = f"/events/{event.id}/screen" if event else ""
    return exchange(request, event, SCREEN_COOKIE, token, target)


@router.get("/attend/{event_id}/{code}")
def old_badge(request: Request, event_id: str, code: str) -> Response:
    """Badges printed before secret links held the participant's code, which anyone can
    guess: they open nothing, and say how to get a new badge."""
    return _notice(request, "old", 410)


def _language(request: Request, person: attendance.Attendee) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get("ronda_attend_lang")
    if chosen in i18n.LANGUAGES:
        return chosen
    return attendance.language_of(person) or i18n.language()


def attendee_page(request: Request, session: Session, person: Participant) -> Response:
    view = attendance.attendee_view(session, participant=person)
    on_floor = plenary.current_topic_id(session, event_id=person.event_id)
    floor = None
    if on_floor is not None:  # the plenary: the topic on the floor, and this person's place
        topic = session.get(Topic, on_floor)
        place = plenary.mine(session, participant=person)
        floor = {"topic": topic, "place": place, "said": request.query_params.get("floor", "")}
    is_open = questionnaire.status_of(session, event_id=person.event_id) == "open"
    return _page(request, view, is_open, floor)


def _page(
    request: Request,
    view: attendance.AttendeeView,
    questionnaire_open: bool,
    floor: object,
    shapes: dict[object, attend_page.Shape] | None = None,
) -> Response:
    """The page: its shape (rendered, or kept in `shapes` from an earlier request of the same
    participant, language and plan) with the live state filled in."""
    key = (view.participant.code, i18n.language(), questionnaire_open)
    shape = shapes.get(key) if shapes is not None else None
    if shape is None:
        html = templates.get_template("live/attend.html").render(
            request=request,
            language=i18n.language(),
            view=view,
            marks=attend_page.PageMarks,
            match_sentence=attendance.match_sentence,
            questionnaire_open=questionnaire_open,
            floor=floor,
        )
        shape = attend_page.shape_of(html)
        if shapes is not None:
            if len(shapes) >= attend_page.SHAPES_KEPT:
                shapes.clear()
            shapes[key] = shape
    body = attend_page.fill(shape, attend_page.values_of(view, now_iso()))
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/attend")
async def attend(request: Request) -> Response:
    """The attendee's page: now, next, the countdown and the itinerary, in their language.
    Answered from the process's snapshot of the event (`attendee_cache`), on the event loop."""
    cache: AttendeeCache = request.app.state.attendees
    found = await cache.find(request.cookies.get(ATTENDEE_COOKIE, ""))
    if found is None:
        return _notice(request, "signed_out", 401)
    snapshot, person = found
    if snapshot.plenary_topic is not None:  # the plenary: each phone has its own place in it
        return await anyio.to_thread.run_sync(_attend_from_database, request)
    view = attendance.view_of(snapshot.facts, person)
    return in_their_language(
        request,
        person,
        lambda: _page(request, view, snapshot.questionnaire_open, None, snapshot.pages),
    )


def _attend_from_database(request: Request) -> Response:
    with Session(request.app.state.engine) as session:
        person = attendee(request, session)
        if person is None:
            return _notice(request, "signed_out", 401)
        return in_their_language(request, person, lambda: attendee_page(request, session, person))


def in_their_language(
    request: Request, person: attendance.Attendee, page: Callable[[], Response]
) -> Response:
    """An attendee's page in their language (or the one chosen with ?lang=, kept in a cookie)."""
    code = _language(request, person)
    with i18n.use_language(code):
        response = page()
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie("ronda_attend_lang", code, max_age=COOKIE_AGE, samesite="lax")
    return response
