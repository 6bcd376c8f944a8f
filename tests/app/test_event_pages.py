"""The organizer's event setup pages, over real HTTP, asserting what a person would see."""

from __future__ import annotations

import httpx

from tests.app.factories import LIMA
from tests.app.web_factories import (
    HTMX,
    add_person,
    add_subject,
    add_table,
    lima_upload,
    new_event,
    post,
    seen,
)

SECTIONS = ("", "/edit", "/delete", "/participants", "/tables", "/subjects", "/topics")
SECTIONS += ("/constraints", "/import")


def test_every_page_needs_a_signed_in_organizer(anonymous: httpx.Client) -> None:
    urls = ["/events/new", *(f"/events/1{s}" for s in SECTIONS), "/import-templates/tables.csv"]
    for url in urls:
        reply = anonymous.get(url)
        assert (reply.status_code, reply.headers["location"]) == (303, f"/login?next={url}"), url
    reply = anonymous.post("/events/1/participants", data={"name": "X"}, headers=HTMX)
    assert reply.status_code == 204 and reply.headers["HX-Redirect"].startswith("/login")


def test_pages_show_their_sections(organizer: httpx.Client) -> None:
    event = new_event(organizer, "Lima 2022", venue="Lima", subject_mode="rotating")
    cases = [  # (route, status, what the organizer reads)
        ("/events/new", 200, "New event Name (required)"),
        (f"/events/{event}", 200, "Lima 2022 Lima · 3 rounds, 35 min each, 5 min between"),
        (f"/events/{event}", 200, "No attending participants yet: add or import participants"),
        (f"/events/{event}", 200, "No tables yet: add or import tables"),
        (f"/events/{event}", 200, "No subjects yet, and the subject mode is rotating"),
        (f"/events/{event}/edit", 200, "Edit the event"),
        (f"/events/{event}/delete", 200, "Type the event's name, Lima 2022, to confirm"),
        (f"/events/{event}/participants", 200, "0 participants, 0 attending"),
        (f"/events/{event}/tables", 200, "0 seats at 0 tables for 0 attending participants."),
        (f"/events/{event}/subjects", 200, "Subject mode: rotating."),
        (f"/events/{event}/topics", 200, "No topics yet"),
        (f"/events/{event}/constraints", 200, "0 pinned seats"),
        (f"/events/{event}/import", 200, "needs_offers.csv"),
        ("/events/999", 404, "there is no event number 999"),
        (f"/events/{event}/participants/999/edit", 404, "has no participant number 999"),
        (f"/events/{event}/tables/999/edit", 404, "has no table number 999"),
        ("/import-templates/nonsense.csv", 404, "there is no 'nonsense' template"),
    ]
    for route, status, fragment in cases:
        reply = organizer.get(route)
        assert reply.status_code == status, route
        assert fragment in seen(reply), (route, fragment, seen(reply))
    page = organizer.get(f"/events/{event}/tables").text
    assert 'aria-current="page">Tables</a>' in page and "Sign out (admin)" in page
    assert "/static/css/forms.css" in page and '<label for="table-capacity">' in page


def test_create_an_event_through_the_form(organizer: httpx.Client) -> None:
    form = {"name": "Asunción 2023", "date": "2023-05-04", "venue": "Asunción", "rounds": "4"}
    form |= {"round_minutes": "30", "transition_minutes": "10", "subject_mode": "fixed"}
    form |= {"start_time": "9:30", "time_zone": "America/Asuncion"}
    page = seen(organizer.post("/events/new", data=form, follow_redirects=True))
    assert "Created Asunción 2023." in page
    assert (
        "2023-05-04 · 09:30 (America/Asuncion) · Asunción · 4 rounds, 30 min each, "
        "10 min between · fixed subjects"
    ) in page
    new_event(organizer, "Lima 2022")  # several events side by side
    home = seen(organizer.get("/"))
    assert "Asunción 2023" in home and "Lima 2022" in home


