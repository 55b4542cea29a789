"""Material dispatch (东政发〔2022〕3号 §6.4.3), written from the clause: 负责突发事件处置的主责部门根据处置需要提出应急物资
需求，经主管区领导批准后下达应急物资调拨指令。北京市或市相关部门、京内其他区需要调拨本区应急物资时，由区应急委统一协调。"""
from __future__ import annotations

import re

from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.core.time import today_local
from dongcheng.emergency.preparedness import rules
from dongcheng.emergency.preparedness.enums import DispatchAction, DispatchStatus
from tests.emergency.preparedness.helpers import balance, incident, item, line, ok, receive, request, warehouse


def setup_stock(client, duty, quantity=100):
    w, i = warehouse(client, duty), item(client, duty)
    receive(client, duty, w["id"], i["id"], quantity)
    return w, i


class TestRules:
    def test_the_state_table_follows_the_clause(self):
        assert rules.FLOW.target(DispatchStatus.REQUESTED, DispatchAction.APPROVE) == DispatchStatus.ORDERED
        assert rules.FLOW[DispatchAction.APPROVE].basis.clause == "§6.4.3"
        assert "经主管区领导批准后下达应急物资调拨指令" in str(rules.FLOW[DispatchAction.APPROVE].basis)
        refused = rules.FLOW.step(DispatchStatus.REQUESTED, DispatchAction.ISSUE)
        assert not refused.allowed and refused.status == 409

    def test_order_number_style(self):
        assert rules.dispatch_number(2026, 17) == "东应调〔2026〕17号"

    def test_a_department_cannot_enter_an_external_request(self):
        dept = rules.Acting("department", unit_id=5, emergency_office=False)
        decision = rules.may_request(dept, "city", lead_unit_ids=set(), requesting_unit_id=None)
        assert not decision.allowed and "区应急委" in decision.zh and decision.basis.clause == "§6.4.3"
        office = rules.Acting("duty_officer", unit_id=1, emergency_office=True)
        assert rules.may_request(office, "other_district", lead_unit_ids=set(), requesting_unit_id=None).allowed

    def test_shortfall(self):
        assert rules.shortfall(10, 7) == 3 and rules.shortfall(10, 10) == 0


def test_city_management_request_needs_sun_yang_and_li_yan_is_refused(client, login, db):
    duty, cgw = login("duty"), login("cgw")
    w, i = setup_stock(client, duty)
    inc = incident(client, duty)
    d = request(client, cgw, inc["id"], [line(i["id"], 10)], purpose="抢险人员临时休息")
    assert d["status"] == "requested" and d["number"] is None
    approver = d["required_approver"]
    assert [s["person"] for s in approver["seats"]] == ["孙扬"]
    assert "§6.4.3" in approver["basis"] and "东政办发〔2021〕18号" in approver["basis"]

    r = client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=login("li.yan"))
    assert r.status_code == 403 and "孙扬" in r.json()["error"]["msg_zh"]
    assert client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=cgw).status_code == 403
    assert client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=duty).status_code == 403

    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=login("sun.yang")))
    assert d["status"] == "ordered" and d["approved_by"] == "sun.yang"
    assert re.fullmatch(rf"东应调〔{today_local().year}〕\d+号", d["number"])
    # a second approval is out of order
    assert client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=login("sun.yang")).status_code == 409

    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/issue", json={"warehouse_id": w["id"]}, headers=duty))
    assert d["status"] == "issued" and d["lines"][0]["issued"] == 10
    assert balance(client, duty, i["id"]) == 90

    lid = d["lines"][0]["id"]
    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/receive",
                       json={"lines": [{"line_id": lid, "quantity": 7}]}, headers=cgw))
    assert d["status"] == "received" and d["lines"][0]["received"] == 7 and d["lines"][0]["shortfall"] == 3
    actions = [e["action"] for e in d["timeline"]]
    assert actions == ["request", "approve", "issue", "receive"]
    assert all("§6.4" in e["basis"] for e in d["timeline"])
    audited = db.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "dispatch_request",
                                                         AuditEntry.target_id == str(d["id"]))).all()
    assert audited == ["preparedness.dispatch.request", "preparedness.dispatch.approve",
                       "preparedness.dispatch.issue", "preparedness.dispatch.receive"]
    assert all("§6.4" in b for b in db.scalars(select(AuditEntry.basis).where(
        AuditEntry.target_type == "dispatch_request", AuditEntry.target_id == str(d["id"]))))


def test_numbers_run_per_year_without_gaps(client, login):
    duty, cgw, sun = login("duty"), login("cgw"), login("sun.yang")
    _, i = setup_stock(client, duty)
    inc = incident(client, duty)
    numbers = []
    for _ in range(3):
        d = request(client, cgw, inc["id"], [line(i["id"], 1)])
        numbers.append(ok(client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=sun))["number"])
    seqs = [int(re.search(r"〕(\d+)号", n).group(1)) for n in numbers]
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]


