"""Pages that make a plan in the background: generate (with the bounds first), re-plan, Stop.

The progress panel polls every second while the job runs; without JavaScript, the job page
itself shows the same figures on each reload.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..deps import AccountDep, OrganizerOnly, SessionDep
from ..models import Account, Event, pk
from ..services import layouts, replanning
from ..services.errors import Conflict, NotFound, RondaError
from ..services.instances import current_plan
from ..services.plans import locked_of
from ..services.replanning import Priority, SolveRequest
from ..solving import Job, Solving, SolvingDep, suggested_time_limit
from ..web import is_htmx
from .plan_common import EventDep, page

router = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)

TimeLimit = Annotated[float | None, Form(gt=0, le=3600)]


def _default_limit(request: Request, session: Session, event: Event) -> float:
    ceiling = float(request.app.state.settings.solve_time_limit)
    return suggested_time_limit(session, event=event, ceiling=ceiling)


def generate_context(session: Session, event: Event, solving: Solving) -> dict[str, Any]:
    try:
        options, problem = layouts.layouts(session, event=event), ""
    except RondaError as exc:  # CannotPlan: nothing to plan yet
        options, problem = [], str(exc)
    try:
        locked = locked_of(current_plan(session, event=event))
    except NotFound:
        locked = []
    return {
        "layouts": options,
        "problem": problem,
        "locked": locked,
        "job": solving.get(pk(event)),
        "tradeoffs": {},
        "tradeoff_max": layouts.TRADEOFF_MAX_SECONDS,
    }


@router.get("/events/{event_id}/plan/generate")
def generate_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, solving: SolvingDep
) -> Response:
    context = generate_context(session, event, solving)
    return page(
        request,
        "plans/generate.html",
        account=account,
        event=event,
        time_limit=_default_limit(request, session, event),
        **context,
    )


def _job_panel(
    request: Request,
    account: Account,
    event: Event,
    job: Job | None,
    *,
    error: str = "",
    status_code: int = 200,
    progress_only: bool = False,
) -> Response:
    """The job page, or for htmx the whole panel (after a start) or its figures (a poll)."""
    return page(
        request,
        "plans/job.html",
        account=account,
        event=event,
        partial="plans/_job_progress.html" if progress_only else "plans/_job.html",
        standalone=progress_only,
        job=job,
        error=error,
        status_code=status_code,
    )


def _start(
    request: Request,
    account: Account,
    event: Event,
    solving: Solving,
    kind: str,
    time_limit: float,
    build: Callable[[], SolveRequest],
) -> Response:
    """Build what to solve now (mistakes show at once), then solve it in the background."""
    try:
        prepared = build()
        job: Job | None = solving.start(
            event=event, kind=kind, time_limit=time_limit, request=prepared
        )
    except RondaError as exc:
        status = 409 if isinstance(exc, Conflict) else 404 if isinstance(exc, NotFound) else 400
        job = solving.get(pk(event))
        return _job_panel(request, account, event, job, error=str(exc), status_code=status)
    if not is_htmx(request):
        return RedirectResponse(f"/events/{event.id}/plan/job", status_code=303)
    return _job_panel(request, account, event, job, status_code=202)


@router.post("/events/{event_id}/plan/generate")
def generate(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    solving: SolvingDep,
    priority: Annotated[Priority, Form()] = "repeats",
    time_limit: TimeLimit = None,
) -> Response:
    return _start(
        request,
        account,
        event,
        solving,
        "generate",
        time_limit or _default_limit(request, session, event),
        lambda: replanning.generation_request(session, event=event, priority=priority),
    )


@router.post("/events/{event_id}/plan/replan")
def replan(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    solving: SolvingDep,
    from_round: Annotated[int, Form(ge=1)],
    time_limit: TimeLimit = None,
    priority: Annotated[Priority | Literal[""], Form()] = "",
) -> Response:
    return _start(
        request,
        account,
        event,
        solving,
        "replan",
        time_limit or _default_limit(request, session, event),
        lambda: replanning.replan_request(
            session, event=event, from_round=from_round, priority=priority or None
        ),
    )


# the plan page's parts, whose figures a job that ended makes stale
SHOWS_THE_PLAN = re.compile(r"/plan(/quality|/versions|/adjust)?/?$")


@router.get("/events/{event_id}/plan/job")
def job_status(
    request: Request, account: AccountDep, event: EventDep, solving: SolvingDep
) -> Response:
    job = solving.get(pk(event))
    response = _job_panel(request, account, event, job, progress_only=True)
    shown_on = urlsplit(request.headers.get("HX-Current-URL", "")).path
    if job is not None and not job.running and SHOWS_THE_PLAN.search(shown_on):
        # the plan page polled a job that just ended: show the new plan's figures at once
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/events/{event_id}/plan/job/stop")
def stop_job(
    request: Request, account: AccountDep, event: EventDep, solving: SolvingDep
) -> Response:
    job = solving.stop(pk(event))
    if not is_htmx(request):
        return RedirectResponse(f"/events/{event.id}/plan/job", status_code=303)
    return _job_panel(request, account, event, job, progress_only=True)


@router.post("/events/{event_id}/plan/layouts/{key}/tradeoff")
def layout_tradeoff(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    solving: SolvingDep,
    key: str,
    seconds: Annotated[float, Form(gt=0)] = 1.0,
) -> Response:
    result = layouts.tradeoff(session, event=event, key=key, seconds=seconds)
    context = generate_context(session, event, solving)
    context["tradeoffs"] = {key: result}
    layout = next(lay for lay in context["layouts"] if lay.key == key)
    return page(
        request,
        "plans/generate.html",
        account=account,
        event=event,
        partial="plans/_tradeoff.html",
        time_limit=_default_limit(request, session, event),
        layout=layout,
        tradeoff=result,
        **context,
    )
