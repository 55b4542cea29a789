"""A real headless Chromium against ``dongcheng serve``: draft (区城市管理委) → submit → approve (孙扬) → publish
(区应急办 as the 区预警信息发布中心) → the public page on a phone. Screenshots: warnings-*.png (tests/test_browser.py says where).
"""
from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.browser


from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from tests.test_browser import SCREENSHOTS  # noqa: E402


def wait(driver) -> WebDriverWait:
    """Waits survive a page being replaced under them (Chromium's "Node … does not belong to the document")."""
    return WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,))


def sign_in(driver, base: str, username: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{base}/login?next=/warnings")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys("demo-password")
    driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    wait(driver).until(ec.url_to_be(f"{base}/warnings"))


def screenshot(driver, name: str, width: int = 1366) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height) + 120, 700), 5000))
    assert driver.save_screenshot(str(SCREENSHOTS / name))
    driver.set_window_size(1366, 900)


def click(driver, element_id: str) -> None:
    button = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView()", button)
    button.click()


def test_draft_approve_publish_and_read_on_a_phone(browser, live_server):
    token = httpx.post(f"{live_server}/api/auth/token", data={"username": "duty", "password": "demo-password"}
                       ).json()["access_token"]
    for i, street in enumerate(["东四街道", "景山街道"] * 10):
        httpx.post(f"{live_server}/api/warnings/subscribers", headers={"Authorization": f"Bearer {token}"}, json={
            "name": f"居民{i}", "street": street, "channels": ["手机短信"],
            "vulnerable_groups": ["老"] if i % 5 == 0 else []}).raise_for_status()

    # 区城市管理委 drafts an orange warning and proposes it to the 区应急办
    sign_in(browser, live_server, "cgw")
    browser.find_element(By.ID, "new-warning").click()
    browser.find_element(By.ID, "level-orange").click()
    browser.find_element(By.ID, "title").send_keys("大风橙色预警")
    Select(browser.find_element(By.ID, "event_type")).select_by_value("气象灾害")
    browser.execute_script("document.getElementById('starts_at').value = '2026-07-01T08:00'")
    browser.find_element(By.ID, "expected_duration_hours").send_keys("12")
    for street in ("东四街道", "景山街道"):
        browser.find_element(By.CSS_SELECTOR, f"input[name=area_streets][value='{street}']").click()
    browser.find_element(By.ID, "precautions").send_keys("预计出现8级以上阵风，请远离广告牌和临时搭建物。")
    browser.find_element(By.ID, "measures").send_keys("停止高空作业，加固户外设施，减少外出。")
    screenshot(browser, "warnings-draft-form.png")
    browser.find_element(By.CSS_SELECTOR, "form.wform button[type=submit]").click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "required-approver")))
    warning_url = browser.current_url
    assert "孙扬" in browser.find_element(By.ID, "required-approver").text
    click(browser, "do-submit")
    wait(browser).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".wstatus"), "待审批"))

    # 李妍 has no authority over it; 孙扬 (分管区城市管理委) finds it in his inbox and approves
    sign_in(browser, live_server, "li.yan")
    assert not browser.find_elements(By.CSS_SELECTOR, "table.inbox tr.w")
    browser.get(warning_url)
    assert not browser.find_elements(By.ID, "do-approve")
    sign_in(browser, live_server, "sun.yang")
    row = browser.find_element(By.CSS_SELECTOR, "table.inbox tr.w[data-step=approve]")
    screenshot(browser, "warnings-inbox.png")
    row.find_element(By.TAG_NAME, "a").click()
    click(browser, "do-approve")
    wait(browser).until(ec.presence_of_element_located((By.ID, "approved-by")))
    assert "孙扬（副区长）" in browser.find_element(By.ID, "approved-by").text

    # the duty officer publishes through the 区预警信息发布中心
    sign_in(browser, live_server, "duty")
    browser.get(warning_url)
    click(browser, "do-publish")
    wait(browser).until(ec.presence_of_element_located((By.ID, "coverage")))
    assert "已发布" in browser.find_element(By.CSS_SELECTOR, ".wstatus").text
    units = browser.find_elements(By.CSS_SELECTOR, "details.unit-checklist")
    assert {"区城市管理委", "东四街道", "景山街道"} <= {u.get_attribute("data-unit") for u in units}
    assert len(browser.find_elements(By.CSS_SELECTOR, "details.unit-checklist[data-unit='东四街道'] li")) == 12
    screenshot(browser, "warnings-published.png")

    # anyone, no login, on a phone
    browser.delete_all_cookies()
    browser.set_window_size(390, 844)
    browser.get(f"{live_server}/public/warnings")
    article = browser.find_element(By.CSS_SELECTOR, "article.pw.orange")
    assert "大风橙色预警" in article.text and "东四街道" in article.text
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    screenshot(browser, "warnings-public-phone.png", width=390)
