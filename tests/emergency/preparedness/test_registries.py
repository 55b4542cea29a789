"""The §6.2.2 registries: the eight names and the §6.1 team kinds against the gazette text; create / edit with 422s
naming fields; contacts only to the owner unit and the 区应急办 (API and export); .xlsx import all-or-nothing with a
per-row report; shelters opened by the 区政府 (§6.7); team call-up and arrival at the command post (§6.1.2)."""
from __future__ import annotations

import re
from io import BytesIO

import yaml
from openpyxl import Workbook, load_workbook

from dongcheng.core.config import REPO_ROOT
from dongcheng.emergency.preparedness import registry_rules
from tests.emergency.preparedness.helpers import incident, ok

SEED = (REPO_ROOT / "data" / "gazette" / "2022-03.txt").read_text(encoding="utf-8")
DATA = yaml.safe_load((REPO_ROOT / "data" / "emergency" / "preparedness.yaml").read_text(encoding="utf-8"))


def clause_text(number: str) -> str:
    start = SEED.index(f"\n{number}")
    nxt = re.compile(r"\n\d+\.\d+(\.\d+)? ?\S").search(SEED, start + 5)
    return SEED[start:nxt.start() if nxt else None]


class TestTranscription:
    def test_the_eight_registries_as_printed_in_6_2_2(self):
        text = clause_text("6.2.2")
        names = [r["name"] for r in DATA["registries"]]
        assert len(names) == 8 and tuple(names) == registry_rules.REGISTRIES
        positions = [text.index(n) for n in names]
        assert positions == sorted(positions)  # in the text's order
        assert ("建立各类风险与隐患监控数据库、专业数据库、应急预案库、应急专家库、应急队伍库、应急物资库、"
                "应急避难场所库、辅助决策知识库") in text

    def test_the_six_team_kinds_of_6_1(self):
        assert [(k["code"], k["name"], k["clause"]) for k in DATA["team_kinds"]] == [
            (k.code, k.name, k.clause) for k in registry_rules.TEAM_KINDS]
        for kind in DATA["team_kinds"]:
            number = kind["clause"].lstrip("§")
            assert SEED.count(f"\n{number} {kind['name']}") + SEED.count(f"\n{number}{kind['name']}") >= 1, kind

    def test_the_expert_fields_of_6_1_6(self):
        text = clause_text("6.1.6")
        assert "由自然灾害、事故灾难、公共卫生、社会安全以及综合管理等领域专家" in text
        assert all(f in text for f in DATA["expert_fields"]) and tuple(DATA["expert_fields"]) == \
            registry_rules.EXPERT_FIELDS


TEAM = {"name": "东城区燃气抢险队（测试）", "kind": "专业应急队伍", "owner_unit": "区城市管理委", "size": 20,
        "equipment": "抢修车3辆", "contact_person": "张队", "contact_phone": "13800002222", "readiness": "待命"}


def test_registry_api_and_contacts(client, login):
    cgw, street, duty = login("cgw"), login("street.dongsi"), login("duty")
    r = client.post("/api/preparedness/registries/teams", json={**TEAM, "kind": "救援队", "readiness": "睡觉"},
                    headers=cgw)
    assert r.status_code == 422 and {d["field"] for d in r.json()["detail"]} == {"kind", "readiness"}
    assert client.post("/api/preparedness/registries/teams", json=TEAM, headers=street).status_code == 403
    team = ok(client.post("/api/preparedness/registries/teams", json=TEAM, headers=cgw), 201)
    assert team["kind"] == "professional" and team["kind_basis"].endswith("§6.1.2（专业应急队伍）")
    seen = ok(client.get(f"/api/preparedness/registries/teams/{team['id']}", headers=street))
    assert seen["contact_phone"] != "13800002222" and seen["contact_visible"] is False
    assert ok(client.get(f"/api/preparedness/registries/teams/{team['id']}", headers=duty))["contact_phone"] == \
        "13800002222"
    wb = load_workbook(BytesIO(client.get("/api/preparedness/registries/teams.xlsx", headers=street).content))
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row]
    assert "东城区燃气抢险队（测试）" in cells and "13800002222" not in cells
    wb = load_workbook(BytesIO(client.get("/api/preparedness/registries/teams.xlsx", headers=cgw).content))
    assert "13800002222" in [c for row in wb.active.iter_rows(values_only=True) for c in row]
    edited = ok(client.put(f"/api/preparedness/registries/teams/{team['id']}", json={**TEAM, "size": 25}, headers=cgw))
    assert edited["size"] == 25
    assert client.put(f"/api/preparedness/registries/teams/{team['id']}", json=TEAM, headers=street).status_code == 403
    found = ok(client.get("/api/preparedness/registries/teams?q=燃气抢险&kind=professional", headers=street))
    assert [t["name"] for t in found] == ["东城区燃气抢险队（测试）"]


