"""Every step on a page answers with its success notice (web/steps.py); the irreversible ones — 应急结束, 撤销称号,
批准拨款 and 拨付 (lifting a warning: tests/emergency/warnings/test_edit_pages.py) — are refused without a reason and a
confirmation, and nothing changes."""
from __future__ import annotations

import re

import pytest

from tests.emergency.funds.test_api import API as FUNDS_API
from tests.emergency.funds.test_api import request as request_funds
from tests.emergency.incidents.test_api import create as create_incident
from tests.incubators.test_api import certify_one
from tests.supervision.inspections.test_draw import INS, plan, registry, wjw  # noqa: F401  (fixtures)

HTML = {"Accept": "text/html"}


def notice(html: str) -> str | None:
    found = re.search(r'id="step-notice">([^<]*)<', html)
    return found.group(1).removeprefix("✓ ").strip() if found else None


@pytest.fixture
def step(client):
    """step(headers, page, action_url, data) → the response of the form posted from ``page`` (its CSRF token)."""

    def _step(headers: dict, page: str, url: str, data: dict):
        html = client.get(page, headers={**HTML, **headers}).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        return client.post(url, data={**data, "csrf_token": token}, headers={**HTML, **headers},
                           follow_redirects=False)

    return _step


def shown(client, headers: dict, r) -> str | None:
    assert r.status_code == 303, r.text[:600]
    return notice(client.get(r.headers["location"], headers={**HTML, **headers}).text)


class TestEndOfResponse:
    def test_refused_without_reason_or_confirmation_then_ended_with_notice(self, client, login, step):
        duty = login("duty")
        inc = create_incident(client, duty)
        page = f"/incidents/{inc['id']}"
        html = client.get(page, headers={**HTML, **duty}).text
        form = html.split('id="form-end"', 1)[1].split("</form>", 1)[0]
        assert 'name="confirm"' in form and "确认结束应急响应？" in form and "此操作不可撤销" in form
        for data, missing in (({"reason": "险情消除"}, ["confirm"]), ({"confirm": "yes"}, ["reason"]),
                              ({}, ["confirm", "reason"])):
            r = step(duty, page, f"{page}/end", data)
            assert r.status_code == 422, data
            assert sorted(re.findall(r'data-field="(reason|confirm)"', r.text)) == missing
        assert client.get(f"/api/incidents/{inc['id']}", headers=duty).json()["ended_at"] is None
        r = step(duty, page, f"{page}/end", {"reason": "险情消除", "confirm": "yes"})
        assert shown(client, duty, r) == "应急响应已结束"
        history = client.get(f"/api/incidents/{inc['id']}", headers=duty).json()
        assert history["ended_at"] is not None


class TestFunds:
    def test_approval_and_disbursement_need_a_note_and_a_confirmation(self, client, login, step):
        duty = login("duty")
        incident = create_incident(client, duty)["id"]
        cgw, leader, czj = login("cgw"), login("sun.yang"), login("czj")
        r = step(cgw, "/funds", "/funds", {"incident_id": str(incident), "amount": "500", "purpose": "帐篷"})
        assert shown(client, cgw, r) == "拨款申请已提交，等待区政府批准"
        page = r.headers["location"].split("?")[0]
        for data in ({"note": "同意"}, {"confirm": "yes"}):
            r = step(leader, page, f"{page}/approve", data)
            assert r.status_code == 422 and 'role="alert"' in r.text
        assert client.get(f"{FUNDS_API}/{page.rsplit('/', 1)[1]}", headers=duty).json()["status"] == "requested"
        r = step(leader, page, f"{page}/approve", {"note": "同意", "confirm": "yes"})
        assert shown(client, leader, r) == "已批准，完成时限开始计算"
        html = client.get(page, headers={**HTML, **czj}).text
        assert "确认已完成拨付手续？" in html
        r = step(czj, page, f"{page}/complete", {"voucher_no": "东财拨〔2026〕9号"})
        assert r.status_code == 422 and "拨付说明" in r.text and "此操作不可撤销" in r.text
        r = step(czj, page, f"{page}/complete", {"voucher_no": "东财拨〔2026〕9号", "note": "已拨付", "confirm": "yes"})
        assert shown(client, czj, r) == "已登记完成拨付手续"
        assert "已拨付" in client.get(page, headers={**HTML, **czj}).text

    def test_a_rejection_answers_with_its_notice(self, client, login, step):
        incident = create_incident(client, login("duty"))["id"]
        d = request_funds(client, login("cgw"), incident)
        leader = login("sun.yang")
        page = f"/funds/{d['id']}"
        assert shown(client, leader, step(leader, page, f"{page}/reject", {"note": "另行安排"})) == "已不予批准，理由已记录"


