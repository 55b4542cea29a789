"""Shared set-up for the preparedness tests: an incident led by 区城市管理委, a warehouse of the 区应急办, stock."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

BJ = timezone(timedelta(hours=8))
RECEIVED = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0).astimezone(BJ)


def ok(r, status=200):
    assert r.status_code == status, r.text
    return r.json()


def incident(client, headers, **kw) -> dict:
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (RECEIVED - timedelta(minutes=5)).isoformat(), "received_at": RECEIVED.isoformat(),
            "source": "12345", "title": "燃气泄漏", "description": "楼道有燃气味", **kw}
    return ok(client.post("/api/incidents", json=body, headers=headers), 201)


def warehouse(client, duty, name="东城区应急物资储备库（测试）", owner="区应急局") -> dict:
    return ok(client.post("/api/preparedness/warehouses", json={"name": name, "address": "东城区测试路1号",
                                                                "owner_unit": owner}, headers=duty), 201)


def item(client, duty, name="折叠床（测试）", min_level=0, uom="张", owner="区应急局") -> dict:
    return ok(client.post("/api/preparedness/items", json={"name": name, "unit_of_measure": uom, "category": "生活类",
                                                           "min_level": min_level, "owner_unit": owner},
                          headers=duty), 201)


def receive(client, duty, warehouse_id, item_id, quantity, lot_no="L1", expires_on=None) -> dict:
    body = {"warehouse_id": warehouse_id, "item_id": item_id, "lot_no": lot_no, "quantity": quantity}
    if expires_on:
        body["expires_on"] = expires_on
    return ok(client.post("/api/preparedness/stock/receipts", json=body, headers=duty), 201)


def line(item_id, quantity, destination="东四北大街100号现场") -> dict:
    return {"item_id": item_id, "quantity": quantity, "destination": destination,
            "needed_by": (RECEIVED + timedelta(hours=2)).isoformat()}


def request(client, headers, incident_id, lines, **kw) -> dict:
    body = {"incident_id": incident_id, "origin": "district", "requesting_unit": "区城市管理委", "lines": lines, **kw}
    return ok(client.post("/api/preparedness/dispatches", json=body, headers=headers), 201)


def balance(client, headers, item_id) -> int:
    rows = ok(client.get(f"/api/preparedness/stock?item_id={item_id}", headers=headers))
    return sum(r["balance"] for r in rows)
