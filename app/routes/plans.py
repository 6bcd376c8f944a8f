"""Pages for the plan: the grid, its quality, itineraries, routes, and changes by hand.

A change (move, swap, undo, restore, locks) answers an htmx request with the plan's body
re-scored, and a plain form with a redirect to the plan page. A change that cannot be made is
refused with the reason, on the same page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..deps import AccountDep, OrganizerOnly, RowId, SessionDep
from ..i18n import _, ngettext
from ..models import Account, Event, pk
from ..services import console, plan_quality, plans
from ..services.errors import Conflict, NotFound, RondaError
from ..services.plan_views import facilitator_names, facilitator_routes, itinerary, plan_view
from ..services.printing import round_times
from ..solving import Solving, SolvingDep
from ..web import is_htmx
from . import plan_jobs, plan_print
from .plan_common import EventDep, back_to, no_job_running, page

router = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)


def plan_context(
    session: Session, event: Event, solving: Solving, part: str = "seating"
) -> dict[str, Any]:
    """What the plan's body shows in one part; `view` is None while the event has no plan."""
    try:
        view = plan_view(session, event=event)
    except NotFound:
        return {"view": None, "job": solving.get(pk(event)), "part": part}
    versions = plans.list_versions(session, event=event)
    here = next((i for i, v in enumerate(versions) if v.id == view.saved.id), None)
    before = versions[here + 1] if here is not None and here + 1 < len(versions) else None
    context = {
        "view": view,
        "part": part,
        "job": solving.get(pk(event)),
        "versions": versions,
        # who sits elsewhere than in the version before this one, by name
        "changed": (changed := console.moves(before, view.saved) if before is not None else []),
        "changed_seats": {(m.round, m.code) for m in changed},
        "changed_shown": 50,
        **console.drift_context(session, event=event, saved=view.saved),
    }
    if part == "seating":
        context["repeats_at"] = plan_quality.repeat_cells(view)
    elif part == "quality":
        context |= {
            "heat": plan_quality.heat_map(view),
            "meeting_counts": plan_quality.meeting_counts(view),
            "most_met": plan_quality.most_met(view),
            "repeated_pairs": plan_quality.repeated_pairs(view),
            "coverage": plan_quality.coverage(view),
            "needs": plan_quality.needs(view),
            "needs_shown": plan_quality.NEEDS_SHOWN,
        }
    return context


def part_url(event: Event, part: str) -> str:
    """The address of one part of the plan page (the seating is the plan page itself)."""
    return f"/events/{event.id}/plan" + ("" if part == "seating" else f"/{part}")


def _part_page(
    request: Request, session: Session, account: Account, event: Event, solving: Solving, part: str
) -> Response:
    context = plan_context(session, event, solving, part)
    return page(
        request,
        "plans/plan.html",
        account=account,
        event=event,
        partial="plans/_body.html",
        **context,
    )


@router.get("/events/{event_id}/plan")
def plan_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, solving: SolvingDep
) -> Response:
    """The quality at a glance and the seating grid."""
    return _part_page(request, session, account, event, solving, "seating")


@router.get("/events/{event_id}/plan/quality")
def plan_quality_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, solving: SolvingDep
) -> Response:
    """Who met whom, subjects seen by each participant, needs served and why not."""
    return _part_page(request, session, account, event, solving, "quality")


@router.get("/events/{event_id}/plan/versions")
def plan_versions_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, solving: SolvingDep
) -> Response:
    """The saved versions, newest first: undo, restore."""
    return _part_page(request, session, account, event, solving, "versions")


@router.get("/events/{event_id}/plan/adjust")
def plan_adjust_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, solving: SolvingDep
) -> Response:
    """Move, swap, lock rounds and re-plan, with the keyboard."""
    return _part_page(request, session, account, event, solving, "adjust")


PARTS = ("seating", "quality", "versions", "adjust")
# the part of the plan page a change was made from: its answer shows that part again
PartField = Annotated[str, Form()]


def _change(
    request: Request,
    session: Session,
    account: Account,
    event: Event,
    solving: Solving,
    action: Callable[[], str],
    part: str = "seating",
    *,
    undoable: bool = True,
    chosen: dict[str, str] | None = None,
) -> Response:
    """Run a change; answer with the body (htmx) or a redirect, or the refusal's reason.

    The answer shows the part of the plan page the change was made from.
    """
    part = part if part in PARTS else "seating"
    url = part_url(event, part)
    try:
        no_job_running(solving, event)
        message = action()
    except RondaError as exc:
        status = 404 if isinstance(exc, NotFound) else 409 if isinstance(exc, Conflict) else 400
        context = plan_context(session, event, solving, part)
        return page(
            request,
            "plans/plan.html",
            account=account,
            event=event,
            partial="plans/_body.html",
            status_code=status,
            error=str(exc),
            chosen=chosen,
            **context,
        )
    if not is_htmx(request):
        return back_to(request, url, message)
    context = plan_context(session, event, solving, part)
    return page(
        request,
        "plans/plan.html",
        account=account,
        event=event,
        partial="plans/_body.html",
        message=message,
        undoable=undoable,
        chosen=chosen,
        **context,
    )


