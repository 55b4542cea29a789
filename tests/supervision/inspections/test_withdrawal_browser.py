"""Withdrawing a declared conflict on the plans page in a real Chromium at 390×844: the 区卫生健康委 opens the
inspector's conflicts, types the reason, presses 撤回申报; the notice says so, the declaration stays listed as 已撤回
with the reason, and nothing scrolls sideways. Screenshot: supervision-withdraw-phone.png."""
from __future__ import annotations

import httpx
import pytest

from tests.supervision.factories import code
from tests.test_browser import screenshot, sign_in, wait
from tests.test_browser_phone import overflow, phone

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402


def test_a_conflict_withdrawn_on_a_phone(browser, live_server):
    token = httpx.post(f"{live_server}/api/auth/token", data={"username": "wjw.jd", "password": "demo-password"})
    h = {"Authorization": f"Bearer {token.json()['access_token']}"}
    inst = httpx.post(f"{live_server}/api/supervision/institutions", headers=h, json={
        "name": "撤回测试诊所", "uscc": code(977), "kind": "诊所", "street": "东华门街道", "ownership": "social"})
    assert inst.status_code == 201, inst.text
    person = httpx.post(f"{live_server}/api/supervision/inspections/inspectors", headers=h,
                        json={"name": "撤回测试执法员", "badge_no": "WD-0977"})
    jid = person.json()["id"]
    c = httpx.post(f"{live_server}/api/supervision/inspections/inspectors/{jid}/conflicts", headers=h,
                   json={"institution_id": inst.json()["id"], "reason": "近亲属在该机构任职"}).json()
    sign_in(browser, live_server, "wjw.jd", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    phone(browser, 390, 844)
    browser.get(f"{live_server}/supervision/inspections#inspector-{jid}")
    browser.find_element(By.CSS_SELECTOR, f"#conflicts-{jid} > summary").click()
    form = wait(browser).until(ec.visibility_of_element_located((By.ID, f"withdraw-{c['id']}")))
    assert overflow(browser)[0] <= overflow(browser)[1]
    form.find_element(By.NAME, "reason").send_keys("近亲属已离开该机构")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    notice = wait(browser, 30).until(ec.presence_of_element_located((By.ID, "step-notice")))
    assert "利益冲突申报已撤回" in notice.text
    details = browser.find_element(By.ID, f"conflicts-{jid}")
    if details.get_attribute("open") is None:  # Chromium opens it itself for the #conflict-row-… fragment
        details.find_element(By.TAG_NAME, "summary").click()
    row = wait(browser).until(ec.visibility_of_element_located((By.ID, f"conflict-row-{c['id']}")))
    assert "已撤回" in row.text and "近亲属已离开该机构" in row.text and "近亲属在该机构任职" in row.text
    scroll, inner = overflow(browser)
    assert scroll <= inner, f"{scroll} px wide at 390 px"
    screenshot(browser, "supervision-withdraw-phone.png")
