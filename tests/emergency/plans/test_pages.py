"""The plan and drill pages (Chinese): the registry, a plan with its forms, the drills, a drill's five phases, the
compliance page; forms carry the CSRF token, a bad field comes back as a 422 page naming it."""
from __future__ import annotations

import re

import pytest

from dongcheng.core.time import today_local
from tests.html import clause_links

HTML = {"Accept": "text/html"}
TODAY = today_local().isoformat()


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_registry_and_plan_page(client, login):
    cgw = {**HTML, **login("cgw")}
    html = client.get("/plans", headers=cgw).text
    assert "应急预案登记册" in html and "东城区扫雪铲冰应急预案" in html and 'href="/plans" class="active"' in html
    plan_id = int(re.search(r'id="plan-(\d+)" href="/plans/\d+">\s*<b>东城区扫雪铲冰应急预案', html).group(1))
    page = client.get(f"/plans/{plan_id}", headers=cgw).text
    assert "专项应急预案抄送上级人民政府有关牵头部门备案" in page
    assert any(link.endswith("#s-7.1.4") for link in clause_links(page))
    token = token_of(page)
    r = client.post(f"/plans/{plan_id}/versions", headers=cgw, data={"csrf_token": token, "title": "扫雪铲冰预案",
                                                                      "issued_on": "2026-13-01"})
    assert r.status_code == 422 and "issued_on" in r.text
    r = client.post(f"/plans/{plan_id}/versions", headers=cgw, follow_redirects=False,
                    data={"csrf_token": token, "title": "扫雪铲冰预案", "issued_on": "2026-09-16"})
    assert r.status_code == 303
    page = client.get(f"/plans/{plan_id}", headers=cgw).text
    assert 'id="filing-due">2026-10-20</b>' in page and "国办发〔2024〕5号" in page
    assert 'id="evaluation-due">2029-09-16</b>' in page
    r = client.post(f"/plans/{plan_id}/triggers", headers=cgw,
                    data={"csrf_token": token, "trigger": "problem_found", "description": "演练发现问题"})
    assert r.status_code == 422 and "incident_id" in r.text
    r = client.post(f"/plans/{plan_id}/triggers", headers=cgw, follow_redirects=False,
                    data={"csrf_token": token, "trigger": "risk_changed", "description": "新增地下通道"})
    assert r.status_code == 303
    page = client.get(f"/plans/{plan_id}", headers=cgw).text
    assert 'id="status">修订中' in page and "需开展验证性应急演练" in page
    assert any(link.endswith("#s-7.2.1") for link in clause_links(page))
    assert any(link.endswith("#s-7.1.5") for link in clause_links(page))
    assert client.post(f"/plans/{plan_id}/triggers", headers=cgw, data={"trigger": "risk_changed",
                                                                         "description": "x"}).status_code == 403


def test_drill_pages_and_compliance(client, login):
    street = {**HTML, **login("street.dongsi")}
    html = client.get("/plans/drills", headers=street).text
    token = token_of(html)
    r = client.post("/plans/drills", headers=street, follow_redirects=False,
                    data={"csrf_token": token, "title": "消防疏散演练", "organiser": "东四街道", "kind": "single",
                          "units": "东四街道，区应急局"})
    assert r.status_code == 303
    path = r.headers["location"].split("?")[0]
    for phase in ("plan", "prepare", "conduct"):
        assert client.post(f"{path}/phases", headers=street, follow_redirects=False,
                           data={"csrf_token": token, "phase": phase, "on_date": TODAY}).status_code == 303
    page = client.get(path, headers=street).text
    assert 'id="phase-conduct">3. 实施：<b>' in page and "评估总结" in page and "区应急局" in page
    assert any(link.endswith("#s-7.2.3") for link in clause_links(page))
    year = today_local().year
    page = client.get(f"/plans/drills/compliance?year={year}", headers=street).text
    start = page.index('data-subject="东四街道"')
    assert "未达标" in page[start:start + 300] and f"{year}年应急演练情况" in page
    assert any(link.endswith("#s-7.2.2") for link in clause_links(page))
    assert client.get("/plans/drills/compliance?year=1800", headers=street).status_code == 422


@pytest.mark.browser
def test_the_compliance_page_and_the_registry_read_on_a_phone(browser, live_server):
    from selenium.webdriver.common.by import By

    from tests.emergency.warnings.test_browser import wait

    browser.get(f"{live_server}/login?next=/plans")
    browser.find_element(By.ID, "username").send_keys("duty")
    browser.find_element(By.ID, "password").send_keys("demo-password")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    from selenium.webdriver.support import expected_conditions as ec

    wait(browser).until(ec.url_to_be(f"{live_server}/plans"))
    browser.set_window_size(390, 844)
    for path in ("/plans", f"/plans/drills/compliance?year={today_local().year}", "/plans/drills", "/funds"):
        browser.get(f"{live_server}{path}")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, path
    browser.get(f"{live_server}/plans")
    browser.get(browser.find_element(By.CSS_SELECTOR, "a.pitem").get_attribute("href"))  # a plan's own page
    assert "备案" in browser.page_source
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    browser.get(f"{live_server}/plans/drills/compliance?year={today_local().year}")
    street = browser.find_element(By.CSS_SELECTOR, "#s-streets .line[data-subject='东四街道']")
    assert "未达标" in street.text and street.rect["x"] + street.rect["width"] <= 390
