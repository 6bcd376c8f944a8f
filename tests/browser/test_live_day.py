"""The day in a real headless Chromium: an attendee's phone (390 x 844) and the room's screen
(1920 x 1080, 1280 x 720) follow the organizer's commands without a reload, come back by
themselves after the network drops, and after the server restarts mid-round."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from app.main import create_app
from app.settings import Settings
from tests.app.conftest import ADMIN, settings_for
from tests.app.factories import published_lima
from tests.browser.conftest import sign_in, wait_for

PHONE = (390, 844)
WAIT = 15  # seconds: generous, so a busy machine passes; the load benchmark measures speed


class Server:
    """The app on a fixed loopback port, which can be stopped and started again (a restart)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = 0
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("the web app did not start")
            time.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        assert self.server is not None and self.thread is not None
        self.server.should_exit = True
        self.thread.join(timeout=15)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(settings_for(tmp_path))
    running.start()
    yield running
    running.stop()


@pytest.fixture
def event_id(server: Server) -> int:
    return published_lima(server.settings.database_url)


def api(server: Server) -> httpx.Client:
    return httpx.Client(base_url=server.url, auth=ADMIN, timeout=30)


def badge_path(server: Server, event: int, code: str) -> str:
    with api(server) as client:
        people = client.get(f"/api/events/{event}/participants").json()
    url = next(p["attendee_url"] for p in people if p["code"] == code)
    return "/" + url.split("/", 3)[3]


def as_phone(driver: webdriver.Chrome) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 2, "mobile": True},
    )


def offline(driver: webdriver.Chrome, cut: bool) -> None:
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": cut, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def countdown_seconds(driver: webdriver.Chrome) -> int:
    text = driver.find_element(By.CSS_SELECTOR, "[data-countdown]").text
    parts = [int(p) for p in re.findall(r"\d+", text)]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def no_sideways_scroll(driver: webdriver.Chrome) -> bool:
    return bool(
        driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
    )


def test_the_phone_follows_the_organizer_live_and_after_the_network_drops(
    browser: webdriver.Chrome, server: Server, event_id: int
) -> None:
    as_phone(browser)
    browser.get(server.url + badge_path(server, event_id, "PE"))
    wait_for(browser, "h1", "Peru")
    assert browser.current_url.endswith("/attend")  # the secret left the address bar
    wait_for(browser, ".status", "Aún no ha comenzado")  # Peru reads Spanish
    assert no_sideways_scroll(browser)
    browser.execute_script("window.notReloaded = true")

    with api(server) as organizer:
        organizer.post(f"/api/events/{event_id}/session/start")
        wait_for(browser, ".status", "Ronda 1 de 5", timeout=WAIT)
        first_table = browser.find_element(By.CSS_SELECTOR, '[data-now="1"] .big-table').text
        assert first_table.startswith("Table")
        assert 30 * 60 < countdown_seconds(browser) <= 35 * 60

        organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
        wait_for(browser, ".status", "Cambio de mesa", timeout=WAIT)
        assert browser.find_element(By.CSS_SELECTOR, '[data-now="2"]').is_displayed()
        assert browser.execute_script("return window.notReloaded") is True

        offline(browser, True)
        organizer.post(
            f"/api/events/{event_id}/session/next",
            json={"from_round": 2, "from_phase": "change"},
        )
        organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 2})
        organizer.post(
            f"/api/events/{event_id}/session/next",
            json={"from_round": 3, "from_phase": "change"},
        )
        time.sleep(1)
        offline(browser, False)
        wait_for(browser, ".status", "Ronda 3 de 5", timeout=WAIT + 30)
        assert browser.find_element(By.CSS_SELECTOR, '[data-now="3"]').is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, '[data-now="2"]').is_displayed()


def test_the_organizers_console_moves_the_phone(
    browser: webdriver.Chrome, server: Server, event_id: int
) -> None:
    phone = browser
    as_phone(phone)
    phone.get(server.url + badge_path(server, event_id, "BR"))
    wait_for(phone, ".status", "Ainda não começou")  # Brazil reads Portuguese
    with api(server) as organizer:
        organizer.post(f"/api/events/{event_id}/session/start")
    wait_for(phone, ".status", "Rodada 1", timeout=WAIT)
    # The organizer, in another tab of their own browser session, presses "Next round".
    phone.switch_to.new_window("tab")
    sign_in(phone, server.url)
    phone.get(f"{server.url}/events/{event_id}/live")
    button = "//button[normalize-space()='Next round']"
    WebDriverWait(phone, WAIT, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: d.find_element(By.XPATH, button).click() or True
    )
    wait_for(phone, ".clock", "round 2", timeout=WAIT)
    with api(server) as organizer:
        assert organizer.get(f"/api/events/{event_id}/session").json()["round"] == 2
    phone.switch_to.window(phone.window_handles[0])
    wait_for(phone, ".status", "Troca de mesa", timeout=WAIT + 30)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_screen_shows_the_round_and_tables_at_projector_sizes(
    browser: webdriver.Chrome, server: Server, event_id: int, size: tuple[int, int]
) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
    )
    sign_in(browser, server.url)
    with api(server) as organizer:
        organizer.post(f"/events/{event_id}/live/screen-link")
        organizer.post(f"/api/events/{event_id}/session/start")
        browser.get(f"{server.url}/events/{event_id}/screen")
        wait_for(browser, "h1", "Round 1 / 5")
        cards = browser.find_elements(By.CSS_SELECTOR, '[data-now="1"] .table-card')
        assert len(cards) == 5 and all(c.is_displayed() for c in cards)
        heading = browser.find_element(By.CSS_SELECTOR, ".screen-head h1")
        assert float(heading.value_of_css_property("font-size").rstrip("px")) >= 40
        assert no_sideways_scroll(browser)
        organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
        wait_for(browser, "h1", "Change tables", timeout=WAIT)
        assert browser.find_elements(By.CSS_SELECTOR, '[data-now="2"] .table-card')[
            0
        ].is_displayed()


def test_after_a_server_restart_the_pages_come_back_to_the_same_round_and_time(
    browser: webdriver.Chrome, server: Server, event_id: int
) -> None:
    as_phone(browser)
    browser.get(server.url + badge_path(server, event_id, "CL"))
    with api(server) as organizer:
        organizer.post(f"/api/events/{event_id}/session/start")
        organizer.post(f"/api/events/{event_id}/session/extend", json={"minutes": 5})
    wait_for(browser, ".status", "Ronda 1 de 5", timeout=WAIT)
    before = countdown_seconds(browser)
    assert before > 35 * 60  # the extension reached the phone
    server.stop()
    time.sleep(1)
    server.start()  # the same database and port: a restart
    with api(server) as organizer:
        state = organizer.get(f"/api/events/{event_id}/session").json()
        assert state["round"] == 1 and state["status"] == "running"
        organizer.post(f"/api/events/{event_id}/session/next", json={"from_round": 1})
    wait_for(browser, ".status", "Cambio de mesa", timeout=WAIT + 40)
    browser.refresh()
    wait_for(browser, ".status", "Cambio de mesa", timeout=WAIT)
    assert 0 < countdown_seconds(browser) <= 5 * 60