class TestIncubatorRevocation:
    def test_revocation_needs_a_reason_and_a_confirmation(self, client, login, step):
        clerk = login("clerk.rsj")
        app = certify_one(client, clerk)
        page = f"/incubators/{app['id']}"
        html = client.get(page, headers={**HTML, **clerk}).text
        form = html.split('id="step-revoke"', 1)[1].split("</form>", 1)[0]
        assert "确认撤销称号？" in form and 'name="confirm"' in form
        for data in ({"ground": "（一）", "reason": "弄虚作假"}, {"ground": "（一）", "confirm": "yes"}):
            r = step(clerk, page, f"{page}/steps/revoke", data)
            assert r.status_code == 422 and "撤销称号" in r.text
        assert client.get(f"/api/incubators/{app['id']}", headers=clerk).json()["status"] == "certified"
        r = step(clerk, page, f"{page}/steps/revoke", {"ground": "（一）", "reason": "弄虚作假", "confirm": "yes"})
        assert shown(client, clerk, r) == "已办理：撤销称号"
        assert client.get(f"/api/incubators/{app['id']}", headers=clerk).json()["status"] == "revoked"

    def test_a_failed_reevaluation_revokes_only_when_confirmed(self, client, login, step):
        clerk = login("clerk.rsj")
        app = certify_one(client, clerk)
        page = f"/incubators/{app['id']}"
        data = {"year": "2022", "passed": "no", "report": "利用率不足", "published_on": "2022-12-20"}
        r = step(clerk, page, f"{page}/reevaluations", data)
        assert r.status_code == 422 and "确认撤销称号" in r.text
        assert client.get(f"/api/incubators/{app['id']}/reevaluations", headers=clerk).json()["results"] == []
        r = step(clerk, page, f"{page}/reevaluations", {**data, "confirm": "yes"})
        assert shown(client, clerk, r) in ("复评结果已登记", "复评未达标，已撤销称号")
        passed = step(clerk, page, f"{page}/reevaluations", {**data, "year": "2023", "passed": "yes"})
        assert shown(client, clerk, passed) == "复评结果已登记"  # a pass needs no confirmation


class TestIncubatorReports:
    def test_a_quarterly_report_filed_on_the_page_once(self, client, login, step):
        clerk = login("clerk.rsj")
        app = certify_one(client, clerk)
        page = f"/incubators/{app['id']}"
        assert 'id="form-report"' in client.get(page, headers={**HTML, **clerk}).text
        data = {"year": "2022", "quarter": "2", "submitted_on": "2022-07-10", "trainings": "12"}
        assert shown(client, clerk, step(clerk, page, f"{page}/reports", data)) == "季度报表已登记"
        again = step(clerk, page, f"{page}/reports", data)
        assert again.status_code == 409 and "2022年第2季度报表已报送" in again.text
        r = step(clerk, page, f"{page}/reports", {**data, "quarter": "3", "trainings": "-1"})
        assert r.status_code == 422 and "创业培训（实训）人次" in r.text