def _workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HEADER = ["队伍名称", "队伍类别", "所属单位", "人数", "装备", "联系人", "联系电话", "备勤状态"]


def test_import_is_all_or_nothing_with_a_row_report(client, login):
    cgw = login("cgw")
    bad = _workbook([HEADER, ["导入队一", "专业", "区城市管理委", 10, "", "", "", "待命"],
                     ["导入队二", "救援", "区城市管理委", 3, "", "", "", "待命"],
                     ["导入队一", "基层应急队伍", "区城市管理委", 0, "", "", "", "待命"],
                     ["导入队三", "社会", "区城市管理委", 4, "", "", "", "待命"]])
    r = client.post("/api/preparedness/registries/teams/import", headers=cgw,
                    files={"file": ("teams.xlsx", bad, "application/octet-stream")})
    assert r.status_code == 422, r.text
    fields = {d["field"] for d in r.json()["detail"]}
    assert fields == {"rows.3.kind", "rows.4.size"}  # rows 2 and 5 are good, but nothing is saved
    assert all(d["msg_zh"].startswith("第") for d in r.json()["detail"])
    assert ok(client.get("/api/preparedness/registries/teams?q=导入队", headers=cgw)) == []  # nothing saved
    good = _workbook([HEADER, ["导入队一", "专业", "区城市管理委", 10, "", "", "", "待命"],
                      ["导入队二", "社会应急队伍", "区城市管理委", 8, "", "李四", "13700000000", "待命"]])
    assert ok(client.post("/api/preparedness/registries/teams/import", headers=cgw,
                          files={"file": ("teams.xlsx", good, "application/octet-stream")}), 201)["created"] == 2
    r = client.post("/api/preparedness/registries/teams/import", headers=cgw,
                    files={"file": ("x.xlsx", b"not a workbook", "application/octet-stream")})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "file"
    items = _workbook([["物资名称", "计量单位", "最低储备量", "所属单位"], ["导入帐篷", "顶", 5, "区城市管理委"]])
    assert ok(client.post("/api/preparedness/items/import", headers=cgw,
                          files={"file": ("items.xlsx", items, "application/octet-stream")}), 201)["created"] == 1


SHELTER = {"name": "地坛公园应急避难场所（测试）", "street": "安定门街道", "address": "安定门外大街", "capacity": 1000,
           "owner_unit": "区应急局"}


def test_shelter_opened_by_the_district_government(client, login):
    duty = login("duty")
    r = client.post("/api/preparedness/registries/shelters", json={**SHELTER, "occupancy": 2000}, headers=duty)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "occupancy"
    s = ok(client.post("/api/preparedness/registries/shelters", json=SHELTER, headers=duty), 201)
    url = f"/api/preparedness/shelters/{s['id']}/open"
    assert client.post(url, json={"reason": "地震"}, headers=login("cgw")).status_code == 403
    r = client.post(url, json={"reason": "地震"}, headers=duty)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "decided_by"
    r = client.post(url, json={"reason": "地震", "decided_by": "张三"}, headers=duty)
    assert r.status_code == 422
    opened = ok(client.post(url, json={"reason": "5.0级地震，疏散居民", "decided_by": "周金星"}, headers=duty))
    assert opened["status"] == "open" and opened["decided_by"] == "周金星（区长）" and "§6.7" in opened["opened_basis"]
    assert client.post(url, json={"reason": "again"}, headers=login("mayor")).status_code == 409


