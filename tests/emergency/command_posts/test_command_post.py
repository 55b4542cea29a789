"""On-site command post (现场指挥部, 东政发〔2022〕3号 §4.4), written from the clauses, end to end through the API."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.emergency.command_posts import rules
from dongcheng.emergency.command_posts.models import CheckIn, CommandPost, Task, WorkingGroup
from tests.emergency.reference_lists import working_groups

BJ = timezone(timedelta(hours=8))
RECEIVED = (datetime.now(UTC) - timedelta(hours=3)).replace(microsecond=0).astimezone(BJ)
OCCURRED = RECEIVED - timedelta(minutes=5)


def incident(client, headers, **kw) -> dict:
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": OCCURRED.isoformat(), "received_at": RECEIVED.isoformat(), "source": "12345",
            "title": "燃气泄漏", "description": "楼道有燃气味"}
    body.update(kw)
    r = client.post("/api/incidents", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


POST = {"location": "东四北大街 100 号东侧空地", "commander_name": "张三", "commander_post": "区城市管理委主任",
        "executive_name": "李四", "executive_unit": "区城市管理委员会"}
GROUP = {"name": "综合协调组", "leader": "王五", "contact_person": "赵六", "contact_means": "13800000000"}


def set_up(client, headers, incident_id: int, **kw) -> dict:
    r = client.post(f"/api/incidents/{incident_id}/command-post", json={**POST, **kw}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


class TestRules:
    def test_commander_in_chief_follows_the_response_level(self):
        assert rules.commander_in_chief("一级").basis.clause == "§4.3.4"
        assert "区委、区政府主要领导" in rules.commander_in_chief("一级").text
        assert rules.commander_in_chief("二级").basis.clause == "§4.3.3"
        assert "专项应急指挥部主要领导" in rules.commander_in_chief("二级").text
        assert rules.commander_in_chief("三级").basis.clause == "§4.3.2"
        assert rules.commander_in_chief(None).basis.clause == "§4.3.5"

    def test_only_the_nine_groups_by_their_exact_names(self):
        groups = working_groups()
        assert len(groups) == 9
        assert rules.working_group_seq("综合协调组", groups) == 1
        assert rules.working_group_seq("专家顾问组", groups) == 9
        assert rules.working_group_seq("抢险救援组", groups) is None
        assert rules.working_group_seq("综合协调", groups) is None
        assert rules.may_add_group("综合协调组", groups).allowed
        refused = rules.may_add_group("抢险救援组", groups)
        assert (refused.allowed, refused.status, refused.field) == (False, 422, "name")
        assert str(refused.basis) == "东政发〔2022〕3号 §4.4.1" and "综合协调组、专业处置组" in refused.zh

    def test_handover_puts_the_post_under_city_command(self):
        assert rules.city_command("handed_over").under_city_command
        assert str(rules.city_command("handed_over").basis) == "东政发〔2022〕3号 §4.3.4, §4.4.2"
        assert not rules.city_command("responding").under_city_command

    def test_a_post_needs_a_lead_department_and_a_live_response(self):
        allowed = rules.may_set_up(has_lead=True, ended=False, exists=False)
        assert allowed.allowed and str(allowed.basis) == "东政发〔2022〕3号 §4.4.1"
        no_lead = rules.may_set_up(has_lead=False, ended=False, exists=False)
        assert (no_lead.allowed, no_lead.status, no_lead.basis.clause) == (False, 409, "§4.4.1, §4.3.5")
        assert no_lead.zh.endswith("（东政发〔2022〕3号 §4.4.1, §4.3.5）")
        ended = rules.may_set_up(has_lead=True, ended=True, exists=False)
        assert (ended.allowed, ended.status, ended.basis.clause) == (False, 409, "§4.8")
        assert ended.zh == "应急已结束，不能再成立现场指挥部（东政发〔2022〕3号 §4.8）"
        exists = rules.may_set_up(has_lead=True, ended=False, exists=True)
        assert (exists.allowed, exists.status, exists.basis.clause) == (False, 409, "§4.4.1")

    def test_no_new_forces_after_the_end(self):
        assert rules.accepts_new_forces(False).allowed
        ended = rules.accepts_new_forces(True)
        assert (ended.allowed, ended.status, ended.basis.clause) == (False, 409, "§4.8")
        assert ended.zh == "应急已结束，队伍有序撤离，不再登记（§4.8）"


class TestSetUp:
    def test_the_lead_department_sets_up_the_post(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, login("duty"))
        post = set_up(client, cgw, inc["id"])
        assert post["lead_unit"] == "区城市管理委" and "§4.4.1" in post["lead_unit_basis"]
        assert post["location"] == POST["location"]
        assert post["commander_in_chief"]["name"] == "张三"
        assert post["executive_commander"] == {**post["executive_commander"], "name": "李四", "unit": "区城市管理委",
                                               "from_lead_department": True}
        assert "§4.3.3" in post["executive_commander"]["basis"]
        assert post["command"]["under_city_command"] is False
        assert post["set_up_at"].endswith("+08:00")
        [line] = post["log"]
        assert line["kind"] == "event" and "成立现场指挥部" in line["text"] and line["author"] == "cgw"
        assert client.get(f"/api/incidents/{inc['id']}/command-post", headers=login("admin")).json() == post
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "command_post.set_up")
                          .order_by(AuditEntry.id.desc()))
        assert entry.basis == "东政发〔2022〕3号 §4.4.1" and entry.target_id == str(inc["id"])

    def test_commander_expectation_follows_the_confirmed_level(self, client, login):
        duty = login("duty")
        inc = incident(client, duty, grade="一般")
        assert client.post(f"/api/incidents/{inc['id']}/response-level", headers=duty,
                           json={"level": "二级"}).status_code == 200
        post = set_up(client, duty, inc["id"])
        assert post["commander_in_chief"]["response_level"] == "二级"
        assert post["commander_in_chief"]["basis"] == "东政发〔2022〕3号 §4.3.3"
        assert client.post(f"/api/incidents/{inc['id']}/response-level", headers=duty,
                           json={"level": "一级", "reason": "态势扩大"}).status_code == 200
        shown = client.get(f"/api/incidents/{inc['id']}/command-post", headers=duty).json()
        assert shown["commander_in_chief"]["basis"] == "东政发〔2022〕3号 §4.3.4"

    def test_one_post_per_incident(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        set_up(client, cgw, inc["id"])
        before = count(db, CommandPost)
        r = client.post(f"/api/incidents/{inc['id']}/command-post", json=POST, headers=login("duty"))
        assert r.status_code == 409 and "§4.4.1" in r.json()["error"]["msg_zh"]
        assert count(db, CommandPost) == before

    def test_another_department_gets_403(self, client, login, db):
        inc = incident(client, login("duty"), event_type="火灾事故")  # lead: 东城消防救援支队
        before = count(db, CommandPost)
        r = client.post(f"/api/incidents/{inc['id']}/command-post", json=POST, headers=login("cgw"))
        assert r.status_code == 403 and "处置主责部门" in r.json()["error"]["msg_zh"]
        set_up(client, login("duty"), inc["id"], executive_unit="东城消防救援支队")
        for path, body in (("groups", GROUP), ("check-ins", {"team": "t", "unit": "u", "headcount": 3}),
                           ("log", {"text": "x"})):
            r = client.post(f"/api/incidents/{inc['id']}/command-post/{path}", json=body, headers=login("cgw"))
            assert r.status_code == 403, path
        assert client.post(f"/api/incidents/{inc['id']}/command-post", json=POST,
                           headers=login("street.dongsi")).status_code == 403
        assert client.post(f"/api/incidents/{inc['id']}/command-post", json=POST).status_code == 401
        assert count(db, CommandPost) == before + 1

    def test_without_a_lead_department_the_post_waits_for_designation(self, client, login):
        duty = login("duty")
        inc = incident(client, duty, event_type=None)
        r = client.post(f"/api/incidents/{inc['id']}/command-post", json=POST, headers=duty)
        assert r.status_code == 409 and "§4.3.5" in r.json()["error"]["msg_zh"]

    def test_bad_input_names_each_field_and_saves_nothing(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        before = count(db, CommandPost)
        r = client.post(f"/api/incidents/{inc['id']}/command-post", headers=cgw,
                        json={"location": "", "commander_name": "张三", "executive_unit": "x", "at": "yesterday"})
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"location", "executive_name", "at"}
        assert all(d["msg_zh"] and d["msg_en"] for d in r.json()["detail"])
        future = (datetime.now(BJ) + timedelta(hours=1)).isoformat()
        r = client.post(f"/api/incidents/{inc['id']}/command-post", headers=cgw, json={**POST, "at": future})
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["at"]
        assert count(db, CommandPost) == before

    def test_no_post_after_the_end_of_the_response(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        assert client.post(f"/api/incidents/{inc['id']}/end", headers=cgw, json={}).status_code == 200
        r = client.post(f"/api/incidents/{inc['id']}/command-post", json=POST, headers=cgw)
        assert r.status_code == 409 and "§4.8" in r.json()["error"]["msg_zh"]

    def test_reading_a_post_not_set_up_is_404(self, client, login):
        inc = incident(client, login("cgw"))
        assert client.get(f"/api/incidents/{inc['id']}/command-post", headers=login("cgw")).status_code == 404
        assert client.get("/api/incidents/999999/command-post", headers=login("cgw")).status_code == 404


class TestGroups:
    def test_groups_of_4_4_1_with_leader_and_contact_in_the_gazettes_order(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        set_up(client, cgw, inc["id"])
        for name in ("专家顾问组", "综合协调组", "医疗救护组"):
            r = client.post(f"/api/incidents/{inc['id']}/command-post/groups", headers=cgw, json={**GROUP, "name": name})
            assert r.status_code == 201, r.text
            assert r.json()["basis"] == "东政发〔2022〕3号 §4.4.1"
        post = client.get(f"/api/incidents/{inc['id']}/command-post", headers=cgw).json()
        assert [(g["name"], g["seq"]) for g in post["groups"]] == [("综合协调组", 1), ("医疗救护组", 7), ("专家顾问组", 9)]
        assert post["groups"][0] | GROUP == post["groups"][0]

    def test_a_group_not_in_4_4_1_is_refused(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        set_up(client, cgw, inc["id"])
        before = count(db, WorkingGroup)
        for name in ("抢险救援组", "综合协调", "综合 协调组"):
            r = client.post(f"/api/incidents/{inc['id']}/command-post/groups", headers=cgw, json={**GROUP, "name": name})
            assert r.status_code == 422, name
            [detail] = r.json()["detail"]
            assert detail["field"] == "name" and "§4.4.1" in detail["msg_zh"] and "专家顾问组" in detail["msg_zh"]
        assert count(db, WorkingGroup) == before

    def test_a_group_needs_its_leader_and_contact(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        set_up(client, cgw, inc["id"])
        before = count(db, WorkingGroup)
        r = client.post(f"/api/incidents/{inc['id']}/command-post/groups", headers=cgw,
                        json={"name": "综合协调组", "leader": " "})
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"leader", "contact_person", "contact_means"}
        assert count(db, WorkingGroup) == before

    def test_the_same_group_twice_is_409(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        set_up(client, cgw, inc["id"])
        url = f"/api/incidents/{inc['id']}/command-post/groups"
        assert client.post(url, headers=cgw, json=GROUP).status_code == 201
        assert client.post(url, headers=cgw, json=GROUP).status_code == 409

    def test_groups_need_a_post_first(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        assert client.post(f"/api/incidents/{inc['id']}/command-post/groups", headers=cgw, json=GROUP).status_code == 404


class TestCheckInsTasksLog:
    def test_forces_check_in_receive_tasks_and_report_them_done(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        base = f"/api/incidents/{inc['id']}/command-post"
        set_up(client, cgw, inc["id"], at=(RECEIVED + timedelta(minutes=10)).isoformat())
        arrived = RECEIVED + timedelta(minutes=20)
        r = client.post(f"{base}/check-ins", headers=cgw, json={"team": "燃气抢险队", "unit": "北京燃气东城分公司",
                                                                 "headcount": 12, "arrived_at": arrived.isoformat()})
        assert r.status_code == 201, r.text
        force = r.json()
        assert force["arrived_at"] == arrived.isoformat() and force["basis"] == "东政发〔2022〕3号 §4.4.2"
        assigned = arrived + timedelta(minutes=2)
        r = client.post(f"{base}/tasks", headers=cgw, json={"check_in_id": force["id"], "text": "关闭楼栋燃气总阀",
                                                             "assigned_at": assigned.isoformat()})
        assert r.status_code == 201, r.text
        task = r.json()
        assert task["status"] == "open" and task["team"] == "燃气抢险队" and task["assigned_at"] == assigned.isoformat()
        done = assigned + timedelta(minutes=8)
        r = client.post(f"{base}/tasks/{task['id']}/done", headers=login("duty"),
                        json={"note": "已关阀", "at": done.isoformat()})
        assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["done_by"] == "duty"
        assert client.post(f"{base}/tasks/{task['id']}/done", headers=cgw, json={}).status_code == 409
        post = client.get(base, headers=cgw).json()
        assert post["headcount_on_site"] == 12 and post["tasks_open"] == 0
        texts = [e["text"] for e in post["log"]]
        assert texts[1:] == ["北京燃气东城分公司燃气抢险队（12人）到达现场报到", "燃气抢险队受领任务：关闭楼栋燃气总阀",
                             "燃气抢险队完成任务：关闭楼栋燃气总阀（已关阀）"]
        actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.target_id == str(inc["id"]))))
        assert {"command_post.check_in", "command_post.task", "command_post.task_done"} <= actions

    def test_a_task_goes_only_to_a_force_that_checked_in_here(self, client, login, db):
        cgw = login("cgw")
        a, b = incident(client, cgw), incident(client, cgw)
        set_up(client, cgw, a["id"])
        set_up(client, cgw, b["id"])
        force = client.post(f"/api/incidents/{a['id']}/command-post/check-ins", headers=cgw,
                            json={"team": "t", "unit": "u", "headcount": 2}).json()
        before = count(db, Task)
        r = client.post(f"/api/incidents/{b['id']}/command-post/tasks", headers=cgw,
                        json={"check_in_id": force["id"], "text": "x"})
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["check_in_id"]
        assert client.post(f"/api/incidents/{b['id']}/command-post/tasks/999999/done", headers=cgw,
                           json={}).status_code == 404
        assert count(db, Task) == before

    def test_bad_check_in_names_each_field_and_saves_nothing(self, client, login, db):
        cgw = login("cgw")
        inc = incident(client, cgw)
        set_up(client, cgw, inc["id"])
        before = count(db, CheckIn)
        r = client.post(f"/api/incidents/{inc['id']}/command-post/check-ins", headers=cgw,
                        json={"team": "", "unit": "u", "headcount": 0, "arrived_at": "noon"})
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"team", "headcount", "arrived_at"}
        r = client.post(f"/api/incidents/{inc['id']}/command-post/check-ins", headers=cgw,
                        json={"team": "t", "unit": "u", "headcount": 1,
                              "arrived_at": (RECEIVED - timedelta(hours=1)).isoformat()})
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["arrived_at"]
        assert count(db, CheckIn) == before

    def test_the_log_is_timestamped_and_in_time_order(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        base = f"/api/incidents/{inc['id']}/command-post"
        set_up(client, cgw, inc["id"], at=(RECEIVED + timedelta(minutes=10)).isoformat())
        late, early = RECEIVED + timedelta(minutes=50), RECEIVED + timedelta(minutes=30)
        for at, text in ((late, "现场已稳定"), (early, "疏散 20 户")):
            r = client.post(f"{base}/log", headers=cgw, json={"text": text, "at": at.isoformat()})
            assert r.status_code == 201 and r.json()["author"] == "cgw" and r.json()["kind"] == "entry"
        log = client.get(base, headers=cgw).json()["log"]
        assert [(e["at"], e["text"]) for e in log[1:]] == [(early.isoformat(), "疏散 20 户"),
                                                          (late.isoformat(), "现场已稳定")]
        assert client.post(f"{base}/log", headers=cgw, json={"text": ""}).json()["detail"][0]["field"] == "text"

    def test_handover_shows_the_post_under_city_command(self, client, login):
        duty = login("duty")
        inc = incident(client, duty, grade="较大")
        set_up(client, duty, inc["id"])
        assert client.post(f"/api/incidents/{inc['id']}/handover", headers=duty,
                           json={"reason": "市级现场指挥部成立"}).status_code == 200
        post = client.get(f"/api/incidents/{inc['id']}/command-post", headers=duty).json()
        assert post["command"]["under_city_command"] is True
        assert post["command"]["basis"] == "东政发〔2022〕3号 §4.3.4, §4.4.2"
        assert "纳入市级现场指挥部" in post["command"]["text"] and post["handed_over_at"]
        # §4.4.2: the district post goes on leading the district's own on-site work
        assert client.post(f"/api/incidents/{inc['id']}/command-post/log", headers=duty,
                           json={"text": "区级总指挥纳入市级现场指挥部"}).status_code == 201

    def test_no_new_forces_after_the_end_but_tasks_can_still_be_closed(self, client, login):
        cgw = login("cgw")
        inc = incident(client, cgw)
        base = f"/api/incidents/{inc['id']}/command-post"
        set_up(client, cgw, inc["id"])
        force = client.post(f"{base}/check-ins", headers=cgw, json={"team": "t", "unit": "u", "headcount": 2}).json()
        task = client.post(f"{base}/tasks", headers=cgw, json={"check_in_id": force["id"], "text": "警戒"}).json()
        assert client.post(f"/api/incidents/{inc['id']}/end", headers=cgw, json={}).status_code == 200
        r = client.post(f"{base}/check-ins", headers=cgw, json={"team": "t2", "unit": "u", "headcount": 2})
        assert r.status_code == 409 and "§4.8" in r.json()["error"]["msg_zh"]
        assert client.post(f"{base}/groups", headers=cgw, json=GROUP).status_code == 409
        assert client.post(f"{base}/tasks/{task['id']}/done", headers=cgw, json={}).status_code == 200
