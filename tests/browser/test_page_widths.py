"""Every organizer page in a real headless Chromium at a phone's width (390 px), a tablet's
(768 px) and a laptop's (1366 px), in English, Spanish and Portuguese: the page itself never
scrolls sideways (wide tables scroll inside their own box), even with a 180-character name
that has no spaces."""

from __future__ import annotations

import re

import httpx
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from app.settings import Settings
from tests.app.factories import add_hosts, published_lima
from tests.app.test_security import routes
from tests.browser.conftest import sign_in, wait_for

WIDTHS = (390, 768, 1366)
LANGUAGES = ("en", "es", "pt")


def _pages(settings: Settings, ids: dict[str, str]) -> list[str]:
    """Every organizer page (GET, HTML) with the ids of real rows filled in."""
    skip = re.compile(
        r"/(stream|export|harvest\.|import-templates|docs|openapi|static|facilitate-sw)|\.csv$"
        r"|^/(health|healthz|readyz)$"
    )
    found = []
    for path, methods in routes(settings):
        if "GET" not in methods or path.startswith(("/api/", "/a/", "/f/", "/s/", "/q/")):
            continue
        if skip.search(path) or path in ("/attend", "/facilitate", "/questionnaire", "/logout"):
            continue
        if "{" in path and not set(re.findall(r"{([^}:]+)", path)) <= set(ids):
            continue
        if path.startswith("/attend/") or path.startswith("/language/"):
            continue
        found.append(re.sub(r"{([^}:]+)(:path)?}", lambda m: ids[m.group(1)], path))
    return sorted(set(found))


def event_pages(organizer: httpx.Client, settings: Settings, event_id: int) -> list[str]:
    """Every organizer page, at the addresses of the event's first rows."""
    first = {
        key: str(organizer.get(f"/api/events/{event_id}/{path}").json()[0]["id"])
        for key, path in {
            "participant_id": "participants",
            "table_id": "tables",
            "subject_id": "subjects",
            "topic_id": "topics",
        }.items()
    }
    ids = first | {"event_id": str(event_id), "code": "AR", "kind": "participants"}
    return _pages(settings, ids)


def test_no_organizer_page_scrolls_sideways(
    browser: webdriver.Chrome, live_server: str, organizer: httpx.Client, web_settings: Settings
) -> None:
    event_id = published_lima(web_settings.database_url)
    add_hosts(web_settings.database_url, event_id)
    long_name = "Organización" * 15  # 180 characters, no space
    made = organizer.post(
        f"/api/events/{event_id}/participants",
        json={"name": long_name, "code": "LONG", "active": False},
    )
    assert made.status_code == 201, made.text
    pages = event_pages(organizer, web_settings, event_id)
    assert len(pages) > 25
    sign_in(browser, live_server)
    wide = []
    for language in LANGUAGES:
        browser.get(f"{live_server}/language/{language}?next=/")
        for width in WIDTHS:
            browser.set_window_size(width, 900)
            for path in pages:
                browser.get(live_server + path)
                scroll, inner = browser.execute_script(
                    "return [document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll > inner + 1:
                    wide.append(f"{language} {width} px: {path} is {scroll} px wide")
    assert wide == [], "\n".join(wide)


def test_the_menu_folds_on_a_phone(
    browser: webdriver.Chrome, live_server: str, web_settings: Settings
) -> None:
    event_id = published_lima(web_settings.database_url)
    sign_in(browser, live_server)
    browser.set_window_size(390, 844)
    browser.get(f"{live_server}/events/{event_id}")
    menu = browser.find_element(By.CSS_SELECTOR, ".menu-button")
    participants = browser.find_element(By.CSS_SELECTOR, "#main-nav a[href$='/participants']")
    assert menu.is_displayed() and not participants.is_displayed()
    assert menu.get_attribute("aria-expanded") == "false"
    menu.click()
    assert participants.is_displayed() and menu.get_attribute("aria-expanded") == "true"
    participants.click()
    wait_for(browser, "h1", "Participants")
    browser.set_window_size(1366, 900)
    link = browser.find_element(By.CSS_SELECTOR, "#main-nav a[href$='/tables']")
    assert link.is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, ".menu-button").is_displayed()


def test_the_grid_shows_names_or_codes_and_remembers(
    browser: webdriver.Chrome, live_server: str, web_settings: Settings
) -> None:
    event_id = published_lima(web_settings.database_url)
    sign_in(browser, live_server)
    browser.set_window_size(1366, 900)
    browser.get(f"{live_server}/events/{event_id}/plan")
    grid = browser.find_element(By.CSS_SELECTOR, ".plan-grid")
    assert "Argentina" in grid.text and "AR\n" not in grid.text + "\n"
    browser.find_element(By.CSS_SELECTOR, "[data-grid-labels='codes']").click()
    grid = browser.find_element(By.CSS_SELECTOR, ".plan-grid")
    assert "Argentina" not in grid.text and "AR" in grid.text.split()
    # the grid scrolls in its own box, its table headers in sight
    browser.set_window_size(1366, 500)
    box = browser.find_element(By.CSS_SELECTOR, "table.plan-grid")
    browser.execute_script("arguments[0].scrollTop = 300", box)
    top, head = browser.execute_script(
        "var b = arguments[0]; return [b.getBoundingClientRect().top,"
        " b.querySelector('thead th:nth-child(2)').getBoundingClientRect().top]",
        box,
    )
    assert browser.execute_script("return arguments[0].scrollTop", box) > 0
    assert abs(head - top) < 40, (head, top)
    browser.set_window_size(1366, 900)
    find = browser.find_element(By.CSS_SELECTOR, "[data-grid-find]")
    find.send_keys("peru")  # no capital, no accent: Peru's seat in every round is marked
    marked = browser.find_elements(By.CSS_SELECTOR, ".plan-grid .chip.found")
    assert [m.get_attribute("data-code") for m in marked] == ["PE"] * 5
    find.clear()
    find.send_keys("zzz")  # nobody
    assert not browser.find_elements(By.CSS_SELECTOR, ".plan-grid .chip.found")
    browser.refresh()  # the choice is kept on this device
    wait_for(browser, ".plan-grid", "AR")
    assert "Argentina" not in browser.find_element(By.CSS_SELECTOR, ".plan-grid").text


