"""Warning pages: drafting form (with CSRF), leaders' inbox, warning page, public page without login."""
from __future__ import annotations

import re

HTML = {"Accept": "text/html"}


def csrf(client, url: str, headers: dict) -> str:
    html = client.get(url, headers={**HTML, **headers}).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


FORM = {"level": "橙色", "title": "大风橙色预警", "event_type": "气象灾害", "starts_at": "2022-07-01T08:00",
        "expected_duration_hours": "6", "area_streets": ["东四街道", "东华门街道"], "precautions": "大风天气注意安全",
        "measures": "加固广告牌", "public": "on"}


class TestDraftingForm:
    def test_form_creates_a_draft_that_names_its_approver(self, client, as_):
        headers = as_("cgw")
        token = csrf(client, "/warnings/new", headers)
        r = client.post("/warnings/new", data={**FORM, "csrf_token": token}, headers={**HTML, **headers},
                        follow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        page = client.get(r.headers["location"], headers={**HTML, **headers}).text
        assert "孙扬" in page and "副区长" in page and "§3.2.3(2)" in page and 'id="do-submit"' in page

    def test_form_without_csrf_is_refused(self, client, as_):
        r = client.post("/warnings/new", data=FORM, headers={**HTML, **as_("cgw")})
        assert r.status_code == 403

    def test_form_errors_are_shown_on_the_form(self, client, as_):
        headers = as_("cgw")
        token = csrf(client, "/warnings/new", headers)
        r = client.post("/warnings/new", data={**FORM, "area_streets": ["中关村街道"], "csrf_token": token},
                        headers={**HTML, **headers})
        assert r.status_code == 422 and "中关村街道" in r.text and 'role="alert"' in r.text


class TestInboxAndSteps:
    def test_leader_approves_from_the_inbox_and_duty_publishes(self, client, as_, draft, step, db):
        w = draft(level="橙色")
        step(w["id"], "submit", "cgw")
        leader = as_("sun.yang")
        inbox = client.get("/warnings", headers={**HTML, **leader}).text
        assert f'data-id="{w["id"]}" data-step="approve"' in inbox
        token = csrf(client, f"/warnings/{w['id']}", leader)
        r = client.post(f"/warnings/{w['id']}/approve", data={"csrf_token": token}, headers={**HTML, **leader},
                        follow_redirects=False)
        assert r.status_code == 303
        duty = as_("duty")
        token = csrf(client, f"/warnings/{w['id']}", duty)
        client.post(f"/warnings/{w['id']}/publish", data={"csrf_token": token}, headers={**HTML, **duty})
        page = client.get(f"/warnings/{w['id']}", headers={**HTML, **duty}).text
        assert 'id="coverage"' in page and 'id="checklists"' in page and "已发布" in page
        concerned = client.get(f"/api/warnings/{w['id']}", headers=duty).json()["concerned_units"]
        assert page.count('class="unit-checklist"') == len(concerned)  # drafting unit, the 7 leads, two streets
        assert "景山街道" in concerned and concerned[0] == "区城市管理委"

    def test_refused_step_shows_the_reason(self, client, as_, draft, step):
        w = draft(level="橙色")
        step(w["id"], "submit", "cgw")
        headers = as_("li.yan")
        token = csrf(client, "/warnings", headers)
        r = client.post(f"/warnings/{w['id']}/approve", data={"csrf_token": token}, headers={**HTML, **headers})
        assert r.status_code == 403 and "孙扬" in r.text


class TestPublicPage:
    def test_no_login_phone_ready_and_only_current_public_warnings(self, client, published, step):
        live = published("红色", title="暴雨红色预警")
        internal = published("黄色", title="行业内部提示", public=False)
        gone = published("蓝色", title="已解除的预警")
        step(gone["id"], "lift", "cgw")
        r = client.get("/public/warnings", headers=HTML)
        assert r.status_code == 200
        assert 'name="viewport"' in r.text and "暴雨红色预警" in r.text
        assert "行业内部提示" not in r.text and "已解除的预警" not in r.text
        assert f'id="w{live["id"]}"' in r.text and internal["id"]


class TestSubscriberRegistry:
    REGISTER = {"kind": "resident", "name": "李爷爷", "street": "东四街道", "contact": "13900000009",
                "channels": ["手机短信", "应急广播"], "vulnerable_groups": ["老"], "special_place": ""}

    def test_a_street_registers_a_resident_and_sees_them_in_its_list(self, client, as_):
        headers = {**HTML, **as_("street.dongsi")}
        token = csrf(client, "/warnings/subscribers", as_("street.dongsi"))
        r = client.post("/warnings/subscribers", data={**self.REGISTER, "csrf_token": token}, headers=headers,
                        follow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        page = client.get(r.headers["location"], headers=headers).text
        assert 'id="registered"' in page and "李爷爷" in page and "手机短信、应急广播" in page
        assert "景山街道" not in page  # a street's registry shows its own street only

    def test_form_errors_are_shown_and_nothing_is_saved(self, client, as_):
        token = csrf(client, "/warnings/subscribers", as_("duty"))
        r = client.post("/warnings/subscribers", data={**self.REGISTER, "channels": [], "csrf_token": token},
                        headers={**HTML, **as_("duty")})
        assert r.status_code == 422 and 'role="alert"' in r.text and "channels" in r.text
        assert "李爷爷" not in r.text.split('id="subscriber-list"')[1]

    def test_unsubscribe_from_the_list(self, client, as_):
        sub = client.post("/api/warnings/subscribers", headers=as_("duty"), json={
            **self.REGISTER, "special_place": None}).json()
        token = csrf(client, "/warnings/subscribers", as_("duty"))
        r = client.post(f"/warnings/subscribers/{sub['id']}/unsubscribe", data={"csrf_token": token},
                        headers={**HTML, **as_("duty")}, follow_redirects=False)
        assert r.status_code == 303
        page = client.get("/warnings/subscribers?street=东四街道", headers={**HTML, **as_("duty")}).text
        assert f'data-id="{sub["id"]}"' not in page

    def test_a_leader_has_no_registry(self, client, as_):
        assert client.get("/warnings/subscribers", headers={**HTML, **as_("mayor")}).status_code == 403


class TestReturnOnThePage:
    def test_the_leader_returns_a_proposal_with_a_reason_shown_to_the_drafter(self, client, as_, draft, step):
        w = draft(level="橙色")
        step(w["id"], "submit", "cgw")
        leader = as_("sun.yang")
        page = client.get(f"/warnings/{w['id']}", headers={**HTML, **leader}).text
        assert 'id="do-return"' in page
        r = client.post(f"/warnings/{w['id']}/return", headers={**HTML, **leader}, follow_redirects=False,
                        data={"csrf_token": csrf(client, f"/warnings/{w['id']}", leader), "reason": "请补充影响范围"})
        assert r.status_code == 303
        mine = client.get(f"/warnings/{w['id']}", headers={**HTML, **as_("cgw")}).text
        assert "孙扬 退回" in mine and "请补充影响范围" in mine and 'id="do-submit"' in mine

    def test_return_without_a_reason_is_refused(self, client, as_, draft, step):
        w = draft(level="橙色")
        step(w["id"], "submit", "cgw")
        leader = as_("sun.yang")
        r = client.post(f"/warnings/{w['id']}/return", headers={**HTML, **leader},
                        data={"csrf_token": csrf(client, f"/warnings/{w['id']}", leader), "reason": " "})
        assert r.status_code == 422
