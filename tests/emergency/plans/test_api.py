"""The plan registry and drills through the HTTP API (东政发〔2022〕3号 §7, §8.3)."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from dongcheng.core.time import today_local
from tests.emergency.incidents.test_api import create

API = "/api/plans"
TODAY = today_local()


def plans_by_name(client, headers) -> dict[str, dict]:
    return {p["name"]: p for p in client.get(API, headers=headers).json()}


def held_drill(client, headers, organiser: str, kind: str, plan_ids=(), **kw) -> dict:
    r = client.post(f"{API}/drills", headers=headers, json={"title": f"{organiser}{kind}演练", "organiser": organiser,
                                                           "kind": kind, "plan_ids": list(plan_ids), **kw})
    assert r.status_code == 201, r.text
    drill = r.json()
    for phase in ("plan", "prepare", "conduct"):
        r = client.post(f"{API}/drills/{drill['id']}/phases", headers=headers,
                        json={"phase": phase, "on_date": TODAY.isoformat()})
        assert r.status_code == 200, r.text
    return r.json()


def test_the_registry_starts_from_the_8_3_catalogue(client, login):
    plans = plans_by_name(client, login("duty"))
    catalogue = client.get("/api/reference/plans", headers=login("duty")).json()
    assert {p["name"] for p in catalogue} <= set(plans) and len(catalogue) == 44
    snow = plans["东城区扫雪铲冰应急预案"]
    assert snow["lead_unit"] == "区城市管理委" and snow["kind"] == "special" and snow["catalogue_basis"].endswith("§8.3.1(1)")
    assert snow["filing"]["recipient"] == "北京市人民政府有关牵头部门" and snow["filing"]["basis"] == "东政发〔2022〕3号 §7.1.4"
    assert snow["status"] == "not_issued" and snow["filing"]["status"] == "not_issued"
    assert plans["东城区通信保障应急预案"]["kind"] == "support"
    general = plans["东城区突发事件总体应急预案（2022年修订）"]
    assert general["issued_on"] == "2022-02-01" and general["filing"]["recipient"] == "北京市人民政府"
    assert general["filing"]["due_on"] == "2022-03-04" and general["evaluation"]["due_on"] == "2025-02-01"
    assert "国办发〔2024〕5号 第二十六条" in general["filing"]["period_basis"]  # 春节 to 6 Feb 2022: 4 March


def test_a_drafting_unit_issues_and_files_its_own_plan_only(client, login):
    cgw, duty = login("cgw"), login("duty")
    plans = plans_by_name(client, duty)
    snow, health = plans["东城区扫雪铲冰应急预案"], plans["东城区突发公共卫生事件应急预案"]
    version = {"title": "东城区扫雪铲冰应急预案（2026年修订）", "document_no": "东城管发〔2026〕1号",
               "issued_on": "2026-09-16"}
    assert client.post(f"{API}/{health['id']}/versions", headers=cgw, json=version).status_code == 403
    r = client.post(f"{API}/{snow['id']}/versions", headers=cgw, json=version)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "in_force" and r.json()["filing"]["due_on"] == "2026-10-20"
    r = client.post(f"{API}/{snow['id']}/filing", headers=cgw, json={"filed_on": "2026-10-21", "filed_with": "市城市管理委"})
    assert r.json()["filing"]["status"] == "filed_late" and r.json()["filing"]["filed_with"] == "市城市管理委"
    r = client.post(f"{API}/{snow['id']}/evaluations", headers=cgw, json={"evaluated_on": TODAY.isoformat(),
                                                                         "note": "针对性强"})
    assert r.json()["evaluation"]["last_on"] == TODAY.isoformat()
    r = client.post(f"{API}/{snow['id']}/versions", headers=cgw, json={**version, "issued_on": "2026-01-01"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "issued_on"


def test_a_street_registers_its_general_plan_filed_with_the_district(client, login):
    street = login("street.dongsi")
    r = client.post(API, headers=street, json={"kind": "street_general", "name": "东四街道突发事件总体应急预案",
                                               "lead_unit": "东四街道"})
    assert r.status_code == 201, r.text
    assert r.json()["filing"]["recipient"] == "区政府" and r.json()["filing"]["reviewer"] == "区应急局"
    r = client.post(API, headers=street, json={"kind": "special", "name": "x预案", "lead_unit": "东四街道"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "kind"
    r = client.post(API, headers=street, json={"kind": "department", "name": "区卫健委部门预案", "lead_unit": "区卫生健康委"})
    assert r.status_code == 403


def test_triggers_open_a_revision_and_the_validation_drill_closes_it(client, login):
    """§7.1.5 a trigger (which, by whom, from which drill) opens a revision; §7.2.1 the special plan's new version
    waits for its 验证性 drill."""
    duty = login("duty")
    flood = plans_by_name(client, duty)["东城区防汛应急预案"]
    client.post(f"{API}/{flood['id']}/versions", headers=duty, json={"title": "防汛预案", "issued_on": "2022-06-01"})
    r = client.post(f"{API}/{flood['id']}/triggers", headers=duty,
                    json={"trigger": "problem_found", "description": "演练中发现转移路线不清"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "incident_id"
    r = client.post(f"{API}/{flood['id']}/triggers", headers=duty, json={"trigger": "weather", "description": "x"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "trigger"
    single = held_drill(client, duty, "区应急局", "single", [flood["id"]])
    r = client.post(f"{API}/{flood['id']}/triggers", headers=duty,
                    json={"trigger": "problem_found", "description": "演练中发现转移路线不清", "drill_id": single["id"]})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["status"] == "under_revision" and plan["needs_validation_drill"]
    assert plan["triggers"][0]["drill_id"] == single["id"] and plan["triggers"][0]["recorded_by"] == "duty"
    assert plan["triggers"][0]["basis"] == "东政发〔2022〕3号 §7.1.5"
    client.post(f"{API}/{flood['id']}/triggers", headers=duty,
                json={"trigger": "law_changed", "description": "上位预案修订"})
    assert len(client.get(f"{API}/{flood['id']}", headers=duty).json()["revisions"]) == 1  # one revision, two triggers
    version = {"title": "东城区防汛应急预案（2026年修订）", "issued_on": TODAY.isoformat()}
    r = client.post(f"{API}/{flood['id']}/versions", headers=duty, json=version)
    assert r.status_code == 409 and "验证性" in r.json()["error"]["msg_zh"]
    compliance = client.get(f"{API}/drills/compliance/{TODAY.year}", headers=duty).json()
    line = next(x for s in compliance["sections"] if s["section"] == "revisions" for x in s["lines"]
                if x["plan_id"] == flood["id"])
    assert not line["compliant"] and line["basis"].startswith("东政发〔2022〕3号 §7.2.1")
    held_drill(client, duty, "区防汛应急指挥部", "validation", [flood["id"]])
    r = client.post(f"{API}/{flood['id']}/versions", headers=duty, json=version)
    assert r.status_code == 201 and r.json()["status"] == "in_force"
    assert r.json()["revisions"][0]["closed_on"] == TODAY.isoformat()


def test_drill_phases_findings_and_the_exercise_incident(client, login):
    duty = login("duty")
    real = create(client, duty)["id"]
    exercise = create(client, duty, drill=True)["id"]
    body = {"title": "燃气泄漏综合演练", "organiser": "区城市管理委", "kind": "comprehensive",
            "units": ["东四街道", "区应急局"]}
    r = client.post(f"{API}/drills", headers=duty, json={**body, "incident_id": real})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "incident_id"
    r = client.post(f"{API}/drills", headers=duty, json={**body, "units": ["火星街道"]})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "units.0"
    r = client.post(f"{API}/drills", headers=duty, json={**body, "incident_id": exercise})
    assert r.status_code == 201, r.text
    drill = r.json()
    assert drill["incident_id"] == exercise and set(drill["units"]) == {"东四街道", "区应急局"}
    assert client.post(f"{API}/drills", headers=duty, json={**body, "incident_id": exercise}).status_code == 409
    path = f"{API}/drills/{drill['id']}"
    r = client.post(f"{path}/phases", headers=duty, json={"phase": "conduct", "on_date": TODAY.isoformat()})
    assert r.status_code == 409 and "须先完成“准备”阶段" in r.json()["error"]["msg_zh"]
    for phase in ("plan", "prepare", "conduct", "evaluate"):
        assert client.post(f"{path}/phases", headers=duty, json={"phase": phase, "on_date": TODAY.isoformat()}
                           ).status_code == 200
    r = client.post(f"{path}/findings", headers=duty, json={"finding": "疏散指引不足", "action": "增设指引标识",
                                                            "owner_unit": "东四街道", "due_on": TODAY.isoformat()})
    assert r.status_code == 201
    finding = r.json()["findings"][0]
    r = client.post(f"{path}/phases", headers=duty, json={"phase": "improve", "on_date": TODAY.isoformat()})
    assert r.status_code == 409 and "整改" in r.json()["error"]["msg_zh"]
    # the owner unit records its action done
    r = client.post(f"{path}/findings/{finding['id']}/done", headers=login("street.dongsi"),
                    json={"done_on": TODAY.isoformat()})
    assert r.status_code == 200, r.text
    r = client.post(f"{path}/phases", headers=duty, json={"phase": "improve", "on_date": TODAY.isoformat()})
    assert r.status_code == 200 and [p["on_date"] for p in r.json()["phases"]] == [TODAY.isoformat()] * 5
    assert r.json()["held_on"] == TODAY.isoformat()


def test_a_street_drills_for_itself_only(client, login):
    street = login("street.dongsi")
    r = client.post(f"{API}/drills", headers=street, json={"title": "消防演练", "organiser": "朝阳门街道", "kind": "single"})
    assert r.status_code == 403
    assert client.post(f"{API}/drills", headers=login("sun.yang"),
                       json={"title": "消防演练", "organiser": "东四街道", "kind": "single"}).status_code == 403


@pytest.mark.parametrize("fmt", ["json", "xlsx", "page"])
def test_a_street_with_only_a_single_drill_is_not_compliant(client, login, fmt):
    """§7.2.2 各街道（地区）…每年组织开展综合应急演练: 东四街道's 单项 drill leaves it 未达标; 朝阳门街道's 综合 one
    complies; 区城市管理委's 单项 one complies (综合或单项)."""
    held_drill(client, login("street.dongsi"), "东四街道", "single")
    held_drill(client, login("duty"), "朝阳门街道", "comprehensive")
    held_drill(client, login("cgw"), "区城市管理委", "single")
    duty = login("duty")
    if fmt == "json":
        data = client.get(f"{API}/drills/compliance/{TODAY.year}", headers=duty).json()
        lines = {(s["section"], x["subject"]): x for s in data["sections"] for x in s["lines"]}
        dongsi = lines[("streets", "东四街道")]
        assert not dongsi["compliant"] and "仅组织单项1次" in dongsi["detail"]
        assert dongsi["basis"] == "东政发〔2022〕3号 §7.2.2（各街道（地区）…每年组织开展综合应急演练）"
        assert lines[("streets", "朝阳门街道")]["compliant"] and lines[("units", "区城市管理委")]["compliant"]
        assert not lines[("units", "区卫生健康委")]["compliant"]
        assert ("units", "区防汛应急指挥部") in lines and len([k for k in lines if k[0] == "streets"]) == 18
    elif fmt == "xlsx":
        r = client.get(f"{API}/drills/compliance/{TODAY.year}.xlsx", headers=duty)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
        rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
        dongsi = next(row for row in rows if row[1] == "东四街道")
        assert dongsi[2] == "未达标" and "§7.2.2" in dongsi[4]
        assert next(row for row in rows if row[1] == "朝阳门街道")[2] == "达标"
    else:
        html = client.get(f"/plans/drills/compliance?year={TODAY.year}", headers={"Accept": "text/html", **duty}).text
        start = html.index('data-subject="东四街道"')
        assert "未达标" in html[start:start + 300] and "仅组织单项1次" in html[start:start + 400]
