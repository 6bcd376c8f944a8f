"""The plan API for making plans: bounds and layouts first, then a job to start, watch, stop.

Included by `api_plans` under /api. A job runs in the background: POST answers at once (202)
with its state, and GET .../plan/job reports the best figures so far until it is done.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import Session

from ..deps import OrganizerOnly, SessionDep
from ..i18n import _
from ..models import Event, pk
from ..services import layouts, replanning
from ..services.errors import NotFound
from ..solving import Job, Solving, SolvingDep, suggested_time_limit
from .api_models import ERRORS
from .api_plan_models import BoundsOut, GenerateIn, JobOut, LayoutOut, ReplanIn
from .plan_common import EventDep

router = APIRouter(dependencies=OrganizerOnly, responses=ERRORS)


def _limit(request: Request, session: Session, event: Event, given: float | None) -> float:
    ceiling = float(request.app.state.settings.solve_time_limit)
    return given or suggested_time_limit(session, event=event, ceiling=ceiling)


def _job(solving: Solving, event: Event) -> Job:
    job = solving.get(pk(event))
    if job is None:
        raise NotFound(
            _("no plan is being made for {event!r}; start one first").format(event=event.name)
        )
    return job


def _start(
    solving: Solving, event: Event, kind: str, limit: float, prepared: replanning.SolveRequest
) -> JobOut:
    job = solving.start(event=event, kind=kind, time_limit=limit, request=prepared)
    return JobOut.of(job)


@router.post("/events/{event_id}/plan/generate", response_model=JobOut, status_code=202)
def generate(
    request: Request,
    session: SessionDep,
    event: EventDep,
    solving: SolvingDep,
    body: GenerateIn | None = None,
) -> JobOut:
    """Start making a new plan in the background (409 while one is being made).

    Locked rounds of the current plan are kept; `priority` is `repeats` (meet as many different
    people as possible) or `subjects` (see as many subjects as possible).
    """
    body = body or GenerateIn()
    prepared = replanning.generation_request(session, event=event, priority=body.priority)
    return _start(
        solving, event, "generate", _limit(request, session, event, body.time_limit), prepared
    )


@router.post("/events/{event_id}/plan/replan", response_model=JobOut, status_code=202)
def replan(
    request: Request,
    session: SessionDep,
    event: EventDep,
    solving: SolvingDep,
    from_round: Annotated[int, Query(ge=1)],
    body: ReplanIn | None = None,
) -> JobOut:
    """Re-plan from round `from_round`: earlier and locked rounds stay exactly as they are,
    later rounds use the event as it is now and change as little as possible."""
    prepared = replanning.replan_request(
        session, event=event, from_round=from_round, priority=body.priority if body else None
    )
    limit = _limit(request, session, event, body.time_limit if body else None)
    return _start(solving, event, "replan", limit, prepared)


@router.get("/events/{event_id}/plan/job", response_model=JobOut)
def job_status(event: EventDep, solving: SolvingDep) -> JobOut:
    """The latest job of the event: running (with the best figures so far), done or failed."""
    return JobOut.of(_job(solving, event))


@router.post("/events/{event_id}/plan/job/stop", response_model=JobOut)
def stop_job(event: EventDep, solving: SolvingDep) -> JobOut:
    """Stop the running job (the best plan found so far is saved); a queued one ends
    without starting."""
    _job(solving, event)
    job = solving.stop(pk(event))
    assert job is not None
    return JobOut.of(job)


@router.get("/events/{event_id}/plan/bounds", response_model=BoundsOut)
def get_bounds(session: SessionDep, event: EventDep) -> BoundsOut:
    """What any plan of the event can reach at best, and what is provably impossible."""
    return BoundsOut.of(layouts.event_bounds(session, event=event))


def _layouts(session: Session, event: Event, seconds: float) -> list[LayoutOut]:
    out = []
    for layout in layouts.layouts(session, event=event):
        worth = seconds > 0 and layout.bounds is not None and event.subject_mode != "none"
        found = layouts.tradeoff_of(layout, seconds=seconds) if worth else None
        out.append(LayoutOut.of(layout, found))
    return out


@router.get("/events/{event_id}/plan/layouts", response_model=list[LayoutOut])
def get_layouts(
    session: SessionDep,
    event: EventDep,
    tradeoff_seconds: Annotated[float, Query(ge=0, le=layouts.TRADEOFF_MAX_SECONDS)] = 0,
) -> list[LayoutOut]:
    """The bounds of the current layout and of alternatives (every table full, one table
    fewer, one more). With `tradeoff_seconds`, each layout is also solved twice, repeats first
    and subjects first, to show whether both bounds can hold together."""
    return _layouts(session, event, tradeoff_seconds)