def _in_sight(driver: webdriver.Chrome, css: str) -> bool:
    """Whether the element is within the window's height."""
    return bool(
        driver.execute_script(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
            "return r.top >= 0 && r.bottom <= window.innerHeight;",
            css,
        )
    )


def _top(driver: webdriver.Chrome, css: str) -> float:
    """Where the element sits from the top of the window, in pixels."""
    return float(
        driver.execute_script(
            "return document.querySelector(arguments[0]).getBoundingClientRect().top", css
        )
    )


def test_tap_to_move_swaps_on_a_tablet_and_the_page_keeps_its_place(
    browser: webdriver.Chrome, live_server: str, organizer: httpx.Client, web_settings: Settings
) -> None:
    """No drag and drop on a touch screen: tap a participant, then one at another table. The
    page stays where it was scrolled to, and the message shows at the top of the window."""
    event_id = published_lima(web_settings.database_url)

    def table_of(code: str, round: int) -> str:
        plan = organizer.get(f"/api/events/{event_id}/plan").json()
        rnd = next(r for r in plan["rounds"] if r["round"] == round)
        return next(t["table"] for t in rnd["tables"] if code in t["participants"])

    sign_in(browser, live_server)
    browser.set_window_size(768, 1024)
    browser.get(f"{live_server}/events/{event_id}/plan")
    before = table_of("AR", 5)
    other = browser.find_element(
        By.XPATH,
        f"//li[@data-round='5' and @data-table!='{before}' and @data-code!='AR']",
    )
    code, table = other.get_attribute("data-code"), other.get_attribute("data-table")
    browser.find_element(By.CSS_SELECTOR, "[data-tap-mode]").click()
    seat = browser.find_element(By.CSS_SELECTOR, "li[data-round='5'][data-code='AR'] a")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", seat)
    assert browser.execute_script("return window.scrollY") > 100  # round 5 is below the fold
    cell = f".seat-cell[data-round='5'][data-table='{table}']"  # where the tap lands
    place = _top(browser, cell)
    seat.click()
    assert browser.current_url.endswith(f"/events/{event_id}/plan")  # a tap picks, no page
    browser.find_element(By.CSS_SELECTOR, f"li[data-round='5'][data-code='{code}'] a").click()
    wait_for(browser, "#plan-message", "swapped")
    assert (table_of("AR", 5), table_of(code, 5)) == (table, before)
    assert abs(_top(browser, cell) - place) <= 2  # the page kept its place
    # the message, and AR where the tap landed (the table's cell may run below the window)
    moved = f"{cell} li[data-code='AR']"
    assert _in_sight(browser, "#plan-message") and _in_sight(browser, moved)


def test_a_swap_from_adjust_keeps_the_place_and_can_be_undone(
    browser: webdriver.Chrome, live_server: str, organizer: httpx.Client, web_settings: Settings
) -> None:
    event_id = published_lima(web_settings.database_url)
    plan = organizer.get(f"/api/events/{event_id}/plan").json()
    first = plan["rounds"][2]["tables"]
    a, b = first[0]["participants"][0], first[1]["participants"][0]
    sign_in(browser, live_server)
    browser.set_window_size(1366, 700)
    browser.get(f"{live_server}/events/{event_id}/plan/adjust")
    button = browser.find_element(By.XPATH, "//button[normalize-space()='Swap']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'end'})", button)
    assert browser.execute_script("return window.scrollY") > 100
    place = _top(browser, "#swap-form")
    Select(browser.find_element(By.ID, "swap-round")).select_by_value("3")
    Select(browser.find_element(By.ID, "swap-first")).select_by_value(a)
    Select(browser.find_element(By.ID, "swap-second")).select_by_value(b)
    button.click()
    wait_for(browser, "#plan-message", f"swapped {a} and {b} in round 3")
    assert browser.current_url.endswith("/plan/adjust")
    assert abs(_top(browser, "#swap-form") - place) <= 2  # the page kept its place
    assert _in_sight(browser, "#plan-message")
    browser.find_element(By.CSS_SELECTOR, "#plan-message button").click()  # Undo
    wait_for(browser, "#plan-message", "Undone")
    assert organizer.get(f"/api/events/{event_id}/plan").json()["rounds"] == plan["rounds"]
    assert browser.find_elements(By.ID, "swap-first")  # still on Adjust
