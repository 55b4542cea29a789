"""A 390 px phone (CDP device metrics, not mobile emulation, which zooms out until nothing overflows): every page a
duty officer, a department or a clerk works on fits its width with data on it — tables read as cards, the deadline
first — and a desk at 1366 px is unchanged. Screenshots: phone-*.png (tests/test_browser.py says where)."""
from __future__ import annotations

import re

import httpx
import pytest

from tests.test_browser import screenshot, sign_in, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402

FACTS = {"legal_entity_in_dongcheng": True, "tax_registered_in_dongcheng": True, "social_insurance_in_dongcheng": True,
         "incubation_main_business": True, "no_violations": True, "no_open_disputes": True,
         "operating_since": "2019-01-01", "incubation_area_m2": 1500, "management_and_services": True,
         "utilisation_pct": [80, 90], "incubated_entities": [20, 25], "jobs": [300, 310], "success_rate_pct": 60,
         "renewal_pct": [15, 18], "service_activities": True}


def token(base: str, username: str) -> dict:
    r = httpx.post(f"{base}/api/auth/token", data={"username": username, "password": "demo-password"})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture(scope="module")
def pages_with_data(live_server):
    """The demo scenario (two exercise incidents, a published warning) plus a commissioner and an incubator."""
    duty, clerk = token(live_server, "duty"), token(live_server, "clerk.rsj")
    incidents = httpx.get(f"{live_server}/api/incidents", params={"drill": "true"}, headers=duty).json()
    warnings = httpx.get(f"{live_server}/api/warnings", headers=duty).json()
    assert incidents and warnings, "the demo scenario is missing"
    httpx.put(f"{live_server}/api/commissioners/streets/东四街道/retirees", headers=clerk,
              json={"retirees": 9000, "as_of": "2022-01-01"}).raise_for_status()
    person = httpx.post(f"{live_server}/api/commissioners", headers=clerk, json={
        "name": "王秀兰", "street": "东四街道", "route": "retiree", "birth_date": "1960-05-01", "start_on": "2022-01-01"})
    person.raise_for_status()
    for month in range(1, 4):
        httpx.post(f"{live_server}/api/commissioners/{person.json()['id']}/ratings", headers=clerk,
                   json={"year": 2022, "month": month, "rating": "satisfied"}).raise_for_status()
    fund = httpx.post(f"{live_server}/api/commissioners/fund-applications", headers=token(live_server, "bmfw.dongsi"),
                      json={"street": "东四街道", "year": 2022})  # its page: the steps and the step forms
    fund.raise_for_status()
    base = httpx.post(f"{live_server}/api/incubators", headers=clerk, json={
        "base_name": "东城创业园", "operator_name": "北京东城孵化运营有限公司", "credit_code": "91110101MA00000001",
        "address": "东城区东四北大街1号", "applied_on": "2022-01-04", "facts": FACTS})
    base.raise_for_status()
    return {
        "duty": ["/incidents/board?drill=1", f"/incidents/{incidents[0]['id']}", f"/warnings/{warnings[0]['id']}",
                 "/warnings", "/accountability?drill=1", "/", "/map"],
        "clerk.rsj": [f"/commissioners/{person.json()['id']}", "/commissioners/streets/东四街道",
                      f"/incubators/{base.json()['id']}", "/incubators", "/commissioners",
                      f"/commissioners/fund-applications/{fund.json()['id']}"],
    }


def phone(driver, width: int = 390, height: int = 844) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def overflow(driver) -> tuple[int, int]:
    return tuple(driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]"))


@pytest.mark.parametrize("user", ["duty", "clerk.rsj"])
def test_every_working_page_fits_a_phone(browser, live_server, pages_with_data, user):
    sign_in(browser, live_server, user, "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    phone(browser)
    wide = {}
    for path in pages_with_data[user]:
        browser.get(f"{live_server}{path}")
        wait(browser).until(lambda d: d.execute_script("return document.readyState") == "complete")
        scroll, inner = overflow(browser)
        if scroll > inner:
            wide[path] = scroll
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        screenshot(browser, f"phone-{user.split('.')[0]}-{slug}.png")
    assert wide == {}, f"wider than a 390 px phone: {wide}"


def test_the_board_shows_the_countdown_first_on_a_phone(browser, live_server, pages_with_data):
    sign_in(browser, live_server, "duty", "demo-password")
    wait(browser).until(ec.url_to_be(f"{live_server}/"))
    phone(browser)
    browser.get(f"{live_server}/incidents/board?drill=1")
    row = wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#board-rows tr.incident")))
    countdown = row.find_element(By.CSS_SELECTOR, ".countdown").rect
    title = row.find_element(By.CSS_SELECTOR, "td.c-title a").rect
    assert countdown["y"] < title["y"], "the countdown reads first on a phone"
    assert countdown["x"] + countdown["width"] <= 390
    phone(browser, 1366, 900)  # a desk: the same row is one table line, the countdown in the last column
    browser.get(f"{live_server}/incidents/board?drill=1")
    row = wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#board-rows tr.incident")))
    countdown = row.find_element(By.CSS_SELECTOR, ".countdown").rect
    title = row.find_element(By.CSS_SELECTOR, "td.c-title a").rect
    assert countdown["x"] > title["x"] and abs(countdown["y"] - title["y"]) < 40
