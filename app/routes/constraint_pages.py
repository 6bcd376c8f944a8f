"""The constraints page: groups kept apart or together, and pinned seats."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from ..deps import AccountDep, RowId, SessionDep
from ..i18n import _
from ..models import Account, Constraint, Event
from ..services import events, seating
from ..services.errors import RondaError
from ..services.lookup import get_pin, get_row, list_pin_rows
from .common import EventDep, FormDep, done, page
from .forms import Errors, chosen, sentence, text_values

router = APIRouter(prefix="/events/{event_id}/constraints")


def _kinds() -> dict[str, str]:
    return {
        "keep_apart": _("Keep apart: never at the same table"),
        "keep_together": _("Keep together: always at the same table"),
    }


def _show(
    request: Request,
    session: Session,
    account: Account,
    event: Event,
    *,
    group: dict[str, Any] | None = None,
    group_errors: Errors | None = None,
    seat: dict[str, Any] | None = None,
    seat_errors: Errors | None = None,
) -> Response:
    people = events.list_participants(session, event=event)
    groups = seating.list_constraints(session, event=event)
    failed = bool(group_errors or seat_errors)
    return page(
        request,
        "events/constraints.html",
        account=account,
        event=event,
        section="constraints",
        status_code=422 if failed else 200,
        kinds=_kinds(),
        groups=groups,
        members={g.id: seating.constraint_codes(session, constraint=g) for g in groups},
        names={p.code: p.name for p in people},
        people_options=[(p.code, f"{p.code} · {p.name}") for p in people],
        table_options=[(t.name, t.name) for t in events.list_tables(session, event=event)],
        round_options=[(r, _("Round {round}").format(round=r)) for r in range(1, event.rounds + 1)],
        pins=list_pin_rows(session, event=event),
        group=group or {"kind": "keep_apart", "members": []},
        group_errors=group_errors or {},
        seat=seat or {},
        seat_errors=seat_errors or {},
    )


def _back(event: Event, anchor: str) -> str:
    return f"/events/{event.id}/constraints#{anchor}"


@router.get("")
def constraints(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    return _show(request, session, account, event)


@router.post("/groups")
def add_group(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, form: FormDep
) -> Response:
    values: dict[str, Any] = text_values(form, ("kind", "note"))
    values["members"] = chosen(form, "members")
    errors: Errors = {}
    if values["kind"] not in _kinds():
        errors["kind"] = _("Choose keep apart or keep together.")
    if len(set(values["members"])) < 2:
        errors["members"] = _("Tick at least two participants.")
    if len(values["note"]) > 500:
        errors["note"] = _("Shorten this to {limit} characters or fewer.").format(limit=500)
    if not errors:
        try:
            seating.add_constraint(
                session,
                event=event,
                kind=values["kind"],
                codes=values["members"],
                note=values["note"],
            )
        except RondaError as exc:
            errors = {"form": sentence(str(exc))}
        else:
            message = _("Added the group {codes}.").format(codes=", ".join(values["members"]))
            return done(request, _back(event, "groups"), message)
    return _show(request, session, account, event, group=values, group_errors=errors)


@router.post("/groups/{constraint_id}/remove")
def remove_group(
    request: Request, session: SessionDep, event: EventDep, constraint_id: RowId
) -> Response:
    group = get_row(session, event=event, model=Constraint, row_id=constraint_id)
    codes = ", ".join(seating.constraint_codes(session, constraint=group))
    seating.remove_constraint(session, constraint=group)
    message = _("Removed the group {codes}.").format(codes=codes)
    return done(request, _back(event, "groups"), message)


@router.post("/pins")
def add_pin(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, form: FormDep
) -> Response:
    values = text_values(form, ("participant", "round", "table"))
    errors: Errors = {}
    for field, message in (
        ("participant", _("Choose a participant.")),
        ("round", _("Choose a round.")),
        ("table", _("Choose a table.")),
    ):
        if not values[field]:
            errors[field] = message
    if values["round"] and not values["round"].isdigit():
        errors["round"] = _("Enter a whole number, such as 4.")
    if not errors:
        try:
            seating.pin(
                session,
                event=event,
                code=values["participant"],
                round=int(values["round"]),
                table=values["table"],
            )
        except RondaError as exc:
            errors = {"form": sentence(str(exc))}
        else:
            message = _("{code} sits at {table} in round {round}.").format(
                code=values["participant"], table=values["table"], round=values["round"]
            )
            return done(request, _back(event, "pins"), message)
    return _show(request, session, account, event, seat=values, seat_errors=errors)


@router.post("/pins/{pin_id}/remove")
def remove_pin(request: Request, session: SessionDep, event: EventDep, pin_id: RowId) -> Response:
    seat, person, table = get_pin(session, event=event, pin_id=pin_id)
    seating.unpin(session, event=event, code=person.code, round=seat.round)
    message = _("{code} is no longer pinned to {table} in round {round}.").format(
        code=person.code, table=table.name, round=seat.round
    )
    return done(request, _back(event, "pins"), message)
