"""Who may open which event: its owners and co-organizers, and admins. An event that is not
yours is answered as one that does not exist (its name and number stay private)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from ..i18n import _
from ..models import (
    Account,
    Event,
    EventMember,
    EventRole,
    LiveSession,
    Participant,
    SavedPlan,
    pk,
)
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .lookup import no_event

ROLES: tuple[EventRole, ...] = ("owner", "co-organizer")


def role_of(session: Session, *, account: Account, event: Event) -> EventRole | None:
    member = session.exec(
        select(EventMember).where(
            EventMember.event_id == pk(event), EventMember.account_id == account.id
        )
    ).first()
    return member.role if member else None


def may_open(session: Session, *, account: Account, event: Event) -> bool:
    return account.is_admin or role_of(session, account=account, event=event) is not None


def require(session: Session, *, account: Account, event: Event, owner: bool = False) -> None:
    """Raise NotFound for an event that is not the account's, Forbidden when `owner` is asked
    and the account only co-organizes it."""
    role = role_of(session, account=account, event=event)
    if role is None and not account.is_admin:
        raise no_event(event.id)
    if owner and role != "owner" and not account.is_admin:
        raise Forbidden(_("only the event's owners may do this; ask one of them"))


def visible_events(session: Session, *, account: Account) -> list[Event]:
    query = select(Event).order_by(col(Event.name))
    if not account.is_admin:
        mine = select(EventMember.event_id).where(EventMember.account_id == account.id)
        query = query.where(col(Event.id).in_(mine))
    return list(session.exec(query).all())


def members(session: Session, *, event: Event) -> list[tuple[str, EventRole]]:
    rows = session.exec(
        select(Account.username, EventMember.role)
        .join(EventMember, col(EventMember.account_id) == Account.id)
        .where(EventMember.event_id == pk(event))
        .order_by(col(Account.username))
    ).all()
    return [(name, role) for name, role in rows]


def set_member(session: Session, *, event: Event, username: str, role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(_("the role is {role!r}; use owner or co-organizer").format(role=role))
    account = session.exec(select(Account).where(Account.username == username.strip())).first()
    if account is None:
        raise NotFound(_("there is no account {name!r}; an admin creates it").format(name=username))
    member = session.exec(
        select(EventMember).where(
            EventMember.event_id == pk(event), EventMember.account_id == account.id
        )
    ).first()
    if member is None:
        member = EventMember(event_id=pk(event), account_id=pk(account))
    elif member.role == "owner" and role != "owner":
        _keep_an_owner(session, event=event, leaving=username)
    member.role = role  # type: ignore[assignment]
    session.add(member)
    session.commit()


def remove_member(session: Session, *, event: Event, username: str) -> None:
    row = session.exec(
        select(EventMember)
        .join(Account, col(EventMember.account_id) == Account.id)
        .where(EventMember.event_id == pk(event), Account.username == username.strip())
    ).first()
    if row is None:
        raise NotFound(_("{name!r} does not organize this event").format(name=username))
    if row.role == "owner":
        _keep_an_owner(session, event=event, leaving=username)
    session.delete(row)
    session.commit()


def _keep_an_owner(session: Session, *, event: Event, leaving: str) -> None:
    owners = [name for name, role in members(session, event=event) if role == "owner"]
    if owners == [leaving.strip()]:
        raise Conflict(
            _("{name!r} is the event's last owner; make another organizer an owner first").format(
                name=leaving
            )
        )


def add_owner(session: Session, *, event: Event, account: Account) -> None:
    """The organizer who creates an event owns it."""
    session.add(EventMember(event_id=pk(event), account_id=pk(account), role="owner"))
    session.commit()


@dataclass
class EventRow:
    """What the events list says of each event: people, plan and session, in three queries."""

    people: int = 0  # attending
    everyone: int = 0
    plan: str = "none"  # none, made, published
    live: str = "not_started"  # the session's status
    round: int = 0


def event_rows(session: Session, *, events: list[Event]) -> dict[int, EventRow]:
    ids = [pk(e) for e in events]
    rows = {i: EventRow() for i in ids}
    if not ids:
        return rows
    counted = (
        select(
            Participant.event_id,
            func.count(),
            func.sum(sa.cast(col(Participant.active), sa.Integer)),
        )
        .where(col(Participant.event_id).in_(ids))
        .group_by(col(Participant.event_id))
    )
    for event_id, everyone, attending in session.exec(counted):
        rows[event_id].everyone, rows[event_id].people = everyone, int(attending or 0)
    planned = select(SavedPlan.event_id).where(
        col(SavedPlan.event_id).in_(ids), col(SavedPlan.is_current)
    )
    for event_id in session.exec(planned):
        rows[event_id].plan = "made"
    for state in session.exec(select(LiveSession).where(col(LiveSession.event_id).in_(ids))):
        row = rows[state.event_id]
        if state.plan_id is not None:
            row.plan = "published"
        row.live, row.round = state.status, state.round or 0
    return rows
