"""Directory endpoints: reads, and recording an appointment (admin only, 422 naming fields, nothing half-saved)."""
from __future__ import annotations

from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.directory.models import Person


def test_who_held_a_post_on_a_date(client):
    r = client.get("/api/directory/holders", params={"unit": "区水务局", "title": "局长", "on": "2021-10-18"})
    assert [h["person"] for h in r.json()["holders"]] == ["王品军"]
    assert r.json()["holders"][0]["appointed_by"] == "东政任〔2021〕22号"


def test_supervising_leader_by_printed_name(client):
    r = client.get("/api/directory/supervising-leader", params={"unit": "区应急管理局"}).json()
    assert r["leader"]["person"] == "李妍" and r["assisting"][0]["person"] == "孙扬"


def test_unknown_unit_is_404(client):
    assert client.get("/api/directory/units/999999").status_code == 404
    r = client.get("/api/directory/supervising-leader", params={"unit": "区火星局"})
    assert r.status_code == 404 and "区火星局" in r.json()["error"]["msg_zh"]


def test_leaders_have_portfolios(client):
    leaders = client.get("/api/directory/leaders").json()
    assert [s["holder"] for s in leaders] == ["周金星", "李妍", "郑晓博", "刘俊彩", "田静", "赵海东", "孙扬", "苏昊",
                                              "李卫华"]
    sun = leaders[6]
    assert {"relation": "联系", "text": "东城交通支队"}.items() <= next(
        p for p in sun["portfolio"] if p["text"] == "东城交通支队").items()


def test_person_posts_over_time(client):
    people = {p["name"]: p["id"] for p in client.get("/api/directory/people").json()}
    r = client.get(f"/api/directory/people/{people['王佑明']}").json()
    posts = {t["post"]: t for t in r["tenures"]}
    assert posts["北京市东城区档案局局长"]["concurrent"] is True
    assert posts["北京市东城区行政学院副院长"]["ends_on"] == "2021-11-08"


APPOINTMENT = {"action": "任命", "person": "赵六", "unit": "区财政局", "title": "副局长",
               "effective_on": "2026-12-01", "document": "东政任〔2026〕5号", "probation_months": 12}


def test_admin_records_an_appointment_and_it_is_audited(client, login, db):
    r = client.post("/api/directory/appointments", headers=login("admin"), json=APPOINTMENT)
    assert r.status_code == 201, r.text
    assert r.json()["probation_ends_on"] == "2027-11-30"
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor, entry.basis) == ("directory.appoint", "admin", "东政任〔2026〕5号")


def test_others_may_not_record_appointments(client, login):
    for user in ("duty", "mayor", "cgw", "street.dongsi"):
        r = client.post("/api/directory/appointments", headers=login(user), json=APPOINTMENT)
        assert r.status_code == 403, user
        assert r.json()["error"]["msg_zh"].startswith("无权")
    assert client.post("/api/directory/appointments", json=APPOINTMENT).status_code == 401


def test_bad_input_names_each_field(client, login):
    r = client.post("/api/directory/appointments", headers=login("admin"),
                    json={**APPOINTMENT, "action": "提拔", "effective_on": "明天", "person": ""})
    assert r.status_code == 422
    fields = {d["field"]: d for d in r.json()["detail"]}
    assert set(fields) == {"action", "effective_on", "person"}
    assert all(d["msg_zh"] and d["msg_en"] for d in fields.values())


def test_nothing_is_half_saved(client, login, db):
    admin = login("admin")
    people_before = db.scalar(select(func.count()).select_from(Person))
    audit_before = db.scalar(select(func.count()).select_from(AuditEntry))
    r = client.post("/api/directory/appointments", headers=admin,
                    json={**APPOINTMENT, "person": "钱七", "unit": "区火星局"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "unit"
    r = client.post("/api/directory/appointments", headers=admin,
                    json={**APPOINTMENT, "person": "钱七", "title": "不存在的职务", "action": "免去"})
    assert r.status_code == 422
    assert db.scalar(select(func.count()).select_from(Person)) == people_before
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
