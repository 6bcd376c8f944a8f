"""A real headless Chromium (Debian's chromium and chromedriver) driving the app over HTTP."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.app.conftest import (  # noqa: F401  (fixtures used by the browser tests)
    ADMIN,
    anonymous,
    live_server,
    organizer,
    web_settings,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="ronda-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def sign_in(driver: webdriver.Chrome, base: str) -> None:
    driver.get(f"{base}/login")
    driver.find_element("id", "username").send_keys(ADMIN[0])
    driver.find_element("id", "password").send_keys(ADMIN[1])
    driver.find_element("css selector", "form button[type=submit]").click()
    # the next driver.get would cancel the sign-in still on its way: wait for its answer
    WebDriverWait(driver, 15).until(
        lambda d: "/login" not in d.current_url, "the sign-in page never let the organizer in"
    )


def wait_for(driver: webdriver.Chrome, css: str, text: str, timeout: float = 15) -> None:
    """Wait until an element matching `css` shows `text` (pages load and htmx swaps)."""

    def shown(d: webdriver.Chrome) -> bool:
        try:
            return any(text in e.text for e in d.find_elements(By.CSS_SELECTOR, css))
        except StaleElementReferenceException:
            return False
        except WebDriverException as error:
            # newer Chromium reports an element replaced mid-read this way instead of as stale
            if "does not belong to the document" in str(error):
                return False
            raise

    WebDriverWait(driver, timeout).until(shown, f"{text!r} never appeared in {css!r}")
