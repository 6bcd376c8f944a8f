"""The questionnaire before the event: the organizer's questions (Lima's three by default, in
es/pt/en), each participant's answers through their own link, who has answered, and the
answers turned into the needs-and-offers table (each answer mapped to a topic, as a request or
an offer, its wording kept)."""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from sqlmodel import Session, col, select

from ..i18n import _
from ..models import (
    ANSWER_MAX,
    Answer,
    AnswerUse,
    Event,
    Participant,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Subject,
    Topic,
    TopicOffer,
    TopicRequest,
    pk,
    utcnow,
)
from .errors import Conflict, InvalidInput, NotFound
from .events import commit
from .exporting import SafeWriter, add_sheet
from .listing import fold
from .printing import ExportFile, file_stem

# The Lima meeting's questionnaire: three needs, three capacities, two areas.
DEFAULTS: list[dict[str, object]] = [
    {
        "kind": "need",
        "answers": 3,
        "text_en": "What are your three main needs that call for cooperation?",
        "text_es": "¿Cuáles son sus tres principales necesidades que requieren cooperación?",
        "text_pt": "Quais são as suas três principais necessidades que exigem cooperação?",
    },
    {
        "kind": "offer",
        "answers": 3,
        "text_en": "What are your three main capacities that you can offer others?",
        "text_es": "¿Cuáles son sus tres principales capacidades que puede ofrecer a otros?",
        "text_pt": "Quais são as suas três principais capacidades que pode oferecer a outros?",
    },
    {
        "kind": "other",
        "answers": 2,
        "text_en": "In which two areas would you like to collaborate with other regions?",
        "text_es": "¿En qué dos áreas le gustaría colaborar con otras regiones?",
        "text_pt": "Em quais duas áreas gostaria de colaborar com outras regiões?",
    },
]
LANGUAGES = ("en", "es", "pt")


def state(session: Session, *, event: Event) -> Questionnaire:
    """The questionnaire's state; a new one is a draft with Lima's three questions."""
    found = session.get(Questionnaire, pk(event))
    if found is not None:
        return found
    found = Questionnaire(event_id=pk(event))
    session.add(found)
    for position, values in enumerate(DEFAULTS, start=1):
        session.add(Question(event_id=pk(event), position=position, **values))  # type: ignore[arg-type]
    commit(session)
    session.refresh(found)
    return found


def status_of(session: Session, *, event_id: int) -> QuestionnaireStatus:
    """Open, closed or draft, without making one (the attendee page asks on every load)."""
    found = session.get(Questionnaire, event_id)
    return found.status if found is not None else "draft"


def set_status(session: Session, *, event: Event, status: str) -> Questionnaire:
    if status not in ("draft", "open", "closed"):
        raise InvalidInput(
            _("the questionnaire is open, closed or draft, not {value!r}").format(value=status)
        )
    current = state(session, event=event)
    if status == "open" and not questions(session, event=event):
        raise InvalidInput(_("add a question before opening the questionnaire"))
    current.status = status  # type: ignore[assignment]
    if status == "open":
        current.opened_at, current.closed_at = utcnow(), None
    elif status == "closed":
        current.closed_at = utcnow()
    session.add(current)
    commit(session)
    return current


def questions(session: Session, *, event: Event) -> list[Question]:
    query = select(Question).where(Question.event_id == pk(event))
    return list(session.exec(query.order_by(col(Question.position), col(Question.id))))


def text_of(question: Question, language: str) -> str:
    """The question in the language, or in the first language it was written in."""
    for code in (language, *LANGUAGES):
        text = str(getattr(question, f"text_{code}", "") or "")
        if text:
            return text
    return ""


def save_question(
    session: Session,
    *,
    event: Event,
    question_id: int | None,
    kind: str,
    answers: int,
    texts: dict[str, str],
) -> Question:
    """Add a question (question_id None) or change one."""
    state(session, event=event)
    if kind not in ("need", "offer", "other"):
        raise InvalidInput(_("a question asks for needs, offers or something else (other)"))
    if not 1 <= answers <= 5:
        raise InvalidInput(
            _("a question asks for 1 to 5 answers, not {count}").format(count=answers)
        )
    cleaned = {code: texts.get(code, "").strip() for code in LANGUAGES}
    if not any(cleaned.values()):
        raise InvalidInput(_("write the question in at least one language"))
    if any(len(text) > 1000 for text in cleaned.values()):
        raise InvalidInput(_("a question has at most 1,000 characters; shorten it"))
    if question_id is None:
        last = max((q.position for q in questions(session, event=event)), default=0)
        question = Question(event_id=pk(event), position=last + 1)
    else:
        question = _question(session, event, question_id)
        deeper = session.exec(
            select(Answer).where(Answer.question_id == question_id, Answer.slot > answers)
        ).first()
        if deeper is not None:
            raise Conflict(
                _(
                    "some participants already gave {slot} answers to this question; keep at "
                    "least {slot}"
                ).format(slot=deeper.slot)
            )
    question.kind = kind  # type: ignore[assignment]
    question.answers = answers
    for code, text in cleaned.items():
        setattr(question, f"text_{code}", text)
    session.add(question)
    commit(session)
    session.refresh(question)
    return question


