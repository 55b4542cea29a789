"""Recovery and rebuilding (恢复与重建, 东政发〔2022〕3号 §4.8, §5), written from the clauses."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.recovery import rules
from dongcheng.emergency.recovery.models import LossReport, MeritEntry, Recovery, ReliefRecord

BJ = timezone(timedelta(hours=8))
RECEIVED = (datetime.now(UTC) - timedelta(hours=5)).replace(microsecond=0).astimezone(BJ)
ENDED = RECEIVED + timedelta(hours=2)
TODAY = datetime.now(BJ).date().isoformat()

LOSSES = {"dead": 0, "injured": 2, "missing": 0, "direct_economic_loss_yuan": "1234567.89", "houses_damaged": 3,
          "notes": "楼道及两户厨房受损"}
MUTATIONS = (("plan", {"text": "恢复供气、修复楼道"}), ("losses", LOSSES),
             ("relief", {"recipient": "张某", "kind": "临时救助", "amount_yuan": "2000"}),
             ("insurance-claims", {"claimant": "张某", "insurer": "某保险公司"}),
             ("evaluation", {"report": "总结评估", "date": TODAY}),
             ("accountability", {"subject": "燃气抢险队", "kind": "表彰", "reason": "处置得力"}), ("close", {}))


def incident(client, headers, **kw) -> dict:
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (RECEIVED - timedelta(minutes=5)).isoformat(), "received_at": RECEIVED.isoformat(),
            "source": "12345", "title": "燃气泄漏"}
    body.update(kw)
    r = client.post("/api/incidents", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def ended(client, headers, **kw) -> dict:
    inc = incident(client, headers, **kw)
    r = client.post(f"/api/incidents/{inc['id']}/end", headers=headers, json={"reason": "处置完毕",
                                                                              "at": ENDED.isoformat()})
    assert r.status_code == 200, r.text
    return r.json()


def post(client, headers, incident_id: int, path: str, body: dict):
    return client.post(f"/api/incidents/{incident_id}/recovery/{path}", json=body, headers=headers)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


class TestRules:
    def test_evaluation_is_required_for_general_and_larger_only(self):
        for grade in ("一般", "较大"):
            decision = rules.evaluation_required(grade)
            assert decision.value is True and decision.basis.clause == "§5.4.2"
        for grade in ("重大", "特别重大"):
            decision = rules.evaluation_required(grade)
            assert decision.value is False and "§5.4.2" in decision.basis.clause
        assert rules.evaluation_required(None).value is False

    def test_the_category_names_who_counts_the_losses(self):
        assert rules.loss_counting_unit("自然灾害").value == "区应急局"
        assert rules.loss_counting_unit("事故灾难").value == "区应急局"
        assert rules.loss_counting_unit("公共卫生事件").value == "区卫生健康委"
        assert rules.loss_counting_unit("社会安全事件").value == "东城公安分局"
        assert rules.loss_counting_unit(None).value is None
        assert str(rules.loss_counting_unit("事故灾难").basis) == "东政发〔2022〕3号 §5.1.2"

    def test_recovery_waits_for_the_end(self):
        early = rules.may_record(ended=False, closed=False)
        assert (early.allowed, early.status, early.basis.clause) == (False, 409, "§4.8, §5.1.1")
        assert early.zh == "应急处置尚未结束：恢复与重建在宣布应急结束后开展（东政发〔2022〕3号 §4.8, §5.1.1）"
        assert rules.may_record(ended=True, closed=False).allowed
        closed = rules.may_record(ended=True, closed=True)
        assert (closed.allowed, closed.status, closed.basis.clause) == (False, 409, "§5")

    def test_an_order_to_rectify_names_its_deadline(self):
        refused = rules.may_record_merit("责令整改", has_deadline=False)
        assert (refused.allowed, refused.status, refused.field, refused.basis.clause) == (False, 422, "deadline",
                                                                                         "§5.5.1")
        assert rules.may_record_merit("责令整改", has_deadline=True).allowed
        assert rules.may_record_merit("处分", has_deadline=False).basis.clause == "§5.5.2"

    def test_closing_waits_for_each_blocker(self):
        blockers = rules.close_blockers(ended=True, closed=False, evaluation_required=True, evaluation_in=False)
        refused = rules.may_close(blockers)
        assert (refused.allowed, refused.status, refused.basis.clause) == (False, 409, "§5")
        assert refused.zh == "一般、较大突发事件须先提交调查评估报告（东政发〔2022〕3号 §5.4.2）"
        assert rules.may_close([]).allowed

    def test_money_is_exact(self):
        from decimal import Decimal
        assert rules.to_fen(Decimal("1234567.89")) == 123456789 and rules.to_yuan(123456789) == "1234567.89"
        assert rules.to_yuan(200000) == "2000.00" and rules.to_yuan(None) is None


class TestBeforeTheEnd:
    def test_recovery_before_the_end_is_409_and_saves_nothing(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw, grade="一般")
        before = count(db, Recovery)
        for path, body in MUTATIONS:
            r = post(client, cgw, inc["id"], path, body)
            assert r.status_code == 409, (path, r.text)
            assert "§4.8" in r.json()["error"]["msg_zh"]
        assert count(db, Recovery) == before
        shown = client.get(f"/api/incidents/{inc['id']}/recovery", headers=cgw).json()
        assert shown["available"] is False and "§4.8" in shown["not_available_reason"]
        assert shown["evaluation_required"] is True


class TestEvaluationRequired:
    def test_true_for_general_and_larger_false_for_major(self, client, login):
        duty = login("duty")
        for grade, required in (("一般", True), ("较大", True), ("重大", False)):
            inc = ended(client, duty, grade=grade)
            shown = client.get(f"/api/incidents/{inc['id']}/recovery", headers=duty).json()
            assert shown["evaluation_required"] is required, grade
            assert "§5.4.2" in shown["evaluation_required_basis"]

    def test_larger_incident_closes_only_after_the_evaluation(self, client, login, db):
        cgw = login("cgw")
        inc = ended(client, cgw, grade="较大")
        r = post(client, cgw, inc["id"], "close", {})
        assert r.status_code == 409 and "§5.4.2" in r.json()["error"]["msg_zh"]
        assert db.scalar(select(Incident.status).where(Incident.id == inc["id"])) == "ended"
        r = post(client, cgw, inc["id"], "evaluation", {"report": "应对工作总结评估：……", "investigation": "调查组结论",
                                                        "date": TODAY})
        assert r.status_code == 200, r.text
        assert r.json()["evaluation"]["date"] == TODAY and r.json()["close_blockers"] == []
        r = post(client, cgw, inc["id"], "close", {"note": "善后完毕"})
        assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["closed_at"].endswith("+08:00")
        assert client.get(f"/api/incidents/{inc['id']}", headers=cgw).json()["status"] == "closed"
        assert post(client, cgw, inc["id"], "plan", {"text": "x"}).status_code == 409
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "recovery.close").order_by(AuditEntry.id.desc()))
        assert "§5.4.2" in entry.basis and entry.after["status"] == "closed"

    def test_a_major_incident_closes_without_a_district_evaluation(self, client, login):
        duty = login("duty")
        inc = ended(client, duty, grade="重大")
        r = post(client, duty, inc["id"], "close", {})
        assert r.status_code == 200 and r.json()["status"] == "closed"


class TestRecords:
    def test_plan_losses_relief_insurance_merits(self, client, login, db):
        cgw = login("cgw")
        inc = ended(client, cgw, grade="一般")
        iid = inc["id"]
        r = post(client, cgw, iid, "plan", {"text": "恢复供气；修复楼道；安置两户"})
        assert r.status_code == 200 and r.json()["plan"]["text"] == "恢复供气；修复楼道；安置两户"
        assert r.json()["plan"]["basis"] == "东政发〔2022〕3号 §5.1.1"
        r = post(client, cgw, iid, "losses", LOSSES)
        assert r.status_code == 201, r.text
        assert r.json()["direct_economic_loss_yuan"] == "1234567.89" and r.json()["counting_unit"] == "区应急局"
        r = post(client, cgw, iid, "relief", {"recipient": "张某", "kind": "临时救助", "amount_yuan": 2000.5,
                                              "given_on": TODAY})
        assert r.status_code == 201 and r.json()["amount_yuan"] == "2000.50"
        assert r.json()["basis"] == "东政发〔2022〕3号 §5.2.2"
        r = post(client, cgw, iid, "insurance-claims", {"claimant": "张某", "insurer": "某财产保险公司",
                                                        "amount_claimed_yuan": "50000", "status": "理赔中"})
        assert r.status_code == 201 and r.json()["basis"] == "东政发〔2022〕3号 §5.3.1"
        r = post(client, cgw, iid, "accountability", {"subject": "燃气抢险队", "kind": "表彰", "reason": "处置得力"})
        assert r.status_code == 201 and r.json()["basis"] == "东政发〔2022〕3号 §5.5.1"
        r = post(client, cgw, iid, "accountability", {"subject": "某物业公司", "kind": "责令整改",
                                                      "reason": "未按预案履行职责", "deadline": TODAY})
        assert r.status_code == 201 and r.json()["deadline"] == TODAY
        r = post(client, cgw, iid, "accountability", {"subject": "某责任人", "kind": "处分", "reason": "迟报"})
        assert r.json()["basis"] == "东政发〔2022〕3号 §5.5.2"
        shown = client.get(f"/api/incidents/{iid}/recovery", headers=login("admin")).json()
        assert shown["available"] is True and shown["losses"]["injured"] == 2
        assert shown["loss_counting_unit"] == {"unit": "区应急局", "text": shown["loss_counting_unit"]["text"],
                                               "basis": "东政发〔2022〕3号 §5.1.2"}
        assert [m["kind"] for m in shown["commendations_and_accountability"]] == ["表彰", "责令整改", "处分"]
        assert len(shown["relief"]) == 1 and len(shown["insurance_claims"]) == 1
        assert shown["close_blockers"][0]["basis"] == "东政发〔2022〕3号 §5.4.2"
        actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.target_id == str(iid))))
        assert {"recovery.plan", "recovery.losses", "recovery.relief", "recovery.insurance", "recovery.merit"} <= actions

    def test_losses_are_counted_by_the_department_the_category_names(self, client, login, db):
        duty = login("duty")  # wjw: the demo user of 区卫生健康委 (supervision/tasks/module.py)
        inc = ended(client, duty, event_type="食品安全事件")  # 公共卫生事件, lead: 区市场监管局
        shown = client.get(f"/api/incidents/{inc['id']}/recovery", headers=duty).json()
        assert shown["loss_counting_unit"]["unit"] == "区卫生健康委"
        wjw = login("wjw")
        r = post(client, wjw, inc["id"], "losses", {**LOSSES, "direct_economic_loss_yuan": 0})
        assert r.status_code == 201 and r.json()["reported_unit"] == "区卫生健康委"
        # counting losses does not make it the lead: other recovery work stays with the lead department
        assert post(client, wjw, inc["id"], "plan", {"text": "x"}).status_code == 403

    def test_another_department_gets_403(self, client, login, db):
        duty = login("duty")
        inc = ended(client, duty, event_type="火灾事故", grade="一般")
        before = count(db, Recovery)
        for path, body in MUTATIONS:
            assert post(client, login("cgw"), inc["id"], path, body).status_code == 403, path
        assert count(db, Recovery) == before

    def test_bad_input_names_each_field_and_saves_nothing(self, client, login, db):
        cgw = login("cgw")
        inc = ended(client, cgw, grade="一般")
        before = (count(db, LossReport), count(db, ReliefRecord), count(db, MeritEntry))
        r = post(client, cgw, inc["id"], "losses", {"dead": -1, "injured": "two", "missing": 0,
                                                    "direct_economic_loss_yuan": "12.345"})
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"dead", "injured", "direct_economic_loss_yuan"}
        assert all(d["msg_zh"] and d["msg_en"] for d in r.json()["detail"])
        r = post(client, cgw, inc["id"], "relief", {"recipient": "", "kind": "发红包", "amount_yuan": -5})
        assert {d["field"] for d in r.json()["detail"]} == {"recipient", "kind", "amount_yuan"}
        r = post(client, cgw, inc["id"], "accountability", {"subject": "某单位", "kind": "责令整改", "reason": "x"})
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["deadline"]
        r = post(client, cgw, inc["id"], "accountability", {"subject": "某单位", "kind": "罚款", "reason": "x"})
        assert [d["field"] for d in r.json()["detail"]] == ["kind"]
        r = post(client, cgw, inc["id"], "evaluation", {"report": "x", "date": "2001-01-01"})
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["date"]
        r = post(client, cgw, inc["id"], "insurance-claims", {"claimant": "a", "insurer": "b", "status": "已赔付"})
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["amount_paid_yuan"]
        assert (count(db, LossReport), count(db, ReliefRecord), count(db, MeritEntry)) == before
        assert db.scalar(select(func.count()).select_from(Recovery).where(Recovery.incident_id == inc["id"])) == 0

    def test_losses_are_kept_as_a_history_the_latest_current(self, client, login):
        cgw = login("cgw")
        inc = ended(client, cgw)
        post(client, cgw, inc["id"], "losses", LOSSES)
        post(client, cgw, inc["id"], "losses", {**LOSSES, "injured": 3, "notes": "核实后"})
        shown = client.get(f"/api/incidents/{inc['id']}/recovery", headers=cgw).json()
        assert shown["losses"]["injured"] == 3 and [h["injured"] for h in shown["loss_history"]] == [2, 3]
        assert shown["evaluation_required"] is False  # ungraded: not a §5.4.2 case