def test_a_bad_event_form_says_what_to_fix_and_keeps_what_was_typed(
    organizer: httpx.Client,
) -> None:
    new_event(organizer, "Lima 2022")
    cases = [  # (field -> typed value, what the page says next to the field)
        ({"rounds": "0"}, "Enter 1 or more."),
        ({"rounds": "five"}, "Enter a whole number, such as 4."),
        ({"rounds": ""}, "Fill this in."),
        ({"name": ""}, "Fill this in."),
        ({"date": "23/11/2022"}, "Enter a date as year-month-day, such as 2022-11-23."),
        ({"round_minutes": "601"}, "Enter 600 or less."),
        ({"start_time": "25:00"}, "Enter a time as hours:minutes, such as 09:30."),
        ({"time_zone": "Lima"}, "'Lima' is not a time zone; use a name such as America/Lima"),
        ({"name": "Lima 2022"}, "An event named 'Lima 2022' already exists; choose another name"),
    ]
    for typed, message in cases:
        form = {"name": "Cusco", "venue": "Plaza de Armas", "rounds": "5", "round_minutes": "35"}
        form |= {"transition_minutes": "5", "subject_mode": "fixed", **typed}
        reply = organizer.post("/events/new", data=form)
        assert reply.status_code == 422 and message in seen(reply), typed
        field = next(iter(typed))
        assert f'id="{field}-error" role="alert">' in reply.text, typed
        assert 'value="Plaza de Armas"' in reply.text and 'value="fixed" checked' in reply.text
        assert 'aria-invalid="true"' in reply.text
    assert "Cusco" not in seen(organizer.get("/"))  # nothing was created


def test_edit_and_delete_an_event(organizer: httpx.Client) -> None:
    event = new_event(organizer, "Lima 2022")
    form = {"name": "Lima 2022 (final)", "rounds": "5", "round_minutes": "40"}
    form |= {"transition_minutes": "5", "subject_mode": "none", "venue": "Miraflores"}
    page = seen(post(organizer, f"/events/{event}/edit", form))
    assert "Saved the event's details." in page and "Miraflores · 5 rounds, 40 min each" in page
    wrong = organizer.post(f"/events/{event}/delete", data={"confirm_name": "Lima 2022"})
    assert wrong.status_code == 422 and 'value="Lima 2022"' in wrong.text
    assert "Type the event's name exactly as shown, Lima 2022 (final), to delete it." in seen(wrong)
    home = post(organizer, f"/events/{event}/delete", {"confirm_name": "Lima 2022 (final)"})
    assert "No event yet." in seen(home)
    assert organizer.get(f"/events/{event}").status_code == 404


def test_fewer_rounds_than_the_pins_use_are_refused(organizer: httpx.Client) -> None:
    event = new_event(organizer, rounds=3)
    add_person(organizer, event, "Ana", "AP")
    add_table(organizer, event, "T1")
    pin = {"participant": "AP", "round": "3", "table": "T1"}
    post(organizer, f"/events/{event}/constraints/pins", pin)
    form = {"name": "Café", "rounds": "2", "round_minutes": "35", "transition_minutes": "5"}
    reply = organizer.post(f"/events/{event}/edit", data={**form, "subject_mode": "none"})
    assert reply.status_code == 422 and "keep at least 3 rounds" in seen(reply)


def test_participants_added_edited_and_removed(organizer: httpx.Client) -> None:
    event = new_event(organizer, rounds=3)
    add_person(organizer, event, "Ana Pérez", "AP", organization="INDECOPI", country="Peru")
    page = post(organizer, f"/events/{event}/participants", {"name": "Ben", "active": "yes"})
    assert "Added Ben (P2)." in seen(page)  # a code is made up when none is typed
    assert "2 participants, 2 attending" in seen(page) and "INDECOPI · Peru" in seen(page)
    clash = organizer.post(f"/events/{event}/participants", data={"name": "Eve", "code": "AP"})
    assert clash.status_code == 422 and 'value="Eve"' in clash.text
    assert "Participant code 'AP' is already used in 'Café'" in seen(clash)
    bad = organizer.post(f"/events/{event}/participants", data={"name": "Eve", "code": "E V"})
    assert "Use no spaces, commas, semicolons or asterisks here" in seen(bad)

    ben = _row_id(page.text, "Ben")
    form = {"name": "Ben Ross", "code": "BR", "active": "yes", "absent": ["1", "3"]}
    page = post(organizer, f"/events/{event}/participants/{ben}", form)
    assert "Saved Ben Ross (BR)." in seen(page) and "Ben Ross BR Yes" in seen(page)
    assert "<td>1, 3</td>" in page.text  # absent in rounds 1 and 3
    page = post(organizer, f"/events/{event}/participants/{ben}/attending", {"active": "no"})
    assert "Ben Ross does not attend" in seen(page) and "2 participants, 1 attending" in seen(page)

    ask = organizer.get(f"/events/{event}/participants/{ben}/remove")
    assert "Remove Ben Ross (BR)? Their pinned seats" in seen(ask)
    page = post(organizer, f"/events/{event}/participants/{ben}/remove")
    assert "Removed Ben Ross (BR)." in seen(page) and "1 participant, 1 attending" in seen(page)


