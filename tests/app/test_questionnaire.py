"""The questionnaire before the event, over real HTTP: the organizer's questions and state,
participants answering with their links (partial answers kept, too-long ones returned with the
reason, nothing after closing), who answered, answers mapped into topics, links and exports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import httpx
import openpyxl
import pytest

from tests.app.web_factories import post, shown


def _people(organizer: httpx.Client, event_id: int) -> list[dict[str, str]]:
    people: list[dict[str, str]] = organizer.get(f"/api/events/{event_id}/participants").json()
    return people


@pytest.fixture
def phone(live_server: str, organizer: httpx.Client, lima_id: int) -> Iterator[httpx.Client]:
    """Argentina's phone, signed in with its questionnaire link (from the mail merge file)."""
    links = organizer.get(f"/events/{lima_id}/questionnaire/links.csv")
    assert links.status_code == 200 and links.content.startswith(b"\xef\xbb\xbf")  # BOM
    rows = list(csv.DictReader(io.StringIO(links.content.decode("utf-8-sig"))))
    argentina = next(r for r in rows if r["code"] == "AR")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/q/[\w-]{32,}", argentina["link"])
    with httpx.Client(base_url=live_server, timeout=30, headers={"Origin": live_server}) as client:
        opened = client.get("/" + argentina["link"].split("/", 3)[3])
        assert opened.status_code == 303 and opened.headers["location"] == "/questionnaire"
        yield client


def _ids(page: httpx.Response) -> list[str]:
    return re.findall(r'name="(a-\d+-\d+)"', page.text)


