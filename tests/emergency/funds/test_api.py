"""Disbursements end to end (东政发〔2022〕3号 §6.8): requested for an incident by a unit handling it, approved by the
区政府 (a district leader holding a post that day), completed by the 区财政局 within 1 working day (§6.8.3);
overdue ones on the duty board and in the accountability report."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.auth.repository import user_by_username
from dongcheng.auth.service import Caller, caller_for
from dongcheng.core.errors import DomainError
from dongcheng.emergency.funds import service
from dongcheng.emergency.funds.models import Disbursement
from dongcheng.emergency.funds.schemas import CompleteIn, DecisionIn
from tests.auth.test_leader_post import never_appointed  # noqa: F401  (fixture)
from tests.emergency.incidents.test_api import create

API = "/api/funds/disbursements"
HTML = {"Accept": "text/html"}


def request(client, headers, incident_id: int, **kw) -> dict:
    r = client.post(API, headers=headers, json={"incident_id": incident_id, "amount": "120000.50",
                                                "purpose": "燃气泄漏现场抢险物资", **kw})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def incident(client, login) -> int:
    return create(client, login("duty"))["id"]


def test_request_approve_complete(client, login, incident, db):
    d = request(client, login("cgw"), incident)  # 燃气事故: 区城市管理委 leads (§2.3.6)
    assert d["status"] == "requested" and d["source"] == "special_reserve" and d["requesting_unit"] == "区城市管理委"
    assert "经区政府批准后启动" in d["source_basis"]
    # the finance bureau cannot complete what the 区政府 has not approved (§6.8.2)
    r = client.post(f"{API}/{d['id']}/complete", headers=login("czj"), json={"voucher_no": "东财拨〔2026〕1号"})
    assert r.status_code == 409 and "§6.8.2" in client.get(f"{API}/{d['id']}", headers=login("duty")).json()["source_basis"]
    r = client.post(f"{API}/{d['id']}/approve", headers=login("sun.yang"), json={"note": "同意"})
    assert r.status_code == 200, r.text
    approved = r.json()
    assert approved["status"] == "approved" and "副区长" in approved["decided_post"]
    assert approved["due"]["basis"] == "东政发〔2022〕3号 §6.8.3（凡区政府批准的拨款事宜，在1个工作日内完成相关手续）"
    assert approved["timeliness"] == "pending"
    # only the 区财政局 completes
    assert client.post(f"{API}/{d['id']}/complete", headers=login("cgw"),
                       json={"voucher_no": "X"}).status_code == 403
    r = client.post(f"{API}/{d['id']}/complete", headers=login("czj"), json={"voucher_no": "东财拨〔2026〕1号"})
    assert r.status_code == 200 and r.json()["status"] == "completed" and r.json()["timeliness"] == "met"
    actions = [e.action for e in db.scalars(select(AuditEntry).where(AuditEntry.target_type == "disbursement",
                                                                     AuditEntry.target_id == str(d["id"]))
                                            .order_by(AuditEntry.id))]
    assert actions == ["funds.request", "funds.approve", "funds.complete"]


def test_a_unit_not_handling_the_incident_cannot_request(client, login, incident):
    r = client.post(API, headers=login("czj"), json={"incident_id": incident, "amount": "1", "purpose": "x"})
    assert r.status_code == 403


def test_bad_input_names_each_field_and_saves_nothing(client, login, incident, db):
    before = db.scalar(select(Disbursement.id).order_by(Disbursement.id.desc()).limit(1))
    r = client.post(API, headers=login("duty"), json={"incident_id": incident, "amount": "-5", "purpose": "",
                                                      "source": "lottery"})
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert {"amount", "purpose", "source"} <= fields and all(d["msg_zh"] for d in r.json()["detail"])
    r = client.post(API, headers=login("duty"), json={"incident_id": 999999, "amount": "5", "purpose": "x"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "incident_id"
    assert db.scalar(select(Disbursement.id).order_by(Disbursement.id.desc()).limit(1)) == before


def test_a_leader_with_no_post_is_refused(client, login, incident, never_appointed):  # noqa: F811
    d = request(client, login("duty"), incident)
    r = client.post(f"{API}/{d['id']}/approve", headers=login(never_appointed), json={})
    assert r.status_code == 403
    assert client.post(f"{API}/{d['id']}/approve", headers=login("duty"), json={}).status_code == 403
    assert client.get(f"{API}/{d['id']}", headers=login("duty")).json()["status"] == "requested"


def test_approval_on_30_september_2026_is_due_by_the_end_of_8_october(db, client, login, incident):
    """Through the service, at the instant of approval: 2026-09-30 17:00 Beijing → 2026-10-08 23:59:59."""
    d = request(client, login("duty"), incident)
    leader = caller_for(db, user_by_username(db, "li.yan"))
    approved_at = datetime(2026, 9, 30, 9, 0, tzinfo=UTC)
    row = service.approve(db, caller=leader, disbursement_id=d["id"], data=DecisionIn(), now=approved_at)
    assert row.due_on == date(2026, 10, 8) and not row.due_provisional
    assert row.due_at == datetime(2026, 10, 8, 15, 59, 59, tzinfo=UTC)  # 23:59:59 Beijing
    finance = caller_for(db, user_by_username(db, "czj"))
    late = service.complete(db, caller=finance, disbursement_id=d["id"], data=CompleteIn(voucher_no="1"),
                            now=row.due_at + timedelta(seconds=1))
    assert late.status == "completed"
    got = client.get(f"{API}/{d['id']}", headers=login("duty")).json()
    assert got["timeliness"] == "late" and got["due"]["due_on"] == "2026-10-08"


def test_a_leader_without_a_post_on_the_day_is_refused_by_the_service(db, client, login, incident):
    d = request(client, login("duty"), incident)
    user = user_by_username(db, "sun.yang")
    with pytest.raises(DomainError) as refused:  # before the 东政办发〔2021〕18号 division of work he held no seat
        service.approve(db, caller=Caller(user, ()), disbursement_id=d["id"], data=DecisionIn(),
                        now=datetime(2000, 1, 3, tzinfo=UTC))
    assert refused.value.status_code == 403


def test_overdue_on_the_board_and_in_the_accountability_report(db, client, login, incident):
    d = request(client, login("cgw"), incident)
    leader = caller_for(db, user_by_username(db, "li.yan"))
    now = datetime.now(UTC)
    service.approve(db, caller=leader, disbursement_id=d["id"], data=DecisionIn(), now=now - timedelta(days=10))
    db.commit()
    overdue = client.get("/api/funds/overdue", headers=login("duty")).json()
    assert [o["id"] for o in overdue] == [d["id"]] and overdue[0]["timeliness"] == "overdue"
    board = client.get("/incidents/board", headers={**HTML, **login("duty")}).text
    assert f'data-disbursement="{d["id"]}"' in board and "拨款超时未完成" in board
    start = (now - timedelta(days=30)).isoformat()
    report = client.get("/api/accountability/reports", headers=login("duty"),
                        params={"start": start, "end": now.isoformat()}).json()
    assert [r["id"] for r in report["disbursements"]] == [d["id"]]
    assert report["disbursements"][0]["finding"] == "overdue" and "§6.8.3" in report["disbursements"][0]["basis"]
    own = client.get("/api/accountability/reports", headers=login("cgw"),
                     params={"start": start, "end": now.isoformat()}).json()
    assert [r["unit"] for r in own["disbursements"]] == ["区城市管理委"]
    page = client.get("/accountability", headers={**HTML, **login("duty")}).text
    assert f'data-disbursement="{d["id"]}"' in page
    xlsx = client.get("/api/accountability/reports.xlsx", headers=login("duty"),
                      params={"start": start, "end": now.isoformat()})
    sheet = load_workbook(BytesIO(xlsx.content))["拨款超时"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[2] == d["id"])
    assert row[0] == "区城市管理委" and row[1] == "已超时未完成" and "§6.8.3" in row[9]


def test_pages_request_and_approve_with_csrf(client, login, incident):
    import re

    duty = {**HTML, **login("duty")}
    html = client.get("/funds", headers=duty).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post("/funds", headers=duty, data={"csrf_token": token, "incident_id": str(incident), "amount": "abc",
                                                  "purpose": "x"})
    assert r.status_code == 422 and "amount" in r.text
    r = client.post("/funds", headers=duty, follow_redirects=False,
                    data={"csrf_token": token, "incident_id": str(incident), "amount": "500", "purpose": "帐篷",
                          "source": "budget"})
    assert r.status_code == 303
    path = r.headers["location"].split("?")[0]
    leader = {**HTML, **login("sun.yang")}
    page = client.get(path, headers=leader).text
    assert "区政府批准" in page and "调整部门预算结构" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"{path}/approve", headers=leader, data={"note": "同意"}).status_code == 403  # no CSRF token
    r = client.post(f"{path}/approve", headers=leader, data={"csrf_token": token, "note": "同意", "confirm": "yes"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert 'id="due"' in client.get(path, headers=leader).text
