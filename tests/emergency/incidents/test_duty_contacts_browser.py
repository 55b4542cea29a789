"""The duty contacts page in a real Chromium at 390×844 (CDP device metrics, not mobile emulation): the administrator
adds a unit's duty room from the nav, the page answers with its notice and the new card, and nothing scrolls
sideways. Screenshot: docs/screenshots/phone-duty-contacts.png."""
from __future__ import annotations

import pytest

from tests.test_browser import screenshot, sign_in, wait
from tests.test_browser_phone import overflow, phone

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def test_the_duty_contacts_page_fits_a_phone_and_adds_a_contact(browser, live_server):
    sign_in(browser, live_server, "admin", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    phone(browser, 390, 844)
    browser.find_element(By.CSS_SELECTOR, 'nav a[href="/duty-contacts"]').click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "duty-contact-form")))
    scroll, inner = overflow(browser)
    assert scroll <= inner, f"{scroll} px wide at 390 px (empty form)"
    form = browser.find_element(By.ID, "duty-contact-form")
    Select(form.find_element(By.NAME, "unit")).select_by_visible_text("区城市管理委")
    form.find_element(By.NAME, "contact").send_keys("010-64009999")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    notice = wait(browser).until(ec.presence_of_element_located((By.ID, "step-notice")))
    assert "值班联系方式已登记" in notice.text
    card = browser.find_element(By.XPATH, "//div[@class='duty-contact'][.//*[contains(text(), '010-64009999')]]")
    assert "区城市管理委" in card.text and "值班室" in card.text
    scroll, inner = overflow(browser)
    assert scroll <= inner, f"{scroll} px wide at 390 px (with the demo's contacts and the new one)"
    screenshot(browser, "phone-duty-contacts.png")