def test_team_call_up_arrival_and_deployments(client, login, db):
    cgw, duty, street = login("cgw"), login("duty"), login("street.dongsi")
    team = ok(client.post("/api/preparedness/registries/teams", json=TEAM, headers=cgw), 201)
    inc = incident(client, duty)
    assert client.post("/api/preparedness/call-ups", json={"team_id": team["id"], "incident_id": inc["id"]},
                       headers=street).status_code == 403
    c = ok(client.post("/api/preparedness/call-ups", json={"team_id": team["id"], "incident_id": inc["id"],
                                                           "task": "管线抢修"}, headers=cgw), 201)
    assert "§6.1.2" in c["basis"]
    ok(client.post(f"/api/incidents/{inc['id']}/command-post", json={
        "location": "现场", "commander_name": "张三", "executive_name": "李四", "executive_unit": "区城市管理委"},
        headers=cgw), 201)
    arrived = ok(client.post(f"/api/preparedness/call-ups/{c['id']}/arrive", json={"headcount": 18}, headers=cgw))
    assert arrived["status"] == "arrived" and arrived["check_in_id"]
    post = ok(client.get(f"/api/incidents/{inc['id']}/command-post", headers=cgw))
    assert [(x["team"], x["headcount"]) for x in post["check_ins"]] == [("东城区燃气抢险队（测试）", 18)]
    # to another Beijing district: only the 区应急委
    out = {"team_id": team["id"], "other_district": "朝阳区", "task": "支援"}
    assert client.post("/api/preparedness/call-ups", json=out, headers=cgw).status_code == 403
    assert "§6.1.2" in ok(client.post("/api/preparedness/call-ups", json=out, headers=duty), 201)["basis"]
    # at the city's request a department sends it and the report to the 区应急办 is created
    city = ok(client.post("/api/preparedness/call-ups", json={**out, "city_requested": True,
                                                              "city_requester": "北京市城市管理委"}, headers=cgw), 201)
    assert city["reported_to_office_at"] and "北京市城市管理委" in city["report_text"]
    reports = ok(client.get("/api/preparedness/call-ups?reports=true", headers=duty))
    assert [r["id"] for r in reports] == [city["id"]]


def test_hazards_and_knowledge(client, login):
    cgw, street = login("cgw"), login("street.dongsi")
    hazard = {"name": "某加油站", "street": "东四街道", "address": "东四北大街1号", "risk_grade": "较大风险",
              "owner_unit": "区城市管理委", "last_inspected_on": "2026-06-01", "next_due_on": "2026-05-01"}
    r = client.post("/api/preparedness/registries/hazards", json={**hazard, "risk_grade": "很高", "street": "朝阳区"},
                    headers=cgw)
    assert r.status_code == 422 and {d["field"] for d in r.json()["detail"]} == {"risk_grade", "next_due_on"}
    r = client.post("/api/preparedness/registries/hazards", json={**hazard, "street": "区城市管理委",
                                                                  "next_due_on": "2026-12-01"}, headers=cgw)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "street"  # a street, not any unit
    h = ok(client.post("/api/preparedness/registries/hazards", json={**hazard, "next_due_on": "2026-12-01"},
                       headers=cgw), 201)
    assert h["street"] == "东四街道" and h["risk_grade"] == "较大风险"
    assert [x["id"] for x in ok(client.get("/api/preparedness/registries/hazards?risk_grade=较大风险",
                                           headers=street))] == [h["id"]]
    entry = {"title": "燃气泄漏处置要点", "category": "处置指南", "body": "关阀、通风、禁火。", "event_types": ["燃气事故"],
             "plans": ["不存在的预案"], "owner_unit": "区城市管理委"}
    r = client.post("/api/preparedness/registries/knowledge", json=entry, headers=cgw)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "plans.0"
    k = ok(client.post("/api/preparedness/registries/knowledge", json={**entry, "plans": []}, headers=cgw), 201)
    assert k["event_types"] == ["燃气事故"]
    assert [x["title"] for x in ok(client.get("/api/preparedness/registries/knowledge?q=关阀", headers=street))] == \
        ["燃气泄漏处置要点"]
