"""Heritage API (public, no login): the batches, search by name or applicant, filters, one item; 404 and 422."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from dongcheng.heritage.rules import CATEGORIES

NOTICE = "东政发〔2022〕2号"


def items(client, status: int = 200, **params) -> list[dict] | dict:
    r = client.get("/api/heritage/items", params=params)
    assert r.status_code == status, r.text
    return r.json()


def names(rows: list[dict]) -> list[str]:
    return [r["name"] for r in rows]


def test_batches(client):
    r = client.get("/api/heritage/batches")
    assert r.status_code == 200
    body = r.json()
    assert (body["total_batches"], body["total_items"], body["first_year"], body["listed_items"]) == (7, 225, 2007, 30)
    assert body["categories"] == list(CATEGORIES) and body["basis"] == NOTICE
    assert [b["number"] for b in body["batches"]] == [1, 2, 3, 4, 5, 6, 7]
    seventh = body["batches"][-1]
    assert seventh == {
        "number": 7, "label": "第七批", "year": 2022, "document": NOTICE,
        "title": "北京市东城区人民政府关于公布第七批区级非物质文化遗产代表性项目名录的通知",
        "approved_on": "2022-01-11", "approved_by": "区政府专题会", "published_on": "2022-02-01", "items": 30,
        "listed_items": 30, "basis": NOTICE, "note": "",
    }
    first = body["batches"][0]
    assert first["year"] == 2007 and first["items"] is None and first["listed_items"] == 0
    assert first["document"] is None and "未刊于本期公报" in first["note"]


def test_all_items_in_the_tables_order(client):
    rows = items(client)
    assert [(r["batch"], r["seq"]) for r in rows] == [(7, n) for n in range(1, 31)]
    first = rows[0]
    assert {k: first[k] for k in ("category", "name", "applicant", "basis")} == {
        "category": "传统音乐", "name": "京袭吴门古琴艺术", "applicant": "北京翰明正元文化发展有限公司",
        "basis": f"{NOTICE} 名录第1项"}
    assert first["basis_url"] == f"/gazette/documents/{quote(NOTICE, safe='')}"
    assert first["url"] == f"/api/heritage/items/{first['id']}"


@pytest.mark.parametrize(("q", "expected"), [
    ("烤鸭", ["董氏挂炉烤鸭制作技艺"]),  # by name
    ("崇文门外街道社区服务中心", ["老汤酱卤制作技艺", "“炒肝赵”炒肝制作技艺", "赵氏正骨疗法"]),  # by applicant
    ("北京工美集团有限责任公司 王府井工美大厦", ["玉石盆景制作技艺"]),  # pasted from the gazette, with its space
    ("评剧(筱派)", ["评剧（筱派）艺术"]),  # half-width brackets
    ("令上", ["北京皮影", "北京民间灯彩"]),
    ("  ", None),  # blank: everything
    ("%", []), ("_", []),  # not wildcards
    ("故宫", []),
])
def test_search_by_name_or_applicant(client, q, expected):
    rows = items(client, q=q)
    assert len(rows) == 30 if expected is None else names(rows) == expected


def test_filters(client):
    medicine = items(client, category="传统医药")
    assert len(medicine) == 9 and {r["category"] for r in medicine} == {"传统医药"}
    assert names(items(client, category="传统体育游艺与杂技")) == ["宫廷善扑术", "古彩戏法"]
    assert names(items(client, category="传统技艺", q="崇文门外")) == ["老汤酱卤制作技艺", "“炒肝赵”炒肝制作技艺"]
    assert len(items(client, batch=7)) == 30
    assert items(client, batch=1) == [] and items(client, batch=99) == []
    counts = [len(items(client, category=c)) for c in CATEGORIES]
    assert counts == [1, 3, 1, 2, 3, 11, 9] and sum(counts) == 30


def test_one_item(client):
    row = items(client, q="针灸")[0]
    r = client.get(f"/api/heritage/items/{row['id']}")
    assert r.status_code == 200 and r.json() == row
    assert row["seq"] == 28 and row["applicant"] == "北京桑希生医学科技发展有限公司"


@pytest.mark.parametrize("item_id", ["999999", "2147483647"])
def test_unknown_item_is_404(client, item_id):
    r = client.get(f"/api/heritage/items/{item_id}")
    assert r.status_code == 404
    assert r.json()["error"]["msg_zh"] == f"未找到非遗项目：{item_id}" and r.json()["error"]["msg_en"]


@pytest.mark.parametrize(("path", "field"), [
    ("/api/heritage/items/0", "item_id"),
    ("/api/heritage/items/abc", "item_id"),
    ("/api/heritage/items/2147483648", "item_id"),
    ("/api/heritage/items?category=民俗", "category"),
    ("/api/heritage/items?category=传统体育游艺 与杂技", "category"),
    ("/api/heritage/items?batch=x", "batch"),
    ("/api/heritage/items?batch=0", "batch"),
    ("/api/heritage/items?q=" + "长" * 51, "q"),
])
def test_bad_parameters_are_422_naming_the_field(client, path, field):
    r = client.get(path)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert [d["field"] for d in detail] == [field] and detail[0]["msg_zh"] and detail[0]["msg_en"]


def test_no_login_needed_and_read_only(client):
    assert client.get("/api/heritage/batches", headers={"Authorization": "Bearer nonsense"}).status_code == 200
    assert client.post("/api/heritage/items", json={}).status_code == 405