class TestNoticesElsewhere:
    def test_a_plan_registered_on_the_page(self, client, login, step):
        street = login("street.dongsi")
        r = step(street, "/plans", "/plans", {"kind": "street_general", "name": "东四街道突发事件总体应急预案",
                                              "lead_unit": "东四街道"})
        assert shown(client, street, r) == "预案已登记"

    def test_a_complaint_received_on_the_page(self, client, login, step):
        clerk = login("wjw.jd")
        r = step(clerk, "/supervision/complaints", "/supervision/complaints",
                 {"ticket_no": "T-1", "street": "东四街道", "content": "反映诊所收费不透明",
                  "received_at": "2026-11-30T09:00"})
        assert shown(client, clerk, r) == "诉求已受理"

    def test_a_ticket_assigned_answered_and_visited_through_pages(self, client, login, step):
        clerk, street = login("wjw.jd"), login("street.dongsi")
        page = "/supervision/complaints"
        step(clerk, page, page, {"ticket_no": "T-2", "street": "东四街道", "content": "反映诊所收费不透明",
                               "received_at": "2026-11-30T09:00"})
        html = client.get(page, headers={**HTML, **clerk}).text
        ticket = re.search(r'id="assign-(\d+)"', html).group(1)
        assert shown(client, clerk, step(clerk, page, f"{page}/{ticket}/assign", {"unit": "东四街道"})) == "已派单"
        assert shown(client, street, step(street, page, f"{page}/{ticket}/respond", {"response": "已约谈诊所"})) == \
            "答复已登记"
        assert f'id="visit-{ticket}"' in client.get(page, headers={**HTML, **clerk}).text
        r = step(clerk, page, f"{page}/{ticket}/visit", {"resolved": "yes", "satisfied": "no"})
        assert shown(client, clerk, r) == "回访已登记"
        body = client.get(f"/api/supervision/complaints/{ticket}", headers=clerk).json()
        assert body["status"] == "closed" and body["resolved"] is True and body["satisfied"] is False
        assert step(clerk, page, f"{page}/{ticket}/visit", {"resolved": "yes", "satisfied": "yes"}).status_code == 409

    def test_a_registry_record_saved_and_edited_on_the_page(self, client, login, step):
        duty = login("duty")
        page = "/preparedness/registries/shelters"
        data = {"name": "东四公园避难场所", "street": "东四街道", "address": "东四北大街1号", "capacity": "800",
                "owner_unit": "区应急局"}
        r = step(duty, page, page, data)
        assert shown(client, duty, r) == "记录已登记"
        record = r.headers["location"].split("?")[0]
        r = step(duty, record, record, {**data, "capacity": "900"})
        assert shown(client, duty, r) == "修改已保存"

    def test_unknown_keys_show_nothing(self, client, login):
        html = client.get("/funds?done=funds.nothing", headers={**HTML, **login("duty")}).text
        assert notice(html) is None


class TestTeamArrival:
    def test_a_called_up_team_arrives_through_its_page(self, client, login, step):
        from tests.emergency.preparedness.test_registries import TEAM

        cgw, duty = login("cgw"), login("duty")
        team = client.post("/api/preparedness/registries/teams", json=TEAM, headers=cgw).json()
        inc = create_incident(client, duty)
        page = f"/preparedness/registries/teams/{team['id']}"
        r = step(cgw, page, "/preparedness/call-ups", {"team_id": str(team["id"]), "incident_id": str(inc["id"]),
                                                       "task": "管线抢修"})
        assert shown(client, cgw, r) == "队伍已调用"
        html = client.get(page, headers={**HTML, **cgw}).text
        call_up = re.search(r'id="arrive-(\d+)"', html).group(1)
        r = step(cgw, page, f"/preparedness/call-ups/{call_up}/arrive", {"headcount": "18"})
        assert r.status_code == 422  # no command post yet: refused on the team's page, in words
        assert "现场指挥部" in r.text
        client.post(f"/api/incidents/{inc['id']}/command-post", headers=cgw, json={
            "location": "现场", "commander_name": "张三", "executive_name": "李四", "executive_unit": "区城市管理委"})
        r = step(cgw, page, f"/preparedness/call-ups/{call_up}/arrive", {"headcount": "18"})
        assert shown(client, cgw, r) == "队伍已到达现场，已向现场指挥部报到"
        post = client.get(f"/api/incidents/{inc['id']}/command-post", headers=cgw).json()
        assert [(x["team"], x["headcount"]) for x in post["check_ins"]] == [(TEAM["name"], 18)]
        assert f'id="arrive-{call_up}"' not in client.get(page, headers={**HTML, **cgw}).text


class TestCreditRecord:
    def test_points_blacklist_and_repair_through_the_record_page(self, client, wjw, step):  # noqa: F811
        from datetime import timedelta

        from dongcheng.core.time import today_local
        from tests.supervision.factories import BASE, register

        iid = register(client, wjw, 31).json()["id"]
        page = f"/supervision/institutions/{iid}"
        given = (today_local() - timedelta(days=100)).isoformat()
        r = step(wjw, page, f"{page}/points", {"occurred_on": given, "points": "0", "ground": "医疗废物未分类"})
        alert = r.text.split('id="credit-error">', 1)[1].split("</div>", 1)[0]
        assert r.status_code == 422 and alert.startswith("输入有误：记分") and "points" not in alert
        r = step(wjw, page, f"{page}/points", {"occurred_on": given, "points": "3", "ground": "医疗废物未分类"})
        assert shown(client, wjw, r) == "记分已登记"
        record = client.get(f"{BASE}/institutions/{iid}", headers=wjw).json()
        rid = record["points"][0]["id"]
        r = step(wjw, page, f"{page}/repair/points/{rid}", {"on": today_local().isoformat(), "reason": "整改到位"})
        assert shown(client, wjw, r) == "信用修复已登记，该记录不再公示"
        start, end = today_local(), today_local() + timedelta(days=365)
        black = {"ground": "非医师行医", "start_on": start.isoformat(), "end_on": end.isoformat()}
        r = step(wjw, page, f"{page}/blacklist", black)
        assert r.status_code == 422 and "确认列入黑名单并公示" in r.text
        assert client.get(f"{BASE}/credit/public").json()["blacklist"] == []
        r = step(wjw, page, f"{page}/blacklist", {**black, "confirm": "yes"})
        assert shown(client, wjw, r) == "已列入黑名单并公示"
        assert client.get(f"{BASE}/credit/public").json()["blacklist"][0]["institution"]["id"] == iid


