"""The Content-Security-Policy in a real Chromium: the pages people use work under it, and the
browser reports no blocked script, style or connection on any of them (ASVS 5.0 V3.4.3)."""

from __future__ import annotations

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.app.factories import add_hosts
from tests.browser.conftest import sign_in, wait_for
from tests.browser.test_live_day import Server, api, badge_path, event_id, server  # noqa: F401

# Every violation the page meets, kept by a script that runs before the page's own.
WATCH = """
window.__blocked = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__blocked.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(browser: webdriver.Chrome) -> webdriver.Chrome:
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    return browser


def blocked(driver: webdriver.Chrome) -> list[str]:
    return list(driver.execute_script("return window.__blocked || [];"))


def test_organizer_phone_tablet_and_docs_pages_run_under_the_policy(
    watched: webdriver.Chrome,
    server: Server,  # noqa: F811
    event_id: int,  # noqa: F811
) -> None:
    add_hosts(server.settings.database_url, event_id)
    with api(server) as organizer:
        organizer.post(f"/api/events/{event_id}/session/start")
        hosts = organizer.get(f"/api/events/{event_id}/facilitators").json()
    sign_in(watched, server.url)
    wait_for(watched, "h1", "Events")
    pages = {
        f"/events/{event_id}/plan": ("h1", "Plan"),
        f"/events/{event_id}/participants": ("h1", "Participants"),
        f"/events/{event_id}/live": ("h1", "Live session"),
        f"/events/{event_id}/harvest/report": ("h1", "Harvest"),
    }
    for path, (css, text) in pages.items():
        watched.get(f"{server.url}{path}?lang=en")
        wait_for(watched, css, text)
        assert blocked(watched) == [], path
    watched.get(server.url + "/docs")
    WebDriverWait(watched, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-summary-path"),
        "Swagger UI never listed the API's operations",
    )
    paths = {e.text for e in watched.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert "/api/events" in {p.replace("\u200b", "") for p in paths}
    assert blocked(watched) == []
    for link, (css, text) in (
        (badge_path(server, event_id, "PE"), ("h1", "Peru")),
        ("/" + hosts[0]["facilitator_url"].split("/", 3)[3], ("h1", hosts[0]["name"])),
    ):
        watched.get(server.url + link)
        wait_for(watched, css, text)
        assert blocked(watched) == [], link
