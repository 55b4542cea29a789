"""The task API (东政办发〔2021〕17号): the plan as data, my tasks by unit, the overview with supervising leaders, filing
by the lead and by co-units, overdue periods, 403 / 409 / 422 naming the field, every filing audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.core.time import today_local
from dongcheng.supervision.tasks import rules

BASE = "/api/supervision/tasks"


@pytest.fixture
def wjw(login):
    return login("wjw")  # 区卫生健康委


def test_the_plan_lists_21_tasks_lead_first(client, wjw):
    plan = client.get(BASE, headers=wjw).json()
    assert len(plan["tasks"]) == 21 and plan["administering_unit"] == "区卫生健康委"
    t = {x["key"]: x for x in plan["tasks"]}["三（二）6"]
    assert t["lead"]["printed"] == "区卫生健康委" and t["basis"] == "东政办发〔2021〕17号 三（二）6"
    assert t["entries"][-1] == {"printed": "区城管委（区城管执法局）", "units": ["区城市管理委", "区城管执法局"],
                                "group": None, "lead": False}
    assert plan["reporting"]["platform_default"] and "平台默认" in plan["reporting"]["basis"]
    assert [g["due"] for g in plan["goals"]] == ["2020-12-31", "2022-12-31"] and plan["goals"][0]["before_signing"]


def test_my_tasks_are_the_units_own(client, login):
    mine = client.get(f"{BASE}/mine", headers=login("sfj")).json()  # 区司法局
    roles = {t["key"]: t["role"] for t in mine}
    assert roles["四（一）"] == "lead" and roles["三（一）4"] == "co" and roles["三（二）6"] == "co"
    assert "三（二）4" not in roles
    assert roles["五（二）"] == "co"  # 各相关部门: any department may contribute
    street = {t["key"]: t["role"] for t in client.get(f"{BASE}/mine", headers=login("street.dongsi")).json()}
    assert street == {"三（一）5": "co", "五（一）": "co"}  # 各街道办事处
    cgw = {t["key"] for t in client.get(f"{BASE}/mine", headers=login("cgw")).json()}
    assert "三（二）6" in cgw  # 区城管委（区城管执法局）


def test_the_overview_is_for_the_health_commission_and_leaders(client, wjw, login):
    rows = client.get(f"{BASE}/overview", headers=wjw).json()
    assert len(rows) == 21
    by_key = {r["key"]: r for r in rows}
    leader = by_key["三（二）4"]["supervising_leaders"]["区卫生健康委"]
    assert (leader["person"], leader["relation"]) == ("刘俊彩", "分管")
    assert by_key["四（一）"]["supervising_leaders"]["区司法局"]["person"] == "李卫华"
    assert by_key["三（一）5"]["supervising_leaders"]["区城市管理指挥中心"]["person"] == "孙扬"
    assert by_key["三（一）1"]["supervising_leaders"]["区委组织部"]["person"] is None  # 区委 departments: none in 18号
    assert by_key["三（一）2"]["reporting_units"] == ["区卫生健康委"]  # 各级各类医疗卫生机构 has no account
    last_due = rules.last_due(rules.period_of(2021, 4).start, today_local())
    assert by_key["三（二）4"]["latest"]["period"] == last_due.code and by_key["三（二）4"]["latest"]["overdue"]
    assert by_key["三（二）4"]["current"]["period"] == rules.period_containing(today_local()).code
    assert client.get(f"{BASE}/overview", headers=login("sun.yang")).status_code == 200
    refused = client.get(f"{BASE}/overview", headers=login("sfj"))
    assert refused.status_code == 403 and "区卫生健康委" in refused.json()["error"]["msg_zh"]
    assert client.get(f"{BASE}/overview", headers=login("duty")).status_code == 403


def test_unfiled_periods_are_overdue(client, wjw):
    task = client.get(f"{BASE}/3-2-4", headers=wjw).json()
    today = today_local()
    periods = rules.periods(rules.period_of(2021, 4).start, today)
    assert task["periods"][-1]["period"] == "2021Q4" and task["periods"][-1]["due"] == "2022-01-15"
    due_passed = [p.code for p in periods if p.due < today]
    assert sorted(task["overdue_periods"]) == sorted(due_passed)
    assert all(p["status"] == "overdue" for p in task["periods"] if p["period"] in due_passed)


def test_the_lead_reports_once_per_period(client, wjw, db):
    body = {"year": 2022, "quarter": 1, "progress": "完成急救工作站建设任务5个", "issues": "选址难"}
    r = client.post(f"{BASE}/3-2-4/reports", headers=wjw, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "late"  # filed today, long after 2022-04-15
    assert "三（二）4" in r.json()["basis"] and "平台默认" in r.json()["basis"]
    again = client.post(f"{BASE}/3-2-4/reports", headers=wjw, json=body)
    assert again.status_code == 409 and "已报送" in again.json()["error"]["msg_zh"]
    task = client.get(f"{BASE}/3-2-4", headers=wjw).json()
    q1 = next(p for p in task["periods"] if p["period"] == "2022Q1")
    assert q1["status"] == "late" and q1["report"]["issues"] == "选址难" and "2022Q1" not in task["overdue_periods"]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "supervision.tasks.report")
                         .order_by(AuditEntry.id)).all()[-1]
    assert entry.after["period"] == "2022Q1" and "三（二）4" in entry.basis


def test_a_co_unit_contributes_and_may_not_report(client, login, wjw):
    cgw = login("cgw")
    refused = client.post(f"{BASE}/3-2-6/reports", headers=cgw, json={"year": 2022, "quarter": 2, "progress": "x"})
    assert refused.status_code == 403 and "不是任务三（二）6的牵头部门" in refused.json()["error"]["msg_zh"]
    r = client.post(f"{BASE}/3-2-6/contributions", headers=cgw, json={"year": 2022, "quarter": 2, "progress": "联合执法3次"})
    assert r.status_code == 201, r.text
    task = client.get(f"{BASE}/3-2-6", headers=cgw).json()
    q2 = next(p for p in task["periods"] if p["period"] == "2022Q2")
    by_unit = {c["unit"]: c["report"] for c in q2["contributions"]}
    assert by_unit["区城市管理委"]["progress"] == "联合执法3次" and by_unit["区城管执法局"] is None
    assert q2["status"] == "overdue"  # the lead has not reported: contributions do not make the report
    assert client.post(f"{BASE}/3-2-4/contributions", headers=cgw,
                       json={"year": 2022, "quarter": 2, "progress": "x"}).status_code == 403  # not its task
    assert client.get(f"{BASE}/3-2-4", headers=cgw).status_code == 403


def test_streets_contribute_to_each_street_tasks(client, login):
    r = client.post(f"{BASE}/3-1-5/contributions", headers=login("street.dongsi"),
                    json={"year": 2023, "quarter": 3, "progress": "接诉即办医疗类工单12件"})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(("body", "field"), [
    ({"year": 2021, "quarter": 3, "progress": "x"}, "year"),  # before the plan's quarter
    ({"year": 2099, "quarter": 1, "progress": "x"}, "quarter"),  # not begun
    ({"year": 2022, "quarter": 5, "progress": "x"}, "quarter"),
    ({"year": 2022, "quarter": 1, "progress": "   "}, "progress"),
    ({"year": 2022, "quarter": 1}, "progress"),
])
def test_bad_input_names_the_field(client, wjw, body, field):
    r = client.post(f"{BASE}/3-2-4/reports", headers=wjw, json=body)
    assert r.status_code == 422, r.text
    assert field in [d["field"] for d in r.json()["detail"]]
    assert all(d["msg_zh"] and d["msg_en"] for d in r.json()["detail"])


def test_an_unknown_task_is_404(client, wjw):
    assert client.get(f"{BASE}/9-9-9", headers=wjw).status_code == 404
    assert client.post(f"{BASE}/9-9", headers=wjw, json={"year": 2022, "quarter": 1, "progress": "x"}).status_code == 405
