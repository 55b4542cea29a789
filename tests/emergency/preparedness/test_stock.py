"""Stock as a ledger (东政发〔2022〕3号 §6.4.1): every change a movement, the balance their sum, never negative; 盘点
counted vs booked per lot; 报废 with the 区应急办's approval; alerts below minimum and for expiring lots."""
from __future__ import annotations

from datetime import date, timedelta

from dongcheng.audit.service import SYSTEM
from dongcheng.auth import service as auth
from dongcheng.directory.service import find_unit
from dongcheng.emergency.preparedness import stock_rules
from dongcheng.emergency.preparedness.stock_rules import LotBalance
from tests.emergency.preparedness.helpers import balance, item, ok, receive, warehouse

API = "/api/preparedness"


class TestRules:
    def test_first_expiry_first_out_and_expired_lots_stay(self):
        today = date(2026, 6, 1)
        lots = [LotBalance(1, "A", None, 5), LotBalance(2, "B", date(2026, 7, 1), 3),
                LotBalance(3, "C", date(2026, 5, 1), 9), LotBalance(4, "D", date(2026, 6, 15), 2)]
        plan, decision = stock_rules.allocate(lots, 6, today, item="帐篷")
        assert decision.allowed and plan == [(4, 2), (2, 3), (1, 1)]  # C expired: never issued
        plan, decision = stock_rules.allocate(lots, 11, today, item="帐篷")
        assert not decision.allowed and decision.status == 409 and "可用库存10" in decision.zh and plan == []

    def test_never_below_zero(self):
        assert stock_rules.may_move(3, -3, lot="A").allowed
        refused = stock_rules.may_move(3, -4, lot="A")
        assert not refused.allowed and refused.status == 409 and refused.basis.clause == "§6.4.1"

    def test_expiry_alert_default_is_stated(self):
        assert stock_rules.EXPIRY_ALERT_DAYS == 30 and "平台默认" in str(stock_rules.EXPIRY_BASIS)
        today = date(2026, 6, 1)
        assert stock_rules.expiring(today + timedelta(days=30), today)
        assert not stock_rules.expiring(today + timedelta(days=31), today)
        assert stock_rules.expiring(today + timedelta(days=31), today, 31)


def test_ledger_transfer_count_and_scrap(client, login, db):
    duty, cgw = login("duty"), login("cgw")
    a = warehouse(client, duty, name="甲库（测试）")
    b = warehouse(client, cgw, name="乙库（测试）", owner="区城市管理委")
    i = item(client, duty, name="沙袋（测试）", uom="个")
    receive(client, duty, a["id"], i["id"], 100, lot_no="S1")
    lot = ok(client.get(f"{API}/stock?item_id={i['id']}", headers=duty))[0]
    # a department cannot book another unit's warehouse
    r = client.post(f"{API}/stock/receipts", json={"warehouse_id": a["id"], "item_id": i["id"], "lot_no": "S1",
                                                   "quantity": 5}, headers=cgw)
    assert r.status_code == 403
    moves = ok(client.post(f"{API}/stock/transfers", json={"lot_id": lot["lot_id"], "to_warehouse_id": b["id"],
                                                           "quantity": 30}, headers=duty), 201)
    assert [m["quantity"] for m in moves] == [-30, 30]
    rows = {r["warehouse"]: r["balance"] for r in ok(client.get(f"{API}/stock?item_id={i['id']}", headers=duty))}
    assert rows == {"甲库（测试）": 70, "乙库（测试）": 30}
    r = client.post(f"{API}/stock/transfers", json={"lot_id": lot["lot_id"], "to_warehouse_id": b["id"],
                                                    "quantity": 71}, headers=duty)
    assert r.status_code == 409 and balance(client, duty, i["id"]) == 100
    # 盘点: counted 68 against 70 booked → an adjustment of -2 with the reason
    r = client.post(f"{API}/warehouses/{a['id']}/counts", json={"lines": [{"lot_id": lot["lot_id"], "counted": 68}],
                                                                "reason": ""}, headers=duty)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason"
    count = ok(client.post(f"{API}/warehouses/{a['id']}/counts", json={
        "lines": [{"lot_id": lot["lot_id"], "counted": 68}], "reason": "破损2个"}, headers=duty), 201)
    assert count["lines"] == [{"lot_id": lot["lot_id"], "booked": 70, "counted": 68, "difference": -2}]
    ledger = ok(client.get(f"{API}/stock/movements?lot_id={lot['lot_id']}", headers=duty))
    assert [m["kind"] for m in ledger] == ["adjustment", "transfer_out", "receipt"]
    assert sum(m["quantity"] for m in ledger) == 68 and ledger[0]["reason"] == "破损2个"
    # 报废: proposed by the warehouse's unit, approved by the 区应急办 — not by the proposer
    scrap = ok(client.post(f"{API}/stock/scraps", json={"lot_id": lot["lot_id"], "quantity": 8, "reason": "受潮"},
                           headers=duty), 201)
    assert scrap["status"] == "pending" and balance(client, duty, i["id"]) == 98
    assert client.post(f"{API}/stock/scraps/{scrap['id']}/approve", headers=duty).status_code == 409
    assert client.post(f"{API}/stock/scraps/{scrap['id']}/approve", headers=cgw).status_code == 403
    assert client.post(f"{API}/stock/scraps", json={"lot_id": lot["lot_id"], "quantity": 69, "reason": "x"},
                       headers=duty).status_code == 409


def test_scrap_approved_by_another_duty_officer(client, login, db):
    auth.create_user(db, actor=SYSTEM, username="duty2.prep", password="x" * 12, display_name="值班员二",
                     role="duty_officer", unit=find_unit(db, "区应急局"))
    db.commit()
    duty, duty2 = login("duty"), login("duty2.prep")
    w, i = warehouse(client, duty, name="丙库（测试）"), item(client, duty, name="口罩（测试）", uom="只")
    receive(client, duty, w["id"], i["id"], 10)
    lot = ok(client.get(f"{API}/stock?item_id={i['id']}", headers=duty))[0]
    scrap = ok(client.post(f"{API}/stock/scraps", json={"lot_id": lot["lot_id"], "quantity": 4, "reason": "过期"},
                           headers=duty), 201)
    assert ok(client.post(f"{API}/stock/scraps/{scrap['id']}/approve", headers=duty2))["status"] == "approved"
    assert balance(client, duty, i["id"]) == 6
    assert client.post(f"{API}/stock/scraps/{scrap['id']}/approve", headers=duty2).status_code == 409


def test_alerts_with_configurable_days(client, login):
    duty = login("duty")
    w, i = warehouse(client, duty, name="丁库（测试）"), item(client, duty, name="药箱（测试）", uom="个", min_level=5)
    soon = (date.today() + timedelta(days=40)).isoformat()
    receive(client, duty, w["id"], i["id"], 10, expires_on=soon)
    texts = [a["text"] for a in ok(client.get(f"{API}/alerts", headers=duty))["alerts"]]
    assert not any("药箱（测试）" in t for t in texts)  # above minimum, expiring after 30 days
    found = ok(client.get(f"{API}/alerts?days=45", headers=duty))
    assert found["days"] == 45 and any("药箱（测试）" in a["text"] and "按配置" in a["basis"] for a in found["alerts"])
