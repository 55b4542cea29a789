"""Institutions on the pages (web/steps.py): registered from the registry page and edited on its record page by the
区卫生健康委, each with its success notice and the state it leaves; a missing or bad field named by its label, nothing
saved; another role sees no form and is refused in words."""
from __future__ import annotations

import re

import pytest

from tests.supervision.factories import BASE, code, register
from tests.web.test_steps import HTML, shown, step  # noqa: F401  (fixture)

PAGE = "/supervision/institutions"
NEW = {"name": "东四社区卫生服务中心", "kind": "社区卫生服务中心", "street": "东四街道", "ownership": "public",
       "risk": "high", "licence_no": "PDY77001"}


@pytest.fixture
def wjw(login):
    return login("wjw.jd")


def alert(html: str) -> str:
    return re.search(r'role="alert"[^>]*>(.*?)</div>', html, re.S).group(1)


class TestRegister:
    def test_registered_on_the_registry_page(self, client, wjw, step):  # noqa: F811
        assert 'id="register-form"' in client.get(PAGE, headers={**HTML, **wjw}).text
        r = step(wjw, PAGE, PAGE, {**NEW, "uscc": code(701).lower()})
        assert shown(client, wjw, r) == "机构已登记"
        iid = int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])
        body = client.get(f"{BASE}/institutions/{iid}", headers=wjw).json()
        assert (body["name"], body["uscc"], body["risk"], body["street"]) == (
            "东四社区卫生服务中心", code(701), "high", "东四街道")
        listing = client.get(f"{PAGE}?street=东四街道", headers=HTML).text
        assert "东四社区卫生服务中心" in listing and f'href="{PAGE}/{iid}"' not in listing  # the public: no record link
        assert f'href="{PAGE}/{iid}"' in client.get(PAGE, headers={**HTML, **wjw}).text

    def test_a_bad_code_or_a_missing_field_is_named_and_nothing_saved(self, client, wjw, step):  # noqa: F811
        bad = code(702)[:-1] + ("0" if code(702)[-1] != "0" else "1")
        r = step(wjw, PAGE, PAGE, {**NEW, "uscc": bad})
        assert r.status_code == 422 and "统一社会信用代码" in alert(r.text) and "uscc" not in alert(r.text)
        assert 'value="东四社区卫生服务中心"' in r.text  # what was typed is kept
        r = step(wjw, PAGE, PAGE, {**NEW, "uscc": code(703), "street": ""})
        assert r.status_code == 422 and "所在街道" in alert(r.text) and "street" not in alert(r.text)
        register(client, wjw, 704)
        r = step(wjw, PAGE, PAGE, {**NEW, "uscc": code(704)})
        assert r.status_code == 409 and "该统一社会信用代码已登记" in r.text
        assert [i["uscc"] for i in client.get(f"{BASE}/institutions").json()] == [code(704)]

    def test_another_role_sees_no_form_and_is_refused_in_words(self, client, login, step):  # noqa: F811
        duty = login("duty")
        assert 'id="register-form"' not in client.get(PAGE, headers={**HTML, **duty}).text
        r = step(duty, PAGE, PAGE, {**NEW, "uscc": code(705)})
        assert r.status_code == 403 and "<html" in r.text.lower() and "无权" in r.text
        assert client.get(f"{BASE}/institutions").json() == []


class TestEdit:
    def test_risk_kind_and_licence_edited_on_the_record_page(self, client, wjw, step):  # noqa: F811
        iid = register(client, wjw, 711).json()["id"]
        page = f"{PAGE}/{iid}"
        r = step(wjw, page, f"{page}/edit", {"risk": "low", "kind": "门诊部", "licence_no": "PDY99999"})
        assert shown(client, wjw, r) == "机构信息已保存"
        body = client.get(f"{BASE}/institutions/{iid}", headers=wjw).json()
        assert (body["risk"], body["kind"], body["licence_no"]) == ("low", "门诊部", "PDY99999")
        assert "低风险" in client.get(page, headers={**HTML, **wjw}).text

    def test_a_bad_value_is_named_and_nothing_changes(self, client, wjw, step):  # noqa: F811
        iid = register(client, wjw, 712).json()["id"]
        page = f"{PAGE}/{iid}"
        r = step(wjw, page, f"{page}/edit", {"risk": "extreme", "kind": "医院", "licence_no": ""})
        assert r.status_code == 422 and "风险等级" in alert(r.text) and "risk" not in alert(r.text)
        assert client.get(f"{BASE}/institutions/{iid}", headers=wjw).json()["risk"] == "medium"

    def test_another_role_is_refused_in_words(self, client, wjw, login, step):  # noqa: F811
        iid = register(client, wjw, 713).json()["id"]
        duty = login("duty")
        assert client.get(f"{PAGE}/{iid}", headers={**HTML, **duty}).status_code == 403
        r = step(duty, PAGE, f"{PAGE}/{iid}/edit", {"risk": "low", "kind": "医院"})
        assert r.status_code == 403 and "<html" in r.text.lower() and "无权" in r.text
        assert client.get(f"{BASE}/institutions/{iid}", headers=wjw).json()["risk"] == "medium"
