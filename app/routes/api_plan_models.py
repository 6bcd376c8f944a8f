"""What the plan API reads and answers, so that /docs documents every field."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from scheduler import Bounds, PlanRound

from ..models import SavedPlan, pk
from ..services.bounds_memo import public
from ..services.layouts import Layout, Tradeoff
from ..services.plans import locked_of
from ..services.replanning import Priority
from ..solving import Job
from .api_models import Moment


class VersionOut(BaseModel):
    id: int
    created_at: Moment
    status: str = Field(description="optimal, feasible, or invalid (a hand edit broke a rule)")
    note: str = Field(description='what made this version, e.g. "moved AR to Table 2 in round 3"')
    is_current: bool
    locked_rounds: list[int]

    @classmethod
    def of(cls, saved: SavedPlan) -> VersionOut:
        return cls(
            id=pk(saved),
            created_at=saved.created_at,
            status=saved.status,
            note=saved.note,
            is_current=saved.is_current,
            locked_rounds=locked_of(saved),
        )


class PlanOut(VersionOut):
    rounds: list[PlanRound]
    metrics: dict[str, Any] = Field(description="see docs/format.md, Metrics")

    @classmethod
    def of(cls, saved: SavedPlan) -> PlanOut:
        plan = json.loads(saved.plan_json)
        return cls(
            **VersionOut.of(saved).model_dump(),
            rounds=plan["rounds"],
            metrics=public(json.loads(saved.metrics_json)),
        )


class MoveIn(BaseModel):
    round: int = Field(ge=1)
    participant: str = Field(description="the participant's code")
    table: str = Field(description="the table's name")


class SwapIn(BaseModel):
    round: int = Field(ge=1)
    first: str = Field(description="a participant's code")
    second: str = Field(description="the code of the participant to swap seats with")


class LocksIn(BaseModel):
    rounds: list[int] = Field(description="the rounds to lock; every other round is unlocked")


class ChangeOut(BaseModel):
    note: str
    violations: list[str] = Field(description="hard rules the new version breaks (kept anyway)")
    plan: PlanOut


class GenerateIn(BaseModel):
    priority: Priority = "repeats"
    time_limit: float | None = Field(default=None, gt=0, le=3600)


class ReplanIn(BaseModel):
    time_limit: float | None = Field(default=None, gt=0, le=3600)
    priority: Priority | None = Field(
        default=None, description="repeats or subjects; by default the plan's own priority"
    )


class JobOut(BaseModel):
    job_id: int
    event_id: int
    kind: str = Field(description="generate or replan")
    state: str = Field(description="queued (waiting for a solve worker), running, done or failed")
    stopped: bool
    elapsed: float
    time_limit: float
    time_left: float
    repeats: int | None = None
    repeats_lower_bound: int | None = None
    max_meetings: int | None = None
    subject_visits: int | None = None
    subject_visits_max: int | None = None
    needs_served: int | None = None
    needs_possible: int | None = None
    needs_total: int | None = None
    message: str = Field(description="the outcome, or why the plan could not be made")
    plan_id: int | None = None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            job_id=job.id,
            event_id=job.event_id,
            kind=job.kind,
            state=job.state,
            stopped=job.stopped,
            elapsed=round(job.elapsed, 2),
            time_limit=job.time_limit,
            time_left=round(job.time_left, 2),
            message=job.message,
            plan_id=job.plan_id,
            **job.figures(),
        )


class BoundsOut(BaseModel):
    pair_meetings: int
    pairs_possible: int
    repeats: int = Field(description="lower bound on repeated encounters")
    max_meetings: int
    subject_visits: int = Field(description="upper bound on subject visits")
    subject_visits_full: int
    needs_possible: int
    needs_most: int | None = Field(
        default=None,
        description="upper bound on needs served by a plan that gives everyone every subject",
    )
    needs_total: int
    impossible: list[str]

    @classmethod
    def of(cls, bounds: Bounds) -> BoundsOut:
        return cls.model_validate(bounds.as_dict())


class TradeoffOut(BaseModel):
    seconds: float
    repeats_first: dict[str, Any]
    subjects_first: dict[str, Any]
    both: bool = Field(description="one plan reached both the repeats and the subjects bound")

    @classmethod
    def of(cls, tradeoff: Tradeoff) -> TradeoffOut:
        return cls(
            seconds=tradeoff.seconds,
            repeats_first=tradeoff.repeats_first,
            subjects_first=tradeoff.subjects_first,
            both=tradeoff.both,
        )


class LayoutOut(BaseModel):
    key: str = Field(description="current, at_capacity, one_fewer or one_more")
    label: str
    tables: str
    seating: str
    bounds: BoundsOut | None
    problem: str = Field(description="why this layout cannot be planned; empty when it can")
    tradeoff: TradeoffOut | None = None

    @classmethod
    def of(cls, layout: Layout, tradeoff: Tradeoff | None = None) -> LayoutOut:
        return cls(
            key=layout.key,
            label=layout.label,
            tables=layout.tables,
            seating=layout.seating,
            bounds=BoundsOut.of(layout.bounds) if layout.bounds else None,
            problem=layout.problem,
            tradeoff=TradeoffOut.of(tradeoff) if tradeoff else None,
        )
