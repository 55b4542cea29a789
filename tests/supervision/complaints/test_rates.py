"""12345 接诉即办 (东政办发〔2021〕17号 三（一）5): a month's 响应率, 解决率 and 满意率 from recorded tickets, against a
count made by hand; intake, assignment and response by the right units; the monthly workbook."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.supervision.factories import BASE, register

API = f"{BASE}/complaints"


@pytest.fixture
def wjw(login):
    return login("wjw.jd")


@pytest.fixture
def street(login):
    return login("street.dongsi")


def ticket(client, wjw, street, no, received, unit, assigned, responded=None, resolved=None, satisfied=None, **over):
    r = client.post(API, headers=wjw, json={"ticket_no": no, "street": "东四街道", "content": "反映诊所收费不透明",
                                            "received_at": received, **over})
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = client.post(f"{API}/{cid}/assign", headers=wjw, json={"unit": unit, "at": assigned})
    assert r.status_code == 200, r.text
    if responded:
        who = street if unit == "东四街道" else wjw
        r = client.post(f"{API}/{cid}/respond", headers=who, json={"response": "已联系诉求人", "at": responded})
        assert r.status_code == 200, r.text
    if resolved is not None:
        r = client.post(f"{API}/{cid}/visit", headers=wjw, json={"resolved": resolved, "satisfied": satisfied})
        assert r.status_code == 200, r.text
    return cid


def test_the_three_rates_of_a_month_match_a_hand_count(client, wjw, street):
    t = "2022-03-{}+08:00"
    # 东四街道, March 2022 (Beijing time):
    ticket(client, wjw, street, "2203010001", t.format("01T09:00:00"), "东四街道", t.format("01T09:30:00"),
           t.format("02T09:30:00"), True, True)  # answered at exactly 24 h: on time
    ticket(client, wjw, street, "2203050002", t.format("05T10:00:00"), "东四街道", t.format("05T10:00:00"),
           t.format("06T10:00:01"), True, False)  # one second late
    ticket(client, wjw, street, "2203100003", t.format("10T08:00:00"), "东四街道", t.format("10T08:10:00"),
           t.format("10T09:00:00"), False, False)
    ticket(client, wjw, street, "2203200004", t.format("20T08:00:00"), "东四街道", t.format("20T08:00:00"),
           t.format("20T12:00:00"))  # answered, no 回访 yet
    ticket(client, wjw, street, "2203310005", t.format("31T23:30:00"), "东四街道", t.format("31T23:40:00"))  # not answered
    ticket(client, wjw, street, "2204010006", "2022-04-01T00:10:00+08:00", "东四街道", "2022-04-01T00:20:00+08:00",
           "2022-04-01T01:00:00+08:00", True, True)  # April in Beijing (still 31 March in UTC): not counted
    # 区卫生健康委:
    ticket(client, wjw, street, "2203150007", t.format("15T14:00:00"), "区卫生健康委", t.format("15T14:05:00"),
           t.format("15T16:00:00"), True, True)

    # By hand — 东四街道: 5 assigned; on time: 0001, 0003, 0004 → 3/5; 回访 on resolution: 0001, 0002, 0003, resolved
    # 0001, 0002 → 2/3; on satisfaction: the same three, satisfied 0001 → 1/3. 区卫生健康委: 1/1 each.
    data = client.get(f"{API}/rates?year=2022&month=3", headers=wjw).json()
    rows = {u["unit"]: u for u in data["units"]}
    assert set(rows) == {"东四街道", "区卫生健康委"}
    d = rows["东四街道"]
    assert (d["assigned"], d["responded_on_time"]) == (5, 3)
    assert d["response_rate"]["fraction"] == "3/5" and d["response_rate"]["percent"] == "60.0%"
    assert (d["resolved"], d["visited_resolved"]) == (2, 3) and d["resolution_rate"]["percent"] == "66.7%"
    assert (d["satisfied"], d["visited_satisfied"]) == (1, 3) and d["satisfaction_rate"]["percent"] == "33.3%"
    w = rows["区卫生健康委"]
    assert [w[k]["fraction"] for k in ("response_rate", "resolution_rate", "satisfaction_rate")] == ["1", "1", "1"]
    assert "响应率" in data["definitions"]["response_rate"] and "平台默认" in data["response_basis"]
    april = {u["unit"]: u for u in client.get(f"{API}/rates?year=2022&month=4", headers=wjw).json()["units"]}
    assert april["东四街道"]["assigned"] == 1

    # A street sees its own unit only.
    mine = client.get(f"{API}/rates?year=2022&month=3", headers=street).json()
    assert [u["unit"] for u in mine["units"]] == ["东四街道"]

    # The workbook carries the same figures.
    x = client.get(f"{API}/rates.xlsx?year=2022&month=3", headers=wjw)
    assert x.status_code == 200
    ws = load_workbook(BytesIO(x.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    row = next(v for v in values if v[0] == "东四街道")
    assert row[1:] == [5, 3, "60.0%", 3, 2, "66.7%", 3, 1, "33.3%"]


def test_who_takes_in_assigns_and_answers(client, wjw, street, login):
    cgw = login("cgw")
    body = {"ticket_no": "T-0001", "street": "东四街道", "content": "投诉", "received_at": "2022-03-01T09:00:00+08:00"}
    assert client.post(API, headers=cgw, json=body).status_code == 403
    r = client.post(API, headers=wjw, json={**body, "assign_to": "东四街道"})
    assert r.status_code == 201 and r.json()["status"] == "assigned"
    cid = r.json()["id"]
    assert client.post(API, headers=wjw, json=body).json()["detail"][0]["field"] == "ticket_no"
    r = client.post(f"{API}/{cid}/respond", headers=cgw, json={"response": "x"})
    assert r.status_code == 403 and "承办单位" in r.json()["error"]["msg_zh"]
    assert client.get(f"{API}/{cid}", headers=cgw).status_code == 403  # not its ticket
    assert client.post(f"{API}/{cid}/visit", headers=wjw, json={"resolved": True, "satisfied": True}).status_code == 409
    r = client.post(f"{API}/{cid}/respond", headers=street, json={"response": "已处理", "at": "2099-01-01T00:00:00+08:00"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "at"
    assert client.post(f"{API}/{cid}/respond", headers=street, json={"response": "已处理"}).status_code == 200
    r = client.post(API, headers=wjw, json={**body, "ticket_no": "T-0002", "street": None})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "institution_id"
    r = client.post(API, headers=wjw, json={**body, "ticket_no": "T-0003", "assign_to": "不存在的单位"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "assign_to"
    assert client.get(API, headers=wjw).json()[0]["ticket_no"] == "T-0001"  # T-0003 never half-saved


def test_a_complaint_naming_an_institution_counts_on_its_record(client, wjw):
    iid = register(client, wjw, 300).json()["id"]
    for n in range(2):
        r = client.post(API, headers=wjw, json={"ticket_no": f"INST-{n}", "institution_id": iid, "content": "候诊时间过长",
                                                "received_at": "2022-06-01T09:00:00+08:00"})
        assert r.status_code == 201 and r.json()["street"] == "东四街道"  # the institution's street
    record = client.get(f"{BASE}/institutions/{iid}", headers=wjw).json()
    assert record["complaints"]["total"] == 2


def test_the_month_page(client, wjw, street):
    ticket(client, wjw, street, "PAGE-1", "2022-03-01T09:00:00+08:00", "东四街道", "2022-03-01T09:10:00+08:00")
    page = client.get("/supervision/complaints?year=2022&month=3", headers=street)
    assert page.status_code == 200 and "响应率" in page.text and "PAGE-1" in page.text
    assert 'action="/supervision/complaints/' in page.text  # the assigned unit answers from the page
    assert "<table" not in page.text


def test_the_assigned_unit_answers_from_the_page(client, wjw, street):
    import re

    cid = ticket(client, wjw, street, "FORM-1", "2022-03-01T09:00:00+08:00", "东四街道", "2022-03-01T09:10:00+08:00")
    html = client.get("/supervision/complaints", headers=street).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post(f"/supervision/complaints/{cid}/respond", headers=street, follow_redirects=False,
                    data={"csrf_token": token, "response": "已电话联系"})
    assert r.status_code == 303, r.text[:300]
    assert client.get(f"{API}/{cid}", headers=street).json()["response"] == "已电话联系"
    r = client.post(f"/supervision/complaints/{cid}/respond", headers=street, data={"csrf_token": token})
    assert r.status_code == 422 and "<b>答复</b>：" in alert(r.text)


def test_a_leader_reads_every_units_rates_but_takes_no_ticket_in(client, wjw, street, login):
    ticket(client, wjw, street, "LEAD-1", "2022-03-02T09:00:00+08:00", "东四街道", "2022-03-02T09:10:00+08:00",
           "2022-03-02T10:00:00+08:00")
    leader = login("sun.yang")
    rows = client.get(f"{API}/rates?year=2022&month=3", headers=leader).json()["units"]
    assert [(u["unit"], u["response_rate"]["fraction"]) for u in rows] == [("东四街道", "1")]
    r = client.post(API, headers=leader, json={"ticket_no": "LEAD-2", "street": "东四街道", "content": "x",
                                               "received_at": "2022-03-02T09:00:00+08:00"})
    assert r.status_code == 403


def test_the_dispatch_unit_takes_a_ticket_in_from_the_page(client, wjw, street):
    import re

    html = client.get("/supervision/complaints", headers=wjw).text
    assert 'id="intake"' in html
    assert 'id="intake"' not in client.get("/supervision/complaints", headers=street).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form = {"csrf_token": token, "ticket_no": "PAGE-IN-1", "street": "东四街道", "content": "门诊部夜间无人值守",
            "received_at": "2022-03-05T08:30", "assign_to": "东四街道"}
    r = client.post("/supervision/complaints", headers=wjw, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    (row,) = [t for t in client.get(API, headers=wjw).json() if t["ticket_no"] == "PAGE-IN-1"]
    assert row["received_at"].startswith("2022-03-05T00:30:00") and row["assigned_unit"] == "东四街道"  # 08:30 Beijing
    r = client.post("/supervision/complaints", headers=wjw, data={**form, "ticket_no": "PAGE-IN-2", "street": "",
                                                                   "assign_to": ""})
    assert r.status_code == 422 and "<b>所涉机构编号</b>：须注明所涉机构或街道" in alert(r.text)  # the field by its label
    r = client.post("/supervision/complaints", headers=wjw, data={**form, "ticket_no": "", "content": ""})
    assert r.status_code == 422 and {"工单号", "诉求内容"} <= set(re.findall(r"<b>([^<]+)</b>：", alert(r.text)))
    r = client.post("/supervision/complaints", headers=wjw, data={**form, "ticket_no": "PAGE-IN-1"})
    assert r.status_code == 409 and "<b>工单号</b>：该工单号已登记" in alert(r.text)


def alert(html: str) -> str:
    """The page's error notice: each refused field by its label."""
    import re

    return re.search(r'<div class="card notice" role="alert" id="errors">.*?</div>', html, re.S).group(0)
