"""Who may open which event: its owners and co-organizers, and admins. An event that is not
yours is answered as one that does not exist (its name and number stay private)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ..i18n import _
from ..models import Account, Event, EventMember, EventRole, pk
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
