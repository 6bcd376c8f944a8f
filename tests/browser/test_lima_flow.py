"""The organizer's whole path in a real browser: create Lima, import its files, generate the
plan, and find Argentina's itinerary."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.app.factories import LIMA
from tests.browser.conftest import sign_in, wait_for

FILES = {
    "participants": "countries.csv",
    "subjects": "subjects.csv",
    "tables": "tables.csv",
    "needs_offers": "needs_offers.csv",
}


def _fill(driver: webdriver.Chrome, field: str, value: str) -> None:
    element = driver.find_element(By.ID, field)
    element.clear()
    element.send_keys(value)


def test_import_lima_generate_and_read_argentinas_itinerary(
    browser: webdriver.Chrome, live_server: str
) -> None:
    sign_in(browser, live_server)
    wait_for(browser, "h1", "Events")
    browser.get(f"{live_server}/events/new")
    _fill(browser, "name", "Lima 2022")
    _fill(browser, "venue", "Lima, Peru")
    _fill(browser, "rounds", "5")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, "h1", "Lima 2022")
    event_url = browser.current_url.rstrip("/")

    browser.get(f"{event_url}/import")
    for kind, name in FILES.items():
        browser.find_element(By.ID, f"file-{kind}").send_keys(str(LIMA / name))
    browser.find_element(By.CSS_SELECTOR, "main form[enctype] button[type=submit]").click()
    wait_for(browser, "main", "17")  # the report counts the 17 countries

    browser.get(f"{event_url}/participants")
    browser.find_element(By.ID, "participant-filter").send_keys("PERU")  # typed, not submitted
    wait_for(browser, "#participant-list", "1 participant matches")
    rows = browser.find_elements(By.CSS_SELECTOR, "#participant-list tbody tr")
    assert [row.find_element(By.TAG_NAME, "th").text for row in rows] == ["Peru"]
    assert "q=PERU" in browser.current_url  # the filtered list can be bookmarked
    browser.find_element(By.LINK_TEXT, "Show everyone").click()
    wait_for(browser, "#participant-list", "Venezuela")
    assert browser.find_element(By.ID, "participant-filter").get_attribute("value") == ""
    assert "q=" not in browser.current_url

    # a topic's long list of participants: typing shows the matching ones, ticks stay
    browser.get(f"{event_url}/topics")
    first = browser.find_element(By.CSS_SELECTOR, "#topic-requesting .option input")
    first.click()  # AR · Argentina
    browser.find_element(By.ID, "topic-requesting-find").send_keys("PERÚ")
    options = browser.find_elements(By.CSS_SELECTOR, "#topic-requesting .option")
    assert [o.text for o in options if o.is_displayed()] == ["PE · Peru"]
    assert first.is_selected() and not first.is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#topic-offering .option input").click()
    _fill(browser, "topic-name", "Patent examination backlog")
    browser.find_element(By.CSS_SELECTOR, "#topic-form button[type=submit]").click()
    wait_for(browser, "table.topics", "Patent examination backlog")
    row = browser.find_element(
        By.XPATH, "//table[contains(@class,'topics')]//tr[contains(., 'Patent examination')]"
    )
    assert "AR" in row.text  # the hidden tick was sent

    browser.get(f"{event_url}/plan/generate")
    _fill(browser, "time-limit", "2")
    browser.find_element(By.CSS_SELECTOR, "form.start-form button[type=submit]").click()
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.LINK_TEXT, "See the plan"), "the plan was never ready"
    )
    browser.find_element(By.LINK_TEXT, "See the plan").click()
    wait_for(browser, "h1", "Lima 2022")

    browser.find_element(By.CSS_SELECTOR, "a[href$='/plan/participants/AR']").click()
    wait_for(browser, "h1", "Itinerary of Argentina")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.itinerary tbody tr")
    assert len(rows) == 5
    subjects = {row.find_elements(By.TAG_NAME, "td")[2].text for row in rows}
    assert len(subjects) == 5  # Argentina meets every subject once
    others = [row.find_elements(By.TAG_NAME, "td")[4].text.split(", ") for row in rows]
    met = [name for group in others for name in group]
    assert len(met) == len(set(met)) >= 10  # and nobody twice