def test_a_participant_row_is_edited_in_place_with_htmx(organizer: httpx.Client) -> None:
    event = new_event(organizer, rounds=2)
    add_person(organizer, event, "Ana", "AP")
    ana = _row_id(organizer.get(f"/events/{event}/participants").text, "Ana")
    row = organizer.get(f"/events/{event}/participants/{ana}/edit", headers=HTMX)
    assert row.text.startswith(f'<tr id="participant-{ana}" class="editing">')
    assert "<html" not in row.text and "Absent in rounds" in seen(row)
    url = f"/events/{event}/participants/{ana}"
    bad = organizer.post(url, data={"name": "", "code": "AP"}, headers=HTMX)
    assert bad.status_code == 422 and bad.text.startswith('<section id="participant-list"')
    assert f'id="p{ana}-name-error" role="alert">Fill this in.' in bad.text
    form = {"name": "Ana María", "code": "AP", "active": "yes"}
    good = organizer.post(url, data=form, headers=HTMX)
    assert good.status_code == 200 and "Ana María AP Yes" in seen(good)
    assert 'hx-swap-oob="innerHTML"' in good.text and "Saved Ana María (AP)." in seen(good)
    ask = organizer.get(f"{url}/remove", headers=HTMX)
    assert 'class="confirming"' in ask.text and "Remove Ana María (AP)?" in seen(ask)
    gone = organizer.post(f"{url}/remove", headers=HTMX)
    assert "0 participants, 0 attending" in seen(gone)


def test_tables_and_seats(organizer: httpx.Client) -> None:
    event = new_event(organizer, subject_mode="fixed")
    for code in ("A", "B", "C"):
        add_person(organizer, event, f"Person {code}", code)
    add_subject(organizer, event, "1", "Public policies")
    form = {"name": "T1", "capacity": "2", "subject": "1"}
    page = post(organizer, f"/events/{event}/tables", form)
    assert "Added T1 (2 seats)." in seen(page) and "T1 2 2 1 Edit" in seen(page)
    assert "Add tables or raise their capacity: 1 seats are missing." in seen(page)
    overview = seen(organizer.get(f"/events/{event}"))
    assert "More participants than seats: 3 attend but the tables seat 2" in overview
    form = {"name": "T2", "capacity": "3", "min_size": "4"}
    bad = organizer.post(f"/events/{event}/tables", data=form)
    assert bad.status_code == 422 and 'value="T2"' in bad.text
    assert "Table 'T2': at least 4 people cannot fit 3 seats" in seen(bad)
    table = _row_id(page.text, "T1", prefix="table")
    form = {"name": "T1", "capacity": "4", "min_size": "2", "subject": ""}
    page = post(organizer, f"/events/{event}/tables/{table}", form)
    assert "4 seats at 1 tables for 3 attending participants." in seen(page)
    assert "1 table has no subject" in seen(organizer.get(f"/events/{event}"))
    page = post(organizer, f"/events/{event}/tables/{table}/remove")
    assert "Removed T1." in seen(page) and "No tables yet" in seen(page)


def test_subjects_with_facilitators(organizer: httpx.Client) -> None:
    event = new_event(organizer, subject_mode="rotating")
    form = {"code": "1", "name": "Public policies", "hosts": "1", "facilitators": "Ana\nBen\n\n"}
    page = post(organizer, f"/events/{event}/subjects", form)
    assert "Added subject 1." in seen(page) and "1 Public policies 2 Ana Ben" in seen(page)
    subject = _row_id(page.text, "1", prefix="subject")
    edit = organizer.get(f"/events/{event}/subjects/{subject}/edit", headers=HTMX)
    assert edit.text.startswith('<section id="subject-form"') and "Ana\nBen</textarea>" in edit.text
    clash = organizer.post(f"/events/{event}/subjects", data={"code": "1", "name": "Again"})
    assert clash.status_code == 422 and "Subject '1' is already used" in seen(clash)
    topic = {"subject": "1", "name": "IPAS", "requesting_everyone": "yes"}
    post(organizer, f"/events/{event}/topics", {**topic, "offering_everyone": "yes"})
    refused = organizer.post(f"/events/{event}/subjects/{subject}/remove")
    assert refused.status_code == 409 and "Subject '1' has 1 topic" in seen(refused)
    assert "1 subject, 2 facilitators" in seen(organizer.get(f"/events/{event}"))


