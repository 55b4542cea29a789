"""The 区卫生健康委's steps on a 390 px phone in headless Chromium: an institution registered through the registry
page's form, its edit form, the inspectors' forms and a 双随机 plan created through the plans page's form — every form
opened, the success notice seen, nothing wider than the screen; and a subscriber's edit page for the duty officer."""
from __future__ import annotations

import httpx
import pytest

from tests.supervision.factories import code
from tests.test_browser import screenshot, sign_in, wait
from tests.test_browser_phone import overflow, phone, token

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def open_every_form(driver) -> None:
    driver.execute_script("document.querySelectorAll('main details').forEach(d => d.open = true)")


def fits(driver) -> bool:
    width, inner = overflow(driver)
    return width <= inner


def test_the_supervision_steps_on_a_phone(browser, live_server):
    phone(browser)
    sign_in(browser, live_server, "wjw.jd", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    wjw = token(live_server, "wjw.jd")
    httpx.post(f"{live_server}/api/supervision/inspections/inspectors", headers=wjw,
               json={"name": "手机执法员", "badge_no": "PH-0001"}).raise_for_status()

    browser.get(f"{live_server}/supervision/institutions")
    open_every_form(browser)
    assert fits(browser), overflow(browser)
    form = browser.find_element(By.ID, "register-form")
    form.find_element(By.NAME, "name").send_keys("手机登记诊所")
    form.find_element(By.NAME, "uscc").send_keys(code(961))
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("诊所")
    Select(form.find_element(By.NAME, "street")).select_by_visible_text("东四街道")
    Select(form.find_element(By.NAME, "ownership")).select_by_visible_text("社会办医")
    screenshot(browser, "supervision-register-390.png")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "step-notice")))
    assert "机构已登记" in browser.find_element(By.ID, "step-notice").text
    assert browser.find_element(By.TAG_NAME, "h1").text == "手机登记诊所"
    open_every_form(browser)
    assert fits(browser), overflow(browser)
    screenshot(browser, "supervision-record-edit-390.png")

    browser.get(f"{live_server}/supervision/inspections")
    open_every_form(browser)
    assert fits(browser), overflow(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "form[id^=conflict-]")  # an institution to declare against
    screenshot(browser, "supervision-plans-forms-390.png")
    form = browser.find_element(By.ID, "plan-form")
    form.find_element(By.NAME, "title").send_keys("手机创建的抽查计划")
    form.find_element(By.CSS_SELECTOR, "input[name=items][value='WJ-01']").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "step-notice")))
    assert "抽查计划已创建" in browser.find_element(By.ID, "step-notice").text
    assert browser.find_element(By.TAG_NAME, "h1").text == "手机创建的抽查计划"
    assert fits(browser), overflow(browser)


def test_a_subscriber_edit_page_on_a_phone(browser, live_server):
    duty = token(live_server, "duty")
    sub = httpx.get(f"{live_server}/api/warnings/subscribers", headers=duty, params={"limit": 1}).json()["items"][0]
    phone(browser)
    sign_in(browser, live_server, "duty", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    browser.get(f"{live_server}/warnings/subscribers/{sub['id']}")
    assert browser.find_element(By.ID, "subscriber-form")
    assert fits(browser), overflow(browser)
    screenshot(browser, "warnings-subscriber-edit-390.png")
    contact = browser.find_element(By.ID, "contact")
    contact.clear()
    contact.send_keys("13900001234")  # a new phone number: personal data, never in the URL or the notice
    browser.find_element(By.CSS_SELECTOR, "#subscriber-form button[type=submit]").click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "step-notice")))
    notice = browser.find_element(By.ID, "step-notice").text
    assert notice.endswith("订阅者信息已保存") and "13900001234" not in notice
    assert "13900001234" not in browser.current_url
    saved = httpx.get(f"{live_server}/api/warnings/subscribers/{sub['id']}", headers=duty).json()
    assert saved["contact"] == "13900001234"  # the edit was saved
