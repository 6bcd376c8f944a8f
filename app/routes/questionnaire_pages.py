"""The questionnaire: the participant's page (`/q/{token}` → `/questionnaire`, on their phone
or computer, in their language) and the organizer's (`/events/{id}/questionnaire`: questions,
open and close, who answered, the answers mapped to topics, links and exports)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlmodel import Session

from .. import i18n
from ..auth import client_address
from ..deps import AccountDep, OrganizerOnly, RowId, SessionDep
from ..i18n import _
from ..models import ANSWER_MAX, Event, Participant, pk
from ..services import attendance, events, topics
from ..services import questionnaire as q
from ..services.errors import Conflict, RondaError
from ..viewers import ATTENDEE_COOKIE, attendee
from ..web import render
from .api_models import ERRORS
from .attend import _language, _notice, exchange, failures, in_their_language
from .common import EventDep, FormDep, flash, page
from .forms import sentence
from .links import public_url
from .plan_print import download

router = APIRouter(include_in_schema=False)
organizer = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)
api = APIRouter(prefix="/api", dependencies=OrganizerOnly, responses=ERRORS, tags=["questionnaire"])

# --- the participant's page ------------------------------------------------------------------


@router.get("/q/{token}")
def questionnaire_link(request: Request, session: SessionDep, token: str) -> Response:
    """The questionnaire's link, sent before the event: the same secret as the badge."""
    if failures(request).blocked(client_address(request)):
        return _notice(request, "slow_down", 429)
    person = attendance.by_token(session, token=token)
    return exchange(request, person, ATTENDEE_COOKIE, token, "/questionnaire")


