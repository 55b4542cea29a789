"""The incubator page with its new sections (扶持政策, 年度复评, 信息变更) on a phone: 390 px, nothing wider."""
from __future__ import annotations

import httpx
import pytest

from tests.incubators.test_api import body


@pytest.mark.browser
def test_the_management_sections_read_on_a_phone(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    with httpx.Client(base_url=live_server, timeout=30) as api:
        token = api.post("/api/auth/token", data={"username": "clerk.rsj", "password": "demo-password"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        app = api.post("/api/incubators", headers=headers, json=body()).json()
        url = f"/api/incubators/{app['id']}"
        for step, data in (("check-materials", {}), ("visit-site", {}), ("review", {"passed": True}),
                           ("start-notice", {"published_on": "2022-01-24"}), ("certify", {"on": "2022-02-07"})):
            assert api.post(f"{url}/{step}", headers=headers, json=data).status_code == 200, step
        assert api.post(f"{url}/reevaluations", headers=headers, json={
            "year": 2022, "passed": False, "published_on": "2022-12-20",
            "report": "孵化场所利用率不足百分之八十，创业带动就业成效低于上年，服务模式创新不足"}).status_code == 201
        assert api.post(f"{url}/changes", headers=headers, json={
            "items": ["名称", "运营机构", "孵化场所地址", "孵化面积"], "description": "整体迁址并更换运营机构，面积调整",
            "changed_on": "2022-03-01", "filed_on": "2022-04-05"}).status_code == 201

    browser.set_window_size(390, 844)
    browser.get(f"{live_server}/login")
    browser.find_element(By.ID, "username").send_keys("clerk.rsj")
    browser.find_element(By.ID, "password").send_keys("demo-password")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_changes(f"{live_server}/login"))
    browser.get(f"{live_server}/incubators/{app['id']}")
    for section in ("subsidy", "reevaluations", "changes"):
        assert browser.find_element(By.ID, section).is_displayed()
    wide = browser.execute_script(
        "return [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        ".slice(0, 15)")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, wide
    for element in browser.find_elements(By.CSS_SELECTOR, "#reevaluations, #changes, #changes form, #subsidy"):
        assert element.rect["x"] + element.rect["width"] <= 390
