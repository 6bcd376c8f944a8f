"""The plenary in real headless Chromium windows: three phones (390 x 844) ask for the floor, the
room's screen (1920 x 1080) shows the queue in order without a reload, the moderator gives the
floor and records an initiative that appears in the harvest export."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from app.settings import Settings
from tests.app.factories import published_lima
from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, sign_in, wait_for

PHONE = (390, 844)
SCREEN = (1920, 1080)
WAIT = 20  # seconds: generous, so a busy machine passes


@pytest.fixture
def windows() -> Iterator[list[webdriver.Chrome]]:
    """Separate browsers (separate cookies): three phones and the room's screen."""
    opened, profiles = [], []
    try:
        for _ in range(4):
            options = Options()
            options.binary_location = CHROMIUM
            profile = tempfile.mkdtemp(prefix="ronda-chromium-")
            profiles.append(profile)
            for flag in (
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                f"--user-data-dir={profile}",
            ):
                options.add_argument(flag)
            driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
            driver.implicitly_wait(5)
            opened.append(driver)
        yield opened
    finally:
        for driver in opened:
            driver.quit()
        for profile in profiles:
            shutil.rmtree(profile, ignore_errors=True)


def _queue(screen: webdriver.Chrome) -> list[str]:
    items = screen.find_elements(By.CSS_SELECTOR, "ol.queue li")
    return [item.text.split(" (")[0] for item in items]


def test_three_phones_ask_and_the_screen_shows_the_queue_in_order(
    windows: list[webdriver.Chrome],
    browser: webdriver.Chrome,
    live_server: str,
    organizer: httpx.Client,
    web_settings: Settings,
) -> None:
    event_id = published_lima(web_settings.database_url)
    people = {p["code"]: p for p in organizer.get(f"/api/events/{event_id}/participants").json()}
    topics = {t["name"]: t["id"] for t in organizer.get(f"/api/events/{event_id}/topics").json()}
    *phones, screen = windows

    first = phones[0]  # Peru's phone, open since the rotation: the plenary comes to it
    first.set_window_size(*PHONE)
    first.get(f"{live_server}/a/" + people["PE"]["attendee_url"].rsplit("/", 1)[1])
    wait_for(first, "h1", "Peru")
    assert not first.find_elements(By.ID, "floor")

    sign_in(browser, live_server)  # the moderator
    browser.get(f"{live_server}/events/{event_id}/plenary")
    browser.find_element(
        By.XPATH, "//li[contains(., 'Digitalization')]//button[contains(., 'Put on the floor')]"
    ).click()
    wait_for(browser, "#topic-title", "Digitalization")

    screen.set_window_size(*SCREEN)  # opened with the screen link, as on the room's computer
    organizer.post(f"/events/{event_id}/live/screen-link")
    found = re.search(r"/s/[\w-]+", organizer.get(f"/events/{event_id}/live").text)
    assert found, "the console shows the screen link"
    screen.get(live_server + found.group(0))
    screen.get(f"{live_server}/events/{event_id}/plenary/screen")
    wait_for(screen, "h2", "Digitalization")
    assert "Nobody has asked for the floor yet" in screen.page_source

    for phone, (code, kind) in zip(
        phones, (("PE", "request"), ("CL", "offer"), ("AR", "comment")), strict=True
    ):
        if phone is not first:
            phone.set_window_size(*PHONE)
            phone.get(f"{live_server}/a/" + people[code]["attendee_url"].rsplit("/", 1)[1])
        wait_for(phone, "#floor", "Digitalization", timeout=WAIT)
        phone.find_element(By.CSS_SELECTOR, f"#floor button[value='{kind}']").click()
        wait_for(phone, "#floor", "número")  # "Usted es el número N en la fila."
    WebDriverWait(screen, WAIT).until(
        lambda s: _queue(s) == ["Peru", "Chile", "Argentina"],
        "the screen never showed the three in the order they asked",
    )
    width = phones[0].execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0]

    browser.get(f"{live_server}/events/{event_id}/plenary")
    browser.find_element(
        By.XPATH,
        "//ol[@class='queue']/li[contains(., 'Peru')]//button[contains(., 'Give the floor')]",
    ).click()
    WebDriverWait(screen, WAIT).until(
        lambda s: (
            "Speaking: Peru" in s.find_element(By.ID, "queue").text
            and _queue(s) == ["Chile", "Argentina"]
        ),
        "the screen never showed Peru speaking",
    )
    wait_for(phones[0], "#floor", "Usted tiene la palabra", timeout=WAIT)

    browser.find_element(By.ID, "r-requesting").send_keys("PE")
    browser.find_element(By.ID, "r-offering").send_keys("CL")
    browser.find_element(By.ID, "r-offer").send_keys("Digitization of files with INAPI")
    browser.find_element(By.ID, "r-contact").send_keys("digital@inapi.cl")
    browser.find_element(By.CSS_SELECTOR, "#record button.primary").click()
    wait_for(browser, ".notices", "Digitalization")
    assert (
        "perfect match"
        in browser.find_element(By.ID, "topic-title").find_element(By.XPATH, "..").text
    )
    export = organizer.get(f"/events/{event_id}/harvest/export/csv").content.decode("utf-8-sig")
    assert "Digitization of files with INAPI" in export and "digital@inapi.cl" in export
    assert topics["Digitalization"]
