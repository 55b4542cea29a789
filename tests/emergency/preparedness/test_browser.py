"""The dispatch approval in a real headless Chromium at 390 px (a phone) against ``dongcheng serve`` with the demo
data: 区城市管理委 requests materials for its incident through the form, 孙扬 opens the order and approves it; the
page never scrolls sideways and the order gets its 东应调〔YYYY〕N号."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from tests.test_browser import screenshot, sign_in, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

BJ = timezone(timedelta(hours=8))


def no_sideways_scroll(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth") <= 390


def test_request_and_approve_on_a_phone(browser, live_server):
    token = httpx.post(f"{live_server}/api/auth/token", data={"username": "duty", "password": "demo-password"},
                       timeout=10).json()["access_token"]
    received = datetime.now(BJ) - timedelta(minutes=10)
    r = httpx.post(f"{live_server}/api/incidents", headers={"Authorization": f"Bearer {token}"}, timeout=10, json={
        "event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号", "source": "12345",
        "occurred_at": (received - timedelta(minutes=5)).isoformat(), "received_at": received.isoformat(),
        "title": "燃气泄漏（物资调拨）", "description": ""})
    assert r.status_code == 201, r.text
    incident_id = r.json()["id"]

    browser.set_window_size(390, 844)
    sign_in(browser, live_server, "cgw", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    browser.get(f"{live_server}/preparedness/dispatches?incident={incident_id}")
    assert no_sideways_scroll(browser)
    assert Select(browser.find_element(By.ID, "incident_id")).first_selected_option.get_attribute("value") == \
        str(incident_id)
    Select(browser.find_element(By.ID, "item_0")).select_by_visible_text("折叠床（张）")
    browser.find_element(By.ID, "quantity_0").send_keys("12")
    browser.find_element(By.ID, "destination_0").send_keys("东四北大街100号东侧空地")
    needed = (datetime.now(BJ) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "needed_by_0"), needed)
    browser.find_element(By.CSS_SELECTOR, "#dispatch-form button[type=submit]").click()
    wait(browser).until(ec.url_matches(r"/preparedness/dispatches/\d+\?done=preparedness.request$"))
    url = browser.current_url.split("?")[0]
    assert "物资需求已提出" in browser.find_element(By.ID, "step-notice").text
    assert "待审批" in browser.find_element(By.ID, "status").text
    assert "孙扬" in browser.find_element(By.ID, "approver").text
    assert not browser.find_elements(By.ID, "approve-form")
    assert no_sideways_scroll(browser)

    browser.delete_all_cookies()
    sign_in(browser, live_server, "sun.yang", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    browser.get(url)
    browser.find_element(By.CSS_SELECTOR, "#approve-form button").click()
    wait(browser).until(ec.text_to_be_present_in_element((By.ID, "status"), "已下达调拨指令"))
    assert re.search(r"东应调〔\d{4}〕\d+号", browser.find_element(By.TAG_NAME, "h1").text)
    assert "孙扬" in browser.find_element(By.ID, "approved").text or "主管区领导" in \
        browser.find_element(By.ID, "approved").text
    assert no_sideways_scroll(browser)
    # each line reads as a card within the screen
    cells = browser.find_elements(By.CSS_SELECTOR, "#lines td")
    assert cells and all(c.rect["x"] + c.rect["width"] <= 390 for c in cells)
    screenshot(browser, "preparedness-dispatch-approved-390.png")

    # the team registry on the phone: cards within the screen, the demo team listed, contacts shown to its unit only
    browser.get(f"{live_server}/preparedness/registries/teams")
    assert no_sideways_scroll(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "#records tr[data-id]")
    assert any("东城区城市管理应急抢险队（演示）" in r.text for r in rows)
    screenshot(browser, "preparedness-teams-390.png")


def test_stock_and_requisition_steps_on_a_phone(browser, live_server):
    """The 区应急办 on a phone: proposes a 报废 through the stock page's form (the notice shows), and the stock page
    with its step forms and a pending scrapping, and the requisition page with a record, fit 390 px."""
    duty = {"Authorization": "Bearer " + httpx.post(f"{live_server}/api/auth/token", timeout=10, data={
        "username": "duty", "password": "demo-password"}).json()["access_token"]}
    r = httpx.post(f"{live_server}/api/preparedness/requisitions", headers=duty, timeout=10, json={
        "owner_name": "北京某物流有限公司", "owner_contact": "13800002222", "kind": "交通工具",
        "description": "厢式货车（车牌京A·00000）用于转运救灾物资", "quantity": 2, "decided_by": "周金星"})
    assert r.status_code == 201, r.text
    browser.delete_all_cookies()
    browser.set_window_size(390, 844)
    sign_in(browser, live_server, "duty", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    browser.get(f"{live_server}/preparedness/stock")
    Select(browser.find_element(By.ID, "s-lot")).select_by_index(0)
    browser.find_element(By.ID, "s-quantity").send_keys("2")
    browser.find_element(By.ID, "s-reason").send_keys("包装破损受潮")
    browser.find_element(By.CSS_SELECTOR, "#scrap-form button[type=submit]").click()
    wait(browser).until(ec.url_contains("done=preparedness.scrap"))
    assert "报废申请已提交" in browser.find_element(By.ID, "step-notice").text
    assert "包装破损受潮" in browser.find_element(By.ID, "pending-scraps").text
    assert no_sideways_scroll(browser)
    screenshot(browser, "preparedness-stock-steps-390.png")
    browser.get(f"{live_server}/preparedness/stock?warehouse=1")  # the 盘点 form: one card per lot
    assert browser.find_elements(By.ID, "count-form") and no_sideways_scroll(browser)
    screenshot(browser, "preparedness-stock-count-390.png")
    browser.get(f"{live_server}/preparedness/requisitions")
    assert "北京某物流有限公司" in browser.find_element(By.ID, "requisitions").text
    assert no_sideways_scroll(browser)
    screenshot(browser, "preparedness-requisitions-390.png")
    browser.set_window_size(1366, 900)
    browser.get(f"{live_server}/preparedness/stock?warehouse=1")
    screenshot(browser, "preparedness-stock-steps-1366.png")
    browser.get(f"{live_server}/preparedness/requisitions")
    screenshot(browser, "preparedness-requisitions-1366.png")