def test_a_participant_answers_in_their_language_and_comes_back(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    closed = phone.get("/questionnaire")
    assert closed.status_code == 200 and "aún no está abierto" in shown(closed)
    assert not _ids(closed)
    assert "Responder el cuestionario" not in shown(phone.get("/attend"))
    post(organizer, f"/events/{lima_id}/questionnaire/status", {"status": "open"})
    assert "Responder el cuestionario" in shown(phone.get("/attend"))  # the badge's page links it
    page = phone.get("/questionnaire")  # Argentina's language is Spanish
    assert "¿Cuáles son sus tres principales necesidades" in shown(page)
    fields = _ids(page)
    assert len(fields) == 8  # 3 needs, 3 capacities, 2 areas
    saved = phone.post("/questionnaire", data={fields[0]: "Digitalización de expedientes"})
    assert saved.status_code == 200 and "Guardado" in shown(saved)
    english = phone.get("/questionnaire?lang=en")
    assert "What are your three main needs" in shown(english)
    assert "Digitalización de expedientes" in english.text  # partial answers are kept
    state = organizer.get(f"/api/events/{lima_id}/questionnaire").json()
    everyone = len(_people(organizer, lima_id))
    assert (state["status"], state["answered"], state["partly"], state["not_yet"]) == (
        "open",
        0,
        1,
        everyone - 1,
    )


def test_a_too_long_answer_comes_back_with_the_reason_and_the_others_are_kept(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    post(organizer, f"/events/{lima_id}/questionnaire/status", {"status": "open"})
    fields = _ids(phone.get("/questionnaire?lang=en"))
    long = "x" * 10_000
    reply = phone.post("/questionnaire", data={fields[0]: "Patent examination", fields[1]: long})
    assert reply.status_code == 422
    text = shown(reply)
    assert "10,000 characters: shorten it to 2,000 or fewer" in text
    assert long in reply.text  # what was typed is still there to shorten
    answers = organizer.get(f"/api/events/{lima_id}/questionnaire/answers").json()
    assert [(a["participant"], a["text"]) for a in answers] == [("AR", "Patent examination")]


def test_after_closing_nothing_changes_and_the_participant_is_told(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    post(organizer, f"/events/{lima_id}/questionnaire/status", {"status": "open"})
    fields = _ids(phone.get("/questionnaire?lang=en"))
    phone.post("/questionnaire", data={fields[0]: "Before closing"})
    post(organizer, f"/events/{lima_id}/questionnaire/status", {"status": "closed"})
    late = phone.post("/questionnaire", data={fields[0]: "After closing"})
    assert late.status_code == 409
    assert "The questionnaire is closed; your answers so far are kept" in shown(late)
    answers = organizer.get(f"/api/events/{lima_id}/questionnaire/answers").json()
    assert [a["text"] for a in answers] == ["Before closing"]
    assert "readonly" in phone.get("/questionnaire?lang=en").text


def test_answers_become_requests_and_offers_of_topics(
    organizer: httpx.Client, live_server: str, lima_id: int
) -> None:
    post(organizer, f"/events/{lima_id}/questionnaire/status", {"status": "open"})
    people = {p["code"]: p for p in _people(organizer, lima_id)}
    typed = {"CL": "Digitalization of files", "PE": "Digitalisation of our files", "BR": ""}
    for code, text in typed.items():
        with httpx.Client(base_url=live_server, headers={"Origin": live_server}) as client:
            client.get("/a/" + people[code]["attendee_url"].rsplit("/", 1)[1])
            fields = _ids(client.get("/questionnaire?lang=en"))
            need, offer = fields[0], fields[3]
            client.post("/questionnaire", data={need: text, offer: "Training of examiners"})
    page = organizer.get(f"/events/{lima_id}/questionnaire")
    assert "Like: Digitalization" in shown(page)  # the existing topic is suggested
    answers = organizer.get(f"/api/events/{lima_id}/questionnaire/answers").json()
    needs = [a["id"] for a in answers if a["text"].startswith("Digitali")]
    offers = [a["id"] for a in answers if a["text"] == "Training of examiners"]
    assert len(needs) == 2 and len(offers) == 3
    post(
        organizer,
        f"/events/{lima_id}/questionnaire/map",
        {"answer": needs, "topic": "Digitalization", "used_as": "request"},
    )
    post(
        organizer,
        f"/events/{lima_id}/questionnaire/map",
        {"answer": offers, "new_topic": "Examiner training", "subject": "1", "used_as": "offer"},
    )
    topics = {t["name"]: t for t in organizer.get(f"/api/events/{lima_id}/topics").json()}
    assert {"CL", "PE"} <= set(topics["Digitalization"]["requesting"])
    training = topics["Examiner training"]
    assert sorted(training["offering"]) == ["BR", "CL", "PE"]
    assert training["offer"] == "Training of examiners" and training["subject_code"] == "1"
    mapped = organizer.get(f"/api/events/{lima_id}/questionnaire/answers").json()
    assert {(a["topic"], a["used_as"]) for a in mapped if a["id"] in needs} == {
        ("Digitalization", "request")
    }
    table = shown(organizer.get(f"/events/{lima_id}/topics"))
    assert "Examiner training" in table
    assert "In their words (2) CL : Digitalization of files PE : Digitalisation" in table
    refused = post(organizer, f"/events/{lima_id}/questionnaire/map", {"topic": "Digitalization"})
    assert "Tick the answers to map first" in shown(refused)


def test_answers_export_as_csv_and_xlsx_with_formulas_kept_as_text(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    post(organizer, f"/events/{lima_id}/questionnaire/status", {"status": "open"})
    fields = _ids(phone.get("/questionnaire?lang=en"))
    phone.post("/questionnaire", data={fields[0]: '=HYPERLINK("http://x")', fields[2]: "Perú"})
    as_csv = organizer.get(f"/events/{lima_id}/questionnaire/answers.csv")
    assert as_csv.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["question", "kind", "participant", "code", "answer number", "answer"]
    assert [r[5] for r in rows[1:]] == ['\'=HYPERLINK("http://x")', "Perú"]
    book = openpyxl.load_workbook(
        io.BytesIO(organizer.get(f"/events/{lima_id}/questionnaire/answers.xlsx").content)
    )
    cell = book["Answers"]["F2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_the_organizer_writes_the_questions(organizer: httpx.Client, lima_id: int) -> None:
    url = f"/events/{lima_id}/questionnaire"
    post(
        organizer,
        f"{url}/questions",
        {"kind": "other", "answers": "1", "text_es": "¿Algo más?", "text_en": "Anything else?"},
    )
    questions = organizer.get(f"/api/events/{lima_id}/questionnaire").json()["questions"]
    assert [q["answers"] for q in questions] == [3, 3, 2, 1]
    last = questions[-1]
    assert (last["text_es"], last["text_pt"]) == ("¿Algo más?", "")
    wrong = post(organizer, f"{url}/questions/{last['id']}", {"answers": "9", "text_en": "x"})
    assert "1 to 5 answers, not 9" in shown(wrong)
    post(organizer, f"{url}/questions/{last['id']}/remove")
    assert len(organizer.get(f"/api/events/{lima_id}/questionnaire").json()["questions"]) == 3
