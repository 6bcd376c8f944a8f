"""Signing in with a real browser."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import sign_in, wait_for


def test_sign_in_and_switch_to_spanish(browser: webdriver.Chrome, live_server: str) -> None:
    sign_in(browser, live_server)
    wait_for(browser, "h1", "Events")
    browser.find_element("link text", "Español").click()
    wait_for(browser, "h1", "Eventos")
    assert browser.find_element("tag name", "html").get_attribute("lang") == "es"


def test_keyboard_reaches_the_skip_link_first(browser: webdriver.Chrome, live_server: str) -> None:
    sign_in(browser, live_server)
    browser.get(f"{live_server}/")
    wait_for(browser, "h1", "Events")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip", active.get_attribute("outerHTML")
