"""The duty officer in a real headless Chromium against ``dongcheng serve``: intake through the form, the live board
(countdown ticking, rows refreshed without a reload), filing a report. Screenshots: tests/test_browser.py says where.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest

# The same Chromium set-up as the directory pages' browser test.
from tests.test_browser import screenshot, sign_in, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

BJ = timezone(timedelta(hours=8))


def api_incident(base: str, token: str, minutes_ago: float, **kw) -> dict:
    received = datetime.now(BJ) - timedelta(minutes=minutes_ago)
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (received - timedelta(minutes=5)).isoformat(), "received_at": received.isoformat(),
            "source": "12345", "title": "燃气泄漏", "description": "", "grade": None}
    body.update(kw)
    r = httpx.post(f"{base}/api/incidents", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def set_value(driver, element_id: str, value: str) -> None:
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), value)


def countdown_of(driver, incident_id: int) -> str:
    return driver.find_element(By.CSS_SELECTOR, f"tr.incident[data-id='{incident_id}'] .countdown").text


def test_intake_board_countdown_and_report(browser, live_server):  # noqa: F811
    token = httpx.post(f"{live_server}/api/auth/token", data={"username": "duty", "password": "demo-password"},
                       timeout=10).json()["access_token"]
    # A board with some variety: an overdue 初报, an unknown type, a 较大 event with follow-ups, a drill.
    api_incident(live_server, token, 24, title="和平里北街井盖缺失", event_type="路面突发事故", street="和平里街道",
                 address="和平里北街 12 号")
    api_incident(live_server, token, 3, title="东直门内大街不明气味", event_type=None, street="北新桥街道",
                 address="东直门内大街 5 号", source="110")
    api_incident(live_server, token, 40, title="王府井商场扶梯事故", event_type="特种设备事故", street="王府井地区",
                 address="王府井大街 255 号", grade="较大", source="119")
    api_incident(live_server, token, 5, title="演练：地铁站大客流", event_type=None, drill=True)

    sign_in(browser, live_server, "duty", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    browser.find_element(By.LINK_TEXT, "值班台").click()
    wait(browser).until(ec.url_to_be(f"{live_server}/incidents/board"))
    assert "演练：地铁站大客流" not in browser.find_element(By.ID, "board-rows").text

    # 接报 through the form
    browser.find_element(By.LINK_TEXT, "＋ 接报登记").click()
    wait(browser).until(ec.url_to_be(f"{live_server}/incidents/new"))
    browser.find_element(By.ID, "address").send_keys("东四北大街 100 号")
    browser.find_element(By.CSS_SELECTOR, "form.intake button[type=submit]").click()  # nothing else filled in
    wait(browser).until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".field-error[data-field=title]")))
    errors = {e.get_attribute("data-field"): e.text for e in browser.find_elements(By.CSS_SELECTOR, ".field-error")}
    assert errors == {"title": "必填", "source": "必填", "street": "必填", "occurred_at": "必填"}, errors
    assert browser.find_element(By.ID, "address").get_attribute("value") == "东四北大街 100 号"
    browser.find_element(By.ID, "title").send_keys("东四北大街居民楼燃气泄漏")
    Select(browser.find_element(By.ID, "event_type")).select_by_value("燃气事故")
    Select(browser.find_element(By.ID, "source")).select_by_value("12345")
    Select(browser.find_element(By.ID, "street")).select_by_value("东四街道")
    now = datetime.now(BJ)
    set_value(browser, "occurred_at", (now - timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M"))
    set_value(browser, "received_at", (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"))
    browser.find_element(By.ID, "description").send_keys("三层楼道有燃气味，已通知燃气公司")
    browser.find_element(By.ID, "trapped").clear()
    browser.find_element(By.ID, "trapped").send_keys("2")
    browser.find_element(By.CSS_SELECTOR, "form.intake button[type=submit]").click()
    wait(browser).until(ec.url_matches(rf"^{live_server}/incidents/\d+\?done=intake$"))
    incident_id = int(browser.current_url.split("?")[0].rsplit("/", 1)[1])
    assert "已接报登记" in browser.find_element(By.ID, "step-notice").text
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("东四北大街居民楼燃气泄漏")
    assert "区城市管理委" in browser.find_element(By.ID, "leads").text

    # The board: the new incident with a live countdown
    browser.find_element(By.LINK_TEXT, "值班台").click()
    wait(browser).until(ec.url_to_be(f"{live_server}/incidents/board"))
    row = browser.find_element(By.CSS_SELECTOR, f"tr.incident[data-id='{incident_id}']")
    assert "初报（10分钟）" in row.text and "东政发〔2022〕3号 §4.1.5" in row.text
    first = countdown_of(browser, incident_id)
    time.sleep(1.5)
    second = countdown_of(browser, incident_id)
    assert first.startswith("剩余 ") and second.startswith("剩余 ") and first != second, (first, second)
    overdue = browser.find_element(By.CSS_SELECTOR, "tr.incident.overdue .countdown.late").text
    assert overdue.startswith("已超时 ")
    assert "和平里北街井盖缺失" in browser.find_element(By.ID, "overdue-panel").text

    # The rows refresh without a reload: a new incident appears, the page object survives.
    browser.execute_script("window.__notReloaded = true")
    refreshed = browser.find_element(By.ID, "refreshed").text
    late = api_incident(live_server, token, 0.5, title="体育馆路积水", event_type="气象灾害", street="体育馆路街道",
                        address="体育馆路 8 号", grade="一般")
    wait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, f"tr.incident[data-id='{late['id']}']")))
    assert browser.execute_script("return window.__notReloaded === true")
    assert browser.find_element(By.ID, "refreshed").text != refreshed
    assert browser.find_element(By.ID, "refresh-error").text == ""
    screenshot(browser, "incident-board.png")

    # Open it and file the 初报
    browser.find_element(By.CSS_SELECTOR, f"tr.incident[data-id='{incident_id}'] td.c-title a").click()
    wait(browser).until(ec.url_to_be(f"{live_server}/incidents/{incident_id}"))
    initial = browser.find_element(By.CSS_SELECTOR, "tr.deadline[data-kind='initial']")
    assert initial.get_attribute("data-status") == "pending"
    assert browser.find_element(By.ID, "r-place").get_attribute("value") == "东四街道 东四北大街 100 号"
    browser.find_element(By.ID, "r-harm").send_keys("2 人被困，无人员伤亡")
    browser.find_element(By.ID, "r-trend").send_keys("已关闭总阀，趋于稳定")
    browser.find_element(By.ID, "r-measures").send_keys("疏散 20 户，消防救援队到场")
    browser.find_element(By.CSS_SELECTOR, "#form-report button[type=submit]").click()
    wait(browser).until(ec.url_contains("done=report"))
    initial = browser.find_element(By.CSS_SELECTOR, "tr.deadline[data-kind='initial']")
    assert initial.get_attribute("data-status") == "met" and "按时" in initial.text
    report = browser.find_element(By.CSS_SELECTOR, ".card.report")
    assert "要素齐全" in report.text

    # 设立现场指挥部 (§4.4.1) through the page's form
    browser.find_element(By.CSS_SELECTOR, "#form-command-post button[type=submit]").click()  # nothing filled in
    wait(browser).until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#form-command-post .field-error")))
    errors = {e.get_attribute("data-field") for e in browser.find_elements(By.CSS_SELECTOR, "#form-command-post .field-error")}
    assert errors == {"location", "commander_name", "executive_name"}, errors
    browser.find_element(By.ID, "cp-location").send_keys("东四北大街 100 号东侧空地")
    browser.find_element(By.ID, "cp-commander_name").send_keys("张三")
    browser.find_element(By.ID, "cp-commander_post").send_keys("区城市管理委主任")
    browser.find_element(By.ID, "cp-executive_name").send_keys("李四")
    assert browser.find_element(By.ID, "cp-executive_unit").get_attribute("value") == "区城市管理委"
    browser.find_element(By.XPATH, "//button[normalize-space()='设立现场指挥部']").click()
    wait(browser).until(ec.url_contains("done=command-post"))
    post = browser.find_element(By.ID, "command-post")
    assert "东四北大街 100 号东侧空地" in post.text and "张三（区城市管理委主任）" in post.text
    api = f"{live_server}/api/incidents/{incident_id}/command-post"
    auth = {"Authorization": f"Bearer {token}"}
    for group in ({"name": "综合协调组", "leader": "王五", "contact_person": "赵六", "contact_means": "13800000000"},
                  {"name": "治安交通组", "leader": "孙七", "contact_person": "周八", "contact_means": "电台 3 频道"}):
        assert httpx.post(f"{api}/groups", json=group, headers=auth, timeout=10).status_code == 201
    team = httpx.post(f"{api}/check-ins", json={"team": "东四消防站", "unit": "东城消防救援支队", "headcount": 12},
                      headers=auth, timeout=10).json()
    assert httpx.post(f"{api}/tasks", json={"check_in_id": team["id"], "text": "关闭楼栋燃气总阀，疏散三层住户"},
                      headers=auth, timeout=10).status_code == 201

    # 处置清单 (§4.5.1 for a 燃气事故), one measure ticked with a note
    browser.get(f"{live_server}/incidents/{incident_id}")
    browser.find_element(By.XPATH, "//button[normalize-space()='建立处置清单']").click()
    wait(browser).until(ec.url_contains("done=checklist"))
    items = browser.find_elements(By.CSS_SELECTOR, "#checklist li.item")
    assert len(items) == 13
    second = items[1].get_attribute("data-item")
    browser.find_element(By.CSS_SELECTOR, f"#form-tick-{second} input[name=note]").send_keys("已划定警戒区")
    browser.find_element(By.CSS_SELECTOR, f"#form-tick-{second} button[type=submit]").click()
    wait(browser).until(ec.url_contains("done=tick"))
    item = browser.find_element(By.ID, f"item-{second}")
    assert item.get_attribute("data-done") == "true" and "已划定警戒区" in item.text
    assert "1/13" in browser.find_element(By.CSS_SELECTOR, "#checklist .cl-head").text
    assert "应急结束后开展（§4.8）" in browser.find_element(By.ID, "recovery").text
    browser.get(f"{live_server}/incidents/{incident_id}")  # without the "已勾选" notice
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, "incident-page.png")
