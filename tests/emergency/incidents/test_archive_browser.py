"""The archive page in a real Chromium, on the demo data: at 390 px the rows read as cards and nothing scrolls
sideways, at 1366 px it is one table; a search typed into the form finds its incident. Screenshots land in
docs/screenshots/archive-*.png."""
from __future__ import annotations

import pytest

from tests.test_browser import screenshot, sign_in, wait
from tests.test_browser_phone import overflow, phone

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402


def test_the_archive_fits_a_phone_and_a_desk_and_searches(browser, live_server):
    sign_in(browser, live_server, "duty", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    browser.find_element(By.LINK_TEXT, "事件档案").click()  # in the nav
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "form.archive-filters")))
    assert "没有符合条件的真实事件" in browser.find_element(By.ID, "archive-empty").text  # the demo runs only drills
    assert "同样条件下有 2 起演练" in browser.find_element(By.ID, "archive-drills").text
    browser.find_element(By.ID, "archive-include-drills").click()  # one click to the drills
    wait(browser).until(ec.presence_of_all_elements_located((By.CSS_SELECTOR, "table.archive tr.incident")))
    assert "drill=true" in browser.current_url
    for width, height, name in ((390, 844, "phone"), (1366, 900, "desk")):
        phone(browser, width, height)
        browser.get(f"{live_server}/incidents?drill=true")
        rows = wait(browser).until(ec.presence_of_all_elements_located((By.CSS_SELECTOR, "table.archive tr.incident")))
        assert len(rows) == 2
        scroll, inner = overflow(browser)
        assert scroll <= inner, f"{scroll} px wide at {width} px"
        cells = rows[0].find_elements(By.CSS_SELECTOR, "td")
        stacked = cells[1].rect["y"] > cells[0].rect["y"] + cells[0].rect["height"] - 1
        assert stacked == (width == 390)  # a card on the phone, a table line on the desk
        screenshot(browser, f"archive-{name}.png")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("燃气")
    box.submit()
    wait(browser).until(ec.text_to_be_present_in_element((By.ID, "archive-total"), "包含“燃气”"))
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.archive td.c-title > a")]
    assert len(titles) == 1 and "居民楼燃气泄漏" in titles[0]
