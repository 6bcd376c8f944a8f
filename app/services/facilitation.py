"""What a facilitator's tablet shows: their table in each round (following their subject's
route), who sits there, and the prompts from the needs-and-offers table for exactly those people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from ..i18n import _, join_and
from ..models import Event, Facilitator, LiveSession, Participant, Subject, Topic, pk
from . import clock
from .attendance import holder_of, renew_token
from .errors import NotFound
from .live import get_state, published_plan
from .plan_views import Cell, PlanView, facilitator_names, facilitator_routes, shared_view


def by_token(session: Session, *, token: str) -> Facilitator | None:
    return holder_of(session, Facilitator.token, token, Facilitator)


def list_facilitators(
    session: Session, *, event: Event
) -> list[tuple[Facilitator, Subject | None]]:
    rows = session.exec(
        select(Facilitator, Subject)
        .join(Subject, col(Subject.id) == Facilitator.subject_id, isouter=True)
        .where(Facilitator.event_id == pk(event))
        .order_by(col(Subject.code), col(Facilitator.id))
    ).all()
    return [(f, s) for f, s in rows]


def reissue_token(session: Session, *, facilitator: Facilitator) -> Facilitator:
    return renew_token(session, facilitator)


def get_facilitator(session: Session, *, event: Event, facilitator_id: int) -> Facilitator:
    found = session.get(Facilitator, facilitator_id)
    if found is None or found.event_id != pk(event):
        raise NotFound(
            _("there is no facilitator number {id} in this event").format(id=facilitator_id)
        )
    return found


@dataclass(frozen=True)
class Prompt:
    """A topic that someone at this table asks for."""

    topic: str
    request: str
    offer: str
    guidance: str  # the organizer's note for facilitators
    requesters: list[str]
    offerers: list[str]  # at this table; empty: "ask who could help"

    def sentence(self) -> str:
        # Worded so that one or several people fit the same sentence in every language.
        if not self.offerers:
            return _(
                "{topic}: asked for by {requesters}; nobody here offers it: ask who could help"
            ).format(requesters=join_and(self.requesters), topic=self.topic)
        return _(
            "{topic}: asked for by {requesters}; at this table, {offerers} can offer experience"
        ).format(
            requesters=join_and(self.requesters), topic=self.topic, offerers=join_and(self.offerers)
        )


@dataclass
class Round:
    round: int
    start: str
    end: str
    cell: Cell | None  # None: my subject does not run in this round
    people: list[Participant] = field(default_factory=list)
    prompts: list[Prompt] = field(default_factory=list)


@dataclass
class FacilitatorView:
    event: Event
    facilitator: Facilitator
    subject: Subject | None
    state: LiveSession
    rounds: list[Round]
    topics: list[str]  # every topic name of the event, for tagging

    def round(self, number: int) -> Round | None:
        return next((r for r in self.rounds if r.round == number), None)


def _prompts(view: PlanView, cell: Cell, topics: list[Topic]) -> list[Prompt]:
    here = {p.code for p in cell.people}
    texts = {t.name: t for t in topics}
    out = []
    everyone = {p.code for p in view.people}
    for topic in view.instance.topics:
        if view.instance.subject_mode != "none" and topic.subject not in (None, cell.subject):
            continue
        asking = (everyone if "*" in topic.requesting else set(topic.requesting)) & here
        if not asking:
            continue
        offering = ((everyone if "*" in topic.offering else set(topic.offering)) & here) - asking
        name = topic.name or topic.id
        row = texts.get(name)
        out.append(
            Prompt(
                topic=name,
                request=row.request if row else "",
                offer=row.offer if row else "",
                guidance=row.guidance if row else "",
                requesters=sorted(view.name(c) for c in asking),
                offerers=sorted(view.name(c) for c in offering),
            )
        )
    out.sort(key=lambda p: (not p.offerers, p.topic))  # matches first, then "ask who could help"
    return out


def tables_of(
    view: PlanView, facilitator: Facilitator, subject: Subject | None, names: dict[str, list[str]]
) -> dict[int, Cell]:
    """Round -> the cell this facilitator runs (their subject's route)."""
    if subject is None:
        return {}
    mine = [
        r
        for r in facilitator_routes(view, names)
        if r.subject == subject.code and r.facilitator == facilitator.name
    ]
    if not mine:
        return {}
    route = mine[0]
    return {
        r: view.cells[(r, table)]
        for r, table in zip(view.rounds, route.tables, strict=True)
        if table is not None and (r, table) in view.cells
    }


def _route(
    session: Session, event: Event, facilitator: Facilitator, subject: Subject | None
) -> tuple[PlanView, dict[int, Cell]] | None:
    """The published plan's shared view and the facilitator's cell in each round (None before
    a plan is published)."""
    saved = published_plan(session, event=event)
    if saved is None:
        return None
    names = facilitator_names(session, event=event)
    view = shared_view(event, saved, names)
    return view, tables_of(view, facilitator, subject, names)


def facilitator_view(session: Session, *, facilitator: Facilitator) -> FacilitatorView:
    event = session.get(Event, facilitator.event_id)
    assert event is not None
    subject = session.get(Subject, facilitator.subject_id) if facilitator.subject_id else None
    state = get_state(session, event=event)
    topics = list(session.exec(select(Topic).where(Topic.event_id == pk(event))).all())
    route = _route(session, event, facilitator, subject)
    times = clock.projected(event, state)
    people = {
        p.code: p
        for p in session.exec(select(Participant).where(Participant.event_id == pk(event))).all()
    }
    rounds: list[Round] = []
    if route is not None:
        view, cells = route
        for r in view.rounds:
            slot = times.get(r)
            cell = cells.get(r)
            rounds.append(
                Round(
                    round=r,
                    start=clock.hm(slot.start) if slot else "",
                    end=clock.hm(slot.end) if slot else "",
                    cell=cell,
                    people=[people[p.code] for p in cell.people if p.code in people]
                    if cell
                    else [],
                    prompts=_prompts(view, cell, topics) if cell else [],
                )
            )
    return FacilitatorView(
        event=event,
        facilitator=facilitator,
        subject=subject,
        state=state,
        rounds=rounds,
        topics=sorted(t.name for t in topics),
    )


def seated(session: Session, *, facilitator: Facilitator, round: int, table: str) -> set[str]:
    """The codes a facilitator may tag at this table in this round; NotFound when the table
    is not theirs then. (Each autosave asks: only the published plan's shared view and the
    facilitator's route are read, not the whole tablet page.)"""
    event = session.get(Event, facilitator.event_id)
    subject = session.get(Subject, facilitator.subject_id) if facilitator.subject_id else None
    route = _route(session, event, facilitator, subject) if event is not None else None
    cell = route[1].get(round) if route is not None else None
    if cell is None or cell.table != table:
        raise NotFound(
            _("{table} is not your table in round {round}; write notes for your own tables").format(
                table=table, round=round
            )
        )
    return {p.code for p in cell.people}