def _question(session: Session, event: Event, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None or question.event_id != pk(event):
        raise NotFound(
            _("there is no question number {number} in this event").format(number=question_id)
        )
    return question


def remove_question(session: Session, *, event: Event, question_id: int) -> None:
    question = _question(session, event, question_id)
    given = len(list(session.exec(select(Answer.id).where(Answer.question_id == question_id))))
    if given:
        raise Conflict(
            _(
                "{count} answers were given to this question; export them first, then close "
                "the questionnaire instead of removing the question"
            ).format(count=given)
        )
    session.delete(question)
    commit(session)


# --- answering --------------------------------------------------------------------------------


def answers_of(session: Session, *, participant: Participant) -> dict[tuple[int, int], str]:
    rows = session.exec(select(Answer).where(Answer.participant_id == pk(participant)))
    return {(row.question_id, row.slot): row.text for row in rows}


@dataclass
class Saved:
    """What a save kept, and the answers it could not keep (with what to fix)."""

    kept: int = 0
    problems: dict[tuple[int, int], str] = field(default_factory=dict)


def save_answers(
    session: Session, *, participant: Participant, given: dict[tuple[int, int], str]
) -> Saved:
    """Keep each answer given ((question id, slot) → text); an empty one is removed. Answers
    that are too long are not kept and come back with the reason; the others are kept."""
    event = session.get(Event, participant.event_id)
    assert event is not None
    current = state(session, event=event)
    if current.status != "open":
        raise Conflict(
            _("the questionnaire is closed; your answers so far are kept")
            if current.status == "closed"
            else _("the questionnaire is not open yet; come back with the same link later")
        )
    asked = {pk(q): q for q in questions(session, event=event)}
    existing = {
        (row.question_id, row.slot): row
        for row in session.exec(select(Answer).where(Answer.participant_id == pk(participant)))
    }
    saved = Saved()
    for (question_id, slot), raw in given.items():
        question = asked.get(question_id)
        if question is None or not 1 <= slot <= question.answers:
            continue  # a question removed meanwhile: nothing to keep
        text = raw.strip()
        if len(text) > ANSWER_MAX:
            saved.problems[(question_id, slot)] = _(
                "{count:,} characters: shorten it to {most:,} or fewer (it was not saved)"
            ).format(count=len(text), most=ANSWER_MAX)
            continue
        row = existing.get((question_id, slot))
        if not text:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = Answer(
                event_id=pk(event),
                participant_id=pk(participant),
                question_id=question_id,
                slot=slot,
            )
        if row.text != text:
            row.text, row.updated_at = text, utcnow()
            session.add(row)
        saved.kept += 1
    commit(session)
    return saved


# --- the organizer's view --------------------------------------------------------------------


@dataclass
class Progress:
    slots: int  # answers asked of each participant
    complete: list[Participant]
    partial: list[tuple[Participant, int]]
    none: list[Participant]


def progress(session: Session, *, event: Event) -> Progress:
    asked = questions(session, event=event)
    slots = sum(q.answers for q in asked)
    counts: dict[int, int] = {}
    ids = {pk(q) for q in asked}
    for participant_id, question_id in session.exec(
        select(Answer.participant_id, Answer.question_id).where(Answer.event_id == pk(event))
    ):
        if question_id in ids:
            counts[participant_id] = counts.get(participant_id, 0) + 1
    people = session.exec(
        select(Participant).where(Participant.event_id == pk(event)).order_by(col(Participant.name))
    ).all()
    done = Progress(slots=slots, complete=[], partial=[], none=[])
    for person in people:
        given = counts.get(pk(person), 0)
        if given == 0:
            done.none.append(person)
        elif given >= slots:
            done.complete.append(person)
        else:
            done.partial.append((person, given))
    return done


@dataclass
class AnswerRow:
    answer: Answer
    participant: Participant
    question: Question
    topic: Topic | None


def answer_rows(session: Session, *, event: Event) -> list[AnswerRow]:
    """Every answer, by question, then participant, then slot."""
    asked = {pk(q): q for q in questions(session, event=event)}
    people = {
        pk(p): p for p in session.exec(select(Participant).where(Participant.event_id == pk(event)))
    }
    topics = {pk(t): t for t in session.exec(select(Topic).where(Topic.event_id == pk(event)))}
    rows = [
        AnswerRow(a, people[a.participant_id], asked[a.question_id], topics.get(a.topic_id or 0))
        for a in session.exec(select(Answer).where(Answer.event_id == pk(event)))
        if a.question_id in asked and a.participant_id in people
    ]
    order = {qid: i for i, qid in enumerate(asked)}
    rows.sort(key=lambda r: (order[r.answer.question_id], r.participant.name, r.answer.slot))
    return rows


def suggestions(text: str, topics: list[Topic], count: int = 3) -> list[Topic]:
    """The existing topics whose names (or request and offer) read most like the answer."""
    wanted = fold(text)

    def likeness(topic: Topic) -> float:
        return max(
            difflib.SequenceMatcher(None, wanted, fold(other)).ratio()
            for other in (topic.name, topic.request, topic.offer)
            if other
        )

    scored = sorted(((likeness(t), t.name, t) for t in topics), key=lambda s: (-s[0], s[1]))
    return [t for score, _name, t in scored[:count] if score >= 0.3]


def map_answers(
    session: Session,
    *,
    event: Event,
    answer_ids: list[int],
    topic_name: str,
    used_as: AnswerUse,
    subject_code: str = "",
) -> Topic:
    """The answers become the topic's requests (or offers): their participants join its
    requesting (offering) list; a new topic takes the first answer's wording."""
    if used_as not in ("request", "offer"):
        raise InvalidInput(_("map answers as requests or as offers"))
    name = topic_name.strip()
    if not name:
        raise InvalidInput(_("name the topic the answers belong to (an existing one or a new one)"))
    if len(name) > 200:
        raise InvalidInput(_("a topic's name has at most 200 characters"))
    chosen = [session.get(Answer, i) for i in answer_ids]
    answers = [a for a in chosen if a is not None and a.event_id == pk(event)]
    if not answers:
        raise InvalidInput(_("tick the answers to map first"))
    topic = session.exec(
        select(Topic).where(Topic.event_id == pk(event), Topic.name == name)
    ).first()
    if topic is None:
        subject = None
        if subject_code:
            subject = session.exec(
                select(Subject).where(Subject.event_id == pk(event), Subject.code == subject_code)
            ).first()
            if subject is None:
                raise NotFound(
                    _("there is no subject {code!r} in this event").format(code=subject_code)
                )
        wording = answers[0].text
        topic = Topic(
            event_id=pk(event),
            name=name,
            subject_id=subject.id if subject else None,
            request=wording if used_as == "request" else "",
            offer=wording if used_as == "offer" else "",
        )
        session.add(topic)
        session.flush()
    link = TopicRequest if used_as == "request" else TopicOffer
    listed = set(
        session.exec(select(link.participant_id).where(link.topic_id == pk(topic)))  # type: ignore[attr-defined]
    )
    for answer in answers:
        answer.topic_id, answer.used_as = pk(topic), used_as
        session.add(answer)
        if answer.participant_id not in listed:
            session.add(link(topic_id=pk(topic), participant_id=answer.participant_id))
            listed.add(answer.participant_id)
    commit(session, event=event)
    session.refresh(topic)
    return topic


def words_by_topic(session: Session, *, event: Event) -> dict[int, list[tuple[str, str, str]]]:
    """For each topic, the answers mapped to it: (participant's code, request or offer, the
    answer's own words), so the table of needs and offers keeps how people put it."""
    found: dict[int, list[tuple[str, str, str]]] = {}
    codes = dict(
        session.exec(
            select(Participant.id, Participant.code).where(Participant.event_id == pk(event))
        ).all()
    )
    query = select(Answer).where(Answer.event_id == pk(event), col(Answer.topic_id).is_not(None))
    for answer in session.exec(query.order_by(col(Answer.id))):
        found.setdefault(answer.topic_id or 0, []).append(
            (codes.get(answer.participant_id, ""), answer.used_as or "", answer.text)
        )
    return found


# --- exports ---------------------------------------------------------------------------------

HEADER = ["question", "kind", "participant", "code", "answer number", "answer", "topic", "as"]


def _table(session: Session, event: Event) -> list[list[object]]:
    return [
        [
            text_of(r.question, "en"),
            r.question.kind,
            r.participant.name,
            r.participant.code,
            r.answer.slot,
            r.answer.text,
            r.topic.name if r.topic else "",
            r.answer.used_as or "",
        ]
        for r in answer_rows(session, event=event)
    ]


def export(session: Session, *, event: Event, fmt: str) -> ExportFile:
    stem = f"{file_stem(event)}-questionnaire"
    rows = _table(session, event)
    if fmt == "csv":
        out = io.StringIO()
        writer = SafeWriter(out)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(row)
        return ExportFile(
            out.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", f"{stem}.csv"
        )
    if fmt == "xlsx":
        book = Workbook()
        if book.active is not None:
            book.remove(book.active)
        add_sheet(book, "Answers", HEADER, rows)
        data = io.BytesIO()
        book.save(data)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return ExportFile(data.getvalue(), media, f"{stem}.xlsx")
    raise NotFound(_("unknown format {fmt!r}; use csv or xlsx").format(fmt=fmt))
