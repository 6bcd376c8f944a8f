"""axe-core in a real headless Chromium over every page a person uses: each organizer page, the
sign-in page, the attendee's phone page, the questionnaire, the facilitator's tablet page and
the room's screen. Every WCAG 2 A and AA rule axe checks (colour contrast among them) must find
no serious or critical violation (ASVS 5.0 does not cover it; WCAG 2.2 AA 1.4.3, 1.3.1, 4.1.2).

axe-core is vendored for the tests only (tests/browser/vendor, MPL-2.0) and injected through
WebDriver, which the pages' Content-Security-Policy does not govern.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from selenium import webdriver

from app.settings import Settings
from tests.app.factories import add_hosts, published_lima
from tests.browser.conftest import sign_in
from tests.browser.test_page_widths import event_pages

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
                   resultTypes: ["violations"]})
  .then((r) => done(r.violations.map((v) => ({
      id: v.id, impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n").slice(1, 2).join(""))}))))
  .catch((e) => done([{id: "axe failed", impact: "critical", nodes: [String(e)]}]));
"""
SERIOUS = {"serious", "critical"}


def serious_violations(driver: webdriver.Chrome) -> list[str]:
    """What axe finds on the page shown, serious and critical only, one line per rule."""
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(AXE)
    driver.set_script_timeout(60)
    found = driver.execute_async_script(RUN)
    return [
        f"{v['id']} ({v['impact']}): {' | '.join(v['nodes'])}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def test_every_page_passes_axe_without_a_serious_violation(
    browser: webdriver.Chrome, live_server: str, organizer: httpx.Client, web_settings: Settings
) -> None:
    event_id = published_lima(web_settings.database_url)
    add_hosts(web_settings.database_url, event_id)
    assert organizer.post(f"/api/events/{event_id}/session/start").status_code == 200
    organizer.post(f"/events/{event_id}/live/screen-link")
    screen = re.search(r"/s/[\w-]+", organizer.get(f"/events/{event_id}/live").text)
    assert screen, "the console shows the screen link"
    person = organizer.get(f"/api/events/{event_id}/participants").json()[0]
    host = organizer.get(f"/api/events/{event_id}/facilitators").json()[0]
    token = person["attendee_url"].rsplit("/", 1)[1]
    pages = event_pages(organizer, web_settings, event_id)
    assert len(pages) > 25

    problems = []
    browser.set_window_size(1366, 900)
    browser.get(f"{live_server}/login")
    problems += [f"/login: {v}" for v in serious_violations(browser)]
    sign_in(browser, live_server)
    for path in pages:
        browser.get(live_server + path)
        problems += [f"{path}: {v}" for v in serious_violations(browser)]
    browser.set_window_size(390, 844)
    for path in (f"/a/{token}", f"/q/{token}"):
        browser.get(live_server + path)
        problems += [f"{path}: {v}" for v in serious_violations(browser)]
    browser.set_window_size(768, 1024)
    browser.get(live_server + "/" + host["facilitator_url"].split("/", 3)[3])
    problems += [f"facilitator: {v}" for v in serious_violations(browser)]
    browser.set_window_size(1920, 1080)
    browser.get(live_server + screen.group(0))
    problems += [f"screen: {v}" for v in serious_violations(browser)]
    assert problems == [], "\n".join(problems)