class TestInspectionResultsAndClose:
    def test_results_recorded_and_the_plan_closed_only_when_confirmed(self, client, wjw, registry, step):  # noqa: F811
        p = plan(client, wjw, "steps-on-pages-seed-0001")
        page = f"/supervision/inspections/plans/{p['id']}"
        assert shown(client, wjw, step(wjw, page, f"{page}/draw", {})) == "已抽取检查对象和检查人员"
        html = client.get(page, headers={**HTML, **wjw}).text
        ids = re.findall(r'id="result-(\d+)"', html)
        assert ids and 'id="close-form"' in html and "确认结束本次抽查？" in html
        r = step(wjw, page, f"{page}/inspections/{ids[0]}/result", {"result": "maybe"})
        assert r.status_code == 422 and "检查结果" in r.text
        for inspection in ids:
            r = step(wjw, page, f"{page}/inspections/{inspection}/result", {"result": "compliant", "note": "无问题"})
            assert shown(client, wjw, r) == "检查结果已录入"
        r = step(wjw, page, f"{page}/close", {})
        assert r.status_code == 422 and "此操作不可撤销" in r.text
        assert client.get(f"{INS}/plans/{p['id']}", headers=wjw).json()["status"] == "drawn"
        r = step(wjw, page, f"{page}/close", {"confirm": "yes"})
        assert shown(client, wjw, r) == "抽查计划已结束，结果将按期公示"
        assert client.get(f"{INS}/plans/{p['id']}", headers=wjw).json()["status"] == "closed"


class TestMechanism:
    def test_the_key_goes_before_the_fragment_and_after_a_query(self):
        import dongcheng.emergency.incidents.forms  # noqa: F401  (registers the incident page's notices)
        import dongcheng.emergency.warnings.pages  # noqa: F401
        from dongcheng.web import steps

        assert steps.done_url("/incidents/3#reports", "report") == "/incidents/3?done=report#reports"
        assert steps.done_url("/warnings/subscribers?street=东四街道", "subscriber.register") == \
            "/warnings/subscribers?street=东四街道&done=subscriber.register"

    def test_a_key_means_one_sentence_and_an_unregistered_key_is_a_programming_error(self):
        import dongcheng.emergency.warnings.pages  # noqa: F401
        from dongcheng.web import steps

        steps.register({"warning.edit": "修改已保存"})  # the same sentence again: fine
        with pytest.raises(ValueError):
            steps.register({"warning.edit": "别的话"})
        with pytest.raises(KeyError):
            steps.done_url("/funds", "funds.nothing")


class TestFieldErrors:
    """steps.field_errors: what a refused form lists — each field by the form's label, a whole-form refusal unlabelled."""

    def test_pydantic_and_domain_fields_by_label_and_the_whole_form_without_one(self):
        from pydantic import BaseModel, ValidationError

        from dongcheng.core.errors import DomainError, FieldError, conflict
        from dongcheng.web import steps

        class Form(BaseModel):
            amount: int
            note: str

        with pytest.raises(ValidationError) as refused:
            Form.model_validate({"amount": "x"})
        rows = steps.field_errors(refused.value, {"amount": "金额（元）"})
        assert [(r["field"], r["label"]) for r in rows] == [("amount", "金额（元）"), ("note", "note")]
        assert all(r["zh"] and r["en"] for r in rows)
        named = DomainError("输入有误", "Invalid input", 422, [FieldError("lines.0.qty", "须为正数", "must be positive")])
        assert steps.field_errors(named, lambda f: f"第1行 {f.rsplit('.', 1)[-1]}") == [
            {"field": "lines.0.qty", "label": "第1行 qty", "zh": "须为正数", "en": "must be positive"}]
        whole = conflict("该申请已处理", "already decided")
        assert steps.field_errors(whole, {"form": "表单"}) == [
            {"field": "form", "label": "", "zh": "该申请已处理", "en": "already decided"}]
        assert steps.field_errors(whole, {}, fallback="station")[0]["field"] == "station"
