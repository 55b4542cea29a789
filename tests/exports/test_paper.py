"""Every export on paper: converted to PDF by LibreOffice (Debian ``libreoffice-calc-nogui``, installed by
``make test``), each prints on A4 on the stated number of pages, with the words a clerk needs.

The page counts are the layout's promise: 附件1 — the form on one portrait page and its 明细 on one; 附件2 — the
report on one page and its 明细 on one (landscape); the accountability report — its summary on one page and its
明细 (landscape, header repeated) on one for a handful of findings.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from tests.commissioners.test_api import BASE, hire, rate, set_retirees
from tests.emergency.incidents.test_api import RECEIVED, at, create, report

A4_POINTS = {(595, 842), (842, 595)}  # pdfinfo's "Page size" of A4, portrait and landscape, rounded


def to_pdf(xlsx: bytes, tmp_path: Path, name: str) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: `make test` installs libreoffice-calc-nogui"
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(xlsx)
    profile = tmp_path / f"lo-profile-{os.getpid()}"  # one profile per run: parallel workers do not share a lock
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    return tmp_path / f"{name}.pdf"


def pages(pdf: Path) -> list[tuple[int, int]]:
    """The size of every page in points (pdfinfo -l)."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return [(round(float(w)), round(float(h)))
            for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def clerk(login):
    return login("clerk.rsj")


@pytest.fixture
def street_year(client, clerk):
    set_retirees(client, clerk, 12_000)
    for name, start in (("王秀兰", "2022-01-01"), ("赵志强", "2022-07-01"), ("孙桂英", "2022-03-01")):
        person = hire(client, clerk, name=name, start_on=start)
        assert person.status_code == 201, person.text
        for month in range(int(start[5:7]), 13):
            assert rate(client, clerk, person.json()["id"], month, "satisfied").status_code in (200, 201)
    return {"street": "东四街道", "year": 2022}


def test_fund_application_prints_on_two_a4_pages(client, clerk, street_year, tmp_path):
    r = client.get(f"{BASE}/fund-application.xlsx", headers=clerk, params=street_year)
    assert r.status_code == 200, r.text
    pdf = to_pdf(r.content, tmp_path, "fund-application")
    sizes = pages(pdf)
    assert len(sizes) == 2 and set(sizes) <= A4_POINTS and sizes[0] == (595, 842), sizes  # portrait form + 明细
    text = text_of(pdf)
    assert "东四街道聘用社会化管理服务专员岗补资金申请表" in text and "合计" in text
    assert "聘任退休人员" in text and "retiree" not in text
    assert "若发生与上述承诺相违背的情形" in text  # the declaration prints in full


def test_self_report_prints_every_paragraph_on_two_pages(client, clerk, street_year, tmp_path):
    r = client.get(f"{BASE}/usage-report.xlsx", headers=clerk, params=street_year)
    assert r.status_code == 200, r.text
    pdf = to_pdf(r.content, tmp_path, "usage-report")
    sizes = pages(pdf)
    assert len(sizes) == 2 and set(sizes) <= A4_POINTS and sizes[1] == (842, 595), sizes  # 明细 landscape
    text = re.sub(r"\s+", "", text_of(pdf))
    assert "实际发放：岗位补贴" in text  # a wrapped paragraph prints whole, not its last line
    assert "我单位在2022年度聘用社会化管理服务专员工作中" in text and "以下为具体使用情况" in text
    assert "聘任退休人员" in text and "retiree" not in text


def test_accountability_report_prints_on_two_pages_with_beijing_times(client, login, tmp_path):
    duty = login("duty")
    gas = create(client, duty)
    client.post(f"/api/incidents/{gas['id']}/reports", headers=duty,
                json=report(filed_at=at(RECEIVED + timedelta(minutes=12, seconds=5)), harm=""))
    create(client, duty, event_type="火灾事故", grade="较大")
    period = {"start": at(RECEIVED - timedelta(hours=1)), "end": at(RECEIVED + timedelta(hours=3))}
    r = client.get("/api/accountability/reports.xlsx", params=period, headers=duty)
    assert r.status_code == 200, r.text
    pdf = to_pdf(r.content, tmp_path, "accountability")
    sizes = pages(pdf)
    assert len(sizes) == 2 and set(sizes) <= A4_POINTS and sizes[1] == (842, 595), sizes
    text = text_of(pdf)
    assert "突发事件信息报送问责报告" in text and "合计" in text
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", text) and "+00:00" not in text  # no raw ISO instants
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", text)  # typed times, to the second
