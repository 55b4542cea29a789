"""Disposal checklists (处置措施, 东政发〔2022〕3号 §4.5) by category, written from the clauses."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import yaml
from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.core.config import REPO_ROOT
from dongcheng.emergency.checklists import rules
from dongcheng.emergency.checklists.models import ChecklistItem, DisposalChecklist
from tests.emergency.reference_lists import measure_lists

BJ = timezone(timedelta(hours=8))
RECEIVED = (datetime.now(UTC) - timedelta(hours=3)).replace(microsecond=0).astimezone(BJ)

# §4.5.1 (1)–(13), the opening words of each item in the gazette's order
GAZETTE_4_5_1 = ("在确保应急救援人员安全的前提下", "迅速控制危险源", "抢修或协同市级相关部门抢修", "禁止或限制使用有关设备",
                 "启用储备的应急救援物资", "组织公民、法人和其他组织参与", "向受到危害的人员提供避难场所",
                 "依法从严惩处囤积居奇", "依法从严惩处哄抢财物", "进入相关场所进行检查和封存物品",
                 "拆除、迁移妨碍应急处置", "采取防止发生次生、衍生事件", "有关法律、法规、规章规定的其他应急处置措施")


def incident(client, headers, **kw) -> dict:
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (RECEIVED - timedelta(minutes=5)).isoformat(), "received_at": RECEIVED.isoformat(),
            "source": "12345", "title": "燃气泄漏"}
    body.update(kw)
    r = client.post("/api/incidents", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def create(client, headers, incident_id: int, **body) -> dict:
    r = client.post(f"/api/incidents/{incident_id}/checklist", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def tick(client, headers, incident_id: int, item_id: int, **body):
    return client.post(f"/api/incidents/{incident_id}/checklist/items/{item_id}", json=body, headers=headers)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


class TestRules:
    def test_the_category_chooses_the_list(self):
        lists = measure_lists()
        assert rules.choose_list("自然灾害", None, lists).key == "natural_and_accident"
        assert rules.choose_list("事故灾难", None, lists).basis.clause == "§4.5.1"
        assert rules.choose_list("公共卫生事件", None, lists).basis.clause == "§4.5.2"
        assert rules.choose_list("社会安全事件", None, lists).basis.clause == "§4.5.3"
        assert rules.choose_list("社会安全事件", None, lists).decision.allowed
        unknown = rules.choose_list(None, None, lists)
        assert unknown.key is None
        assert (unknown.decision.allowed, unknown.decision.status, unknown.decision.field) == (False, 422, "list")
        assert unknown.decision.basis.clause == "§4.5"

    def test_a_list_can_be_chosen_explicitly(self):
        choice = rules.choose_list(None, "public_health", measure_lists())
        assert choice.key == "public_health" and choice.explicit and choice.basis.note == "按指定清单"
        assert choice.clause == "§4.5.2"

    def test_progress_and_untick_reason(self):
        assert rules.progress([True, False, True]).to_dict()["text"] == "2/3"
        clause = "东政发〔2022〕3号 §4.5.1"
        no_reason = rules.may_tick(currently_done=True, want_done=False, note="", clause=clause)
        assert (no_reason.allowed, no_reason.status, no_reason.field) == (False, 422, "note")
        assert no_reason.basis.clause == "§4.5.1"
        again = rules.may_tick(currently_done=True, want_done=True, note="", clause=clause)
        assert (again.allowed, again.status, again.field, again.zh) == (False, 409, None, "该措施已勾选")
        assert rules.may_tick(currently_done=True, want_done=False, note="误勾", clause=clause).allowed


class TestCreate:
    def test_gas_accident_has_the_13_items_of_4_5_1_in_order(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        assert inc["category"] == "事故灾难"
        checklist = create(client, cgw, inc["id"])
        assert checklist["list"] == "disposal_measures.natural_and_accident" and checklist["clause"] == "§4.5.1"
        assert checklist["basis"] == "东政发〔2022〕3号 §4.5.1（事故灾难类事件）"
        items = checklist["items"]
        assert [i["seq"] for i in items] == list(range(1, 14))
        assert all(i["text"].startswith(opening) for i, opening in zip(items, GAZETTE_4_5_1, strict=True))
        data = yaml.safe_load((REPO_ROOT / "data/emergency/lists.yaml").read_text(encoding="utf-8"))
        assert [i["text"] for i in items] == [r["text"] for r in data["disposal_measures"]["natural_and_accident"]["items"]]
        assert {i["clause"] for i in items} == {"东政发〔2022〕3号 §4.5.1"}
        assert checklist["progress"] == {"done": 0, "total": 13, "text": "0/13", "complete": False}
        assert client.get(f"/api/incidents/{inc['id']}/checklist", headers=login("admin")).json() == checklist

    def test_public_health_has_10_and_social_security_7(self, client, login):
        duty = login("duty")
        health = create(client, duty, incident(client, duty, event_type="重大传染病疫情")["id"])
        assert health["clause"] == "§4.5.2" and len(health["items"]) == 10
        assert health["items"][0]["text"].startswith("针对特定人群、场所、区域组织开展病原检测")
        social = create(client, duty, incident(client, duty, event_type="刑事案件")["id"])
        assert social["clause"] == "§4.5.3" and len(social["items"]) == 7
        assert social["items"][-1]["text"].startswith("有关法律、法规等规定的其他必要措施")

    def test_unknown_category_asks_for_the_type_or_a_list(self, client, login, db):
        duty = login("duty")
        inc = incident(client, duty, event_type=None)
        before = count(db, DisposalChecklist)
        r = client.post(f"/api/incidents/{inc['id']}/checklist", json={}, headers=duty)
        assert r.status_code == 422
        [detail] = r.json()["detail"]
        assert detail["field"] == "list" and "请先确定事件类型" in detail["msg_zh"]
        assert count(db, DisposalChecklist) == before
        chosen = create(client, duty, inc["id"], list="disposal_measures.social_security")
        assert chosen["clause"] == "§4.5.3" and chosen["basis"] == "东政发〔2022〕3号 §4.5.3（按指定清单）"

    def test_an_unknown_list_name_is_422(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        before = count(db, DisposalChecklist)
        r = client.post(f"/api/incidents/{inc['id']}/checklist", json={"list": "warning_measures"}, headers=cgw)
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "list"
        assert count(db, DisposalChecklist) == before

    def test_one_checklist_per_incident(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        create(client, cgw, inc["id"])
        assert client.post(f"/api/incidents/{inc['id']}/checklist", json={}, headers=cgw).status_code == 409

    def test_another_department_gets_403(self, client, login, db):
        inc = incident(client, login("duty"), event_type="火灾事故")
        before = count(db, DisposalChecklist)
        assert client.post(f"/api/incidents/{inc['id']}/checklist", json={}, headers=login("cgw")).status_code == 403
        assert count(db, DisposalChecklist) == before
        checklist = create(client, login("duty"), inc["id"])
        r = tick(client, login("cgw"), inc["id"], checklist["items"][0]["id"], done=True)
        assert r.status_code == 403

    def test_no_checklist_yet_is_404(self, client, login):
        inc = incident(client, login("cgw"))
        assert client.get(f"/api/incidents/{inc['id']}/checklist", headers=login("cgw")).status_code == 404


class TestTick:
    def test_tick_with_who_when_note_and_progress(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        items = create(client, cgw, inc["id"])["items"]
        at = RECEIVED + timedelta(minutes=25)
        r = tick(client, cgw, inc["id"], items[1]["id"], done=True, note="划定警戒区 50 米", at=at.isoformat())
        assert r.status_code == 200, r.text
        item = r.json()["item"]
        assert item["done"] and item["done_by"] == "cgw" and item["done_by_unit"] == "区城市管理委"
        assert item["done_at"] == at.isoformat() and item["note"] == "划定警戒区 50 米"
        assert r.json()["progress"]["text"] == "1/13"
        r = tick(client, login("duty"), inc["id"], items[0]["id"], done=True)
        assert r.json()["progress"]["done"] == 2 and r.json()["item"]["done_by_unit"] == "区应急局"
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "checklist.tick").order_by(AuditEntry.id.desc()))
        assert entry.basis == "东政发〔2022〕3号 §4.5.1" and entry.after["item_id"] == items[0]["id"]

    def test_untick_needs_a_reason_and_is_audited(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        item_id = create(client, cgw, inc["id"])["items"][4]["id"]
        assert tick(client, cgw, inc["id"], item_id, done=True, note="启用储备物资").status_code == 200
        r = tick(client, cgw, inc["id"], item_id, done=False)
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["note"]
        assert db.scalar(select(ChecklistItem.done).where(ChecklistItem.id == item_id)) is True
        r = tick(client, cgw, inc["id"], item_id, done=False, note="误勾：物资尚未调拨")
        assert r.status_code == 200
        item = r.json()["item"]
        assert not item["done"] and item["done_by"] is None and r.json()["progress"]["text"] == "0/13"
        assert [(h["done"], h["note"]) for h in item["history"]] == [(True, "启用储备物资"), (False, "误勾：物资尚未调拨")]
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "checklist.untick")
                          .order_by(AuditEntry.id.desc()))
        assert entry.note == "误勾：物资尚未调拨" and entry.before["done"] is True and entry.after["done"] is False

    def test_ticking_twice_or_unticking_an_open_item_is_409(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        item_id = create(client, cgw, inc["id"])["items"][0]["id"]
        assert tick(client, cgw, inc["id"], item_id, done=False, note="x").status_code == 409
        assert tick(client, cgw, inc["id"], item_id, done=True).status_code == 200
        assert tick(client, cgw, inc["id"], item_id, done=True).status_code == 409

    def test_bad_input_names_each_field_and_saves_nothing(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        item_id = create(client, cgw, inc["id"])["items"][0]["id"]
        r = tick(client, cgw, inc["id"], item_id, done="maybe", at="later")
        assert r.status_code == 422 and {d["field"] for d in r.json()["detail"]} == {"done", "at"}
        future = (datetime.now(BJ) + timedelta(hours=1)).isoformat()
        r = tick(client, cgw, inc["id"], item_id, done=True, at=future)
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["at"]
        assert db.scalar(select(ChecklistItem.done).where(ChecklistItem.id == item_id)) is False

    def test_an_item_of_another_incident_is_404(self, client, login):
        cgw = login("cgw")
        a, b = incident(client, cgw), incident(client, cgw)
        item_id = create(client, cgw, a["id"])["items"][0]["id"]
        create(client, cgw, b["id"])
        assert tick(client, cgw, b["id"], item_id, done=True).status_code == 404
