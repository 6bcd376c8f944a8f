"""Who may watch a live page: organizers, and the secret links of attendees and screens.

A badge's link `/a/{token}` (or a screen's `/s/{token}`) is exchanged for a cookie holding the
same secret, and the browser is sent on to a clean address, so the secret leaves the address bar
and the history. Each request looks the secret up once, by an indexed column: no password hash,
the same cost for a right and a wrong one. Wrong secrets are counted per client address and a
client that sends too many is made to wait; right ones are never counted, so two thousand phones
behind one venue address are never locked out.
"""

from __future__ import annotations

from fastapi import Request
from sqlmodel import Session

from .auth import basic_account, signed_in
from .models import Account, Event, Facilitator, Participant
from .services.access import may_open
from .services.attendance import by_screen_token, by_token
from .services.facilitation import by_token as facilitator_by_token

ATTENDEE_COOKIE = "ronda_attendee"
SCREEN_COOKIE = "ronda_screen"
FACILITATOR_COOKIE = "ronda_facilitator"
COOKIE_AGE = 30 * 24 * 3600


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def attendee(request: Request, session: Session) -> Participant | None:
    token = request.cookies.get(ATTENDEE_COOKIE, "")
    return by_token(session, token=token) if token else None


def screen(request: Request, session: Session) -> Event | None:
    token = request.cookies.get(SCREEN_COOKIE, "")
    return by_screen_token(session, token=token) if token else None


def organizer(request: Request, session: Session, event_id: int) -> Account | None:
    """The signed-in organizer, if they may open this event."""
    account = signed_in(request, session) or basic_account(request, session)
    event = session.get(Event, event_id) if 0 < event_id < 2**31 else None
    if account is None or event is None or not may_open(session, account=account, event=event):
        return None
    return account


def facilitator(request: Request, session: Session) -> Facilitator | None:
    token = request.cookies.get(FACILITATOR_COOKIE, "")
    return facilitator_by_token(session, token=token) if token else None


def may_watch(request: Request, session: Session, event_id: int) -> bool:
    """The event's organizers, and its attendees', facilitators' and screens' cookies."""
    person = attendee(request, session)
    if person is not None and person.event_id == event_id:
        return True
    host = facilitator(request, session)
    if host is not None and host.event_id == event_id:
        return True
    shown = screen(request, session)
    if shown is not None and shown.id == event_id:
        return True
    return organizer(request, session, event_id) is not None
