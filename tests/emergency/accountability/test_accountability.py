"""§5.5.2: late, missed, overdue and incomplete mandated reports, by unit; JSON and Excel."""
from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook

from tests.emergency.incidents.test_api import RECEIVED, at, create, report
from tests.html import unlinked

PERIOD = {"start": at(RECEIVED - timedelta(hours=1)), "end": at(RECEIVED + timedelta(hours=3))}


def test_late_missed_and_incomplete_by_unit(client, login):
    duty = login("duty")
    gas = create(client, duty)  # 区城市管理委, initial due 09:10:00
    client.post(f"/api/incidents/{gas['id']}/reports", headers=duty,
                json=report(filed_at=at(RECEIVED + timedelta(minutes=12, seconds=5)), harm=""))
    fire = create(client, duty, event_type="火灾事故", grade="较大")  # 东城消防救援支队: detailed + follow-ups
    client.post(f"/api/incidents/{fire['id']}/reports", headers=duty,
                json=report(kind="detailed", filed_at=at(RECEIVED + timedelta(minutes=20))))
    client.post(f"/api/incidents/{fire['id']}/end", headers=duty,
                json={"reason": "扑灭", "at": at(RECEIVED + timedelta(minutes=65))})
    data = client.get("/api/accountability/reports", params=PERIOD, headers=duty).json()
    units = {u["unit"]: u for u in data["units"]}
    cgw = units["区城市管理委"]
    assert (cgw["late"], cgw["incomplete"], cgw["mandated"]) == (1, 1, 1)
    late = next(f for f in cgw["findings"] if f["finding"] == "late")
    assert late["lateness_seconds"] == 125 and late["lateness"] == "2分5秒"
    assert next(f for f in cgw["findings"] if f["finding"] == "incomplete")["missing_elements"] == ["危害程度"]
    fire_unit = units["东城消防救援支队"]
    assert (fire_unit["on_time"], fire_unit["missed"]) == (1, 2)  # 续报 09:30 and 10:00 never filed
    assert data["basis"].startswith("东政发〔2022〕3号 §5.5.2")


def test_drills_are_reported_apart(client, login):
    duty = login("duty")
    create(client, duty, drill=True)
    real = client.get("/api/accountability/reports", params=PERIOD, headers=duty).json()
    drill = client.get("/api/accountability/reports", params={**PERIOD, "drill": True}, headers=duty).json()
    assert real["totals"]["overdue"] == 0 and drill["totals"]["overdue"] == 1


def test_a_department_sees_only_its_own_unit(client, login):
    duty = login("duty")
    create(client, duty)
    create(client, duty, event_type="火灾事故")
    data = client.get("/api/accountability/reports", params=PERIOD, headers=login("cgw")).json()
    assert [u["unit"] for u in data["units"]] == ["区城市管理委"]
    assert client.get("/api/accountability/reports", params=PERIOD, headers=login("admin")).status_code == 403


def test_excel_download(client, login):
    duty = login("duty")
    create(client, duty)
    r = client.get("/api/accountability/reports.xlsx", params=PERIOD, headers=duty)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == ["按单位汇总", "明细"]
    rows = list(wb["明细"].iter_rows(values_only=True))
    assert rows[0][0] == "突发事件信息报送问责报告　明细" and rows[1][0].startswith("期间：")
    assert rows[2][:3] == ("单位", "问题", "事件编号") and rows[3][0] == "区城市管理委" and rows[3][1] == "逾期未报"
    due = rows[3][6]
    assert isinstance(due, datetime) and due.microsecond == 0  # a typed Beijing time, to the second


def test_a_formula_looking_title_is_a_string_cell(client, login):
    duty = login("duty")
    title = '=HYPERLINK("http://evil.example/x","click")'
    incident = create(client, duty, title=title)
    r = client.get("/api/accountability/reports.xlsx", params=PERIOD, headers=duty)
    ws = load_workbook(BytesIO(r.content))["明细"]
    (row,) = [row for row in ws.iter_rows(min_row=4) if row[2].value == incident["id"]]
    assert (row[3].data_type, row[3].value) == ("s", title)
    assert row[2].data_type == "n"  # the incident's number stays a number


def test_a_bad_period_is_a_422_naming_the_field(client, login):
    r = client.get("/api/accountability/reports", headers=login("duty"),
                   params={"start": PERIOD["end"], "end": PERIOD["start"]})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "start"


def test_the_page(client, login):
    duty = login("duty")
    create(client, duty)
    days = {"start": RECEIVED.date().isoformat(), "end": (RECEIVED + timedelta(days=1)).date().isoformat()}
    html = unlinked(client.get("/accountability", params=days, headers=duty).text)
    assert "区城市管理委" in html and "逾期未报" in html and "东政发〔2022〕3号 §5.5.2" in html
    r = client.get("/accountability", params={"start": "昨天"}, headers={**duty, "accept": "text/html"})
    assert r.status_code == 422 and "YYYY-MM-DD" in r.text
