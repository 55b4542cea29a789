"""A real headless Chromium against ``dongcheng serve``: the 区卫生健康委 reads the task overview on a 390 px phone
(no horizontal scroll), opens a task and files its quarter's report; a leader reads the first-aid network."""
from __future__ import annotations

import pytest

from tests.test_browser import screenshot, sign_in, wait

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402


def no_horizontal_scroll(driver) -> bool:
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_task_overview_on_a_phone_and_a_report_filed(browser, live_server):
    browser.set_window_size(390, 844)
    sign_in(browser, live_server, "wjw", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    browser.get(f"{live_server}/supervision/tasks/overview")
    cards = browser.find_elements(By.CSS_SELECTOR, "#overview article.sv-task")
    assert len(cards) == 21
    assert no_horizontal_scroll(browser)
    first = browser.find_element(By.ID, "task-3-2-4")
    assert "刘俊彩" in first.find_element(By.CSS_SELECTOR, ".sv-leader").text
    screenshot(browser, "supervision-overview-390.png")

    first.find_element(By.TAG_NAME, "a").click()
    wait(browser).until(ec.url_contains("/supervision/tasks/3-2-4"))
    assert no_horizontal_scroll(browser)
    browser.find_element(By.CSS_SELECTOR, "#period option[value='2023Q2']").click()
    browser.find_element(By.ID, "progress").send_keys("东直门、天坛街道急救工作站选址调研")
    browser.find_element(By.CSS_SELECTOR, "#file button[type=submit]").click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#p-2023Q2 .sv-report")))
    assert "逾期后补报" in browser.find_element(By.CSS_SELECTOR, "#p-2023Q2 .sv-status").text
    assert "选址调研" in browser.find_element(By.CSS_SELECTOR, "#p-2023Q2 .sv-report").text


def test_the_network_at_a_glance_on_a_phone(browser, live_server):
    browser.set_window_size(390, 844)
    sign_in(browser, live_server, "sun.yang", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    browser.get(f"{live_server}/supervision/network")
    assert browser.find_element(By.ID, "m-2021-promised").text == "11"
    assert "东直门街道、天坛街道" in browser.find_element(By.ID, "without").text
    assert "前门街道" in browser.find_element(By.ID, "twice").text
    assert no_horizontal_scroll(browser)
    screenshot(browser, "supervision-network-390.png")
