"""The JSON API under /api, over real HTTP: credentials, round trips, errors, import, docs."""

from __future__ import annotations

import io
import zipfile

import httpx

from tests.app.conftest import ADMIN
from tests.app.factories import LIMA
from tests.app.web_factories import api_event, ids_of, lima_upload


def test_the_api_needs_credentials(anonymous: httpx.Client) -> None:
    for method, url in [
        ("GET", "/api/events"),
        ("POST", "/api/events"),
        ("GET", "/api/events/1"),
        ("PATCH", "/api/events/1"),
        ("DELETE", "/api/events/1"),
        ("GET", "/api/events/1/participants"),
        ("POST", "/api/events/1/import"),
    ]:
        reply = anonymous.request(method, url)
        assert reply.status_code == 401, (method, url)
        assert reply.json() == {"detail": "sign in first (session cookie, API token or HTTP Basic)"}
        assert reply.headers["WWW-Authenticate"] == 'Basic realm="Ronda"'
    wrong = anonymous.get("/api/events", auth=("admin", "not the password"))
    assert wrong.status_code == 401


def test_http_basic_or_the_session_cookie(anonymous: httpx.Client) -> None:
    assert anonymous.get("/api/events", auth=ADMIN).json() == []
    anonymous.post("/login", data={"username": ADMIN[0], "password": ADMIN[1]})
    assert anonymous.get("/api/events").status_code == 200


def test_events_round_trip(organizer: httpx.Client) -> None:
    created = api_event(organizer, "Lima 2022", rounds=5, venue="Lima", date="2022-11-23")
    assert created["round_minutes"] == 35 and created["subject_mode"] == "rotating"
    url = f"/api/events/{created['id']}"
    assert organizer.get(url).json() == created
    changed = organizer.patch(url, json={"rounds": 4, "name": None, "date": None}).json()
    assert (changed["rounds"], changed["name"], changed["date"]) == (4, "Lima 2022", None)
    api_event(organizer, "Asunción 2023")
    assert [e["name"] for e in organizer.get("/api/events").json()] == [
        "Asunción 2023",
        "Lima 2022",
    ]
    timed = organizer.patch(url, json={"start_time": "9:30", "time_zone": "America/Lima"}).json()
    assert (timed["start_time"], timed["time_zone"]) == ("09:30:00", "America/Lima")
    assert timed["created_at"].endswith(("Z", "+00:00"))  # RFC 3339, with its offset
    offset = organizer.patch(url, json={"start_time": "09:30-05:00"})
    assert offset.status_code == 422 and "without an offset" in offset.text
    summary = organizer.get(f"{url}/summary").json()
    assert summary["ready"] is False and "no tables yet: add or import tables" in summary["missing"]
    assert organizer.delete(url).status_code == 204
    assert organizer.get(url).status_code == 404


def test_errors_say_what_to_fix(organizer: httpx.Client) -> None:
    event = api_event(organizer, "Lima 2022")["id"]
    other = api_event(organizer, "Other")["id"]
    person = organizer.post(f"/api/events/{other}/participants", json={"name": "A", "code": "A"})
    cases = [  # (method, url, body, status, fragment of the detail)
        ("POST", "/api/events", {"name": "Lima 2022", "rounds": 3}, 409, "already exists"),
        ("PATCH", f"/api/events/{other}", {"name": "Lima 2022"}, 409, "choose another name"),
        ("GET", "/api/events/999", None, 404, "there is no event number 999"),
        ("GET", f"/api/events/{event}/participants/{person.json()['id']}", None, 404, "number"),
        (
            "POST",
            f"/api/events/{event}/tables",
            {"name": "T", "capacity": 2, "min_size": 3},
            400,
            "at least 3 people cannot fit 2 seats",
        ),
        (
            "POST",
            f"/api/events/{event}/pins",
            {"participant_code": "ZZ", "round": 1, "table": "T"},
            404,
            "has no participant code 'ZZ'",
        ),
        (
            "POST",
            f"/api/events/{event}/absences",
            {"participant_code": "A", "round": 9},
            400,
            "round 9 is outside rounds 1..3",
        ),
        (
            "POST",
            f"/api/events/{event}/constraints",
            {"kind": "keep_apart", "participants": ["A", "B"]},
            404,
            "no participant code 'A'",
        ),
    ]
    for method, url, body, status, fragment in cases:
        reply = organizer.request(method, url, json=body)
        assert reply.status_code == status, (method, url, reply.text)
        assert fragment in reply.json()["detail"], (method, url, reply.text)
    invalid = organizer.post("/api/events", json={"name": "", "rounds": 0})
    assert invalid.status_code == 422 and {e["loc"][-1] for e in invalid.json()["detail"]} == {
        "name",
        "rounds",
    }


