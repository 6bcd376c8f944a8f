"""The questionnaire in a real headless Chromium: a participant answers on a phone-sized window
(390 x 844) in their language, comes back and finds the answers; the organizer maps two answers
to topics, and the needs-and-offers table shows them."""

from __future__ import annotations

import csv
import io

import httpx
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from app.settings import Settings
from tests.app.factories import published_lima
from tests.browser.conftest import sign_in, wait_for

PHONE = (390, 844)


def test_a_participant_answers_on_a_phone_and_the_organizer_maps_the_answers(
    browser: webdriver.Chrome, live_server: str, organizer: httpx.Client, web_settings: Settings
) -> None:
    event_id = published_lima(web_settings.database_url)
    opened = organizer.post(f"/events/{event_id}/questionnaire/status", data={"status": "open"})
    assert opened.status_code == 303
    links = organizer.get(f"/events/{event_id}/questionnaire/links.csv").content
    rows = csv.DictReader(io.StringIO(links.decode("utf-8-sig")))
    link = next(r["link"] for r in rows if r["code"] == "AR")

    browser.set_window_size(*PHONE)
    browser.get(f"{live_server}/" + link.split("/", 3)[3])  # the path: RONDA_PUBLIC_URL differs
    wait_for(browser, "legend", "¿Cuáles son sus tres principales necesidades")
    boxes = browser.find_elements(By.TAG_NAME, "textarea")
    assert len(boxes) == 8
    boxes[0].send_keys("Digitalización de expedientes")
    boxes[3].send_keys("Capacitación de examinadores")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(browser, "[role=status]", "Guardado")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the page is {width} px wide on a {PHONE[0]} px phone"
    browser.get(f"{live_server}/questionnaire")  # coming back later: the answers are there
    boxes = browser.find_elements(By.TAG_NAME, "textarea")
    assert boxes[0].get_attribute("value") == "Digitalización de expedientes"

    browser.set_window_size(1366, 900)
    sign_in(browser, live_server)
    browser.get(f"{live_server}/events/{event_id}/questionnaire")
    wait_for(browser, "#answers", "Digitalización de expedientes")
    assert "Digitalization" in browser.find_element(By.ID, "answers").text  # suggested topic
    browser.find_element(
        By.XPATH, "//tr[td/label[text()='Digitalización de expedientes']]//input"
    ).click()
    Select(browser.find_element(By.ID, "map-topic")).select_by_visible_text("Digitalization")
    Select(browser.find_element(By.ID, "map-as")).select_by_value("request")
    browser.find_element(By.CSS_SELECTOR, "#answers button.primary").click()
    wait_for(browser, ".notices", "Digitalization")
    browser.find_element(
        By.XPATH, "//tr[td/label[text()='Capacitación de examinadores']]//input"
    ).click()
    browser.find_element(By.ID, "map-new").send_keys("Examiner training")
    Select(browser.find_element(By.ID, "map-as")).select_by_value("offer")
    browser.find_element(By.CSS_SELECTOR, "#answers button.primary").click()
    wait_for(browser, ".notices", "Examiner training")

    browser.get(f"{live_server}/events/{event_id}/topics")
    wait_for(browser, "main", "Examiner training")
    row = browser.find_element(By.XPATH, "//tr[contains(., 'Examiner training')]")
    assert "Argentina" in row.text or "AR" in row.text
    digital = browser.find_element(By.XPATH, "//tr[contains(., 'Digitalization')]")
    assert "Argentina" in digital.text or "AR" in digital.text
