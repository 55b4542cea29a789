"""Exactly one incident per report (issue 9 item 8): the Idempotency-Key header, the intake form's one-time token,
and duplicate-suspect intakes a duty officer merges (their clocks stop counting against accountability, §5.5.2)."""
from __future__ import annotations

import re
import threading
import uuid
from datetime import datetime, timedelta, timezone

import httpx
from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.core.config import DEMO_PASSWORD
from dongcheng.emergency.incidents.models import Incident, Report
from tests.emergency.incidents.test_pages import HTML, csrf, get, intake_form

BJ = timezone(timedelta(hours=8))
RECEIVED = (datetime.now(BJ) - timedelta(hours=3)).replace(second=12, microsecond=0)


def body(**kw) -> dict:
    base = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (RECEIVED - timedelta(minutes=4)).isoformat(), "received_at": RECEIVED.isoformat(),
            "source": "12345", "title": "燃气泄漏", "description": "楼道有燃气味", "grade": None}
    base.update(kw)
    return base


def count(db, title: str) -> int:
    return db.scalar(select(func.count()).select_from(Incident).where(Incident.title == title))


class TestIdempotencyKey:
    def test_the_same_body_twice_with_one_key_is_one_incident_and_the_same_answer(self, client, login, db):
        duty, key = login("duty"), {"Idempotency-Key": str(uuid.uuid4())}
        first = client.post("/api/incidents", json=body(title="同键接报"), headers={**duty, **key})
        again = client.post("/api/incidents", json=body(title="同键接报"), headers={**duty, **key})
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
        assert "Idempotent-Replayed" not in first.headers
        assert count(db, "同键接报") == 1
        assert db.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "incident.create", AuditEntry.target_id == str(first.json()["id"]))) == 1

    def test_without_a_key_each_post_is_a_report(self, client, login, db):
        duty = login("duty")
        for _ in range(2):
            assert client.post("/api/incidents", json=body(title="无键接报"), headers=duty).status_code == 201
        assert count(db, "无键接报") == 2

    def test_the_same_key_with_another_body_is_a_422_naming_the_header(self, client, login, db):
        duty, key = login("duty"), {"Idempotency-Key": "k-" + uuid.uuid4().hex}
        assert client.post("/api/incidents", json=body(title="键A"), headers={**duty, **key}).status_code == 201
        r = client.post("/api/incidents", json=body(title="键B"), headers={**duty, **key})
        assert r.status_code == 422
        assert r.json()["detail"][0]["field"] == "Idempotency-Key" and r.json()["detail"][0]["msg_zh"]
        assert count(db, "键B") == 0

    def test_keys_are_per_user_and_a_refused_create_leaves_its_key_free(self, client, login, db):
        key = {"Idempotency-Key": "shared-" + uuid.uuid4().hex}
        bad = client.post("/api/incidents", json=body(title="键C", street="火星街道"), headers={**login("duty"), **key})
        assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "street"
        assert client.post("/api/incidents", json=body(title="键C"), headers={**login("duty"), **key}).status_code == 201
        assert client.post("/api/incidents", json=body(title="键C"), headers={**login("mayor"), **key}).status_code == 201
        assert count(db, "键C") == 2  # the duty officer's and the mayor's: one each

    def test_a_bad_key_is_a_422_naming_the_header(self, client, login):
        r = client.post("/api/incidents", json=body(), headers={**login("duty"), "Idempotency-Key": "a b"})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "Idempotency-Key"

    def test_a_retried_report_meets_one_deadline_not_two(self, client, login, db):
        duty = login("duty")
        inc = client.post("/api/incidents", json=body(title="续报重试", grade="较大"), headers=duty).json()
        key = {"Idempotency-Key": str(uuid.uuid4())}
        report = {"kind": "follow_up", "time": "09:00", "place": "东四", "source": "12345", "nature": "燃气",
                  "harm": "无", "trend": "稳定", "measures": "疏散", "filed_at": RECEIVED.isoformat()}
        first = client.post(f"/api/incidents/{inc['id']}/reports", json=report, headers={**duty, **key})
        again = client.post(f"/api/incidents/{inc['id']}/reports", json=report, headers={**duty, **key})
        assert first.status_code == again.status_code == 201 and again.json()["id"] == first.json()["id"]
        assert db.scalar(select(func.count()).select_from(Report).where(Report.incident_id == inc["id"])) == 1
        met = [d for d in client.get(f"/api/incidents/{inc['id']}", headers=duty).json()["deadlines"]
               if d["met_at"]]
        assert len(met) == 1