def test_only_the_lead_department_requests(client, login):
    duty = login("duty")
    _, i = setup_stock(client, duty)
    inc = incident(client, duty)
    r = client.post("/api/preparedness/dispatches", json={"incident_id": inc["id"], "requesting_unit": "东四街道",
                                                          "lines": [line(i["id"], 1)]}, headers=login("street.dongsi"))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "requesting_unit"
    r = client.post("/api/preparedness/dispatches", json={"incident_id": inc["id"], "requesting_unit": "区城市管理委",
                                                          "lines": [line(i["id"], 1)]}, headers=login("street.dongsi"))
    assert r.status_code == 403


def test_bad_lines_are_422_naming_the_field(client, login):
    duty, cgw = login("duty"), login("cgw")
    inc = incident(client, duty)
    r = client.post("/api/preparedness/dispatches", json={"incident_id": inc["id"], "lines": [
        {"item_id": 1, "quantity": 0, "destination": "", "needed_by": "soon"}]}, headers=cgw)
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert {"lines.0.quantity", "lines.0.destination", "lines.0.needed_by"} <= fields
    assert all(d["msg_zh"] and d["msg_en"] for d in r.json()["detail"])
    r = client.post("/api/preparedness/dispatches", json={"incident_id": inc["id"], "lines": [line(999999, 1)]},
                    headers=cgw)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "lines.0.item_id"


def test_a_city_request_goes_through_the_committee_and_a_department_cannot_approve(client, login):
    duty, cgw = login("duty"), login("cgw")
    w, i = setup_stock(client, duty)
    body = {"origin": "city_department", "requesting_party": "北京市应急管理局", "lines": [line(i["id"], 5)]}
    assert client.post("/api/preparedness/dispatches", json=body, headers=cgw).status_code == 403
    d = ok(client.post("/api/preparedness/dispatches", json=body, headers=duty), 201)
    assert d["required_approver"]["kind"] == "committee" and "§2.1.2" in d["required_approver"]["basis"]
    persons = [s["person"] for s in d["required_approver"]["seats"]]
    assert persons[0] == "周金星" and set(persons) >= {"周金星", "李妍", "孙扬"}
    # a department (even the one whose leader would approve a district request) cannot approve it
    assert client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=cgw).status_code == 403
    assert client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=duty).status_code == 403
    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=login("mayor")))
    assert d["status"] == "ordered" and d["approved_post"].startswith("区应急委主任")
    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/issue", json={"warehouse_id": w["id"]}, headers=duty))
    assert client.post(f"/api/preparedness/dispatches/{d['id']}/receive", json={}, headers=cgw).status_code == 403
    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/receive", json={}, headers=duty))
    assert d["lines"][0]["received"] == 5 and d["lines"][0]["shortfall"] == 0


def test_return_and_resubmit(client, login):
    duty, cgw, sun = login("duty"), login("cgw"), login("sun.yang")
    _, i = setup_stock(client, duty)
    d = request(client, cgw, incident(client, duty)["id"], [line(i["id"], 1)])
    r = client.post(f"/api/preparedness/dispatches/{d['id']}/return", json={"reason": ""}, headers=sun)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason"
    assert client.post(f"/api/preparedness/dispatches/{d['id']}/return", json={"reason": "数量过大"},
                       headers=login("li.yan")).status_code == 403
    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/return", json={"reason": "请核实数量"}, headers=sun))
    assert d["status"] == "returned" and d["returned_reason"] == "请核实数量"
    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/resubmit", headers=cgw))
    assert d["status"] == "requested"


def test_issue_short_of_stock_is_409_and_books_nothing(client, login, db):
    duty, cgw, sun = login("duty"), login("cgw"), login("sun.yang")
    w, i = setup_stock(client, duty, quantity=4)
    d = request(client, cgw, incident(client, duty)["id"], [line(i["id"], 5)])
    ok(client.post(f"/api/preparedness/dispatches/{d['id']}/approve", headers=sun))
    r = client.post(f"/api/preparedness/dispatches/{d['id']}/issue", json={"warehouse_id": w["id"]}, headers=duty)
    assert r.status_code == 409 and "不足" in r.json()["error"]["msg_zh"]
    assert balance(client, duty, i["id"]) == 4
    assert ok(client.get(f"/api/preparedness/dispatches/{d['id']}", headers=duty))["status"] == "ordered"
    # the warehouse may issue less than ordered; the shortfall shows on receipt
    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/issue", json={
        "warehouse_id": w["id"], "lines": [{"line_id": d["lines"][0]["id"], "quantity": 4}]}, headers=duty))
    assert d["lines"][0]["issued"] == 4 and balance(client, duty, i["id"]) == 0
    d = ok(client.post(f"/api/preparedness/dispatches/{d['id']}/receive", json={}, headers=cgw))
    assert d["lines"][0]["received"] == 4 and d["lines"][0]["shortfall"] == 1
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "preparedness.dispatch.issue", AuditEntry.target_id == str(d["id"]))) == 1
