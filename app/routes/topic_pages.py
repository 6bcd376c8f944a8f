"""The needs and offers page: topics under a subject, who requests them and who offers them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from ..deps import AccountDep, RowId, SessionDep
from ..i18n import _
from ..models import Account, Event, Subject, Topic, TopicCreate, TopicUpdate
from ..services import events, questionnaire, topics
from ..services.errors import Conflict, RondaError
from ..services.lookup import get_row
from ..services.topics import EVERYONE
from .common import EventDep, FormDep, confirm, done, page
from .forms import Errors, checked, chosen, sentence, text_values, validate

router = APIRouter(prefix="/events/{event_id}/topics")
SIDES = ("requesting", "offering")


def _show(
    request: Request,
    session: Session,
    account: Account,
    event: Event,
    *,
    editing: Topic | None = None,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
) -> Response:
    found = topics.list_topics(session, event=event)
    subjects = events.list_subjects(session, event=event)
    people = events.list_participants(session, event=event)
    return page(
        request,
        "events/topics.html",
        account=account,
        event=event,
        section="topics",
        partial="events/_topic_form.html",
        status_code=422 if errors else 200,
        topics=found,
        sides={t.id: topics.topic_people(session, topic=t) for t in found},
        subject_of={s.id: s.code for s in subjects},
        subject_options=[("", _("(no subject)"))]
        + [(s.code, f"{s.code} · {s.name}" if s.name else s.code) for s in subjects],
        people_options=[(p.code, f"{p.code} · {p.name}") for p in people],
        names={p.code: p.name for p in people},
        words=questionnaire.words_by_topic(session, event=event),
        editing=editing,
        values=values or {"requesting": [], "offering": []},
        errors=errors or {},
    )


def _read(form: FormData) -> tuple[dict[str, Any], TopicCreate | None, Errors]:
    values: dict[str, Any] = text_values(form, ("subject", "name", "request", "offer", "guidance"))
    for side in SIDES:
        values[side] = [EVERYONE] if checked(form, f"{side}_everyone") else chosen(form, side)
    data, errors = validate(TopicCreate, {**values, "subject_code": values["subject"] or None})
    return values, data, errors


def _problem(exc: RondaError) -> Errors:
    # Subjects and participants are chosen from lists: only a clashing name is the typist's.
    return {"name" if isinstance(exc, Conflict) else "form": sentence(str(exc))}


@router.get("")
def topics_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    return _show(request, session, account, event)


@router.post("")
def add_topic(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, form: FormDep
) -> Response:
    values, data, errors = _read(form)
    if data is not None:
        try:
            topic = topics.add_topic(session, event=event, data=data)
        except RondaError as exc:
            errors = _problem(exc)
        else:
            message = _("Added the topic {name}.").format(name=topic.name)
            return done(request, f"/events/{event.id}/topics", message)
    return _show(request, session, account, event, values=values, errors=errors)


@router.get("/{topic_id}/edit")
def edit_topic(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, topic_id: RowId
) -> Response:
    topic = get_row(session, event=event, model=Topic, row_id=topic_id)
    subject = session.get(Subject, topic.subject_id) if topic.subject_id else None
    requesting, offering = topics.topic_people(session, topic=topic)
    values = {
        **topic.model_dump(include={"name", "request", "offer", "guidance"}),
        "subject": subject.code if subject else "",
        "requesting": requesting,
        "offering": offering,
    }
    return _show(request, session, account, event, editing=topic, values=values)


@router.post("/{topic_id}")
def save_topic(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    topic_id: RowId,
    form: FormDep,
) -> Response:
    topic = get_row(session, event=event, model=Topic, row_id=topic_id)
    values, data, errors = _read(form)
    if data is not None:
        changes = data.model_dump(
            include={"name", "request", "offer", "guidance", "subject_code", *SIDES}
        )
        try:
            topics.update_topic(session, topic=topic, data=TopicUpdate(**changes))
        except RondaError as exc:
            session.rollback()
            errors = _problem(exc)
        else:
            message = _("Saved the topic {name}.").format(name=topic.name)
            return done(request, f"/events/{event.id}/topics", message)
    return _show(request, session, account, event, editing=topic, values=values, errors=errors)


@router.get("/{topic_id}/remove")
def confirm_remove(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, topic_id: RowId
) -> Response:
    topic = get_row(session, event=event, model=Topic, row_id=topic_id)
    return confirm(
        request,
        account=account,
        event=event,
        section="topics",
        question=_("Remove the topic {name}?").format(name=topic.name),
        consequence=_("Its needs and offers are removed with it."),
        action=f"/events/{event.id}/topics/{topic.id}/remove",
        cancel=f"/events/{event.id}/topics",
    )


@router.post("/{topic_id}/remove")
def remove_topic(
    request: Request, session: SessionDep, event: EventDep, topic_id: RowId
) -> Response:
    topic = get_row(session, event=event, model=Topic, row_id=topic_id)
    name = topic.name
    topics.remove_topic(session, topic=topic)
    message = _("Removed the topic {name}.").format(name=name)
    return done(request, f"/events/{event.id}/topics", message)
