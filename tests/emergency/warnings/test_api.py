"""The warning API (SPEC §4) against 东政发〔2022〕3号 §3.2 — the issue's "done when" list, on both databases."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.audit.service import SYSTEM
from dongcheng.auth.service import create_user
from dongcheng.directory.models import Person
from dongcheng.directory.service import find_unit, record_appointment

from .conftest import BODY


class TestDraft:
    def test_create_returns_201_with_status_approver_and_basis(self, draft):
        w = draft(level="橙色")
        assert w["id"] and w["status"] == "draft" and w["drafting_unit"] == "区城市管理委"
        assert w["required_approver"] == {"post": "副区长", "person": "孙扬"}
        assert "§3.2.3(2)" in w["basis"] and w["grade"] == "二级"
        assert w["category"] == "自然灾害" and w["starts_at"] == "2022-07-01T08:00:00+08:00"

    def test_red_requires_the_mayor(self, draft):
        assert draft(level="红色")["required_approver"] == {"post": "区长", "person": "周金星"}

    def test_blue_is_approved_by_the_drafting_unit(self, draft):
        w = draft(level="蓝色")
        assert w["required_approver"]["post"].startswith("区城市管理委") and w["approval"]["kind"] == "unit"

    def test_bad_input_names_each_field(self, client, as_):
        r = client.post("/api/warnings", headers=as_("cgw"), json={
            **BODY, "level": "紫色", "starts_at": "tomorrow", "expected_duration_hours": -1})
        assert r.status_code == 422
        fields = {d["field"] for d in r.json()["detail"]}
        assert {"level", "starts_at", "expected_duration_hours"} <= fields
        assert all(d["msg_zh"] and d["msg_en"] for d in r.json()["detail"])

    def test_unknown_street_and_event_type_are_named(self, client, as_):
        r = client.post("/api/warnings", headers=as_("cgw"),
                        json={**BODY, "area_streets": ["东四街道", "中关村街道"], "event_type": "外星人入侵"})
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"area_streets", "event_type"}

    def test_leaders_and_anonymous_do_not_draft(self, client, as_):
        assert client.post("/api/warnings", json=BODY, headers=as_("mayor")).status_code == 403
        assert client.post("/api/warnings", json=BODY).status_code == 401

    def test_the_draft_is_audited(self, db, draft):
        w = draft()
        entry = db.scalar(select(AuditEntry).where(AuditEntry.target_type == "warning",
                                                   AuditEntry.target_id == str(w["id"])))
        assert entry.action == "warnings.draft" and entry.actor == "cgw" and "§3.2.1" in entry.basis


class TestContentBeforeApproval:
    def test_submit_names_every_missing_element(self, client, as_, step):
        r = client.post("/api/warnings", headers=as_("cgw"), json={"level": "橙色", "title": "待补充"})
        assert r.status_code == 201
        assert {m["field"] for m in r.json()["missing_content"]} == {
            "event_type", "starts_at", "expected_duration_hours", "area_streets", "precautions", "measures"}
        r = step(r.json()["id"], "submit", "cgw")
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {
            "event_type", "starts_at", "expected_duration_hours", "area_streets", "precautions", "measures"}
        assert all("§3.2.4" in d["msg_zh"] for d in r.json()["detail"])

    def test_a_draft_can_be_completed_then_submitted(self, client, as_, step):
        w = client.post("/api/warnings", headers=as_("cgw"), json={"level": "黄色", "title": "待补充"}).json()
        r = client.patch(f"/api/warnings/{w['id']}", headers=as_("cgw"), json={k: v for k, v in BODY.items()
                                                                                if k != "level"})
        assert r.status_code == 200 and r.json()["missing_content"] == []
        assert step(w["id"], "submit", "cgw").json()["status"] == "submitted"


class TestApprovalChain:
    """§3.2.3(2): orange from 区城市管理委 requires 孙扬; red requires 周金星; 李妍 cannot approve the former."""

    def test_orange_from_city_management(self, draft, step):
        w = draft(level="橙色")
        assert step(w["id"], "submit", "cgw").json()["status"] == "submitted"
        for other in ("li.yan", "mayor", "cgw", "duty", "street.dongsi"):
            r = step(w["id"], "approve", other)
            assert r.status_code == 403, (other, r.text)
        r = step(w["id"], "approve", "li.yan")
        assert "孙扬" in r.json()["error"]["msg_zh"]
        r = step(w["id"], "approve", "sun.yang")
        assert r.status_code == 200 and r.json()["status"] == "approved"
        assert r.json()["approved_by"] == "孙扬（副区长）"

    def test_red_needs_zhou_jinxing(self, draft, step):
        w = draft(level="红色")
        step(w["id"], "submit", "cgw")
        for other in ("sun.yang", "li.yan", "duty", "cgw"):
            assert step(w["id"], "approve", other).status_code == 403
        assert step(w["id"], "approve", "mayor").json()["approved_by"] == "周金星（区长）"

    def test_blue_yellow_approved_by_the_drafting_unit(self, draft, step):
        w = draft(level="蓝色")
        step(w["id"], "submit", "cgw")
        for other in ("street.dongsi", "duty", "mayor", "sun.yang"):
            assert step(w["id"], "approve", other).status_code == 403
        assert step(w["id"], "approve", "cgw").json()["status"] == "approved"

    def test_orange_from_the_emergency_bureau_goes_to_li_yan(self, draft, step):
        w = draft("duty", level="橙色")
        assert w["required_approver"] == {"post": "常务副区长", "person": "李妍"}
        step(w["id"], "submit", "duty")
        assert step(w["id"], "approve", "sun.yang").status_code == 403
        assert step(w["id"], "approve", "li.yan").status_code == 200

    def test_authority_follows_the_post(self, db, client, login, draft, step):
        """After an appointment changes who holds 区长, the new holder approves and the old one no longer can."""
        government = find_unit(db, "区政府")
        record_appointment(db, actor=SYSTEM, person_name="王新", unit=government, title="mayor", action="任命",
                           effective_on=date(2022, 3, 1), document="东政任〔2022〕9号（测试）")
        create_user(db, actor=SYSTEM, username="wang.xin", password="demo-password", display_name="王新（区长）",
                    role="leader", person=db.scalar(select(Person).where(Person.name == "王新")), is_demo=True)
        db.commit()
        w = draft(level="红色")
        assert w["required_approver"] == {"post": "区长", "person": "王新"}
        step(w["id"], "submit", "cgw")
        assert step(w["id"], "approve", "mayor").status_code == 403
        r = client.post(f"/api/warnings/{w['id']}/approve", headers=login("wang.xin"))
        assert r.status_code == 200 and r.json()["approved_by"] == "王新（区长）"


class TestReturnForRevision:
    """退回: the approver — or, for orange/red, the 区应急办 that runs the approval (§3.2.3(2)) — sends a proposal back."""

    def test_the_supervising_leader_returns_an_orange_proposal_and_it_comes_back_corrected(self, client, as_, draft,
                                                                                         step):
        w = draft(level="橙色")
        step(w["id"], "submit", "cgw")
        r = step(w["id"], "return", "sun.yang", {"reason": "影响范围请补充东华门街道"})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "draft" and r.json()["submitted_at"] is None
        assert r.json()["returns"][-1]["reason"] == "影响范围请补充东华门街道"
        assert r.json()["returns"][-1]["by"] == "孙扬"
        assert step(w["id"], "approve", "sun.yang").status_code == 409  # a draft again: nothing to approve
        fixed = client.patch(f"/api/warnings/{w['id']}", headers=as_("cgw"),
                             json={"area_streets": ["东四街道", "景山街道", "东华门街道"]})
        assert fixed.status_code == 200, fixed.text
        assert step(w["id"], "submit", "cgw").status_code == 200
        assert step(w["id"], "approve", "sun.yang").json()["status"] == "approved"

    def test_the_emergency_office_may_return_orange_and_red_but_not_a_departments_yellow(self, draft, step):
        red = draft(level="红色")
        step(red["id"], "submit", "cgw")
        assert step(red["id"], "return", "duty", {"reason": "请附气象台预报依据"}).status_code == 200
        yellow = draft(level="黄色")
        step(yellow["id"], "submit", "cgw")
        assert step(yellow["id"], "return", "duty", {"reason": "x"}).status_code == 403
        assert step(yellow["id"], "return", "cgw", {"reason": "自行撤回修改"}).status_code == 200

    def test_only_the_approver_may_return(self, draft, step):
        w = draft(level="橙色")
        step(w["id"], "submit", "cgw")
        for other in ("li.yan", "mayor", "street.dongsi"):
            assert step(w["id"], "return", other, {"reason": "x"}).status_code == 403, other
        assert step(w["id"], "return", "cgw", {"reason": "x"}).status_code == 403  # the drafter cannot unsubmit orange

    def test_a_return_needs_a_reason_and_a_submitted_proposal(self, draft, step):
        w = draft(level="橙色")
        assert step(w["id"], "return", "sun.yang", {"reason": "早了"}).status_code == 409  # still a draft
        step(w["id"], "submit", "cgw")
        for body in ({}, {"reason": ""}, {"reason": "   "}):
            r = step(w["id"], "return", "sun.yang", body)
            assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason", body
        assert step(w["id"], "approve", "sun.yang").json()["status"] == "approved"  # nothing half-done


class TestOrder:
    def test_steps_out_of_order_are_409(self, draft, step):
        w = draft(level="黄色")
        assert step(w["id"], "approve", "cgw").status_code == 409  # not submitted yet
        step(w["id"], "submit", "cgw")
        assert step(w["id"], "submit", "cgw").status_code == 409
        assert step(w["id"], "publish", "duty").status_code == 409  # not approved
        step(w["id"], "approve", "cgw")
        assert step(w["id"], "lift", "cgw").status_code == 409  # not published
        assert step(w["id"], "approve", "cgw").status_code == 409  # already approved

    def test_authority_is_checked_before_order(self, draft, step):
        w = draft(level="红色")
        assert step(w["id"], "approve", "sun.yang").status_code == 403


class TestPublication:
    def test_public_only_through_the_publication_centre(self, draft, step, client):
        w = draft(level="黄色")
        step(w["id"], "submit", "cgw")
        step(w["id"], "approve", "cgw")
        r = step(w["id"], "publish", "cgw")
        assert r.status_code == 403 and "区预警信息发布中心" in r.json()["error"]["msg_zh"]
        r = step(w["id"], "publish", "duty")
        assert r.status_code == 200 and r.json()["status"] == "published"
        assert r.json()["issuing_unit"] == "区城市管理委" and r.json()["publisher"] == "区预警信息发布中心"
        public = client.get("/api/public/warnings")
        assert public.status_code == 200 and w["id"] in [x["id"] for x in public.json()]

    def test_internal_published_by_the_drafting_unit_and_kept_in_the_industry(self, draft, step, client, as_):
        w = draft(level="黄色", public=False, area_streets=["东四街道"])
        step(w["id"], "submit", "cgw")
        step(w["id"], "approve", "cgw")
        assert step(w["id"], "publish", "duty").status_code == 403
        r = step(w["id"], "publish", "cgw")
        assert r.status_code == 200
        assert w["id"] not in [x["id"] for x in client.get("/api/public/warnings").json()]
        assert client.get(f"/api/warnings/{w['id']}", headers=as_("street.dongsi")).status_code == 200  # concerned
        assert client.get(f"/api/warnings/{w['id']}", headers=as_("sun.yang")).status_code == 404
        assert client.get(f"/api/warnings/{w['id']}/cap").status_code == 404
        assert r.json()["coverage"]["message"] is None  # no public fan-out for an internal warning

    def test_who_acts_as_the_emergency_office_is_read_from_the_unit(self, db, draft, step, client, login):
        """units.yaml marks the 区应急指挥中心 as the 区应急办 (``emergency_office``): its staff publish; unmarked, not."""
        centre = find_unit(db, "区应急指挥中心")
        assert centre.emergency_office
        create_user(db, actor=SYSTEM, username="ops", password="demo-password", display_name="指挥中心值守",
                    role="department", unit=centre, is_demo=True)
        db.commit()
        ops = login("ops")
        w = draft(level="黄色")
        step(w["id"], "submit", "cgw")
        step(w["id"], "approve", "cgw")
        centre.emergency_office = False
        db.commit()
        assert client.post(f"/api/warnings/{w['id']}/publish", headers=ops).status_code == 403
        centre.emergency_office = True
        db.commit()
        assert client.post(f"/api/warnings/{w['id']}/publish", headers=ops).status_code == 200

    def test_filing_and_notices_on_publication(self, published):
        w = published("黄色")
        assert [f["action"] for f in w["filings"]] == ["publish"]
        assert "市应急办" in w["filings"][0]["filed_with"] and "§3.2.3(2)" in w["filings"][0]["basis"]
        assert {n["unit"] for n in w["notices"]} == set(w["concerned_units"])


class TestResponseMeasures:
    """§3.2.5: publishing creates checklists for the units concerned."""

    def test_yellow_gets_the_four_blue_yellow_measures_per_unit(self, published):
        w = published("黄色")
        assert w["concerned_units"] == ["区城市管理委", "区气象局", "东四街道", "景山街道"] or \
            w["concerned_units"][0] == "区城市管理委"
        per_unit = {u: [i for i in w["checklist"] if i["unit"] == u] for u in w["concerned_units"]}
        assert all(len(items) == 4 and {i["list"] for i in items} == {"blue_yellow"} for items in per_unit.values())
        assert "东四街道" in per_unit and "景山街道" in per_unit

    def test_red_gets_twelve_per_unit(self, published):
        w = published("红色")
        for unit in w["concerned_units"]:
            items = [i for i in w["checklist"] if i["unit"] == unit]
            assert len(items) == 12
            assert [i["list"] for i in items].count("orange_red") == 8

    def test_a_unit_ticks_only_its_own_measures(self, published, client, as_):
        w = published("黄色")
        mine = next(i for i in w["checklist"] if i["unit"] == "东四街道")
        other = next(i for i in w["checklist"] if i["unit"] == "景山街道")
        r = client.post(f"/api/warnings/checklist/{mine['id']}/tick", json={"note": "已部署"},
                        headers=as_("street.dongsi"))
        assert r.status_code == 200 and r.json()["done_by"] == "street.dongsi"
        assert client.post(f"/api/warnings/checklist/{other['id']}/tick", json={},
                           headers=as_("street.dongsi")).status_code == 403


class TestLevelChange:
    def test_raising_yellow_to_red_needs_the_mayor(self, published, step):
        w = published("黄色")
        assert step(w["id"], "change-level", "cgw", {"level": "红色", "reason": "雨势加大"}).status_code == 403
        r = step(w["id"], "change-level", "mayor", {"level": "红色", "reason": "雨势加大"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["level"] == "红色" and body["level_changes"][0]["from"] == "黄色"
        assert "§3.2.6" in body["level_changes"][0]["basis"]
        assert [f["action"] for f in body["filings"]] == ["publish", "change_level"]
        assert "市相关专项指挥部办公室" in body["filings"][1]["filed_with"]
        assert len([i for i in body["checklist"] if i["unit"] == "区城市管理委"]) == 12
        assert [m["msg_type"] for m in body["messages"]] == ["Alert", "Update"]

    def test_same_level_is_422(self, published, step):
        w = published("黄色")
        assert step(w["id"], "change-level", "cgw", {"level": "黄色"}).status_code == 422


class TestLifting:
    """§3.2.7 谁发布、谁解除."""

    def test_a_street_cannot_lift_a_warning_it_did_not_issue(self, published, step):
        w = published("黄色")
        r = step(w["id"], "lift", "street.dongsi", {"reason": "雨停"})
        assert r.status_code == 403 and "谁发布、谁解除" in r.json()["error"]["msg_zh"]
        assert step(w["id"], "lift", "duty").status_code == 403

    def test_the_issuer_lifts_and_the_units_concerned_are_told(self, published, step, client):
        w = published("黄色")
        r = step(w["id"], "lift", "cgw", {"reason": "降雨结束"})
        assert r.status_code == 200
        body = r.json()
        assert body["status"] == "lifted" and body["lift_reason"] == "降雨结束"
        lift_notices = [n for n in body["notices"] if n["action"] == "lift"]
        assert {n["unit"] for n in lift_notices} == set(body["concerned_units"])
        assert all("§3.2.7" in n["basis"] for n in lift_notices)
        assert body["filings"][-1]["action"] == "lift"
        assert [m["msg_type"] for m in body["messages"]] == ["Alert", "Cancel"]
        assert w["id"] not in [x["id"] for x in client.get("/api/public/warnings").json()]
        assert step(w["id"], "lift", "cgw").status_code == 409

    def test_a_public_red_warning_is_lifted_by_the_emergency_office(self, published, step):
        w = published("红色")
        assert w["issuing_unit"] == "区应急局"  # the unit the directory knows as 区应急办
        assert step(w["id"], "lift", "cgw").status_code == 403
        assert step(w["id"], "lift", "duty").status_code == 200


class TestAudit:
    def test_every_step_writes_one_entry_with_its_basis(self, db, published, step):
        w = published("橙色")
        step(w["id"], "lift", "duty", {"reason": "解除"})
        rows = db.execute(select(AuditEntry.action, AuditEntry.basis).where(
            AuditEntry.target_type == "warning", AuditEntry.target_id == str(w["id"])).order_by(AuditEntry.id)).all()
        assert [a for a, _ in rows] == ["warnings.draft", "warnings.submit", "warnings.approve", "warnings.publish",
                                        "warnings.lift"]
        assert all(b for _, b in rows)
        assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "warnings.approve",
                                                                              AuditEntry.target_id == str(w["id"]))) == 1


class TestVisibility:
    def test_drafts_are_not_public(self, draft, client, as_):
        w = draft()
        assert client.get(f"/api/warnings/{w['id']}").status_code == 401
        assert client.get(f"/api/warnings/{w['id']}", headers=as_("street.dongsi")).status_code == 404
        assert client.get(f"/api/warnings/{w['id']}", headers=as_("duty")).status_code == 200

    def test_inbox_lists_what_waits_for_the_caller(self, draft, step, client, as_):
        w = draft(level="橙色")
        step(w["id"], "submit", "cgw")
        inbox = client.get("/api/warnings/inbox", headers=as_("sun.yang")).json()
        assert [(x["id"], x["waiting_for"]) for x in inbox if x["id"] == w["id"]] == [(w["id"], "approve")]
        assert w["id"] not in [x["id"] for x in client.get("/api/warnings/inbox", headers=as_("li.yan")).json()]


class TestBadIds:
    def test_ids_out_of_range_are_422_not_500(self, client, as_):
        for url in ("/api/warnings/99999999999999999999999/submit", "/api/warnings/checklist/0/tick"):
            r = client.post(url, json={}, headers=as_("duty"))
            assert r.status_code == 422, (url, r.text)
        assert client.get("/api/warnings/99999999999999999999999", headers=as_("duty")).status_code == 422