def test_participants_and_absences_round_trip(organizer: httpx.Client) -> None:
    event = api_event(organizer)["id"]
    base = f"/api/events/{event}"
    ana = organizer.post(
        f"{base}/participants", json={"name": "Ana", "code": "AP", "country": "Peru"}
    )
    assert ana.status_code == 201 and ana.json()["active"] is True
    url = f"{base}/participants/{ana.json()['id']}"
    clash = organizer.post(f"{base}/participants", json={"name": "Other", "code": "AP"})
    assert clash.status_code == 409
    changed = organizer.patch(url, json={"active": False, "language": "es", "name": None}).json()
    assert (changed["name"], changed["active"], changed["language"]) == ("Ana", False, "es")
    absence = organizer.post(f"{base}/absences", json={"participant_code": "AP", "round": 2})
    assert absence.status_code == 201
    assert organizer.get(f"{base}/absences").json() == [absence.json()]
    assert organizer.delete(f"{base}/absences/{absence.json()['id']}").status_code == 204
    assert organizer.get(f"{base}/absences").json() == []
    assert organizer.delete(url).status_code == 204
    assert organizer.get(f"{base}/participants").json() == []


def test_tables_and_subjects_round_trip(organizer: httpx.Client) -> None:
    event = api_event(organizer, subject_mode="fixed")["id"]
    base = f"/api/events/{event}"
    subject = organizer.post(
        f"{base}/subjects", json={"code": "1", "name": "Policy", "facilitators": ["Ana", "Ben"]}
    ).json()
    assert subject["facilitators"] == ["Ana", "Ben"]
    table = organizer.post(
        f"{base}/tables", json={"name": "T1", "capacity": 4, "subject_code": "1"}
    ).json()
    assert (table["min_size"], table["subject_code"]) == (2, "1")
    url = f"{base}/tables/{table['id']}"
    assert organizer.patch(url, json={"capacity": 5}).json()["subject_code"] == "1"
    cleared = organizer.patch(url, json={"subject_code": None, "name": "Table 1"}).json()
    assert (cleared["name"], cleared["capacity"], cleared["subject_code"]) == ("Table 1", 5, None)
    url = f"{base}/subjects/{subject['id']}"
    changed = organizer.patch(url, json={"facilitators": ["Carla"], "hosts": 2}).json()
    assert (changed["facilitators"], changed["hosts"], changed["code"]) == (["Carla"], 2, "1")
    assert organizer.get(f"{base}/subjects").json() == [changed]
    assert organizer.delete(f"{base}/tables/{table['id']}").status_code == 204
    assert organizer.delete(url).status_code == 204
    assert organizer.get(f"{base}/tables").json() == organizer.get(f"{base}/subjects").json() == []


def test_topics_groups_and_pins_round_trip(organizer: httpx.Client) -> None:
    event = api_event(organizer, rounds=2)["id"]
    base = f"/api/events/{event}"
    for code in ("AR", "BR", "CL"):
        organizer.post(f"{base}/participants", json={"name": f"Country {code}", "code": code})
    organizer.post(f"{base}/subjects", json={"code": "1"})
    organizer.post(f"{base}/tables", json={"name": "T1", "capacity": 4})
    body = {"name": "IPAS", "subject_code": "1", "requesting": ["AR", "BR"], "offering": ["*"]}
    topic = organizer.post(f"{base}/topics", json=body).json()
    assert (topic["requesting"], topic["offering"], topic["everyone_offers"]) == (
        ["AR", "BR"],
        ["*"],
        True,
    )
    url = f"{base}/topics/{topic['id']}"
    changed = organizer.patch(url, json={"offering": ["CL"], "subject_code": None}).json()
    assert (changed["offering"], changed["subject_code"], changed["name"]) == (["CL"], None, "IPAS")
    assert organizer.patch(url, json={"requesting": ["XX"]}).status_code == 404
    assert organizer.get(url).json()["requesting"] == ["AR", "BR"]  # nothing half-saved

    group = organizer.post(
        f"{base}/constraints", json={"kind": "keep_together", "participants": ["AR", "CL"]}
    )
    assert group.status_code == 201 and group.json()["participants"] == ["AR", "CL"]
    one = organizer.post(f"{base}/constraints", json={"kind": "keep_apart", "participants": ["AR"]})
    assert one.status_code == 422
    pin = organizer.post(f"{base}/pins", json={"participant_code": "BR", "round": 2, "table": "T1"})
    assert pin.status_code == 201
    assert organizer.get(f"{base}/pins").json() == [pin.json()]
    too_few = organizer.patch(f"/api/events/{event}", json={"rounds": 1})
    assert too_few.status_code == 400 and "keep at least 2 rounds" in too_few.json()["detail"]

    assert organizer.delete(f"{base}/pins/{pin.json()['id']}").status_code == 204
    assert organizer.delete(f"{base}/constraints/{group.json()['id']}").status_code == 204
    assert organizer.delete(url).status_code == 204
    for kind in ("pins", "constraints", "topics"):
        assert organizer.get(f"{base}/{kind}").json() == []