def test_needs_and_offers(organizer: httpx.Client) -> None:
    event = new_event(organizer, subject_mode="rotating")
    for code in ("AR", "BR", "CL"):
        add_person(organizer, event, f"Country {code}", code)
    add_subject(organizer, event, "1", "Technology")
    form = {"subject": "1", "name": "Digitalization", "request": "Move forward", "offer": "Share"}
    sides = {"requesting": ["AR", "BR"], "offering_everyone": "yes"}
    page = post(organizer, f"/events/{event}/topics", {**form, **sides})
    assert "Added the topic Digitalization." in seen(page)
    assert "1 Digitalization Move forward Share AR , BR everyone" in seen(page)
    topic = _row_id(page.text, "Digitalization", prefix="topic")
    edit = organizer.get(f"/events/{event}/topics/{topic}/edit").text
    assert 'name="requesting" value="AR" checked' in edit
    assert 'name="offering_everyone" type="checkbox" value="yes" checked' in edit
    sides = {"requesting": ["CL"], "offering": ["AR"]}
    page = post(organizer, f"/events/{event}/topics/{topic}", {**form, **sides, "name": "Files"})
    assert "Saved the topic Files." in seen(page) and "Files Move forward Share CL AR" in seen(page)
    clash = organizer.post(f"/events/{event}/topics", data={**form, "name": "Files"})
    assert clash.status_code == 422 and "A topic named 'Files' already exists" in seen(clash)
    page = post(organizer, f"/events/{event}/topics/{topic}/remove")
    assert "Removed the topic Files." in seen(page) and "0 topics" in seen(page)


def test_groups_and_pins(organizer: httpx.Client) -> None:
    event = new_event(organizer, rounds=2)
    for code in ("AR", "BR", "CL"):
        add_person(organizer, event, f"Country {code}", code)
    add_table(organizer, event, "T1")
    url = f"/events/{event}/constraints"
    alone = organizer.post(f"{url}/groups", data={"kind": "keep_apart", "members": ["AR"]})
    assert alone.status_code == 422 and "Tick at least two participants." in seen(alone)
    assert 'name="members" value="AR" checked' in alone.text
    group = {"kind": "keep_together", "members": ["AR", "CL"], "note": "one delegation"}
    page = post(organizer, f"{url}/groups", group)
    assert "Added the group AR, CL." in seen(page)
    assert "Keep together AR , CL one delegation" in seen(page)
    page = post(organizer, f"{url}/pins", {"participant": "BR", "round": "2", "table": "T1"})
    assert "BR sits at T1 in round 2." in seen(page) and "2 Country BR ( BR ) T1" in seen(page)
    missing = organizer.post(f"{url}/pins", data={"participant": "BR", "round": "", "table": "T1"})
    assert missing.status_code == 422 and "Choose a round." in seen(missing)
    assert "1 group, 1 pinned seat" in seen(organizer.get(f"/events/{event}"))
    pin = _row_id(page.text, "2", prefix="pin")
    group_id = _row_id(page.text, "Keep together", prefix="group")
    page = post(organizer, f"{url}/pins/{pin}/remove")
    assert "BR is no longer pinned to T1 in round 2." in seen(page)
    page = post(organizer, f"{url}/groups/{group_id}/remove")
    assert "Removed the group AR, CL." in seen(page) and "No groups yet." in seen(page)


def test_import_the_lima_files_then_again_without_duplicates(organizer: httpx.Client) -> None:
    event = new_event(organizer, "Lima 2022", rounds=5, subject_mode="rotating")
    page = seen(
        organizer.post(f"/events/{event}/import", files=lima_upload(), follow_redirects=True)
    )
    assert "participants: 17 added, 0 updated" in page
    assert "The event now has 17 participants (16 attending) and 5 tables." in page
    people = seen(organizer.get(f"/events/{event}/participants"))
    assert "17 participants, 16 attending" in people and "Venezuela VE" in people
    upload = organizer.post(f"/events/{event}/import", files=lima_upload(), follow_redirects=True)
    assert "participants: 0 added, 17 updated" in seen(upload)
    overview = seen(organizer.get(f"/events/{event}"))
    assert "17 participants, 16 attending" in overview and "23 topics" in overview
    assert "Everything needed to plan is there." in overview
    assert "subjects 1, 2, 3, 4, 5 have no facilitators named" in overview  # before the day
    assert "no start time yet" in overview


