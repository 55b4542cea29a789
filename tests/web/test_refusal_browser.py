"""The 403 page in a real Chromium at 390×844: the refusal in words (what, why, who has it) wraps without sideways
scroll, and its 返回首页 button goes home. Screenshot: docs/screenshots/phone-refusal.png."""
from __future__ import annotations

import pytest

from tests.test_browser import screenshot, sign_in, wait
from tests.test_browser_phone import overflow, phone

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402


def test_the_refusal_page_fits_a_phone_and_leads_home(browser, live_server):
    sign_in(browser, live_server, "clerk.rsj", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    phone(browser, 390, 844)
    browser.get(f"{live_server}/accountability")
    refusal = wait(browser).until(ec.presence_of_element_located((By.ID, "refusal")))
    assert "查阅迟报漏报统计" in refusal.text and "经办人" in refusal.text and "Not allowed" in refusal.text
    scroll, inner = overflow(browser)
    assert scroll <= inner, f"{scroll} px wide at 390 px"
    screenshot(browser, "phone-refusal.png")
    browser.find_element(By.ID, "refusal-home").click()
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
