"""The day over real HTTP: badge links, the attendee's page and its JSON, the organizer's
commands, the stream of changes, the screen link, friendly pages for bad links."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx

from tests.app.web_factories import seen, shown


def people(organizer: httpx.Client, event_id: int) -> dict[str, dict[str, Any]]:
    return {p["code"]: p for p in organizer.get(f"/api/events/{event_id}/participants").json()}


def scan(phone: httpx.Client, url: str) -> httpx.Response:
    """Open a badge link as the phone's browser does (the QR holds the public address)."""
    path = "/" + url.split("/", 3)[3]
    return phone.get(path)


def test_a_badge_link_signs_the_phone_in_and_leaves_a_clean_address(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    peru = people(organizer, lima_id)["PE"]
    assert peru["attendee_url"].startswith("http://127.0.0.1:8000/a/")  # RONDA_PUBLIC_URL
    token = peru["attendee_url"].rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 bits, URL-safe
    reply = scan(phone, peru["attendee_url"])
    assert reply.status_code == 303 and reply.headers["location"] == "/attend"
    page = phone.get("/attend")
    assert page.status_code == 200 and token not in str(page.url)
    assert '<html lang="es">' in page.text  # Peru's language
    text = shown(phone.get("/attend?lang=en"))
    assert "Peru" in text and "Not started yet" in text and "Your first table" in text
    assert "Round 1 of 5" not in text and "Thank you" not in text
    assert people(organizer, lima_id)["PE"]["arrived_at"] is not None  # first scan: checked in


def test_the_attendee_json_follows_the_session(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    scan(phone, people(organizer, lima_id)["AR"]["attendee_url"])
    before = phone.get("/api/attendee").json()
    assert before["round"] is None and before["participant"]["name"] == "Argentina"
    assert len(before["itinerary"]) == 5 and before["next"]["round"] == 1
    assert organizer.post(f"/api/events/{lima_id}/session/start").status_code == 200
    now = phone.get("/api/attendee").json()
    assert now["round"] == 1 and now["table"] == now["itinerary"][0]["table"]
    assert now["subject"] == now["itinerary"][0]["subject"]
    assert now["next"]["round"] == 2
    plan = organizer.get(f"/api/events/{lima_id}/plan").json()
    assert now["plan_version"] == plan["id"]


def test_commands_answer_409_with_the_state_when_stale(
    organizer: httpx.Client, lima_id: int
) -> None:
    base = f"/api/events/{lima_id}/session"
    assert organizer.post(f"{base}/start").json()["round"] == 1
    first = organizer.post(f"{base}/next", json={"from_round": 1})
    again = organizer.post(f"{base}/next", json={"from_round": 1})
    assert first.status_code == 200 and first.json()["round"] == 2
    assert again.status_code == 409
    assert again.json()["state"]["round"] == 2 and "round 2" in again.json()["detail"]
    bad = organizer.post(f"{base}/extend", json={"minutes": 1000})
    assert bad.status_code == 400 and "1 to 120" in bad.json()["detail"]
    state = organizer.get(base).json()
    assert set(state) >= {
        "status",
        "round",
        "phase",
        "phase_ends_at",
        "plan_version",
        "state_version",
    }


def test_two_organizers_pressing_next_at_once_advance_once(
    organizer: httpx.Client, live_server: str, lima_id: int
) -> None:
    organizer.post(f"/api/events/{lima_id}/session/start")
    codes: list[int] = []
    barrier = threading.Barrier(2)

    def press() -> None:
        with httpx.Client(
            base_url=live_server, timeout=30, auth=("admin", "correct horse battery")
        ) as c:
            barrier.wait()
            codes.append(
                c.post(f"/api/events/{lima_id}/session/next", json={"from_round": 1}).status_code
            )

    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 409]
    assert organizer.get(f"/api/events/{lima_id}/session").json()["round"] == 2


def read_states(client: httpx.Client, url: str, count: int, after_first: Any = None) -> list[Any]:
    """The first `count` state messages of the stream (calling `after_first` after the first)."""
    states = []
    with client.stream("GET", url) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data:"):
                states.append(json.loads(line[5:]))
                if len(states) == 1 and after_first:
                    after_first()
                if len(states) == count:
                    break
    return states


def test_the_stream_sends_the_state_now_then_each_change(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    scan(phone, people(organizer, lima_id)["CL"]["attendee_url"])
    organizer.post(f"/api/events/{lima_id}/session/start")

    def advance() -> None:
        organizer.post(f"/api/events/{lima_id}/session/next", json={"from_round": 1})

    states = read_states(phone, f"/api/events/{lima_id}/session/stream", 2, advance)
    assert [s["round"] for s in states] == [1, 2]  # each state once, in order
    assert states[1]["phase"] == "change"
    assert states[1]["state_version"] == states[0]["state_version"] + 1
    assert "server_time" in states[1]


def test_the_stream_and_state_are_closed_to_strangers(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    assert phone.get(f"/api/events/{lima_id}/session").status_code == 404
    assert phone.get(f"/api/events/{lima_id}/session/stream").status_code == 404
    assert phone.post(f"/api/events/{lima_id}/session/start").status_code == 401


def test_a_reissued_token_closes_the_old_badge_and_its_phone(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    peru = people(organizer, lima_id)["PE"]
    scan(phone, peru["attendee_url"])
    assert phone.get("/api/attendee").status_code == 200
    fresh = organizer.post(f"/api/events/{lima_id}/participants/{peru['id']}/token").json()
    assert fresh["attendee_url"] != peru["attendee_url"]
    assert phone.get("/api/attendee").status_code == 401
    page = scan(phone, peru["attendee_url"])
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert scan(phone, fresh["attendee_url"]).status_code == 303


def test_wrong_links_get_a_friendly_page_in_three_languages(
    phone: httpx.Client, lima_id: int
) -> None:
    for path in ("/a/not-a-real-token-at-all-0000", "/a/x", "/a/" + "z" * 300):
        page = phone.get(path)
        assert page.status_code == 404 and "text/html" in page.headers["content-type"]
        text = seen(page)
        assert "This link does not open anything" in text
        assert "Este enlace no abre nada" in text and "Este link não abre nada" in text
    old = phone.get(f"/attend/{lima_id}/PE")  # a badge printed before secret links
    assert old.status_code == 410 and "out of date" in seen(old)


def test_wrong_links_from_one_address_are_slowed_down(phone: httpx.Client, lima_id: int) -> None:
    codes = [phone.get(f"/a/wrong-token-number-{n:012d}").status_code for n in range(35)]
    assert codes[:30] == [404] * 30 and codes[-1] == 429


def test_person_reachable_pages_answer_html_on_404_and_422(
    organizer: httpx.Client, phone: httpx.Client
) -> None:
    for client, path in ((phone, "/no/such/page"), (organizer, "/events/999999/live")):
        page = client.get(path)
        assert page.status_code == 404 and page.text.lstrip().startswith("<!doctype html>")
    page = organizer.get("/events/not-a-number/live")
    assert page.status_code == 422 and page.text.lstrip().startswith("<!doctype html>")
    assert organizer.get("/api/events/not-a-number").status_code == 422  # the API stays JSON
    assert organizer.get("/api/events/not-a-number").json()["detail"]


def test_the_screen_link_opens_the_screen_without_a_password(
    organizer: httpx.Client, live_server: str, lima_id: int
) -> None:
    organizer.post(f"/events/{lima_id}/live/screen-link")
    console = organizer.get(f"/events/{lima_id}/live")
    link = next(w for w in seen(console).split() if "/s/" in w)
    organizer.post(f"/api/events/{lima_id}/session/start")
    with httpx.Client(base_url=live_server, timeout=30, headers={"Origin": live_server}) as venue:
        opened = venue.get("/" + link.split("/", 3)[3], follow_redirects=True)
        assert opened.status_code == 200 and str(opened.url).endswith(f"/events/{lima_id}/screen")
        assert "Round 1 / 5" in shown(opened) and "Table 1" in seen(opened)
        assert venue.get(f"/api/events/{lima_id}/session").json()["round"] == 1
        organizer.post(f"/events/{lima_id}/live/screen-link")  # replaced: the old one is revoked
        assert venue.get(f"/events/{lima_id}/screen").status_code == 404


def test_the_attendee_page_speaks_the_participants_language(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    everyone = people(organizer, lima_id)
    assert everyone["BR"]["language"] == "pt" and everyone["MX"]["language"] == "es"
    scan(phone, everyone["BR"]["attendee_url"])
    page = phone.get("/attend")
    assert '<html lang="pt">' in page.text and "Ainda não começou" in shown(page)
    assert "Not started yet" in shown(phone.get("/attend?lang=en"))
    assert "Not started yet" in shown(phone.get("/attend"))  # the choice is kept
    scan(phone, everyone["MX"]["attendee_url"])
    phone.cookies.delete("ronda_attend_lang")
    assert "Aún no ha comenzado" in shown(phone.get("/attend"))


def test_plan_and_print_pages_check_the_plan_against_the_event_now(
    organizer: httpx.Client, lima_id: int
) -> None:
    page = seen(organizer.get(f"/events/{lima_id}/plan"))
    assert "Every hard rule holds" in page and "changed since this plan was made" not in page
    reply = organizer.post(
        f"/api/events/{lima_id}/absences", json={"participant_code": "PE", "round": 3}
    )
    assert reply.status_code == 201
    for path in (f"/events/{lima_id}/plan", f"/events/{lima_id}/print", f"/events/{lima_id}/live"):
        text = seen(organizer.get(path))
        assert "1 person changed since this plan was made: Peru (absent rounds now: 3)" in text
        assert "Hard rules it now breaks" in text and "PE" in text
        assert "Every hard rule holds" not in text
        assert "Re-plan the remaining rounds (from round 1)" in text


def test_the_console_lists_who_moves_before_publishing(
    organizer: httpx.Client, lima_id: int
) -> None:
    organizer.post(f"/api/events/{lima_id}/session/start")
    plan = organizer.get(f"/api/events/{lima_id}/plan").json()
    seat = next(
        t
        for r in plan["rounds"]
        if r["round"] == 4
        for t in r["tables"]
        if "PE" not in t["participants"]
    )
    moved = organizer.post(
        f"/api/events/{lima_id}/plan/move",
        json={"round": 4, "participant": "PE", "table": seat["table"]},
    )
    assert moved.status_code == 200, moved.text
    console = seen(organizer.get(f"/events/{lima_id}/live"))
    assert "is not published" in console
    assert "Peru: round 4, " in console and f"→ {seat['table']}" in console
    state = organizer.post(f"/api/events/{lima_id}/session/publish").json()
    assert state["plan_version"] == moved.json()["plan"]["id"]
    assert "is not published" not in seen(organizer.get(f"/events/{lima_id}/live"))


def test_check_in_by_hand_counts_arrivals(organizer: httpx.Client, lima_id: int) -> None:
    reply = organizer.post(
        f"/events/{lima_id}/live/arrived",
        data={"code": "PE", "arrived": "yes"},
        headers={"HX-Request": "true"},
    )
    assert reply.status_code == 200 and "arrived" in seen(reply)
    console = seen(organizer.get(f"/events/{lima_id}/live"))
    assert "Expected: 16 Arrived: 1 Missing: 15" in console
    assert people(organizer, lima_id)["PE"]["arrived_at"] is not None


def test_a_lost_badge_gets_a_new_link_and_prints_alone(
    organizer: httpx.Client, phone: httpx.Client, lima_id: int
) -> None:
    old = people(organizer, lima_id)["PE"]["attendee_url"]
    page = organizer.post(
        f"/events/{lima_id}/live/badge", data={"code": "PE"}, follow_redirects=True
    )
    assert str(page.url).endswith("/print?show=badges&code=PE")
    new = people(organizer, lima_id)["PE"]["attendee_url"]
    assert new != old and page.text.count('class="badge"') == 1 and f'href="{new}"' in page.text
    assert "Peru has a new badge link" in seen(page)
    assert scan(phone, old).status_code == 404 and scan(phone, new).status_code == 303