def test_import_one_kind_per_field(organizer: httpx.Client) -> None:
    event = new_event(organizer)
    countries = (LIMA / "countries.csv").read_bytes()
    files = {"participants": ("lista final.csv", countries, "text/csv")}
    page = organizer.post(f"/events/{event}/import", files=files, follow_redirects=True)
    assert "participants: 17 added, 0 updated" in seen(page)
    unknown = [("files", ("lista final.csv", b"colour,size\nred,2\n", "text/csv"))]
    reply = organizer.post(f"/events/{event}/import", files=unknown)
    assert reply.status_code == 422 and "Cannot tell what 'lista final.csv' holds" in seen(reply)


def test_several_files_at_once_are_told_apart_by_name_or_by_header(
    organizer: httpx.Client,
) -> None:
    """A browser's download folder names files `participants (1).csv`; other files have names
    that say nothing (`export.csv`): their header row says what they hold."""
    event = new_event(organizer, "Lima 2022", rounds=5, subject_mode="rotating")
    renamed = {
        "countries.csv": "participants (1).csv",
        "subjects.csv": "big_subjects.csv",
        "tables.csv": "export.csv",
        "needs_offers.csv": "Hoja de cálculo sin título.csv",
    }
    files = [("files", (renamed[name], (LIMA / name).read_bytes(), "text/csv")) for name in renamed]
    page = seen(organizer.post(f"/events/{event}/import", files=files, follow_redirects=True))
    assert "participants: 17 added" in page and "tables: 5 added" in page
    assert "subjects: 5 added" in page and "23 added" in page
    empty = organizer.post(f"/events/{event}/import", files=[("files", ("", b"", "text/csv"))])
    assert "No file was chosen; choose at least one file to import" in seen(empty)


def test_a_broken_upload_lists_every_line_and_saves_nothing(organizer: httpx.Client) -> None:
    event = new_event(organizer, "Lima 2022", rounds=5, subject_mode="rotating")
    needs = (LIMA / "needs_offers.csv").read_text(encoding="utf-8")
    files = [f for f in lima_upload() if f[1][0] not in ("needs_offers.csv", "tables.csv")]
    files.append(
        (
            "files",
            ("needs_offers.csv", needs.replace("Argentina;", "Argentine;").encode(), "text/csv"),
        )
    )
    files.append(("files", ("tables.csv", b"name,capacity\nT1,four\nT2,4\n", "text/csv")))
    reply = organizer.post(f"/events/{event}/import", files=files)
    page = seen(reply)
    assert reply.status_code == 422 and "Nothing was imported:" in page
    assert "tables.csv 2 capacity: enter a whole number, such as 4" in page
    assert "needs_offers.csv 2 unknown participant in requesting: 'Argentine'" in page
    assert "(did you mean 'Argentina'?)" in page
    assert "0 participants, 0 attending" in seen(organizer.get(f"/events/{event}/participants"))
    twice = files + [("tables", ("more tables.csv", b"name,capacity\nT3,4\n", "text/csv"))]
    reply = organizer.post(f"/events/{event}/import", files=twice)
    assert "'tables.csv' and 'more tables.csv' are both tables files" in seen(reply)


def test_import_templates_download(organizer: httpx.Client) -> None:
    event = new_event(organizer)
    urls = (
        f"/events/{event}/import/templates/participants.csv",
        "/import-templates/participants.csv",
    )
    for url in urls:
        reply = organizer.get(url)
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/csv")
        assert 'filename="participants.csv"' in reply.headers["content-disposition"]
        assert reply.text.startswith("name,code,organization,country,language,attended\n")


def _row_id(page: str, label: str, prefix: str = "participant") -> int:
    """The id of the first row with a cell that shows `label`."""
    for chunk in page.split(f'<tr id="{prefix}-')[1:]:
        number, _rest = chunk.split('"', 1)
        if f">{label}</" in chunk.split("</tr>", 1)[0]:
            return int(number)
    raise AssertionError(f"no {prefix} row shows {label!r}")