def test_import_through_the_api(organizer: httpx.Client) -> None:
    event = api_event(organizer, "Lima 2022", rounds=5)["id"]
    url = f"/api/events/{event}/import"
    report = organizer.post(url, files=lima_upload())
    assert report.status_code == 200, report.text
    assert report.json()["added"] == {
        "participants": 17,
        "subjects": 5,
        "tables": 5,
        "needs_offers": 23,
    }
    again = organizer.post(
        url, files={"participants": ("x.csv", (LIMA / "countries.csv").read_bytes())}
    )
    assert again.json()["updated"] == {"participants": 17} and again.json()["added"] == {}
    people = ids_of(organizer, f"/api/events/{event}/participants")
    assert len(people) == 17 and "VE" in people
    broken = b"name,capacity,min_size\nT9,4,3\nT10,lots,3\nT11,2,5\n"
    rejected = organizer.post(url, files={"tables": ("tables.csv", broken)})
    assert rejected.status_code == 422
    body = rejected.json()
    assert body["detail"] == "nothing was imported: 2 problems to fix first"
    assert [(p["file"], p["line"]) for p in body["problems"]] == [
        ("tables.csv", 3),
        ("tables.csv", 4),
    ]
    assert "T9" not in ids_of(organizer, f"/api/events/{event}/tables", key="name")
    nothing = organizer.post(url, files={"files": ("notes.txt", b"hello")})
    assert nothing.status_code == 400 and "cannot tell what 'notes.txt' holds" in nothing.text


def test_a_damaged_workbook_is_refused_by_name(organizer: httpx.Client) -> None:
    event = api_event(organizer)["id"]
    broken = b"PK\x03\x04 and then not a zip at all"
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><Override")
    for name, data in (("tables.xlsx", broken), ("subjects.xlsx", sheet.getvalue())):
        reply = organizer.post(f"/api/events/{event}/import", files={"files": (name, data)})
        assert reply.status_code == 422, reply.text
        (problem,) = reply.json()["problems"]
        assert problem["file"] == name and "XLSX workbook" in problem["message"]


def test_openapi_documents_every_api_route(anonymous: httpx.Client) -> None:
    spec = anonymous.get("/openapi.json").json()
    paths = spec["paths"]
    expected = {
        "/api/events": {"get", "post"},
        "/api/events/{event_id}": {"get", "patch", "delete"},
        "/api/events/{event_id}/summary": {"get"},
        "/api/events/{event_id}/participants": {"get", "post"},
        "/api/events/{event_id}/participants/{participant_id}": {"get", "patch", "delete"},
        "/api/events/{event_id}/absences": {"get", "post"},
        "/api/events/{event_id}/absences/{absence_id}": {"delete"},
        "/api/events/{event_id}/tables": {"get", "post"},
        "/api/events/{event_id}/tables/{table_id}": {"get", "patch", "delete"},
        "/api/events/{event_id}/subjects": {"get", "post"},
        "/api/events/{event_id}/subjects/{subject_id}": {"get", "patch", "delete"},
        "/api/events/{event_id}/topics": {"get", "post"},
        "/api/events/{event_id}/topics/{topic_id}": {"get", "patch", "delete"},
        "/api/events/{event_id}/constraints": {"get", "post"},
        "/api/events/{event_id}/constraints/{constraint_id}": {"get", "delete"},
        "/api/events/{event_id}/pins": {"get", "post"},
        "/api/events/{event_id}/pins/{pin_id}": {"delete"},
        "/api/events/{event_id}/import": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
    created = paths["/api/events"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/EventPublic")
    rejected = paths["/api/events/{event_id}/import"]["post"]["responses"]["422"]
    either = rejected["content"]["application/json"]["schema"]["anyOf"]
    assert [one["$ref"].rsplit("/", 1)[1] for one in either] == [
        "ImportRejectedPublic",
        "InvalidRequest",
    ]
    assert "ParticipantPublic" in spec["components"]["schemas"]


def test_the_summary_says_what_is_missing_before_planning(organizer: httpx.Client) -> None:
    event = api_event(organizer, rounds=2)["id"]
    base = f"/api/events/{event}"
    for number in range(1, 8):
        organizer.post(f"{base}/participants", json={"name": f"P{number}", "code": f"p{number}"})
    organizer.post(f"{base}/subjects", json={"code": "1", "facilitators": ["Ana"]})
    for name in ("T1", "T2"):
        organizer.post(f"{base}/tables", json={"name": name, "capacity": 2})
    group = {"kind": "keep_together", "participants": ["p1", "p2", "p3"]}
    organizer.post(f"{base}/constraints", json=group)
    summary = organizer.get(f"{base}/summary").json()
    assert (summary["attending"], summary["seats"], summary["hosts"]) == (7, 4, 1)
    assert summary["missing"] == [
        "more participants than seats: 7 attend but the tables seat 4; add tables or raise "
        "their capacity",
        "the subjects have 1 hosts in all, but seating everyone takes 2 tables at once: add "
        "facilitators or hosts to the subjects",
        "a keep-together group has 3 attending members but the largest table seats 2: split "
        "the group or enlarge a table",
    ]
    organizer.patch(f"/api/events/{event}", json={"subject_mode": "none"})
    assert len(organizer.get(f"{base}/summary").json()["missing"]) == 2
