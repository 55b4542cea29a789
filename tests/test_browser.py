"""A real headless Chromium against ``dongcheng serve``: sign in, read the §2.3.6 table, follow a lead department.

Every browser test saves screenshots of its pages through ``screenshot`` below: into a temporary folder, or into
``$DONGCHENG_SCREENSHOTS`` — ``make screenshots`` refreshes docs/screenshots/, the pictures a reviewer reads without
running the app. A plain test run never writes into the repository.
"""
from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(os.environ.get("DONGCHENG_SCREENSHOTS") or Path(tempfile.gettempdir()) / "dongcheng-screenshots")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def wait(driver, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def sign_in(driver, base: str, username: str, password: str) -> None:
    driver.get(f"{base}/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()


def screenshot(driver, name: str) -> Path:
    """A full-page PNG at the window's width (capped at 6000 px high, so a long page stays viewable)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    width, height = driver.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 6000), "scale": 1},
    })
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def test_sign_in_read_event_types_and_follow_a_lead(browser, live_server):
    sign_in(browser, live_server, "duty", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    header = browser.find_element(By.CSS_SELECTOR, "header.top .who").text
    assert "区应急办值班员" in header
    assert browser.find_element(By.TAG_NAME, "h1").text == "东城区政务平台"

    browser.find_element(By.LINK_TEXT, "事件类型").click()
    wait(browser).until(ec.url_to_be(f"{live_server}/reference/event-types"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.event-types tr.et")
    assert len(rows) == 36
    assert [r.get_attribute("data-no") for r in rows] == [str(n) for n in range(1, 37)]
    row30 = browser.find_element(By.CSS_SELECTOR, "tr.et[data-no='30']")
    leads = [a.text for a in row30.find_elements(By.CSS_SELECTOR, "a.lead")]
    assert leads == ["区商务局", "东城公安分局"]
    assert "区应急办值班员" in browser.find_element(By.CSS_SELECTOR, "header.top .who").text
    screenshot(browser, "event-types.png")

    link = browser.find_element(By.CSS_SELECTOR, "tr.et[data-no='2'] a.lead")  # 地震灾害 → 区应急局
    assert link.text == "区应急局"
    target = link.get_attribute("href")
    link.click()
    wait(browser).until(ec.url_to_be(target))
    assert browser.find_element(By.TAG_NAME, "h1").text == "区应急局"
    supervisors = {row.get_attribute("data-relation"): row.text
                   for row in browser.find_elements(By.CSS_SELECTOR, "#supervisor tr.sup")}
    assert "李妍" in supervisors["分管"] and "孙扬" in supervisors["协助分管"]
    screenshot(browser, "unit-emergency-bureau.png")


def test_unit_page_date_form(browser, live_server):
    browser.get(f"{live_server}/directory/units?kind=government")
    browser.find_element(By.LINK_TEXT, "区水务局").click()
    wait(browser).until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "区水务局"))
    field = browser.find_element(By.ID, "on")
    browser.execute_script("arguments[0].value = '2021-10-17'", field)
    browser.find_element(By.CSS_SELECTOR, "form.dateform button[type=submit]").click()
    wait(browser).until(ec.url_contains("on=2021-10-17"))
    holders = browser.find_element(By.CSS_SELECTOR, "p.holders").text
    assert "陈大鹏" in holders and "王品军" not in holders


def test_wrong_password_shows_the_chinese_error(browser, live_server):
    sign_in(browser, live_server, "duty", "not-the-password")
    alert = wait(browser).until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".error[role=alert]")))
    assert "用户名或密码错误" in alert.text
    assert browser.current_url.startswith(f"{live_server}/login")
    assert browser.find_element(By.ID, "username").get_attribute("value") == "duty"
    assert "退出" not in browser.find_element(By.CSS_SELECTOR, "header.top .who").text


def _csp_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def test_the_pages_run_under_their_content_security_policy(browser, live_server):
    """Chromium names every script, style or form the CSP refuses in its console; the pages cause none, and the
    unsubscribe button's confirmation (a static script now, no inline onsubmit) still asks first."""
    import httpx

    token = httpx.post(f"{live_server}/api/auth/token",
                       data={"username": "duty", "password": "demo-password"}).json()["access_token"]
    sub = httpx.post(f"{live_server}/api/warnings/subscribers", headers={"Authorization": f"Bearer {token}"}, json={
        "kind": "resident", "name": "CSP测试", "street": "东四街道", "contact": "13900000019",
        "channels": ["手机短信"], "vulnerable_groups": [], "special_place": None}).json()

    sign_in(browser, live_server, "duty", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    for path in ("/", "/reference/event-types", "/incidents", "/accountability", "/heritage",
                 "/warnings/subscribers?street=东四街道"):
        browser.get(f"{live_server}{path}")
        assert not _csp_errors(browser), path
    assert browser.execute_script("return !!document.querySelector('[data-confirm]')")

    row = f"tr[data-id='{sub['id']}']"
    browser.find_element(By.CSS_SELECTOR, f"{row} form button[type=submit]").click()
    alert = wait(browser).until(ec.alert_is_present())
    assert "确认办理退订" in alert.text
    alert.dismiss()  # not sent
    assert browser.find_elements(By.CSS_SELECTOR, row)
    browser.find_element(By.CSS_SELECTOR, f"{row} form button[type=submit]").click()
    wait(browser).until(ec.alert_is_present()).accept()
    wait(browser).until(lambda d: not d.find_elements(By.CSS_SELECTOR, row))
    assert not _csp_errors(browser)