def _answer_page(
    request: Request,
    session: Session,
    person: Participant,
    *,
    given: dict[tuple[int, int], str] | None = None,
    saved: q.Saved | None = None,
    problem: str = "",
    status_code: int = 200,
) -> Response:
    event = session.get(Event, person.event_id)
    assert event is not None
    current = q.state(session, event=event)
    language = i18n.language()
    asked = [
        (question, q.text_of(question, language), list(range(1, question.answers + 1)))
        for question in q.questions(session, event=event)
    ]
    response = render(
        request,
        "questionnaire/answer.html",
        {
            "event": event,
            "person": person,
            "status": current.status,
            "asked": asked,
            "values": given if given is not None else q.answers_of(session, participant=person),
            "saved": saved,
            "problem": problem,
            "most": ANSWER_MAX,
        },
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/questionnaire")
def answer_page(request: Request, session: SessionDep) -> Response:
    person = attendee(request, session)
    if person is None:
        return _notice(request, "signed_out", 401)
    return in_their_language(request, person, lambda: _answer_page(request, session, person))


@router.post("/questionnaire")
async def save_answers(request: Request, session: SessionDep) -> Response:
    person = attendee(request, session)
    if person is None:
        return _notice(request, "signed_out", 401)
    form = await request.form(max_fields=200)
    given: dict[tuple[int, int], str] = {}
    for name, value in form.multi_items():
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "a" and parts[1].isdigit() and parts[2].isdigit():
            given[(int(parts[1]), int(parts[2]))] = str(value)[: ANSWER_MAX * 10]
    with i18n.use_language(_language(request, person)):
        try:
            saved = q.save_answers(session, participant=person, given=given)
        except Conflict as exc:  # closed meanwhile: show what they typed, say so
            return _answer_page(
                request, session, person, given=given, problem=sentence(str(exc)), status_code=409
            )
        if saved.problems:
            return _answer_page(request, session, person, given=given, saved=saved, status_code=422)
        return _answer_page(request, session, person, saved=saved)


# --- the organizer's page --------------------------------------------------------------------


@organizer.get("/events/{event_id}/questionnaire")
def organizer_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    current = q.state(session, event=event)
    rows = q.answer_rows(session, event=event)
    known = topics.list_topics(session, event=event)
    return page(
        request,
        "questionnaire/organizer.html",
        account=account,
        event=event,
        section="questionnaire",
        current=current,
        questions=q.questions(session, event=event),
        progress=q.progress(session, event=event),
        rows=rows,
        suggestions={
            pk(r.answer): q.suggestions(r.answer.text, known) for r in rows if not r.topic
        },
        topic_names=sorted(t.name for t in known),
        subjects=events.list_subjects(session, event=event),
        language=i18n.language(),
        text_of=q.text_of,
    )


def _back(request: Request, event: Event, message: str, anchor: str = "") -> Response:
    flash(request, message)
    return RedirectResponse(f"/events/{event.id}/questionnaire{anchor}", status_code=303)


@organizer.post("/events/{event_id}/questionnaire/status")
def change_status(
    request: Request, session: SessionDep, event: EventDep, status: Annotated[str, Form()]
) -> Response:
    try:
        q.set_status(session, event=event, status=status)
    except RondaError as exc:
        return _back(request, event, sentence(str(exc)))
    words = {
        "open": _("The questionnaire is open: participants can answer with their links."),
        "closed": _("The questionnaire is closed: the answers are kept; nobody can change them."),
        "draft": _("The questionnaire is back to draft: participants cannot answer."),
    }
    return _back(request, event, words[status])


@organizer.post("/events/{event_id}/questionnaire/questions")
def add_question(request: Request, session: SessionDep, event: EventDep, form: FormDep) -> Response:
    return _save_question(request, session, event, None, form)


@organizer.post("/events/{event_id}/questionnaire/questions/{question_id}")
def change_question(
    request: Request, session: SessionDep, event: EventDep, question_id: RowId, form: FormDep
) -> Response:
    return _save_question(request, session, event, question_id, form)


def _save_question(
    request: Request, session: Session, event: Event, question_id: int | None, form: Any
) -> Response:
    try:
        answers = int(str(form.get("answers") or "1"))
    except ValueError:
        answers = 0
    try:
        q.save_question(
            session,
            event=event,
            question_id=question_id,
            kind=str(form.get("kind") or "other"),
            answers=answers,
            texts={code: str(form.get(f"text_{code}") or "") for code in q.LANGUAGES},
        )
    except RondaError as exc:
        return _back(request, event, sentence(str(exc)), "#questions")
    return _back(request, event, _("Saved the question."), "#questions")


@organizer.post("/events/{event_id}/questionnaire/questions/{question_id}/remove")
def remove_question(
    request: Request, session: SessionDep, event: EventDep, question_id: RowId
) -> Response:
    try:
        q.remove_question(session, event=event, question_id=question_id)
    except RondaError as exc:
        return _back(request, event, sentence(str(exc)), "#questions")
    return _back(request, event, _("Removed the question."), "#questions")


@organizer.post("/events/{event_id}/questionnaire/map")
def map_answers(request: Request, session: SessionDep, event: EventDep, form: FormDep) -> Response:
    ids = [int(v) for v in form.getlist("answer") if str(v).isdigit()]
    typed = str(form.get("new_topic") or "").strip()
    name = typed or str(form.get("topic") or "")
    used_as = str(form.get("used_as") or "request")
    try:
        topic = q.map_answers(
            session,
            event=event,
            answer_ids=ids,
            topic_name=name,
            used_as=used_as,  # type: ignore[arg-type]
            subject_code=str(form.get("subject") or ""),
        )
    except RondaError as exc:
        return _back(request, event, sentence(str(exc)), "#answers")
    message = (
        _("{count} answers are now requests of {topic}.")
        if used_as == "request"
        else _("{count} answers are now offers of {topic}.")
    )
    return _back(request, event, message.format(count=len(ids), topic=topic.name), "#answers")


@organizer.get("/events/{event_id}/questionnaire/links")
def links_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    """Every participant's questionnaire link, to print or send."""
    base = public_url(request)
    people = events.list_participants(session, event=event)
    return page(
        request,
        "questionnaire/links.html",
        account=account,
        event=event,
        section="questionnaire",
        links=[(p, f"{base}/q/{p.token}") for p in people],
    )


@organizer.get("/events/{event_id}/questionnaire/links.csv")
def links_csv(request: Request, session: SessionDep, event: EventDep) -> Response:
    """For a mail merge: name, code, organization, language and link of every participant."""
    import io

    from ..services.exporting import SafeWriter
    from ..services.printing import ExportFile, file_stem

    base = public_url(request)
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["name", "code", "organization", "language", "link"])
    for p in events.list_participants(session, event=event):
        writer.writerow([p.name, p.code, p.organization, p.language, f"{base}/q/{p.token}"])
    name = f"{file_stem(event)}-questionnaire-links.csv"
    return download(ExportFile(out.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", name))


@organizer.get("/events/{event_id}/questionnaire/answers.{fmt}")
def answers_file(session: SessionDep, event: EventDep, fmt: str) -> Response:
    return download(q.export(session, event=event, fmt=fmt))


# --- JSON, for scripts -----------------------------------------------------------------------


class QuestionOut(BaseModel):
    id: int
    position: int
    kind: str
    answers: int
    text_en: str
    text_es: str
    text_pt: str


class AnswerOut(BaseModel):
    id: int
    question_id: int
    participant: str  # the participant's code
    slot: int
    text: str
    topic: str | None
    used_as: str | None


class QuestionnaireOut(BaseModel):
    status: str
    questions: list[QuestionOut]
    answered: int  # participants who answered everything
    partly: int
    not_yet: int


@api.get("/events/{event_id}/questionnaire", response_model=QuestionnaireOut)
def questionnaire_json(session: SessionDep, event: EventDep) -> QuestionnaireOut:
    current = q.state(session, event=event)
    done = q.progress(session, event=event)
    return QuestionnaireOut(
        status=current.status,
        questions=[
            QuestionOut.model_validate(x, from_attributes=True)
            for x in q.questions(session, event=event)
        ],
        answered=len(done.complete),
        partly=len(done.partial),
        not_yet=len(done.none),
    )


@api.get("/events/{event_id}/questionnaire/answers", response_model=list[AnswerOut])
def answers_json(session: SessionDep, event: EventDep) -> list[AnswerOut]:
    return [
        AnswerOut(
            id=pk(r.answer),
            question_id=r.answer.question_id,
            participant=r.participant.code,
            slot=r.answer.slot,
            text=r.answer.text,
            topic=r.topic.name if r.topic else None,
            used_as=r.answer.used_as,
        )
        for r in q.answer_rows(session, event=event)
    ]
