"""Gazette pages (public, Chinese): issues, cover and 目录, a document with its clause anchors; bases link here."""
from __future__ import annotations

import re
from urllib.parse import quote

HTML = {"Accept": "text/html"}
PLAN = "东政发〔2022〕3号"


def page(client, url: str, status: int = 200, headers: dict | None = None) -> str:
    r = client.get(url, headers={**HTML, **(headers or {})})
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def test_issues_page_without_login(client, imported):
    html = page(client, "/gazette")
    assert "2022年第3期（总第43期）" in html and f'href="/gazette/issues/{imported.issue.id}"' in html
    assert '<a href="/gazette" class="active">政府公报</a>' in html


def test_no_issue_yet(client):
    assert "尚未导入公报" in page(client, "/gazette")


def test_issue_page_lists_the_contents_with_links(client, db, imported):
    html = page(client, f"/gazette/issues/{imported.issue.id}")
    assert "北京市东城区政务服务管理局主办" in html and "2022年2月11日" in html
    entries = re.findall(r'<li id="toc-(\d+)">\s*<a href="/gazette/documents/(\d+)">', html)
    assert len(entries) == 11
    assert "（东政办发〔2021〕17号）" in html and '<span class="page">57</span>' in html


def test_document_page_has_clause_anchors(client, imported):
    html = page(client, f"/gazette/documents/{quote(PLAN, safe='')}")
    assert '<p class="docno">东政发〔2022〕3号</p>' in html and "各街道办事处，区政府各委、办、局，各区属机构" in html
    assert html.count('id="s-') == 179
    m = re.search(r'<p id="s-4.1.5" class="clause"><a class="clause-no" href="#s-4.1.5">4.1.5</a> (.*?)</p>', html)
    assert m and "最迟不晚于接报后 10 分钟" in m.group(1)
    assert '<h3 id="s-3.2" class="clause">' in html and 'id="s-2.3.6-2"' in html
    assert '<a href="#s-4.1">4.1 信息报送</a>' in html  # the plan's own 目录 links to its sections
    assert '<p class="sign">2022年2月1日</p>' in html
    assert 'name="viewport"' in html  # readable on a phone


def test_document_by_id_and_other_styles(client, db, imported):
    from dongcheng.gazette import service

    doc = service.find_document(db, "东人社发〔2021〕101号")
    html = page(client, f"/gazette/documents/{doc.id}")
    assert 'id="a-7"' in html and ">第七条</a>" in html and "东城区创业孵化示范基地认定申报表" in html
    html = page(client, f"/gazette/documents/{quote('东政任〔2022〕2号', safe='')}")
    assert "任命高海雁为北京市东城区人民政府建国门街道办事处主任" in html


def test_unknown_pages_are_404(client, imported):
    assert "未找到" in page(client, "/gazette/documents/999999", 404)
    page(client, f"/gazette/documents/{quote('东政发〔2016〕46号', safe='')}", 404)
    page(client, "/gazette/issues/999999", 404)


def test_a_warning_links_its_basis_to_the_clause(client, login, imported):
    headers = login("cgw")
    r = client.post("/api/warnings", headers=headers, json={"level": "红色", "title": "暴雨红色预警", "public": True})
    assert r.status_code == 201, r.text
    html = page(client, f"/warnings/{r.json()['id']}", headers=headers)
    assert f'<a class="basis-link" href="/gazette/documents/{quote(PLAN, safe="")}#s-3.2.3">§3.2.3(2)</a>' in html
    clause = page(client, f"/gazette/documents/{quote(PLAN, safe='')}")
    assert 'id="s-3.2.3"' in clause
