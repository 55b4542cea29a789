"""A real headless Chromium: the 区城市管理委 submits an incomplete draft and is told in words what is missing, edits it
on its page and submits it; 孙扬 returns it (退回修改); the drafter edits the returned draft and resubmits it — every
step answered by its notice. Screenshots (desk and phone) land in docs/screenshots/warnings-edit-*.png."""
from __future__ import annotations

import httpx
import pytest

from tests.emergency.warnings.test_browser import SCREENSHOTS, click, screenshot, sign_in, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def notice(driver) -> str:
    return wait(driver).until(ec.visibility_of_element_located((By.ID, "step-notice"))).text


def phone_fits(driver, name: str) -> None:
    """At 390 px the page lays out without horizontal scrolling; a screenshot of it."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": False})
    try:
        driver.refresh()
        wait(driver).until(ec.presence_of_element_located((By.TAG_NAME, "main")))
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), name
        assert driver.save_screenshot(str(SCREENSHOTS / name))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_a_returned_warning_is_edited_and_resubmitted_through_pages(browser, live_server):
    token = httpx.post(f"{live_server}/api/auth/token", data={"username": "cgw", "password": "demo-password"}
                       ).json()["access_token"]
    r = httpx.post(f"{live_server}/api/warnings", headers={"Authorization": f"Bearer {token}"}, json={
        "level": "橙色", "title": "大风橙色预警（待完善）", "starts_at": "2026-07-01T08:00:00+08:00",
        "expected_duration_hours": 12, "area_streets": ["东四街道"], "precautions": "远离广告牌和临时搭建物。"})
    r.raise_for_status()
    url = f"{live_server}/warnings/{r.json()['id']}"

    # an incomplete draft: the page says what is missing in words, never a field's key
    sign_in(browser, live_server, "cgw")
    browser.get(url)
    missing = browser.find_element(By.ID, "missing").text
    assert "缺少突发事件的类别" in missing and "缺少应采取的措施" in missing and "event_type" not in missing
    click(browser, "do-submit")
    refusal = wait(browser).until(ec.presence_of_element_located((By.ID, "step-error"))).text
    assert "“报送审批”未办理" in refusal and "事件类型" in refusal and "measures" not in refusal
    screenshot(browser, "warnings-edit-refused.png")

    # edit it on its page and submit it in one go
    click(browser, "do-edit")
    Select(wait(browser).until(ec.presence_of_element_located((By.ID, "event_type")))).select_by_value("气象灾害")
    browser.find_element(By.ID, "measures").send_keys("停止高空作业，加固户外设施。")
    click(browser, "save-submit")
    assert notice(browser) == "✓ 已报送审批"
    assert "待审批" in browser.find_element(By.CSS_SELECTOR, ".wstatus").text

    # 孙扬 sends it back with a reason
    sign_in(browser, live_server, "sun.yang")
    browser.get(url)
    browser.find_element(By.CSS_SELECTOR, "input[name=reason][aria-label=退回理由]").send_keys("请把景山街道列入影响范围")
    click(browser, "do-return")
    assert notice(browser) == "✓ 已退回起草单位修改"

    # the drafter reads the reason above the form, edits the returned draft and resubmits it
    sign_in(browser, live_server, "cgw")
    browser.get(url)
    assert "请把景山街道列入影响范围" in browser.find_element(By.ID, "returns").text
    click(browser, "do-edit")
    wait(browser).until(ec.presence_of_element_located((By.ID, "save-submit")))
    assert "请把景山街道列入影响范围" in browser.find_element(By.ID, "returns").text
    phone_fits(browser, "warnings-edit-form-phone.png")  # (reloads the form: before typing into it)
    title = browser.find_element(By.ID, "title")
    title.clear()
    title.send_keys("大风橙色预警")
    click_street = browser.find_element(By.CSS_SELECTOR, "input[name=area_streets][value='景山街道']")
    browser.execute_script("arguments[0].scrollIntoView()", click_street)
    click_street.click()
    screenshot(browser, "warnings-edit-form.png")
    click(browser, "save-submit")
    assert notice(browser) == "✓ 已报送审批"
    head = browser.find_element(By.TAG_NAME, "h1").text
    assert "大风橙色预警" in head and "待完善" not in head
    assert "景山街道" in browser.find_element(By.ID, "content").text
    assert "待审批" in browser.find_element(By.CSS_SELECTOR, ".wstatus").text
    screenshot(browser, "warnings-edit-resubmitted.png")
    phone_fits(browser, "warnings-edit-resubmitted-phone.png")

    # 孙扬 finds it in his inbox again
    sign_in(browser, live_server, "sun.yang")
    assert browser.find_elements(By.CSS_SELECTOR, "table.inbox tr.w[data-step=approve]")
