"""The duty officer's incident pages: the board, intake (接报) and the incident page, over the same service as the API."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from dongcheng.emergency.incidents.models import Incident
from dongcheng.web.incident_pages import clock_text

BJ = timezone(timedelta(hours=8))
HTML = {"Accept": "text/html"}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def body(minutes_ago: float = 2, **kw) -> dict:
    received = datetime.now(BJ) - timedelta(minutes=minutes_ago)
    base = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (received - timedelta(minutes=3)).isoformat(), "received_at": received.isoformat(),
            "source": "12345", "title": "燃气泄漏", "description": "楼道有燃气味", "grade": None,
            "casualties": {"dead": 0, "injured": 0, "missing": 0, "trapped": 0},
            "foreign_related": False, "sensitive": False}
    base.update(kw)
    return base


@pytest.fixture
def duty(login):
    return {**HTML, **login("duty")}


@pytest.fixture
def create(client, duty):
    def _create(**kw) -> dict:
        r = client.post("/api/incidents", json=body(**kw), headers=duty)
        assert r.status_code == 201, r.text
        return r.json()
    return _create


def get(client, url: str, headers: dict, status: int = 200) -> str:
    r = client.get(url, headers=headers)
    assert r.status_code == status, (url, r.status_code, r.text[:800])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def board_row(html: str, incident_id: int) -> str:
    match = re.search(rf'<tr class="incident[^"]*" data-id="{incident_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"incident {incident_id} is not on the board"
    return match.group(1)


def count_incidents(db) -> int:
    return db.scalar(select(func.count()).select_from(Incident))


class TestBoard:
    def test_lists_an_incident_with_its_next_deadline_and_basis(self, client, duty, create):
        inc = create()
        html = get(client, "/incidents/board", duty)
        row = board_row(html, inc["id"])
        assert f'href="/incidents/{inc["id"]}"' in row and "燃气泄漏" in row
        assert "燃气事故" in row and "事故灾难" in row and "东四街道" in row and "区城市管理委" in row
        assert "初报（10分钟）" in row and "东政发〔2022〕3号 §4.1.5" in row
        due = inc["deadlines"][0]["due_at"]
        assert f'data-due="{due}"' in row
        assert re.search(r'class="countdown" data-due="[^"]+">剩余 0[78]:\d\d<', row)  # due 8 minutes from now
        assert "最后刷新" in html and 'data-rows-url="/incidents/board/rows"' in html
        assert '<a href="/incidents/board" class="active">值班台</a>' in html
        assert '<script src="/static/board.js" defer>' in html

    def test_unknown_type_shows_the_lead_unassigned_in_red(self, client, duty, create):
        inc = create(event_type=None)
        row = board_row(get(client, "/incidents/board", duty), inc["id"])
        assert '<span class="unassigned">主责部门未指定（待区应急委指定 §4.3.5）</span>' in row
        assert "未知/待定" in row

    def test_overdue_deadline_in_red_and_in_the_overdue_panel(self, client, duty, create):
        inc = create(minutes_ago=25, title="井盖缺失致路面塌陷")  # 初报 due 15 minutes ago
        html = get(client, "/incidents/board", duty)
        row = board_row(html, inc["id"])
        assert re.search(r'class="countdown late" data-due="[^"]+">已超时 1[45]:\d\d<', row)
        assert 'class="incident overdue"' in html
        panel = re.search(r'<div id="overdue-panel".*?</div>\s*$', html, re.S | re.M).group(0)
        overdue = re.findall(rf'<tr class="overdue-row" data-incident="{inc["id"]}">(.*?)</tr>', panel, re.S)
        assert len(overdue) == 1
        assert "井盖缺失致路面塌陷" in overdue[0] and "初报（10分钟）" in overdue[0]
        assert "东政发〔2022〕3号 §4.1.5" in overdue[0] and "区城市管理委" in overdue[0]

    def test_most_urgent_first(self, client, duty, create):
        calm = create(minutes_ago=1, title="较晚到期")
        urgent = create(minutes_ago=9, title="即将到期")
        html = get(client, "/incidents/board", duty)
        assert html.index(f'data-id="{urgent["id"]}"') < html.index(f'data-id="{calm["id"]}"')

    def test_drills_are_never_mixed_with_real_incidents(self, client, duty, create):
        real = create(title="真实事件")
        drill = create(title="演练事件", drill=True)
        html = get(client, "/incidents/board", duty)
        assert f'data-id="{real["id"]}"' in html and f'data-id="{drill["id"]}"' not in html
        drills = get(client, "/incidents/board?drill=1", duty)
        assert f'data-id="{drill["id"]}"' in drills and f'data-id="{real["id"]}"' not in drills
        assert "演练" in text_of(drills) and 'data-rows-url="/incidents/board/rows?drill=1"' in drills
        fragment = get(client, "/incidents/board/rows", duty)
        assert f'data-id="{drill["id"]}"' not in fragment

    def test_ended_incidents_leave_the_board(self, client, duty, create):
        inc = create()
        assert client.post(f"/api/incidents/{inc['id']}/end", json={"reason": "处置完毕"}, headers=duty).status_code == 200
        assert f'data-id="{inc["id"]}"' not in get(client, "/incidents/board", duty)

    def test_rows_fragment_for_polling(self, client, duty, create):
        inc = create()
        html = get(client, "/incidents/board/rows", duty)
        assert '<tbody id="board-rows" data-swap>' in html
        assert re.search(r'<span id="refreshed" data-swap data-server-now="\d+">最后刷新 \d\d:\d\d:\d\d</span>', html)
        assert '<div id="overdue-panel" data-swap' in html
        assert "<header" not in html  # a fragment, not a page
        board_row(html, inc["id"])

    def test_anonymous_is_sent_to_sign_in(self, client):
        r = client.get("/incidents/board", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/incidents/board"
        r = client.get("/incidents/board/rows", headers=HTML)
        assert r.status_code == 401 and "请先登录" in r.text

    def test_an_admin_may_read_the_board_but_not_take_intake(self, client, login):
        admin = {**HTML, **login("admin")}
        get(client, "/incidents/board", admin)
        assert "无权执行此操作" in get(client, "/incidents/new", admin, status=403)


def intake_form(html: str, **kw) -> dict:
    now = datetime.now(BJ)
    form = {"csrf_token": csrf(html), "title": "居民楼燃气泄漏", "event_type": "燃气事故", "grade": "",
            "source": "12345", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (now - timedelta(minutes=6)).strftime("%Y-%m-%dT%H:%M"),
            "received_at": (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
            "description": "三层楼道有燃气味", "dead": "0", "injured": "1", "missing": "0", "trapped": "2"}
    form.update(kw)
    return {k: v for k, v in form.items() if v is not None}


class TestIntake:
    def test_form_offers_the_36_types_the_streets_and_the_sources(self, client, duty):
        html = get(client, "/incidents/new", duty)
        event_types = re.search(r'<select id="event_type".*?</select>', html, re.S).group(0)
        assert len(re.findall(r"<option value=\"[^\"]+\"", event_types)) == 36
        assert '<option value="">未知/待定' in event_types
        streets = re.search(r'<select id="street".*?</select>', html, re.S).group(0)
        assert len(re.findall(r"<option value=\"[^\"]+\"", streets)) == 18 and "王府井地区（重点地区）" in streets
        sources = re.search(r'<select id="source".*?</select>', html, re.S).group(0)
        for label in ("110 报警", "119 火警", "12345 市民服务热线", "网格员", "部门报送", "群众报告"):
            assert label in sources
        for label in ("涉外/涉港澳台", "事件敏感", "特殊时期", "突出情况（不构成突发事件）", "演练"):
            assert label in html
        assert 'type="datetime-local"' in html and 'name="csrf_token"' in html

    def test_round_trip_creates_the_incident_and_redirects_to_it(self, client, duty, db):
        before = count_incidents(db)
        form = intake_form(get(client, "/incidents/new", duty), sensitive="on", grade="一般")
        r = client.post("/incidents/new", data=form, headers=duty, follow_redirects=False)
        assert r.status_code == 303, r.text[:800]
        incident_id = int(re.fullmatch(r"/incidents/(\d+)", r.headers["location"]).group(1))
        assert count_incidents(db) == before + 1
        data = client.get(f"/api/incidents/{incident_id}", headers=duty).json()
        assert data["title"] == "居民楼燃气泄漏" and data["lead_departments"] == ["区城市管理委"]
        assert data["sensitive"] is True and data["grade"] == "一般"
        assert data["casualties"] == {"dead": 0, "injured": 1, "missing": 0, "trapped": 2}
        # datetime-local is Beijing time
        assert data["received_at"] == form["received_at"] + ":00+08:00"
        assert data["proposed_response_level"] == "一级" and "§4.3.1" in data["basis"]  # 一般 + 敏感 → one higher
        page = text_of(get(client, r.headers["location"], duty))
        assert "居民楼燃气泄漏" in page and "详报（1小时）" in page

    def test_unknown_type_and_pending_grade_are_null(self, client, duty):
        form = intake_form(get(client, "/incidents/new", duty), event_type="")
        r = client.post("/incidents/new", data=form, headers=duty)
        assert r.status_code == 200
        assert "主责部门未指定（待区应急委指定 §4.3.5）" in r.text and "初报（10分钟）" in r.text

    def test_bad_form_re_renders_with_each_field_message_and_saves_nothing(self, client, duty, db):
        before = count_incidents(db)
        now = datetime.now(BJ)
        form = intake_form(get(client, "/incidents/new", duty), title="", street="", source="",
                           occurred_at=(now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                           injured="-1", address="东四北大街 7 号")
        r = client.post("/incidents/new", data=form, headers=duty)
        assert r.status_code == 422
        html = r.text
        messages = dict(re.findall(r'<div class="field-error" data-field="(\w+)">([^<]+)</div>', html))
        assert messages["title"] == "必填" and messages["street"] == "必填" and messages["source"] == "必填"
        assert messages["injured"] == "数值太小"
        assert count_incidents(db) == before
        assert 'value="东四北大街 7 号"' in html  # values kept
        assert '<option value="燃气事故" selected>' in html
        assert "输入有误" in html

    def test_service_field_errors_show_beside_the_field(self, client, duty, db):
        before = count_incidents(db)
        now = datetime.now(BJ)
        form = intake_form(get(client, "/incidents/new", duty),
                           occurred_at=now.strftime("%Y-%m-%dT%H:%M"),
                           received_at=(now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))
        r = client.post("/incidents/new", data=form, headers=duty)
        assert r.status_code == 422
        assert '<div class="field-error" data-field="occurred_at">事发时间不能晚于接报时间</div>' in r.text
        assert count_incidents(db) == before

    def test_a_street_may_not_report_for_another_street(self, client, login, db):
        street = {**HTML, **login("street.dongsi")}
        before = count_incidents(db)
        form = intake_form(get(client, "/incidents/new", street), street="和平里街道")
        r = client.post("/incidents/new", data=form, headers=street)
        assert r.status_code == 403 and "街道只能报送本辖区的事件" in r.text
        assert count_incidents(db) == before

    def test_csrf_is_required(self, client, duty):
        form = intake_form(get(client, "/incidents/new", duty), csrf_token="forged")
        r = client.post("/incidents/new", data=form, headers=duty)
        assert r.status_code == 403 and "页面已过期" in r.text


def report_body(**kw) -> dict:
    base = {"kind": "initial", "time": "刚才", "place": "东四北大街 100 号", "source": "12345 热线",
            "nature": "燃气泄漏", "harm": "无人员伤亡", "trend": "已关阀，趋于稳定", "measures": "疏散 20 户"}
    base.update(kw)
    return base


class TestIncidentPage:
    def test_deadlines_and_a_reports_missing_elements(self, client, duty, create):
        inc = create()
        r = client.post(f"/api/incidents/{inc['id']}/reports", json=report_body(harm="", trend=None), headers=duty)
        assert r.status_code == 201, r.text
        html = get(client, f"/incidents/{inc['id']}", duty)
        deadline = re.search(r'<tr class="deadline[^"]*" data-kind="initial" data-status="(\w+)"[^>]*>(.*?)</tr>',
                             html, re.S)
        assert deadline.group(1) == "met"
        assert "按时" in deadline.group(2) and "东政发〔2022〕3号 §4.1.5" in deadline.group(2)
        assert "区委值班室、区政府值班室、区应急办" in deadline.group(2)
        assert '<span class="missing">缺少：危害程度、发展趋势</span>' in html
        assert "东政发〔2022〕3号 §4.1.8" in html

    def test_header_leads_level_history_and_the_next_countdown(self, client, duty, create):
        inc = create(grade="较大", street="王府井地区", title="商场扶梯事故")
        html = get(client, f"/incidents/{inc['id']}", duty)
        page = text_of(html)
        assert "商场扶梯事故" in page and "王府井地区" in page and "重点地区" in page
        leads = text_of(re.search(r'<div class="card" id="leads">(.*?)</div>', html, re.S).group(1))
        assert "区城市管理委" in leads and "东政发〔2022〕3号 §2.3.6" in leads
        level = text_of(re.search(r'<div class="card" id="level">(.*?)</form>', html, re.S).group(1))
        assert "一级" in level and "§4.3.4(1)" in level and "尚未确认" in level
        assert html.count('class="countdown') >= 1 and 'data-urgency' in html
        assert "续报（每30分钟）" in page and "详报（1小时）" in page
        assert "系统建议" in text_of(re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1))
        for endpoint in ("command-post", "checklist", "recovery"):
            assert f'href="/api/incidents/{inc["id"]}/{endpoint}"' in html
        assert html.count('name="csrf_token"') >= 6

    def test_file_a_report_through_the_form(self, client, duty, create):
        inc = create()
        html = get(client, f"/incidents/{inc['id']}", duty)
        assert '<option value="initial" selected>' in html  # the next deadline's kind
        assert 'value="东四街道 东四北大街 100 号"' in html  # known facts pre-filled
        form = {"csrf_token": csrf(html), "kind": "initial", "time": "09:00", "place": "东四北大街 100 号",
                "source": "12345", "nature": "燃气泄漏", "harm": "", "trend": "稳定", "measures": "关阀"}
        r = client.post(f"/incidents/{inc['id']}/report", data=form, headers=duty, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/incidents/{inc['id']}?done=report#reports"
        html = get(client, r.headers["location"], duty)
        assert "报告已报送" in html and "缺少：危害程度" in html
        assert 'data-kind="initial" data-status="met"' in html

    def test_confirm_level_needs_a_reason_when_departing_from_the_proposal(self, client, duty, create):
        inc = create(grade="一般")  # proposes 二级
        html = get(client, f"/incidents/{inc['id']}", duty)
        r = client.post(f"/incidents/{inc['id']}/level", data={"csrf_token": csrf(html), "level": "一级", "reason": ""},
                        headers=duty)
        assert r.status_code == 422
        assert '<div class="field-error" data-field="reason">与系统建议级别不同，须说明理由</div>' in r.text
        r = client.post(f"/incidents/{inc['id']}/level", data={"csrf_token": csrf(html), "level": "二级", "reason": ""},
                        headers=duty, follow_redirects=False)
        assert r.status_code == 303
        data = client.get(f"/api/incidents/{inc['id']}", headers=duty).json()
        assert data["response_level"] == "二级" and data["status"] == "responding"
        assert "确认响应级别" in get(client, f"/incidents/{inc['id']}", duty)

    def test_grade_designate_handover_and_end(self, client, duty, create):
        inc = create(event_type=None)
        url = f"/incidents/{inc['id']}"
        token = csrf(get(client, url, duty))

        def act(action: str, **form):
            r = client.post(f"{url}/{action}", data={"csrf_token": token, **form}, headers=duty, follow_redirects=False)
            assert r.status_code == 303, (action, r.text[:800])

        act("designate", unit="区应急局", reason="类别未明，由区应急局牵头")
        act("grade", grade="较大", reason="核实后")
        act("handover", reason="市级启动响应")
        html = get(client, url, duty)
        assert "区应急局" in text_of(re.search(r'<div class="card" id="leads">(.*?)</div>', html, re.S).group(1))
        assert "东政发〔2022〕3号 §4.3.5" in html and "移交市级指挥" in html
        act("end", reason="险情消除")
        html = get(client, url, duty)
        assert "应急已结束（§4.8）" in html and 'id="form-grade"' not in html
        assert [c["what"] for c in client.get(f"/api/incidents/{inc['id']}", headers=duty).json()["level_history"]] == [
            "proposal", "grade", "handover", "end"]

    def test_a_department_gets_a_chinese_403_on_another_departments_incident(self, client, create, login, db):
        inc = create(event_type="火灾事故", title="仓库起火")  # lead: 东城消防救援支队
        cgw = {**HTML, **login("cgw")}
        html = get(client, f"/incidents/{inc['id']}", cgw)
        assert "只有处置主责部门、区应急办和区领导可以办理此事件" in html  # warned before acting
        r = client.post(f"/incidents/{inc['id']}/grade", data={"csrf_token": csrf(html), "grade": "一般", "reason": ""},
                        headers=cgw)
        assert r.status_code == 403
        alert = text_of(re.search(r'<div class="error" role="alert" id="action-error">(.*?)</div>', r.text, re.S).group(1))
        assert "只有处置主责部门、区应急办和区领导可以办理此事件" in alert and "定级/调级" in alert
        assert "<h1>仓库起火" in r.text  # the incident page, not an error page
        assert db.get(Incident, inc["id"]).grade is None

    def test_conflict_is_shown_not_raised(self, client, duty, create):
        inc = create(grade="一般")
        html = get(client, f"/incidents/{inc['id']}", duty)
        r = client.post(f"/incidents/{inc['id']}/grade", data={"csrf_token": csrf(html), "grade": "一般"}, headers=duty)
        assert r.status_code == 409 and "事件等级已是一般" in r.text

    def test_unknown_incident_and_action(self, client, duty, create):
        assert "未找到突发事件" in get(client, "/incidents/999999", duty, status=404)
        inc = create()
        html = get(client, f"/incidents/{inc['id']}", duty)
        r = client.post(f"/incidents/{inc['id']}/explode", data={"csrf_token": csrf(html)}, headers=duty)
        assert r.status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, create):
        inc = create()
        r = client.get(f"/incidents/{inc['id']}", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/login?next=/incidents/{inc['id']}"


@pytest.mark.parametrize(("seconds", "text"), [(0, "剩余 00:00"), (0.2, "剩余 00:01"), (599, "剩余 09:59"),
                                               (-0.5, "已超时 00:00"), (-61, "已超时 01:01"),
                                               (3725, "剩余 1:02:05")])
def test_clock_text_matches_board_js(seconds, text):
    assert clock_text(seconds) == text
