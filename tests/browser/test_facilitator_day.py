"""A facilitator's tablet (768 x 1024) in headless Chromium: it follows the organizer's rounds,
and notes typed with the network off survive a reload and are sent exactly once when it
returns."""

from __future__ import annotations

import base64
import re

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.app.factories import add_hosts
from tests.browser.conftest import sign_in, wait_for
from tests.browser.test_live_day import WAIT, Server, api, event_id, offline, server  # noqa: F401

TABLET = {"width": 768, "height": 1024, "deviceScaleFactor": 1, "mobile": True}


def with_facilitators(server: Server, event_id: int) -> str:  # noqa: F811
    """Give each subject a facilitator; Host 1's link."""
    add_hosts(server.settings.database_url, event_id)
    with api(server) as organizer:
        hosts = organizer.get(f"/api/events/{event_id}/facilitators").json()
    url = next(h["facilitator_url"] for h in hosts if h["name"] == "Host 1")
    return "/" + url.split("/", 3)[3]


@pytest.mark.parametrize("restart", [False, True], ids=["same server", "server restarted"])
def test_notes_typed_offline_survive_a_reload_and_are_sent_once(
    browser: webdriver.Chrome,
    server: Server,  # noqa: F811
    event_id: int,  # noqa: F811
    restart: bool,
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", TABLET)
    browser.get(server.url + with_facilitators(server, event_id))
    wait_for(browser, "h1", "Host 1")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return !!navigator.serviceWorker.controller"),
        "the service worker never took charge of the page",
    )
    with api(server) as organizer:
        organizer.post(f"/api/events/{event_id}/session/start")
        wait_for(browser, '[data-now="1"]', "My table", timeout=WAIT)
        organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
        wait_for(browser, '[data-now="2"]', "My table", timeout=WAIT)

        offline(browser, True)
        texts = [f"Note {n}: what table said" for n in range(20)]
        for n, text in enumerate(texts):
            Select(browser.find_element(By.ID, "note-round")).select_by_value(
                "1" if n < 10 else "2"
            )
            browser.find_element(By.ID, "new-note").click()
            browser.switch_to.active_element.send_keys(text)
        wait_for(browser, "#sync-status", "20", timeout=WAIT)

        if restart:  # the server restarts while the tablet is offline
            server.stop()
            server.start()
        browser.refresh()  # still offline: the page comes from the device
        wait_for(browser, "#sync-status", "20", timeout=WAIT)
        assert len(browser.find_elements(By.CSS_SELECTOR, "#note-list .note")) == 20

        offline(browser, False)
        wait_for(browser, "#sync-status", "All saved", timeout=WAIT + 30)
        stored = organizer.get(f"/api/events/{event_id}/notes").json()
    assert sorted(n["text"] for n in stored) == sorted(texts)
    assert sorted(n["round"] for n in stored) == [1] * 10 + [2] * 10
    assert all(n["version"] == 1 for n in stored)  # each sent once


def test_two_devices_editing_one_note_keep_both_texts(
    browser: webdriver.Chrome,
    server: Server,  # noqa: F811
    event_id: int,  # noqa: F811
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", TABLET)
    browser.get(server.url + with_facilitators(server, event_id))
    wait_for(browser, "h1", "Host 1")
    browser.find_element(By.ID, "new-note").click()
    browser.switch_to.active_element.send_keys("Written on the tablet")
    wait_for(browser, "#sync-status", "All saved", timeout=WAIT)
    with api(server) as organizer:
        stored = organizer.get(f"/api/events/{event_id}/notes").json()[0]
        other = {**stored, "text": "Corrected by the organizer", "base_version": stored["version"]}
        assert (
            organizer.put(f"/api/events/{event_id}/notes/{stored['id']}", json=other).status_code
            == 200
        )
    browser.switch_to.active_element.send_keys(" and more")
    wait_for(browser, ".conflict", "Corrected by the organizer", timeout=WAIT)
    merged = browser.find_element(By.CSS_SELECTOR, ".conflict .merged").get_attribute("value") or ""
    assert "Corrected by the organizer" in merged and "Written on the tablet and more" in merged
    browser.find_element(By.CSS_SELECTOR, ".conflict .keep").click()
    wait_for(browser, "#sync-status", "All saved", timeout=WAIT)
    with api(server) as organizer:
        final = organizer.get(f"/api/events/{event_id}/notes").json()[0]["text"]
    assert "Corrected by the organizer" in final and "Written on the tablet and more" in final


def test_a_facilitator_proposes_an_initiative(
    browser: webdriver.Chrome,
    server: Server,  # noqa: F811
    event_id: int,  # noqa: F811
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", TABLET)
    browser.get(server.url + with_facilitators(server, event_id))
    wait_for(browser, "h1", "Host 1")
    browser.find_element(By.ID, "i-topic").send_keys("Management systems (IPAS)")
    browser.find_element(By.ID, "i-requesting").send_keys("PE; PY")
    browser.find_element(By.ID, "i-offering").send_keys("BR")
    browser.find_element(By.ID, "i-offer").send_keys("A week of IPAS training in Brasília")
    browser.find_element(By.CSS_SELECTOR, "#initiative-form button[type=submit]").click()
    wait_for(browser, "#initiative-list", "Management systems (IPAS) ✓", timeout=WAIT)
    with api(server) as organizer:
        [item] = organizer.get(f"/api/events/{event_id}/initiatives").json()
    assert (item["status"], item["author"], item["subject"]) == ("proposed", "Host 1", "1")
    assert item["requesting"] == ["PE", "PY"] and item["offering"] == ["BR"]


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_the_harvest_report_prints_on_the_chosen_paper(
    browser: webdriver.Chrome,
    server: Server,  # noqa: F811
    event_id: int,  # noqa: F811
    paper: str,
    size: tuple[int, int],
) -> None:
    """Chromium makes the PDF as a person's "Save as PDF" would: the page size is the paper's,
    the menus and buttons are left out, the report starts on page 1."""
    sign_in(browser, server.url)
    browser.get(f"{server.url}/events/{event_id}/harvest/report?paper={paper}&lang=en")
    wait_for(browser, "h1", "Harvest")
    pdf = base64.b64decode(
        browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"]
    )
    boxes = {
        tuple(round(float(n)) for n in box.split()[2:4])
        for box in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)
        for box in [box.decode()]
    }
    assert boxes == {size}
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 1 + 16  # the tables, then a page for each of the 16 who took part
