"""The directory changes of an imported issue through the API and the admin page: listed, confirmed or rejected line
by line (all or none), audited; afterwards an orange warning of 区城市管理委 goes to the new 副区长 for approval."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry
from dongcheng.auth.service import create_user
from dongcheng.directory import service as directory
from dongcheng.directory.models import PortfolioEntry, Tenure
from dongcheng.gazette import service
from tests.emergency.warnings.conftest import BODY

TEXT = {"Content-Type": "text/plain; charset=utf-8"}
HTML = {"Accept": "text/html"}
MIAO = "免去 缪军 的全部现任职务，2022年4月1日起"


@pytest.fixture
def admin(login):
    return login("admin")


@pytest.fixture
def issue_id(db, client, admin, seed_bytes, constructed_bytes):
    service.import_issue(db, data=seed_bytes, source_name="2022-03.txt")
    db.flush()
    r = client.post("/api/gazette/issues", content=constructed_bytes, headers={**admin, **TEXT})
    assert r.status_code == 201 and r.json()["directory_changes"] == 9, r.text
    return r.json()["issue"]["id"]


def _changes(client, admin, issue_id) -> dict[str, dict]:
    r = client.get(f"/api/gazette/issues/{issue_id}/directory-changes", headers=admin)
    assert r.status_code == 200, r.text
    return {c["summary"]: c for c in r.json()["changes"]}


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_only_an_administrator_sees_and_decides(client, login, issue_id):
    url = f"/api/gazette/issues/{issue_id}/directory-changes"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=login("sun.yang")).status_code == 403
    assert client.post(url, json={"confirm": [1]}, headers=login("duty")).status_code == 403


def test_confirm_and_reject_then_the_new_vice_mayor_approves(db, client, admin, login, issue_id):
    lines = _changes(client, admin, issue_id)
    assert len(lines) == 9 and {c["status"] for c in lines.values()} == {"proposed"}
    audited = _count(db, AuditEntry)
    body = {"confirm": [c["id"] for s, c in lines.items() if s != MIAO], "reject": [lines[MIAO]["id"]]}
    r = client.post(f"/api/gazette/issues/{issue_id}/directory-changes", json=body, headers=admin)
    assert r.status_code == 200, r.text
    assert sorted(d["status"] for d in r.json()["decided"]) == ["confirmed"] * 8 + ["rejected"]
    actions = list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id).offset(audited)))
    assert actions.count("gazette.directory_change.confirm") == 8 and actions.count("gazette.directory_change.reject") == 1
    assert {"directory.appoint", "directory.remove", "directory.portfolio"} <= set(actions)

    who = client.get("/api/directory/supervising-leader", params={"unit": "区城市管理委", "on": "2022-03-31"}).json()
    assert who["leader"]["person"] == "孙扬"
    who = client.get("/api/directory/supervising-leader", params={"unit": "区城市管理委", "on": "2022-04-01"}).json()
    assert (who["leader"]["person"], who["leader"]["post"], who["leader"]["basis"]) == ("顾承为", "副区长", "东政办发〔2022〕5号")

    # today (after 2022-04-01) an orange warning of 区城市管理委 is 顾承为's to approve, no longer 孙扬's
    create_user(db, actor=audit.SYSTEM, username="gu.chengwei", password="Gu-Chengwei-2022!", display_name="顾承为（副区长）",
                role="leader", person=directory.repository.person_by_name(db, "顾承为"))
    db.flush()
    draft = client.post("/api/warnings", json={**BODY, "level": "橙色"}, headers=login("cgw"))
    assert draft.status_code == 201, draft.text
    wid = draft.json()["id"]
    assert client.post(f"/api/warnings/{wid}/submit", headers=login("cgw")).status_code == 200
    refused = client.post(f"/api/warnings/{wid}/approve", headers=login("sun.yang"))
    assert refused.status_code == 403 and "顾承为" in refused.text
    assert client.post(f"/api/warnings/{wid}/approve", headers=login("gu.chengwei")).status_code == 200


def test_a_refused_line_refuses_the_whole_request(db, client, admin, issue_id):
    lines = _changes(client, admin, issue_id)
    before = (_count(db, Tenure), _count(db, PortfolioEntry), _count(db, AuditEntry))
    r = client.post(f"/api/gazette/issues/{issue_id}/directory-changes",
                    json={"confirm": [c["id"] for c in lines.values()]}, headers=admin)
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["field"] == "confirm" and "缪军" in detail["msg_zh"] and "holds no post" in detail["msg_en"]
    assert (_count(db, Tenure), _count(db, PortfolioEntry), _count(db, AuditEntry)) == before
    assert {c["status"] for c in _changes(client, admin, issue_id).values()} == {"proposed"}


def test_the_page_shows_the_diff_and_decides_line_by_line(client, admin, issue_id):
    url = f"/gazette/issues/{issue_id}/directory-changes"
    page = client.get(url, headers={**HTML, **admin})
    assert page.status_code == 200 and "待确认 <span class=\"count\">9</span>" in page.text
    assert "任命 顾承为 为 区政府副区长，2022年4月1日起" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    ids = dict(re.findall(r'<tr id="change-(\d+)">\s*<td><a [^>]*>[^<]*</a></td>\s*<td>([^<]*)</td>', page.text))
    by_summary = {v: k for k, v in ids.items()}
    form = {"csrf_token": token, f"line-{by_summary[MIAO]}": "confirm"}
    refused = client.post(url, data=form, headers={**HTML, **admin})
    assert refused.status_code == 422 and "缪军" in refused.text and "未担任任何职务" in refused.text
    form = {"csrf_token": token, f"line-{by_summary[MIAO]}": "reject",
            f"line-{by_summary['任命 顾承为 为 区政府副区长，2022年4月1日起']}": "confirm"}
    done = client.post(url, data=form, headers={**HTML, **admin}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("?done=2")
    page = client.get(done.headers["location"], headers={**HTML, **admin}).text
    assert "已处理 2 行" in page and "待确认 <span class=\"count\">7</span>" in page and "已驳回" in page


def test_the_page_is_for_administrators(client, login, issue_id):
    page = client.get(f"/gazette/issues/{issue_id}/directory-changes", headers={**HTML, **login("duty")})
    assert page.status_code == 403


def test_the_issue_page_points_an_administrator_to_the_changes(client, admin, issue_id):
    url = f"/gazette/issues/{issue_id}"
    assert "待确认 9 行" in client.get(url, headers={**HTML, **admin}).text
    assert "directory-changes" not in client.get(url, headers=HTML).text
