"""Institutions and credit end to end (东政办发〔2021〕17号 四（二）, 三（一）2): register, points, blacklist, repair, the
published lists, the policy an administrator loads."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from dongcheng.audit.models import AuditEntry
from dongcheng.core.config import REPO_ROOT
from dongcheng.core.time import today_local
from tests.supervision.factories import BASE, code, register


@pytest.fixture
def wjw(login):
    return login("wjw.jd")


def test_register_checks_the_code_street_and_authority(client, wjw, login, db):
    r = register(client, wjw, 1)
    assert r.status_code == 201, r.text
    assert r.json()["street"] == "东四街道" and r.json()["ownership_label"] == "公立"
    bad = code(2)[:17] + ("0" if code(2)[17] != "0" else "1")
    r = register(client, wjw, 2, uscc=bad)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "uscc"
    assert "校验码" in r.json()["detail"][0]["msg_zh"]
    r = register(client, wjw, 3, street="王府井大街")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "street"
    assert register(client, wjw, 1).status_code == 409  # the same code again
    r = register(client, login("cgw"), 4)  # 区城市管理委: a department, not the health commission
    assert r.status_code == 403 and "区卫生健康委" in r.json()["error"]["msg_zh"]
    entry = db.query(AuditEntry).filter_by(action="supervision.institution.register").one()
    assert entry.basis.startswith("东政办发〔2021〕17号 三（一）4")
    assert client.get(f"{BASE}/institutions?street=东四街道").json()[0]["uscc"] == code(1)


def test_points_reach_the_thresholds_and_are_published(client, wjw):
    iid = register(client, wjw, 10).json()["id"]
    today = today_local()
    for pts in (6, 6):
        r = client.post(f"{BASE}/institutions/{iid}/points", headers=wjw,
                        json={"occurred_on": today.isoformat(), "points": pts, "ground": "未按规定进行预检分诊"})
        assert r.status_code == 201, r.text
    standing = r.json()["standing"]
    assert standing["total"] == 12 and standing["reached"]["points"] == 12 and standing["next"]["points"] == 18
    assert "贵州" in standing["basis"]
    r = client.post(f"{BASE}/institutions/{iid}/points", headers=wjw,
                    json={"occurred_on": today.isoformat(), "points": 13, "ground": "x"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "points"
    public = client.get(f"{BASE}/credit/public").json()
    assert [p["institution"]["id"] for p in public["points"]] == [iid, iid]
    rid = public["points"][0]["id"]
    r = client.post(f"{BASE}/credit/points/{rid}/repair", headers=wjw, json={"on": today.isoformat(), "reason": "已整改"})
    assert r.status_code == 409 and "最短公示期未满" in r.json()["error"]["msg_zh"]


def test_repair_after_the_shortest_period_takes_the_record_off_the_list(client, wjw):
    iid = register(client, wjw, 11).json()["id"]
    given = today_local() - timedelta(days=100)  # more than 3 months ago
    client.post(f"{BASE}/institutions/{iid}/points", headers=wjw,
                json={"occurred_on": given.isoformat(), "points": 3, "ground": "医疗废物未分类"})
    rid = client.get(f"{BASE}/credit/public").json()["points"][0]["id"]
    r = client.post(f"{BASE}/credit/points/{rid}/repair", headers=wjw,
                    json={"on": today_local().isoformat(), "reason": "整改到位，申请信用修复"})
    assert r.status_code == 200, r.text
    assert client.get(f"{BASE}/credit/public").json()["points"] == []
    record = client.get(f"{BASE}/institutions/{iid}", headers=wjw).json()
    assert record["points"][0]["removed_on"] == today_local().isoformat()  # kept on the record, not public


def test_blacklist_period_and_public_list(client, wjw):
    iid = register(client, wjw, 12, ownership="social", kind="诊所").json()["id"]
    start = today_local()
    r = client.post(f"{BASE}/institutions/{iid}/blacklist", headers=wjw, json={
        "ground": "非医师行医", "start_on": start.isoformat(), "end_on": (start + timedelta(days=365 * 4)).isoformat()})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "end_on"
    r = client.post(f"{BASE}/institutions/{iid}/blacklist", headers=wjw, json={
        "ground": "非医师行医", "start_on": start.isoformat(), "end_on": (start + timedelta(days=365)).isoformat()})
    assert r.status_code == 201
    lists = client.get(f"{BASE}/credit/public").json()
    assert lists["blacklist"][0]["institution"]["id"] == iid and lists["blacklist"][0]["ground"] == "非医师行医"


def test_admin_loads_a_policy_refused_whole_on_a_bad_field(client, login, wjw, db):
    admin = login("admin")
    data = yaml.safe_load((REPO_ROOT / "data/supervision/credit_policy.yaml").read_text(encoding="utf-8"))
    bad = {**data, "points": {**data["points"], "thresholds": [{"points": 10, "consequence": "", "clause": "x"}]}}
    r = client.post(f"{BASE}/credit/policy", headers=admin, json={"policy": bad})
    assert r.status_code == 422
    assert [d["field"] for d in r.json()["detail"]] == ["policy.points.thresholds[0].consequence"]
    assert client.get(f"{BASE}/credit/policy").json()["thresholds"][0]["points"] == 12  # nothing half-saved
    beijing = {**data, "source": "北京市（示例）", "status": "loaded",
               "points": {**data["points"], "thresholds": [{"points": 10, "consequence": "约谈", "clause": "京 第X条"}]}}
    assert client.post(f"{BASE}/credit/policy", headers=wjw, json={"policy": beijing}).status_code == 403
    r = client.post(f"{BASE}/credit/policy", headers=admin, json={"policy": beijing})
    assert r.status_code == 201 and r.json()["source"] == "北京市（示例）"
    iid = register(client, wjw, 13).json()["id"]
    r = client.post(f"{BASE}/institutions/{iid}/points", headers=wjw,
                    json={"occurred_on": date.today().isoformat(), "points": 10, "ground": "x"})
    assert r.json()["standing"]["reached"]["consequence"] == "约谈"
    assert db.query(AuditEntry).filter_by(action="supervision.credit.policy").count() == 1


def test_pages(client, wjw):
    iid = register(client, wjw, 14).json()["id"]
    page = client.get("/supervision/credit")
    assert page.status_code == 200 and "信用公示" in page.text and "贵州" in page.text
    page = client.get("/supervision/institutions?street=东四街道")
    assert "测试医院14" in page.text and "<table" not in page.text  # cards, no table to scroll at 390 px
    assert client.get(f"/supervision/institutions/{iid}", headers=wjw).status_code == 200
