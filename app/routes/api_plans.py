"""The plan API under /api: the current plan, its versions, hand edits, locks and exports.

Making a plan (generate, re-plan, the job, bounds and layouts) is in `api_plan_jobs`, included
here. Domain errors become JSON with 400, 404 or 409 (see `app.main`).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ..deps import OrganizerOnly, SessionDep
from ..services import plans, printing
from ..services.instances import current_plan
from ..solving import SolvingDep
from . import api_plan_jobs
from .api_models import ERRORS
from .api_plan_models import ChangeOut, LocksIn, MoveIn, PlanOut, SwapIn, VersionOut
from .plan_common import EventDep, no_job_running
from .plan_print import download

router = APIRouter(prefix="/api", dependencies=OrganizerOnly, tags=["plans"], responses=ERRORS)

FILES = {
    200: {
        "description": "The file, as an attachment",
        "content": {media: {} for media in sorted(set(printing.EXPORT_TYPES.values()))},
    }
}


@router.get("/events/{event_id}/plan", response_model=PlanOut)
def get_plan(session: SessionDep, event: EventDep) -> PlanOut:
    """The current plan with its metrics (404 while the event has none)."""
    return PlanOut.of(current_plan(session, event=event))


@router.get("/events/{event_id}/plan/versions", response_model=list[VersionOut])
def get_versions(session: SessionDep, event: EventDep) -> list[VersionOut]:
    """Every saved version, newest first, with the note of what made it."""
    return [VersionOut.of(v) for v in plans.list_versions(session, event=event)]


def _change(change: plans.Change) -> ChangeOut:
    return ChangeOut(note=change.note, violations=change.violations, plan=PlanOut.of(change.saved))


@router.post("/events/{event_id}/plan/move", response_model=ChangeOut)
def move(session: SessionDep, event: EventDep, solving: SolvingDep, body: MoveIn) -> ChangeOut:
    """Seat a participant at another table in one round; saved as a new version, re-scored.

    A move that breaks a hard rule is saved and its violations listed; a move into a locked
    round (409) or to an unknown table (404) is refused.
    """
    no_job_running(solving, event)
    return _change(
        plans.move_participant(
            session, event=event, round=body.round, code=body.participant, table=body.table
        )
    )


@router.post("/events/{event_id}/plan/swap", response_model=ChangeOut)
def swap(session: SessionDep, event: EventDep, solving: SolvingDep, body: SwapIn) -> ChangeOut:
    """Exchange the seats of two participants in one round; saved as a new version."""
    no_job_running(solving, event)
    return _change(
        plans.swap_participants(
            session, event=event, round=body.round, first=body.first, second=body.second
        )
    )


@router.post("/events/{event_id}/plan/undo", response_model=PlanOut)
def undo(session: SessionDep, event: EventDep, solving: SolvingDep) -> PlanOut:
    """Drop the current version; the one before becomes current (409 if there is none)."""
    no_job_running(solving, event)
    return PlanOut.of(plans.undo(session, event=event))


@router.put("/events/{event_id}/plan/locked-rounds", response_model=PlanOut)
def put_locked_rounds(session: SessionDep, event: EventDep, body: LocksIn) -> PlanOut:
    """Lock exactly these rounds: hand edits to them are refused, re-plans keep them."""
    return PlanOut.of(plans.set_locked_rounds(session, event=event, rounds=body.rounds))


@router.get(
    "/events/{event_id}/plan/export/{fmt}",
    response_class=Response,
    responses=FILES,  # type: ignore[arg-type]
)
def export(session: SessionDep, event: EventDep, fmt: str) -> Response:
    """The current plan as `csv`, `xlsx` or `json` (interchange, with metrics), or the event
    as it is now as an `instance` JSON."""
    return download(printing.export_file(session, event=event, fmt=fmt))


router.include_router(api_plan_jobs.router)
