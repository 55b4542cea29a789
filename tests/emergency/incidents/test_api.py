"""Incidents end to end through the HTTP API, times to the second (东政发〔2022〕3号 §4)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from dongcheng.emergency.incidents.models import Deadline, Incident

BJ = timezone(timedelta(hours=8))
# Four hours ago, on the minute: intake accepts the last 7 days, so the tests run on any day.
RECEIVED = (datetime.now(BJ) - timedelta(hours=4)).replace(second=0, microsecond=0)
OCCURRED = RECEIVED - timedelta(minutes=4, seconds=30)


def body(**kw) -> dict:
    base = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": OCCURRED.isoformat(), "received_at": RECEIVED.isoformat(), "source": "12345",
            "title": "燃气泄漏", "description": "楼道有燃气味", "grade": None,
            "casualties": {"dead": 0, "injured": 0, "missing": 0, "trapped": 0},
            "foreign_related": False, "sensitive": False}
    base.update(kw)
    return base


def at(dt: datetime) -> str:
    return dt.isoformat()


def create(client, headers, **kw) -> dict:
    r = client.post("/api/incidents", json=body(**kw), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def report(**kw) -> dict:
    base = {"kind": "initial", "time": "09:00", "place": "东四北大街 100 号", "source": "12345 热线",
            "nature": "燃气泄漏", "harm": "无人员伤亡", "trend": "已关阀，趋于稳定", "measures": "疏散 20 户"}
    base.update(kw)
    return base


class TestIntake:
    def test_routing_clock_and_proposal(self, client, login):
        inc = create(client, login("duty"))
        assert inc["lead_departments"] == ["区城市管理委"] and inc["category"] == "事故灾难"
        assert inc["status"] == "open" and inc["proposed_response_level"] is None
        [initial] = inc["deadlines"]
        assert initial["kind"] == "initial" and initial["basis"] == "东政发〔2022〕3号 §4.1.5"
        assert initial["due_at"] == at(RECEIVED + timedelta(minutes=10))
        assert initial["recipients"] == ["区委值班室", "区政府值班室", "区应急办"]

    def test_general_grade_at_intake_owes_the_detailed_report_and_proposes_level_two(self, client, login):
        inc = create(client, login("duty"), grade="一般")
        # §4.1.4: 1 hour after the event occurred (4 min 30 s before receipt)
        assert [(d["kind"], d["due_at"]) for d in inc["deadlines"]] == [
            ("detailed", at(RECEIVED + timedelta(minutes=55, seconds=30)))]
        assert inc["proposed_response_level"] == "二级" and inc["basis"] == "东政发〔2022〕3号 §4.3.3"

    def test_the_key_area_suggests_one_level_higher(self, client, login):
        inc = create(client, login("duty"), grade="一般", street="王府井地区")
        assert inc["proposed_response_level"] == "一级" and "§4.3.1" in inc["basis"]

    def test_unknown_type_is_shown_unassigned_until_designated(self, client, login):
        inc = create(client, login("duty"), event_type=None)
        assert inc["lead_unassigned"] and inc["lead_departments"] == []
        r = client.post(f"/api/incidents/{inc['id']}/designate-lead", headers=login("duty"),
                        json={"unit": "区城市管理委员会", "reason": "现场核实为路面塌陷"})
        assert r.status_code == 200, r.text
        assert r.json()["lead_departments"] == ["区城市管理委"]
        assert r.json()["leads"][0]["basis"] == "东政发〔2022〕3号 §4.3.5"
        assert r.json()["deadlines"][0]["responsible_unit"] == "区城市管理委"

    def test_a_department_may_not_designate(self, client, login):
        inc = create(client, login("duty"), event_type=None)
        r = client.post(f"/api/incidents/{inc['id']}/designate-lead", headers=login("cgw"),
                        json={"unit": "区城市管理委", "reason": "x"})
        assert r.status_code == 403

    def test_bad_input_names_each_field_and_saves_nothing(self, client, login, db):
        before = db.scalar(select(func.count()).select_from(Incident))
        r = client.post("/api/incidents", headers=login("duty"), json=body(
            street="火星街道", event_type="外星人入侵", source="telegram", occurred_at="yesterday"))
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"source", "occurred_at"}
        r = client.post("/api/incidents", headers=login("duty"), json=body(street="火星街道", event_type="外星人入侵"))
        assert {d["field"] for d in r.json()["detail"]} == {"street", "event_type"}
        r = client.post("/api/incidents", headers=login("duty"),
                        json=body(occurred_at=(RECEIVED + timedelta(minutes=1)).isoformat()))
        assert [d["field"] for d in r.json()["detail"]] == ["occurred_at"]
        r = client.post("/api/incidents", headers=login("duty"),
                        json=body(received_at=(RECEIVED - timedelta(days=8)).isoformat(),
                                  occurred_at=(RECEIVED - timedelta(days=8)).isoformat()))
        assert [d["field"] for d in r.json()["detail"]] == ["received_at"]
        r = client.post("/api/incidents", headers=login("duty"), json=body(received_at="0001-01-01T00:00:00+14:00"))
        assert [d["field"] for d in r.json()["detail"]] == ["received_at"]
        assert db.scalar(select(func.count()).select_from(Incident)) == before

    def test_a_street_reports_only_in_its_own_area(self, client, login):
        assert client.post("/api/incidents", json=body(), headers=login("street.dongsi")).status_code == 201
        assert client.post("/api/incidents", json=body(street="前门街道"),
                           headers=login("street.dongsi")).status_code == 403

    def test_admin_and_anonymous_cannot_report(self, client, login):
        assert client.post("/api/incidents", json=body(), headers=login("admin")).status_code == 403
        assert client.post("/api/incidents", json=body()).status_code == 401


class TestReports:
    def test_on_the_second_is_met_and_one_second_later_is_late(self, client, login):
        duty = login("duty")
        a, b = create(client, duty), create(client, duty)
        due = RECEIVED + timedelta(minutes=10)
        r = client.post(f"/api/incidents/{a['id']}/reports", headers=duty, json=report(filed_at=at(due)))
        assert r.status_code == 201 and r.json()["incident"]["deadlines"][0]["status"] == "met"
        r = client.post(f"/api/incidents/{b['id']}/reports", headers=duty,
                        json=report(filed_at=at(due + timedelta(seconds=1))))
        assert r.json()["incident"]["deadlines"][0]["status"] == "late"

    def test_missing_elements_make_a_report_incomplete(self, client, login):
        inc = create(client, login("duty"))
        r = client.post(f"/api/incidents/{inc['id']}/reports", headers=login("cgw"),
                        json=report(harm="", trend=None, filed_at=at(RECEIVED + timedelta(minutes=5))))
        assert r.status_code == 201
        assert r.json()["missing_elements"] == ["危害程度", "发展趋势"] and r.json()["complete"] is False

    def test_a_department_cannot_act_on_another_departments_incident(self, client, login):
        inc = create(client, login("duty"), event_type="火灾事故")  # lead: 东城消防救援支队
        r = client.post(f"/api/incidents/{inc['id']}/reports", headers=login("cgw"), json=report())
        assert r.status_code == 403 and "处置主责部门" in r.json()["error"]["msg_zh"]
        assert client.post(f"/api/incidents/{inc['id']}/grade", headers=login("cgw"),
                           json={"grade": "一般"}).status_code == 403
        assert client.post(f"/api/incidents/{inc['id']}/end", headers=login("street.dongsi"),
                           json={}).status_code == 403

    def test_a_street_acts_on_its_own_level_three_situation(self, client, login):
        street = login("street.dongsi")
        inc = create(client, street, event_type=None, situation_only=True)
        assert inc["proposed_response_level"] == "三级"
        r = client.post(f"/api/incidents/{inc['id']}/response-level", headers=street, json={"level": "三级"})
        assert r.status_code == 200 and r.json()["response_level"] == "三级"


class TestGradeAndFollowUps:
    def test_larger_mid_way_starts_follow_ups_every_30_minutes(self, client, login, db):
        duty = login("duty")
        inc = create(client, duty)
        graded = RECEIVED + timedelta(minutes=7, seconds=12)
        r = client.post(f"/api/incidents/{inc['id']}/grade", headers=duty,
                        json={"grade": "较大", "reason": "3 人被困", "at": at(graded)})
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["proposed_response_level"] == "一级"
        follow = [d for d in got["deadlines"] if d["kind"] == "follow_up"]
        assert follow[0]["due_at"] == at(graded + timedelta(minutes=30))
        assert follow[1]["due_at"] == at(graded + timedelta(minutes=60))
        assert all(d["basis"] == "东政发〔2022〕3号 §4.1.5" for d in follow)
        detailed = next(d for d in got["deadlines"] if d["kind"] == "detailed")
        assert detailed["due_at"] == at(OCCURRED + timedelta(hours=1))

    def test_ending_the_response_cancels_future_follow_ups(self, client, login, db):
        duty = login("duty")
        inc = create(client, duty, grade="较大")
        client.post(f"/api/incidents/{inc['id']}/reports", headers=duty,
                    json=report(kind="follow_up", filed_at=at(RECEIVED + timedelta(minutes=29))))
        ended = RECEIVED + timedelta(minutes=70)
        r = client.post(f"/api/incidents/{inc['id']}/end", headers=duty, json={"reason": "处置完毕", "at": at(ended)})
        assert r.status_code == 200 and r.json()["status"] == "ended"
        rows = db.scalars(select(Deadline).where(Deadline.incident_id == inc["id"], Deadline.kind == "follow_up")
                          .order_by(Deadline.due_at)).all()
        assert [(r.seq, r.status) for r in rows[:3]] == [(1, "met"), (2, "missed"), (3, "cancelled")]
        assert all(r.status == "cancelled" for r in rows[2:])
        assert client.post(f"/api/incidents/{inc['id']}/end", headers=duty, json={}).status_code == 409

    def test_lowering_below_larger_stops_follow_ups(self, client, login, db):
        duty = login("duty")
        inc = create(client, duty, grade="较大")
        client.post(f"/api/incidents/{inc['id']}/grade", headers=duty,
                    json={"grade": "一般", "reason": "复核", "at": at(RECEIVED + timedelta(minutes=40))})
        rows = db.scalars(select(Deadline).where(Deadline.incident_id == inc["id"], Deadline.kind == "follow_up")
                          .order_by(Deadline.due_at)).all()
        assert rows[0].status == "missed" and all(r.status == "cancelled" for r in rows[1:])


class TestOverdue:
    def test_the_overdue_query_at_given_instants(self, client, login):
        duty = login("duty")
        inc = create(client, duty)
        due = RECEIVED + timedelta(minutes=10)

        def overdue_ids(instant):
            r = client.get("/api/reports/overdue", params={"at": at(instant)}, headers=duty)
            assert r.status_code == 200, r.text
            return [(row["incident_id"], row["kind"]) for row in r.json() if row["incident_id"] == inc["id"]]

        assert overdue_ids(due - timedelta(seconds=1)) == []
        assert overdue_ids(due) == [(inc["id"], "initial")]
        client.post(f"/api/incidents/{inc['id']}/reports", headers=duty,
                    json=report(filed_at=at(due + timedelta(minutes=2))))
        assert overdue_ids(due + timedelta(minutes=1)) == [(inc["id"], "initial")]  # not yet met then
        assert overdue_ids(due + timedelta(minutes=2)) == []
        row = client.get("/api/reports/overdue", params={"at": at(due)}, headers=duty).json()
        mine = next(r for r in row if r["incident_id"] == inc["id"])
        assert mine["lead_departments"] == ["区城市管理委"] and mine["basis"] == "东政发〔2022〕3号 §4.1.5"

    def test_follow_ups_are_overdue_far_ahead_and_superseded_ones_are_missed(self, client, login):
        duty = login("duty")
        inc = create(client, duty, grade="重大")
        later = RECEIVED + timedelta(hours=30, seconds=1)  # beyond the first materialised horizon
        rows = [r for r in client.get("/api/reports/overdue", params={"at": at(later)}, headers=duty).json()
                if r["incident_id"] == inc["id"] and r["kind"] == "follow_up"]
        # Slots up to 30 h were written on demand; the 59 earlier ones are missed by then, only the latest is owed.
        assert [r["due_at"] for r in rows] == [(RECEIVED + timedelta(hours=30)).isoformat()]

    def test_drills_never_mix_with_real_figures(self, client, login):
        duty = login("duty")
        drill = create(client, duty, drill=True)
        real = client.get("/api/reports/overdue", params={"at": at(RECEIVED + timedelta(hours=1))}, headers=duty)
        assert drill["id"] not in {r["incident_id"] for r in real.json()}
        drills = client.get("/api/reports/overdue", params={"at": at(RECEIVED + timedelta(hours=1)), "drill": True},
                            headers=duty)
        assert drill["id"] in {r["incident_id"] for r in drills.json()}


class TestResponseLevel:
    def test_confirm_raise_lower_with_reason_and_handover(self, client, login):
        duty = login("duty")
        inc = create(client, duty, grade="一般")
        assert client.post(f"/api/incidents/{inc['id']}/response-level", headers=duty,
                           json={"level": "二级"}).json()["response_level"] == "二级"
        r = client.post(f"/api/incidents/{inc['id']}/response-level", headers=duty, json={"level": "一级"})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason"
        r = client.post(f"/api/incidents/{inc['id']}/response-level", headers=login("mayor"),
                        json={"level": "一级", "reason": "区委区政府主要领导认为有必要"})
        assert r.status_code == 200 and r.json()["status"] == "responding"
        r = client.post(f"/api/incidents/{inc['id']}/handover", headers=duty, json={"reason": "市级现场指挥部成立"})
        assert r.json()["status"] == "handed_over"
        history = client.get(f"/api/incidents/{inc['id']}", headers=duty).json()["level_history"]
        assert [h["what"] for h in history] == ["proposal", "response_level:confirm", "response_level:raise",
                                                "handover"]


class TestTimeBounds:
    def test_an_action_dated_before_the_incident_is_refused(self, client, login):
        duty = login("duty")
        inc = create(client, duty)
        r = client.post(f"/api/incidents/{inc['id']}/grade", headers=duty,
                        json={"grade": "特别重大", "at": at(RECEIVED - timedelta(seconds=1))})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "at"

    def test_the_overdue_query_looks_at_most_a_week_ahead(self, client, login):
        r = client.get("/api/reports/overdue", params={"at": "2099-01-01T00:00:00+08:00"}, headers=login("duty"))
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "at"

    def test_huge_ids_are_a_422_not_a_crash(self, client, login):
        r = client.get("/api/incidents/9223372036854775808", headers=login("duty"))
        assert r.status_code == 422


class TestEndKeepsTheEventsReports:
    def test_the_detailed_report_stays_owed_after_an_early_end(self, client, login, db):
        duty = login("duty")
        inc = create(client, duty, grade="较大")
        client.post(f"/api/incidents/{inc['id']}/end", headers=duty,
                    json={"reason": "很快处置完毕", "at": at(RECEIVED + timedelta(minutes=20))})
        rows = {(d.kind, d.seq): d.status for d in
                db.scalars(select(Deadline).where(Deadline.incident_id == inc["id"])).all()}
        assert rows[("detailed", 1)] == "pending"  # §4.1.4: 1 h after the event, whatever the response does
        assert rows[("follow_up", 1)] == "cancelled"

    def test_no_level_change_after_handover(self, client, login):
        duty = login("duty")
        inc = create(client, duty, grade="较大")
        client.post(f"/api/incidents/{inc['id']}/handover", headers=duty, json={"reason": "市级指挥部成立"})
        r = client.post(f"/api/incidents/{inc['id']}/response-level", headers=duty, json={"level": "一级"})
        assert r.status_code == 409 and "§4.3.6" in r.json()["error"]["msg_zh"]
