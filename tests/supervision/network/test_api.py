"""The network API and page (三（二）4): 11 stations promised for 2021, 6 site selections and the centre's start for
2022, met or missed from recorded progress; 东直门 and 天坛 without a planned station, 前门 listed twice; the workbook;
who records; 422 naming the field."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from tests.html import unlinked

BASE = "/api/supervision/network"
HTML = {"Accept": "text/html"}


@pytest.fixture
def wjw(login):
    return login("wjw")


def test_the_programme_at_a_glance(client, wjw):
    n = client.get(BASE, headers=wjw).json()
    m2021, m2022 = n["milestones"]
    assert (m2021["due"], m2021["promised_stations"], len(m2021["stations"])) == ("2021-12-31", 11, 11)
    assert m2021["met"] == 5 and m2021["missed"] == 6  # the 5 existing count; nothing else recorded
    assert (m2022["due"], m2022["promised_stations"], m2022["missed"]) == ("2022-12-31", 6, 6)
    assert m2022["centre"]["outcome"] == "missed" and m2022["centre"]["target"] == "started"
    cov = n["coverage"]
    assert cov["streets"] == 17 and cov["with_station"] == 15
    assert cov["without_station"] == ["东直门街道", "天坛街道"]
    assert cov["listed_twice"] == ["前门街道"] and cov["unplaced_stations"] == ["s05"]
    assert n["basis"] == "东政办发〔2021〕17号 三（二）4"


def test_recorded_progress_decides_met_or_missed(client, wjw, db):
    r = client.post(f"{BASE}/stations/s06/records", headers=wjw,
                    json={"state": "new_built", "on": "2021-12-31", "note": "依托景山社区卫生服务中心"})
    assert r.status_code == 201, r.text
    client.post(f"{BASE}/stations/s07/records", headers=wjw, json={"state": "new_built", "on": "2022-01-01"})
    client.post(f"{BASE}/stations/centre/records", headers=wjw, json={"state": "started", "on": "2022-10-08"})
    n = client.get(BASE, headers=wjw).json()
    st = {s["key"]: s for s in n["stations"]}
    assert st["s06"]["outcome"] == "met" and st["s06"]["state"] == "new_built"
    assert st["s07"]["outcome"] == "missed" and st["s07"]["reached_on"] == "2022-01-01"  # one day late
    assert n["milestones"][0]["met"] == 6 and n["milestones"][1]["centre"]["outcome"] == "met"
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "supervision.network.record")
                         .order_by(AuditEntry.id)).all()[-1]
    assert entry.target_id == "centre" and "三（二）4" in entry.basis


def test_who_records(client, login):
    street = login("street.dongsi")
    assert client.post(f"{BASE}/stations/s08/records", headers=street,
                       json={"state": "site_selected", "on": "2021-06-01"}).status_code == 201  # its own station
    refused = client.post(f"{BASE}/stations/s06/records", headers=street, json={"state": "site_selected"})
    assert refused.status_code == 403
    assert client.post(f"{BASE}/stations/s06/records", headers=login("cgw"), json={"state": "new_built"}).status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({"state": "started"}, "state"),  # a station is not started, the centre is
    ({"state": "built"}, "state"),
    ({"state": "new_built", "on": "2099-01-01"}, "on"),
    ({"state": "new_built", "on": "2021-02-30"}, "on"),
])
def test_bad_input_names_the_field(client, wjw, body, field):
    r = client.post(f"{BASE}/stations/s06/records", headers=wjw, json=body)
    assert r.status_code == 422, r.text
    assert field in [d["field"] for d in r.json()["detail"]]


def test_an_unknown_station_is_404(client, wjw):
    assert client.post(f"{BASE}/stations/s99/records", headers=wjw, json={"state": "new_built"}).status_code == 404


def test_the_workbook(client, wjw):
    r = client.get(f"{BASE}/export.xlsx", headers=wjw)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(r.content))
    rows = list(wb["急救站点"].iter_rows(values_only=True))
    assert rows[1][:4] == ("编号", "类别", "文件所列街道", "街道")
    s13 = next(row for row in rows if row[0] == "s13")
    assert s13[3] == "前门街道" and s13[5] == "2022-12-31" and s13[9] == "未达成"
    cov = list(wb["街道覆盖"].iter_rows(values_only=True))
    assert ("未列站点的街道", "东直门街道、天坛街道") in [row[:2] for row in cov]
    assert ("前门街道", "s09、s13", 2, "是") in [row[:4] for row in cov]


def test_the_page_a_leader_reads(client, login):
    page = client.get("/supervision/network", headers={**HTML, **login("sun.yang")})
    assert page.status_code == 200
    text = unlinked(page.text)
    assert 'id="m-2021-promised">11<' in text and 'id="m-2021-met">5<' in text
    assert "东直门街道、天坛街道" in text and "前门街道</b> 既在2021年新建名单中" in text
    assert 'id="record"' not in text  # a leader reads; the commission and the streets record
    assert client.get("/supervision/network", headers={**HTML, **login("clerk.rsj")}).status_code == 403


def test_recording_from_the_page(client, login):
    import re
    wjw = login("wjw")
    page = client.get("/supervision/network", headers={**HTML, **wjw}).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.cookies.set("dc_csrf", token)
    r = client.post("/supervision/network/record", headers={**HTML, **wjw}, follow_redirects=False,
                    data={"csrf_token": token, "station": "s10", "state": "new_built", "on": "2021-12-20"})
    assert r.status_code == 303, r.text[:500]
    bad = client.post("/supervision/network/record", headers={**HTML, **wjw},
                      data={"csrf_token": token, "station": "s10", "state": "started", "on": "2021-12-20"})
    assert bad.status_code == 422 and 'data-field="state">状态：应为以下之一：' in bad.text  # the field by its label, said once
    bad = client.post("/supervision/network/record", headers={**HTML, **wjw},
                      data={"csrf_token": token, "station": "s99", "state": "new_built", "on": "2021-12-20"})
    assert bad.status_code == 422 and 'data-field="station">未找到急救站点' in bad.text  # no such station: no label
    bad = client.post("/supervision/network/record", headers={**HTML, **wjw},
                      data={"csrf_token": token, "station": "s10", "state": "new_built", "on": "2021-13-40"})
    assert bad.status_code == 422 and 'data-field="on">日期：' in bad.text