def _edit_message(change: plans.Change) -> str:
    if not change.violations:
        return _("Saved: {note}.").format(note=change.note)
    return ngettext(
        "Saved: {note}. It breaks {count} hard rule, listed in red.",
        "Saved: {note}. It breaks {count} hard rules, listed in red.",
        len(change.violations),
    ).format(note=change.note, count=len(change.violations))


@router.post("/events/{event_id}/plan/move")
def move(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    solving: SolvingDep,
    round: Annotated[int, Form()],
    participant: Annotated[str, Form()],
    table: Annotated[str, Form()],
    part: PartField = "seating",
) -> Response:
    def action() -> str:
        change = plans.move_participant(
            session, event=event, round=round, code=participant, table=table
        )
        return _edit_message(change)

    chosen = {"move-round": str(round), "move-participant": participant, "move-table": table}
    return _change(request, session, account, event, solving, action, part, chosen=chosen)


@router.post("/events/{event_id}/plan/swap")
def swap(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    solving: SolvingDep,
    round: Annotated[int, Form()],
    first: Annotated[str, Form()],
    second: Annotated[str, Form()],
    part: PartField = "seating",
) -> Response:
    def action() -> str:
        change = plans.swap_participants(
            session, event=event, round=round, first=first, second=second
        )
        return _edit_message(change)

    chosen = {"swap-round": str(round), "swap-first": first, "swap-second": second}
    return _change(request, session, account, event, solving, action, part, chosen=chosen)


@router.post("/events/{event_id}/plan/undo")
def undo(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    solving: SolvingDep,
    part: PartField = "seating",
) -> Response:
    def action() -> str:
        saved = plans.undo(session, event=event)
        return _("Undone: the version “{note}” is current again.").format(note=saved.note or "-")

    return _change(request, session, account, event, solving, action, part, undoable=False)


@router.post("/events/{event_id}/plan/versions/{version_id}/restore")
def restore(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    solving: SolvingDep,
    version_id: RowId,
    part: PartField = "versions",
) -> Response:
    def action() -> str:
        saved = plans.restore_version(session, event=event, version_id=version_id)
        return _("Saved: {note}.").format(note=saved.note)

    return _change(request, session, account, event, solving, action, part)


@router.post("/events/{event_id}/plan/locks")
def lock_rounds(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    solving: SolvingDep,
    locked: Annotated[list[int] | None, Form()] = None,
    part: PartField = "adjust",
) -> Response:
    def action() -> str:
        saved = plans.set_locked_rounds(session, event=event, rounds=locked or [])
        rounds = plans.locked_of(saved)
        if not rounds:
            return _("No round is locked.")
        return _("Locked rounds: {rounds}.").format(rounds=", ".join(map(str, rounds)))

    return _change(request, session, account, event, solving, action, part)


@router.get("/events/{event_id}/plan/participants")
def participants(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    code: str | None = None,
) -> Response:
    if code:
        return RedirectResponse(f"/events/{event.id}/plan/participants/{code}", status_code=303)
    view = plan_view(session, event=event)
    seated = {p.code: sum(1 for r in view.rounds if view.seat(r, p.code)) for p in view.people}
    return page(
        request,
        "plans/participants.html",
        account=account,
        event=event,
        view=view,
        seated=seated,
    )


@router.get("/events/{event_id}/plan/participants/{code:path}")
def participant_itinerary(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, code: str
) -> Response:
    view = plan_view(session, event=event)
    stops = itinerary(view, code)
    return page(
        request,
        "plans/itinerary.html",
        account=account,
        event=event,
        view=view,
        person=next(p for p in view.people if p.code == code),
        stops=stops,
        times=round_times(event),
        seen=view.score.subjects_seen.get(code, set()),
    )


@router.get("/events/{event_id}/plan/facilitators")
def facilitators(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    view = plan_view(session, event=event)
    routes = facilitator_routes(view, facilitator_names(session, event=event))
    return page(
        request, "plans/facilitators.html", account=account, event=event, view=view, routes=routes
    )


router.include_router(plan_jobs.router)
router.include_router(plan_print.router)
