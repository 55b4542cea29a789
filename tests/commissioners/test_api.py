"""The commissioner API end to end (东人社发〔2021〕111号, 112号): quota, hiring, ratings, pay, renewal, forms."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

BASE = "/api/commissioners"


@pytest.fixture
def clerk(login):
    return login("clerk.rsj")


def hire(client, clerk, **over):
    body = {"name": "王秀兰", "street": "东四街道", "route": "retiree", "birth_date": "1960-05-01",
            "start_on": "2022-01-01", **over}
    return client.post(BASE, headers=clerk, json=body)


def set_retirees(client, clerk, n, street="东四街道"):
    return client.put(f"{BASE}/streets/{street}/retirees", headers=clerk, json={"retirees": n, "as_of": "2022-01-01"})


def rate(client, clerk, cid, month, rating, year=2022, **over):
    return client.post(f"{BASE}/{cid}/ratings", headers=clerk,
                       json={"year": year, "month": month, "rating": rating, **over})


def test_streets_and_quota(client, clerk):
    streets = client.get(f"{BASE}/streets", headers=clerk).json()
    assert len(streets) == 17 and streets[0]["quota"] is None
    r = set_retirees(client, clerk, 4001)
    assert r.status_code == 200, r.text
    assert r.json()["quota"] == 3 and r.json()["basis"].startswith("东人社发〔2021〕111号 §二（一）")
    assert set_retirees(client, clerk, 1, street="不存在街道").status_code == 404


def test_hire_within_quota_then_refused_without_adjustment(client, clerk, login):
    set_retirees(client, clerk, 2000)
    r = hire(client, clerk)
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["term"]["end_on"] == "2022-12-31" and c["trial"]["end_on"] == "2022-02-28"
    assert c["renewal_notice"]["due_on"] == "2022-12-01"
    assert c["renewal_notice"]["basis"].startswith("东人社发〔2021〕111号 §四（二）")
    refused = hire(client, clerk, name="李建国")
    assert refused.status_code == 409 and "名额为1名" in refused.json()["error"]["msg_zh"]
    assert hire(client, login("ldzx.review"), name="李建国", over_quota=True).status_code == 201  # the centre's 调剂


@pytest.mark.parametrize("who", ["bmfw.dongsi", "clerk.rsj"])
def test_over_quota_only_by_the_centre(client, clerk, login, who):
    """111号 §二（二）: 区劳动服务管理中心…进行区内统筹调剂 — a street's clerk or the bureau marking a hire over the quota
    is refused, within the quota or not."""
    set_retirees(client, clerk, 4000)
    r = hire(client, login(who), over_quota=True)
    assert r.status_code == 403, r.text
    assert r.json()["error"]["msg_zh"] == "超出名额聘用须由区劳动服务管理中心区内统筹调剂（111号 §二（二））"
    assert r.json()["detail"][0]["field"] == "over_quota"
    assert client.get(BASE, headers=clerk, params={"street": "东四街道"}).json() == []  # nothing saved


def test_age_limits(client, clerk):
    set_retirees(client, clerk, 20_000)
    assert hire(client, clerk, birth_date="1956-01-02").status_code == 201  # 65 on the start day 2022-01-01
    r = hire(client, clerk, birth_date="1956-01-01")  # the 66th birthday is the start day
    assert r.status_code == 409 and "可放宽至68周岁" in r.json()["error"]["msg_zh"]
    assert hire(client, clerk, birth_date="1953-01-02", recommended=True).status_code == 201  # 68
    r = hire(client, clerk, birth_date="1953-01-01", recommended=True)  # 69
    assert r.status_code == 409 and "超过68周岁上限" in r.json()["error"]["msg_zh"]


def test_bad_input_names_each_field(client, clerk):
    r = client.post(BASE, headers=clerk, json={"name": "", "street": "东四街道", "route": "x", "start_on": "bad"})
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert {"name", "route", "start_on"} <= {f.split(".")[-1] for f in fields}
    assert all(d["msg_zh"] and d["msg_en"] for d in r.json()["detail"])
    set_retirees(client, clerk, 20_000)
    r = hire(client, clerk, route="procurement", birth_date=None, end_on="2025-01-01")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "end_on"
    assert hire(client, clerk, route="procurement", end_on="2024-12-31").status_code == 201


def test_a_birth_date_may_be_last_century_a_start_day_may_not(client, clerk):
    r = hire(client, clerk, start_on="1999-12-31")
    assert r.status_code == 422
    assert [(d["field"], d["msg_en"]) for d in r.json()["detail"]] == [
        ("start_on", "the date must be between 2000 and 2099")]
    r = hire(client, clerk, birth_date="1899-12-31")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "birth_date"


def test_a_retiree_hire_without_a_birth_date_names_the_field(client, clerk):
    r = hire(client, clerk, birth_date=None)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "birth_date", "msg_zh": "聘任退休人员须填写出生日期以核对年龄",
                                   "msg_en": "A retiree hire needs the birth date"}]


def test_ratings_pay_sheet_and_summary(client, clerk):
    set_retirees(client, clerk, 2000)
    cid = hire(client, clerk).json()["id"]
    assert rate(client, clerk, cid, 1, "satisfied").status_code == 201
    assert rate(client, clerk, cid, 2, "basic").status_code == 201
    assert rate(client, clerk, cid, 3, "unsatisfied").status_code == 201
    assert rate(client, clerk, cid, 3, "satisfied").status_code == 409
    sheet = client.get(f"{BASE}/pay-sheet", headers=clerk, params={"street": "东四街道", "year": 2022, "month": 2})
    row = sheet.json()["rows"][0]
    assert (row["subsidy"], row["bonus_pct"], row["bonus"], row["total"]) == (1700, 80, 800, 2500)
    assert row["basis"].startswith("东人社发〔2021〕112号 第八条")
    summary = client.get(f"{BASE}/summary", headers=clerk, params={"street": "东四街道", "year": 2022}).json()
    (s,) = summary["rows"]
    assert s["months"] == 12 and s["rated"] == 3 and s["bonus"] == 1800 and s["subsidy"] == 12 * 1700
    assert s["rehire_next_year"] is True
    assert rate(client, clerk, cid, 4, "unsatisfied").status_code == 201
    summary = client.get(f"{BASE}/summary", headers=clerk, params={"street": "东四街道", "year": 2022}).json()
    assert summary["rows"][0]["rehire_next_year"] is False
    r = client.post(f"{BASE}/{cid}/renew", headers=clerk, json={})
    assert r.status_code == 409 and "2023年度不再聘用" in r.json()["error"]["msg_zh"]


def test_notice_renew_and_end(client, clerk):
    set_retirees(client, clerk, 2000)
    cid = hire(client, clerk).json()["id"]
    r = client.post(f"{BASE}/{cid}/notice", headers=clerk, json={"sent_on": "2022-11-30"})
    assert r.status_code == 200 and r.json()["renewal_notice"]["status"] == "sent"
    r = client.post(f"{BASE}/{cid}/renew", headers=clerk, json={})
    assert r.status_code == 200, r.text
    assert r.json()["term"] == {**r.json()["term"], "no": 2, "start_on": "2023-01-01", "end_on": "2023-12-31"}
    r = client.post(f"{BASE}/{cid}/end", headers=clerk, json={"ground": "1", "on": "2023-06-01"})
    assert r.status_code == 422  # ground 1 only within the trial
    r = client.post(f"{BASE}/{cid}/end", headers=clerk, json={"ground": "3", "on": "2023-06-01"})
    assert r.status_code == 200 and r.json()["status"] == "ended"
    assert client.post(f"{BASE}/{cid}/end", headers=clerk, json={"ground": "3"}).status_code == 409


def test_fund_application_and_self_report_workbooks(client, clerk, login):
    set_retirees(client, clerk, 4000)
    hire(client, clerk)
    hire(client, clerk, name="赵志强", start_on="2022-07-01")
    hire(client, login("ldzx.review"), name="公益岗", route="public_welfare", birth_date=None, over_quota=True)
    params = {"street": "东四街道", "year": 2022}
    data = client.get(f"{BASE}/fund-application", headers=clerk, params=params).json()
    assert data["people"] == 2 and data["person_months"] == 18  # the public-welfare post is paid elsewhere (第三条)
    assert data["total"] == 1700 * 18 + 12_000 + 6_000 + 400 and data["self_report_due"] == "2023-03-31"
    r = client.get(f"{BASE}/fund-application.xlsx", headers=clerk, params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(r.content)).active
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "东四街道聘用社会化管理服务专员岗补资金申请表" in cells and "岗补资金总额（元）" in cells
    assert data["total"] in cells
    r = client.get(f"{BASE}/usage-report.xlsx", headers=clerk, params=params)
    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == ["自查报告", "岗补资金使用明细"]
    assert client.get(f"{BASE}/fund-application", headers=clerk,
                      params={**params, "insurance_per_person": 201}).status_code == 422


FORMULA = '=HYPERLINK("http://evil.example/x","click")'


def _cells(ws) -> dict:
    return {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}


def test_a_formula_looking_name_is_a_string_cell_in_both_workbooks(client, clerk):
    set_retirees(client, clerk, 4000)
    assert hire(client, clerk, name=FORMULA).status_code == 201
    params = {"street": "东四街道", "year": 2022}
    for path, sheet in (("fund-application.xlsx", "服务专员明细"), ("usage-report.xlsx", "岗补资金使用明细")):
        r = client.get(f"{BASE}/{path}", headers=clerk, params=params)
        assert r.status_code == 200
        ws = load_workbook(BytesIO(r.content))[sheet]
        cell = _cells(ws)[FORMULA]
        assert (cell.data_type, cell.value) == ("s", FORMULA), path
        months = ws.cell(row=cell.row, column=3)
        assert (months.data_type, months.value) == ("n", 12), path  # the platform's figures stay numbers


def test_404_and_403(client, clerk, login):
    assert client.get(f"{BASE}/999999", headers=clerk).status_code == 404
    assert client.get(f"{BASE}/streets", headers=login("cgw")).status_code == 403
    assert client.post(BASE, headers=login("duty"), json={}).status_code == 403


def test_every_mutation_is_audited(client, clerk, db):
    from sqlalchemy import select

    from dongcheng.audit.models import AuditEntry

    set_retirees(client, clerk, 2000)
    cid = hire(client, clerk).json()["id"]
    rate(client, clerk, cid, 1, "satisfied")
    actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("commissioners.%"))))
    assert {"commissioners.retirees", "commissioners.hire", "commissioners.rate"} <= actions


def test_nul_in_text_is_a_client_error(client, clerk):
    """PostgreSQL text cannot hold NUL: refused before it reaches the database (found by probing the fuzz input)."""
    r = client.put(f"{BASE}/streets/东四%00街道/retirees", headers=clerk, json={"retirees": 1})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "query"
    r = hire(client, clerk, name="王\u0000秀兰")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "body"


def test_a_retried_hire_with_one_idempotency_key_hires_once(client, clerk):
    set_retirees(client, clerk, 4001)
    key = {**clerk, "Idempotency-Key": "hire-王秀兰-2022".encode().hex()}
    first = client.post(BASE, headers=key, json={"name": "王秀兰", "street": "东四街道", "route": "retiree",
                                                 "birth_date": "1960-05-01", "start_on": "2022-01-01"})
    again = client.post(BASE, headers=key, json={"name": "王秀兰", "street": "东四街道", "route": "retiree",
                                                 "birth_date": "1960-05-01", "start_on": "2022-01-01"})
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    people = client.get(BASE, params={"street": "东四街道"}, headers=clerk).json()
    assert [p["name"] for p in people].count("王秀兰") == 1
