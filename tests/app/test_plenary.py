"""The plenary over real HTTP: the moderator puts topics on the floor, phones ask for the floor
(once each, only on the topic on the floor), the moderator gives it in order, moves and removes
people, the queue survives a restart, and initiatives recorded on the spot reach the harvest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.settings import Settings
from tests.app.conftest import ADMIN, serving
from tests.app.web_factories import post, shown


@contextmanager
def phone_of(
    base: str, organizer: httpx.Client, event_id: int, code: str
) -> Iterator[httpx.Client]:
    people = organizer.get(f"/api/events/{event_id}/participants").json()
    link = next(p["attendee_url"] for p in people if p["code"] == code)
    with httpx.Client(base_url=base, timeout=30, headers={"Origin": base}) as client:
        assert client.get("/a/" + link.rsplit("/", 1)[1]).status_code == 303
        yield client


def _topic_ids(organizer: httpx.Client, event_id: int) -> dict[str, int]:
    return {t["name"]: t["id"] for t in organizer.get(f"/api/events/{event_id}/topics").json()}


def _queue(page: httpx.Response) -> list[str]:
    """The names waiting, in order, as the screen shows them."""
    found = re.search(r'<ol class="queue">(.*?)</ol>', page.text, re.S)
    return re.findall(r"<li>\s*([^<]+?)\s*<span", found.group(1)) if found else []


def test_phones_ask_for_the_floor_and_the_moderator_gives_it_in_order(
    live_server: str, organizer: httpx.Client, lima_id: int
) -> None:
    topics = _topic_ids(organizer, lima_id)
    digital = topics["Digitalization"]
    with (
        phone_of(live_server, organizer, lima_id, "AR") as ar,
        phone_of(live_server, organizer, lima_id, "BR") as br,
        phone_of(live_server, organizer, lima_id, "CL") as cl,
    ):
        early = ar.post("/attend/floor", data={"topic_id": digital, "kind": "request"})
        assert early.headers["location"] == "/attend?floor=closed#floor"
        post(organizer, f"/events/{lima_id}/plenary/topic", {"topic_id": digital})
        page = shown(ar.get("/attend"))
        assert "Digitalization" in page and "quiero hablar sobre este subtema" in page.lower()
        for client, kind in ((ar, "request"), (br, "offer"), (cl, "comment")):
            asked = client.post("/attend/floor", data={"topic_id": digital, "kind": kind})
            assert asked.headers["location"] == "/attend?floor=queued#floor"
        again = ar.post("/attend/floor", data={"topic_id": digital, "kind": "offer"})
        assert again.headers["location"] == "/attend?floor=queued#floor"  # once, same place
        assert "número 1 en la fila" in shown(ar.get("/attend")).lower()
        screen = organizer.get(f"/events/{lima_id}/plenary/screen")
        assert _queue(screen) == ["Argentina", "Brazil", "Chile"]

        console = organizer.get(f"/events/{lima_id}/plenary").text
        ids = re.findall(r"/plenary/floor/(\d+)/give", console)
        post(organizer, f"/events/{lima_id}/plenary/floor/{ids[2]}/up")  # Chile before Brazil
        assert _queue(organizer.get(f"/events/{lima_id}/plenary/screen")) == [
            "Argentina",
            "Chile",
            "Brazil",
        ]
        post(organizer, f"/events/{lima_id}/plenary/floor/{ids[0]}/give")
        screen = organizer.get(f"/events/{lima_id}/plenary/screen")
        assert "Speaking: Argentina" in shown(screen)
        assert re.search(r'data-speaker-ends="[^"]+"', screen.text)
        assert _queue(screen) == ["Chile", "Brazil"]
        assert "You have the floor" in shown(ar.get("/attend?lang=en"))
        br.post("/attend/floor/withdraw")
        assert _queue(organizer.get(f"/events/{lima_id}/plenary/screen")) == ["Chile"]
        stale = post(organizer, f"/events/{lima_id}/plenary/floor/{ids[1]}/give")
        assert "no longer in the queue" in shown(stale)

        other = topics["Management systems (IPAS)"]
        post(organizer, f"/events/{lima_id}/plenary/topic", {"topic_id": other})
        late = cl.post("/attend/floor", data={"topic_id": digital, "kind": "comment"})
        assert late.headers["location"] == "/attend?floor=moved#floor"
        assert "The floor moved on" in shown(cl.get("/attend?lang=en&floor=moved"))
        assert _queue(organizer.get(f"/events/{lima_id}/plenary/screen")) == []


def test_the_queue_survives_a_restart(
    tmp_path: Path, live_server: str, organizer: httpx.Client, lima_id: int, web_settings: Settings
) -> None:
    digital = _topic_ids(organizer, lima_id)["Digitalization"]
    post(organizer, f"/events/{lima_id}/plenary/topic", {"topic_id": digital})
    for code in ("PE", "MX"):
        with phone_of(live_server, organizer, lima_id, code) as client:
            client.post("/attend/floor", data={"topic_id": digital, "kind": "offer"})
    with (
        serving(web_settings) as again,
        httpx.Client(base_url=again, auth=ADMIN, timeout=30) as fresh,
    ):
        assert _queue(fresh.get(f"/events/{lima_id}/plenary/screen")) == ["Peru", "Mexico"]


def test_an_initiative_recorded_in_the_plenary_reaches_the_harvest(
    organizer: httpx.Client, lima_id: int
) -> None:
    digital = _topic_ids(organizer, lima_id)["Digitalization"]
    post(organizer, f"/events/{lima_id}/plenary/topic", {"topic_id": digital})
    saved = post(
        organizer,
        f"/events/{lima_id}/harvest/initiatives",
        {
            "back": "plenary",
            "topic": "Digitalization",
            "subject": "1",
            "request": "Digitize the trademark files",
            "requesting": "PE; AR",
            "offering": "CL",
            "offer": "A two-week internship in Santiago",
            "contact": "digital@inapi.cl",
        },
    )
    assert saved.url.path == f"/events/{lima_id}/plenary"
    assert "perfect match" in shown(saved)  # a request met an offer
    report = organizer.get(f"/events/{lima_id}/harvest/export/csv").content.decode("utf-8-sig")
    assert "A two-week internship in Santiago" in report and "digital@inapi.cl" in report


def test_the_moderator_orders_the_agenda(organizer: httpx.Client, lima_id: int) -> None:
    console = organizer.get(f"/events/{lima_id}/plenary").text
    first = re.findall(r"/plenary/agenda/(\d+)/down", console)
    post(organizer, f"/events/{lima_id}/plenary/agenda/{first[0]}/down")
    after = re.findall(
        r"/plenary/agenda/(\d+)/down", organizer.get(f"/events/{lima_id}/plenary").text
    )
    assert after[:2] == [first[1], first[0]] and len(after) == len(first)