def _many_people(client: httpx.Client, event: int, count: int) -> None:
    rows = ["name,code,organization,country"]
    rows += [f"Person {i:03d},P{i:03d},Office {i % 7},Chile" for i in range(1, count + 1)]
    rows.append("Ana Pérez,AP,INDECOPI,Perú")
    upload = [("files", ("participants.csv", "\n".join(rows).encode(), "text/csv"))]
    page = client.post(f"/events/{event}/import", files=upload, follow_redirects=True)
    assert f"participants: {count + 1} added" in seen(page)


def test_a_long_participant_list_is_paged_and_found_by_typing(organizer: httpx.Client) -> None:
    event = new_event(organizer)
    _many_people(organizer, event, 249)
    url = f"/events/{event}/participants"
    first = seen(organizer.get(url))
    assert "250 participants, 250 attending" in first and "Showing 1–100 of 250." in first
    assert "Person 100" in first and "Person 101" not in first and "Page 1 of 3" in first
    last = organizer.get(url, params={"page": 3}, headers=HTMX)
    assert "Showing 201–250 of 250." in seen(last) and "Ana Pérez" in seen(last)
    assert "Person 200" not in seen(last) and "<main" not in last.text  # only the list
    beyond = seen(organizer.get(url, params={"page": 99}))
    assert "Page 3 of 3" in beyond  # a page past the end shows the last one
    found = seen(organizer.get(url, params={"q": "peru"}))  # capitals and accents ignored
    assert "1 participant matches “peru”." in found and "Ana Pérez" in found
    assert "Person 001" not in found and "250 participants, 250 attending" in found
    office = seen(organizer.get(url, params={"q": "OFFICE 6"}))  # on any field
    assert "35 participants match “OFFICE 6”." in office and "Person 006" in office
    none = seen(organizer.get(url, params={"q": "ana chile"}))  # within one field
    assert "Nobody matches: change or clear the search." in none
    for nonsense in ("²", "9" * 5000, "-1", "two"):  # a bad page number shows the first page
        assert "Page 1 of 3" in seen(organizer.get(url, params={"page": nonsense}))
    # "Show everyone" from a filtered list: all of them, and the filter box emptied
    filtered = {**HTMX, "HX-Current-URL": f"http://x{url}?q=peru"}
    everyone = organizer.get(url, headers=filtered)
    assert "Showing 1–100 of 250." in seen(everyone)
    assert 'id="participant-filter" name="q" value="" ' in everyone.text
    typed = organizer.get(
        url, params={"q": "peru"}, headers={**HTMX, "HX-Trigger": "participant-search"}
    )
    assert "1 participant matches" in seen(typed) and "participant-filter" not in typed.text


def test_an_edit_far_down_a_long_list_comes_back_to_its_page(organizer: httpx.Client) -> None:
    event = new_event(organizer)
    _many_people(organizer, event, 249)
    url = f"/events/{event}/participants"
    ana = _row_id(organizer.get(url, params={"q": "Ana"}).text, "Ana Pérez")
    # a browser without JavaScript: the edit page shows the row's page, so does the answer
    form = seen(organizer.get(f"{url}/{ana}/edit"))
    assert "Edit Ana Pérez" in form and "Showing 201–250 of 250." in form
    saved = post(organizer, f"{url}/{ana}", {"name": "Ana Paz", "code": "AP"})
    assert "Saved Ana Paz (AP)." in seen(saved) and "Showing 201–250 of 250." in seen(saved)
    # with htmx, the list keeps the filter and page it was changed from
    page_two = {**HTMX, "HX-Current-URL": f"http://x{url}?q=person&page=2"}
    reply = organizer.post(f"{url}/{ana}/attending", data={"active": "no"}, headers=page_two)
    assert "Ana Paz does not attend" in seen(reply)
    assert "Showing 101–200 of 249." in seen(reply) and "250 participants, 249 attending" in seen(
        reply
    )
    assert reply.headers["HX-Replace-Url"] == f"{url}?q=person&page=2"
    # an edit that takes the row out of the filter shows everyone, and says so in the address
    edit = organizer.post(
        f"{url}/{ana}", data={"name": "Ana Paz", "code": "AP", "active": "yes"}, headers=page_two
    )
    assert "Saved Ana Paz (AP)." in seen(edit) and "Showing 201–250 of 250." in seen(edit)
    assert edit.headers["HX-Replace-Url"] == f"{url}?page=3"
    assert 'id="participant-filter" name="q" value="" ' in edit.text
