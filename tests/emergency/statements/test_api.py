"""信息发布 (东政发〔2022〕3号 §4.7.1) end to end: drafts stay private; cause, casualties and accountability go out
only with the command's approval; nothing after handover to the city; exercises never reach the public."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.audit.service import SYSTEM
from dongcheng.auth.service import create_user
from dongcheng.directory.service import find_unit

BJ = timezone(timedelta(hours=8))
RECEIVED = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0).astimezone(BJ)

PLAIN = {"title": "东四北大街燃气泄漏处置情况", "body": "泄漏点已关阀，周边道路恢复通行。"}
CASUALTIES = {"title": "燃气泄漏事故情况通报", "body": "事故造成1人受伤，已送医救治。"}


def incident(client, headers, **kw) -> dict:
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (RECEIVED - timedelta(minutes=5)).isoformat(), "received_at": RECEIVED.isoformat(),
            "source": "12345", "title": "燃气泄漏", "description": "楼道有燃气味", **kw}
    r = client.post("/api/incidents", json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["lead_departments"] == ["区城市管理委"]
    return r.json()


def draft(client, headers, incident_id: int, body: dict) -> dict:
    r = client.post(f"/api/incidents/{incident_id}/statements", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def release(client, headers, incident_id: int, statement_id: int):
    return client.post(f"/api/incidents/{incident_id}/statements/{statement_id}/release", headers=headers)


def public(client) -> list[dict]:
    r = client.get("/api/public/statements")
    assert r.status_code == 200
    return r.json()


class TestDrafts:
    def test_the_lead_department_drafts_and_the_draft_is_not_public(self, client, login):
        inc = incident(client, login("duty"))
        s = draft(client, login("cgw"), inc["id"], PLAIN)
        assert s["status"] == "draft" and s["public"] is False and s["topics"] == []
        assert s["drafting_unit"] == "区城市管理委" and "§4.7.1" in s["basis"]
        assert public(client) == []
        listed = client.get(f"/api/incidents/{inc['id']}/statements", headers=login("duty")).json()
        assert [x["id"] for x in listed] == [s["id"]]

    def test_the_text_marks_restricted_topics_even_when_the_drafter_does_not(self, client, login):
        inc = incident(client, login("duty"))
        s = draft(client, login("cgw"), inc["id"], CASUALTIES)
        assert s["topics"] == ["伤亡数字"] and s["needs_command_approval"] is True
        assert s["held_because"] == [{"topic": "伤亡数字", "source": "text", "phrases": ["1人受伤"]}]

    def test_a_figure_in_chinese_numerals_with_a_severity_word_is_held_and_the_refusal_quotes_it(self, client, login):
        """⑤ 伤亡数字 however it is written: 三人重伤 is a casualty figure; the department cannot release it alone."""
        inc = incident(client, login("duty"))
        s = draft(client, login("cgw"), inc["id"], {"title": "情况通报", "body": "现场三人重伤，均已送医。"})
        assert s["topics"] == ["伤亡数字"]
        assert s["held_because"] == [{"topic": "伤亡数字", "source": "text", "phrases": ["三人重伤"]}]
        r = release(client, login("cgw"), inc["id"], s["id"])
        assert r.status_code == 403 and "“三人重伤”" in r.json()["error"]["msg_zh"]
        assert "三人重伤" in r.json()["error"]["msg_en"]
        assert public(client) == []

    def test_a_declared_topic_is_shown_as_the_drafters(self, client, login):
        inc = incident(client, login("duty"))
        s = draft(client, login("cgw"), inc["id"], {**PLAIN, "topics": ["责任追究"]})
        assert s["held_because"] == [{"topic": "责任追究", "source": "drafter", "phrases": []}]

    def test_an_uninvolved_department_and_a_street_do_not_draft(self, client, login):
        inc = incident(client, login("duty"))
        for user in ("street.dongsi",):
            r = client.post(f"/api/incidents/{inc['id']}/statements", json=PLAIN, headers=login(user))
            assert r.status_code == 403, user

    def test_bad_input_names_each_field_and_saves_nothing(self, client, login, db):
        inc = incident(client, login("duty"))
        r = client.post(f"/api/incidents/{inc['id']}/statements", headers=login("cgw"),
                        json={"title": "", "body": "x", "topics": ["天气"]})
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"title", "topics.0"}
        assert client.get(f"/api/incidents/{inc['id']}/statements", headers=login("duty")).json() == []


class TestRelease:
    def test_the_lead_department_releases_a_plain_notice_and_the_public_sees_it(self, client, login, db):
        inc = incident(client, login("duty"))
        s = draft(client, login("cgw"), inc["id"], PLAIN)
        r = release(client, login("cgw"), inc["id"], s["id"])
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "released" and r.json()["public"] is True
        assert "主责部门具体负责新闻发布工作" in r.json()["basis"] and r.json()["released_by"] == "区城市管理委"
        shown = public(client)
        assert [p["title"] for p in shown] == [PLAIN["title"]] and shown[0]["incident"]["street"] == "东四街道"
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "statements.release",
                                                   AuditEntry.target_id == str(s["id"])))
        assert entry is not None and "§4.7.1" in entry.basis

    def test_casualty_figures_need_a_leaders_approval(self, client, login):
        inc = incident(client, login("duty"))
        s = draft(client, login("cgw"), inc["id"], CASUALTIES)
        for user in ("cgw", "duty"):
            r = release(client, login(user), inc["id"], s["id"])
            assert r.status_code == 403 and "伤亡数字" in r.json()["error"]["msg_zh"], user
        assert public(client) == []
        r = release(client, login("sun.yang"), inc["id"], s["id"])
        assert r.status_code == 200 and r.json()["released_by"] == "孙扬（副区长）"
        assert "应急指挥机构批准" in r.json()["basis"]

    def test_a_leader_who_no_longer_holds_a_post_approves_nothing(self, client, login, db, postless_leader):
        postless_leader("former", "王离任")
        inc = incident(client, login("duty"))
        s = draft(client, login("cgw"), inc["id"], CASUALTIES)
        assert release(client, login("former"), inc["id"], s["id"]).status_code == 403

    def test_the_publicity_department_releases_plain_notices(self, client, login, db):
        create_user(db, actor=SYSTEM, username="xcb", password="demo-password", display_name="区委宣传部用户",
                    role="department", unit=find_unit(db, "区委宣传部"), is_demo=True)
        db.commit()
        inc = incident(client, login("duty"))
        s = draft(client, login("xcb"), inc["id"], PLAIN)
        assert release(client, login("xcb"), inc["id"], s["id"]).status_code == 200

    def test_released_once(self, client, login):
        inc = incident(client, login("duty"))
        s = draft(client, login("cgw"), inc["id"], PLAIN)
        assert release(client, login("cgw"), inc["id"], s["id"]).status_code == 200
        assert release(client, login("cgw"), inc["id"], s["id"]).status_code == 409

    def test_after_handover_to_the_city_the_district_releases_nothing(self, client, login):
        duty = login("duty")
        inc = incident(client, duty, grade="重大")
        s = draft(client, login("cgw"), inc["id"], PLAIN)
        r = client.post(f"/api/incidents/{inc['id']}/handover", headers=duty, json={"reason": "市级现场指挥部成立"})
        assert r.status_code == 200, r.text
        r = release(client, login("mayor"), inc["id"], s["id"])
        assert r.status_code == 409 and "移交" in r.json()["error"]["msg_zh"]

    def test_an_exercise_is_released_internally_but_never_public(self, client, login):
        inc = incident(client, login("duty"), drill=True)
        s = draft(client, login("cgw"), inc["id"], PLAIN)
        r = release(client, login("cgw"), inc["id"], s["id"])
        assert r.status_code == 200 and r.json()["drill"] is True and r.json()["public"] is False
        assert public(client) == []

    def test_unknown_statement_or_one_of_another_incident_is_404(self, client, login):
        first, second = incident(client, login("duty")), incident(client, login("duty"))
        s = draft(client, login("cgw"), first["id"], PLAIN)
        assert release(client, login("cgw"), second["id"], s["id"]).status_code == 404
        assert release(client, login("cgw"), first["id"], 999_999).status_code == 404