def test_two_identical_posts_at_once_with_one_key_create_one_incident(live_server):
    """Real concurrency: two threads post to the running server (uvicorn) at the same moment."""
    token = httpx.post(f"{live_server}/api/auth/token", data={"username": "duty", "password": DEMO_PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}", "Idempotency-Key": str(uuid.uuid4())}
    title = f"并发接报-{uuid.uuid4().hex[:8]}"
    barrier = threading.Barrier(2)
    answers: list[httpx.Response] = []

    def post() -> None:
        with httpx.Client(timeout=30) as c:
            barrier.wait(10)
            answers.append(c.post(f"{live_server}/api/incidents", json=body(title=title), headers=headers))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    listed = httpx.get(f"{live_server}/api/incidents", headers=headers).json()
    assert [i["title"] for i in listed].count(title) == 1


class TestFormToken:
    def test_submitting_the_intake_form_twice_creates_one_incident(self, client, login, db):
        duty = {**HTML, **login("duty")}
        html = get(client, "/incidents/new", duty)
        token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
        form = intake_form(html, title="双击接报", form_token=token)
        first = client.post("/incidents/new", data=form, headers=duty, follow_redirects=False)
        again = client.post("/incidents/new", data=form, headers=duty, follow_redirects=False)
        assert first.status_code == again.status_code == 303
        incident_id = re.fullmatch(r"/incidents/(\d+)\?done=intake", first.headers["location"]).group(1)
        assert again.headers["location"] == f"/incidents/{incident_id}?done=resubmitted"
        assert count(db, "双击接报") == 1
        assert "此接报表单已提交过" in get(client, again.headers["location"], duty)
        # a new form is a new token: the next report is a new incident
        other = get(client, "/incidents/new", duty)
        assert re.search(r'name="form_token" value="([^"]+)"', other).group(1) != token

    def test_a_refused_intake_keeps_its_token_for_the_corrected_submit(self, client, login, db):
        duty = {**HTML, **login("duty")}
        html = get(client, "/incidents/new", duty)
        token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
        bad = client.post("/incidents/new", data=intake_form(html, title="更正接报", street="", form_token=token),
                          headers=duty)
        assert bad.status_code == 422 and f'name="form_token" value="{token}"' in bad.text
        good = client.post("/incidents/new", data=intake_form(html, title="更正接报", form_token=token), headers=duty,
                           follow_redirects=False)
        assert good.status_code == 303 and "resubmitted" not in good.headers["location"]
        assert count(db, "更正接报") == 1


class TestDuplicateSuspects:
    def two(self, client, duty, title, **kw):
        a = client.post("/api/incidents", json=body(title=title, source="110"), headers=duty).json()
        b = client.post("/api/incidents", json=body(title=title, **kw), headers=duty).json()
        return a, b

    def test_same_street_type_and_minute_are_flagged_on_the_api_board_and_page(self, client, login):
        duty = login("duty")
        a, b = self.two(client, duty, "疑似重复", received_at=(RECEIVED + timedelta(seconds=40)).isoformat())
        other = client.post("/api/incidents", json=body(title="隔一分钟",
                            received_at=(RECEIVED + timedelta(seconds=60)).isoformat()), headers=duty).json()
        assert client.get(f"/api/incidents/{b['id']}", headers=duty).json()["duplicate_suspects"] == [a["id"]]
        assert other["id"] not in client.get(f"/api/incidents/{a['id']}", headers=duty).json()["duplicate_suspects"]
        board = get(client, "/incidents/board", {**HTML, **duty})
        row = re.search(rf'data-id="{b["id"]}"[^>]*>(.*?)</tr>', board, re.S).group(1)
        assert "疑似重复接报" in row and f"#{a['id']}" in row
        page = get(client, f"/incidents/{b['id']}", {**HTML, **duty})
        assert "疑似重复接报" in page and f'action="/incidents/{b["id"]}/merge"' in page

    def test_a_duty_officer_merges_the_duplicate_its_clocks_stop_and_do_not_count(self, client, login, db):
        duty = login("duty")
        a, b = self.two(client, duty, "合并重复")
        r = client.post(f"/api/incidents/{b['id']}/merge", json={"into": a["id"], "reason": "同一来电人"},
                        headers=duty)
        assert r.status_code == 200, r.text
        merged = r.json()
        assert merged["status"] == "merged" and merged["merged_into"] == a["id"]
        assert all(d["status"] != "pending" for d in merged["deadlines"])
        assert client.get(f"/api/incidents/{a['id']}", headers=duty).json()["merged_duplicates"] == [b["id"]]
        assert b["id"] not in [i["id"] for i in client.get("/api/incidents", headers=duty).json()]
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "incident.merge",
                                                   AuditEntry.target_id == str(b["id"])))
        assert entry.note == "同一来电人" and "platform default" in entry.basis and entry.after["original"] == a["id"]
        # acting on the duplicate afterwards is refused; the original is where work goes on
        again = client.post(f"/api/incidents/{b['id']}/grade", json={"grade": "一般", "reason": "x"}, headers=duty)
        assert again.status_code == 409
        # §5.5.2 accountability: the duplicate's missed 初报 (10 minutes, 3 hours ago) is not counted
        period = {"start": (RECEIVED - timedelta(hours=1)).isoformat(), "end": datetime.now(BJ).isoformat()}
        report = client.get("/api/accountability/reports", params=period, headers=duty)
        assert report.status_code == 200, report.text
        assert str(b["id"]) not in re.findall(r'"incident_id":\s*(\d+)', report.text)
        assert a["id"] in [int(x) for x in re.findall(r'"incident_id":\s*(\d+)', report.text)]

    def test_only_duty_officers_merge_and_only_suspects(self, client, login):
        duty = login("duty")
        a, b = self.two(client, duty, "合并权限")
        r = client.post(f"/api/incidents/{b['id']}/merge", json={"into": a["id"], "reason": "x"}, headers=login("cgw"))
        assert r.status_code == 403
        c = client.post("/api/incidents", json=body(title="另一街道", street="朝阳门街道"), headers=duty).json()
        r = client.post(f"/api/incidents/{c['id']}/merge", json={"into": a["id"], "reason": "x"}, headers=duty)
        assert r.status_code == 409 and r.json()["detail"][0]["field"] == "into"
        r = client.post(f"/api/incidents/{a['id']}/merge", json={"into": a["id"], "reason": "x"}, headers=duty)
        assert r.status_code == 422

    def test_the_merge_form_on_the_incident_page(self, client, login, db):
        duty = {**HTML, **login("duty")}
        a, b = self.two(client, duty, "页面合并")
        page = get(client, f"/incidents/{b['id']}", duty)
        r = client.post(f"/incidents/{b['id']}/merge", data={"csrf_token": csrf(page), "into": str(a["id"]),
                                                             "reason": "同一地址同一来电"}, headers=duty,
                        follow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        after = get(client, f"/incidents/{b['id']}", duty)
        assert "已并入" in after and f'href="/incidents/{a["id"]}"' in after
        assert db.get(Incident, b["id"]).merged_into_id == a["id"]


def test_a_key_answers_for_24_hours_then_is_free(db):
    from dongcheng.auth.models import User
    from dongcheng.core import idempotency as keys

    user = db.scalar(select(User).where(User.username == "duty"))
    now = datetime.now(BJ)
    held = keys.claim(db, user_id=user.id, key="day-old", fp="a", now=now - timedelta(hours=24, seconds=1))
    keys.store(db, held, 201, {"id": 1})
    assert keys.claim(db, user_id=user.id, key="day-old", fp="a", now=now - timedelta(hours=1)).replay == (201, {"id": 1})
    fresh = keys.claim(db, user_id=user.id, key="day-old", fp="b", now=now)  # expired: the key is free again
    assert fresh.replay is None
