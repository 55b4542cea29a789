"""Reading the notice's table (pure): headers and rules skipped, the blank 项目类别 carried down, split cells joined;
searching; grouping by category in the notice's order."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from dongcheng.heritage.rules import BASIS, CATEGORIES, TableRow, by_category, read_table, search_key, summarise, tidy

TABLE = """前言。

| 序号 | 项目类别 | 项目名称 | 申报单位 |
|----|------|------|------|
| 1 | 传统音乐 | 甲 | 单位 一 |
| 2 | 传统体育游艺 与杂技 | 乙 | 单位二 |
| 3 | | 丙 | 单位三 |

| 序号 | 项目类别 | 项目名称 | 申报单位 |
|----|------|------|------|
| 4 | | 丁 （戊） | 单位四 |
"""


def test_read_table():
    assert read_table(TABLE) == [
        TableRow(1, "传统音乐", "甲", "单位一"),
        TableRow(2, "传统体育游艺与杂技", "乙", "单位二"),
        TableRow(3, "传统体育游艺与杂技", "丙", "单位三"),
        TableRow(4, "传统体育游艺与杂技", "丁（戊）", "单位四"),  # carried over the page break too
    ]


def test_a_row_without_its_number_is_an_error():
    with pytest.raises(ValueError, match="序号"):
        read_table("| 甲 | 传统音乐 | 乙 | 丙 |")


def test_text_without_a_table():
    assert read_table("没有表格。\n| 只有 | 两列 |") == []


@pytest.mark.parametrize(("q", "key"), [
    (" 评剧 (筱派) ", "评剧（筱派）"),
    ("北京工美集团有限责任公司 王府井", "北京工美集团有限责任公司王府井"),
    ("", ""),
])
def test_search_key(q, key):
    assert search_key(q) == key


def test_tidy_removes_every_kind_of_space():
    assert tidy(" 传统体育游艺\u3000与\n杂技 ") == "传统体育游艺与杂技"


def test_by_category_keeps_the_notices_order():
    items = [SimpleNamespace(category=c, n=n) for n, c in enumerate(["传统医药", "曲艺", "传统医药", "传统音乐"])]
    groups = by_category(items)
    assert [c for c, _ in groups] == ["传统音乐", "曲艺", "传统医药"]
    assert [i.n for i in groups[2][1]] == [0, 2]
    assert len(CATEGORIES) == 7


def test_the_totals_are_those_the_latest_notice_states():
    def batch(number, year, batches=None, items=None, clause=""):
        return SimpleNamespace(number=number, year=year, batches_to_date=batches, items_to_date=items, clause=clause)

    first, seventh = batch(1, 2007), batch(7, 2022, batches=7, items=225, clause="东政发〔2022〕2号 共产生七批名录")
    summary = summarise([(first, 0), (seventh, 30)])
    assert (summary.total_batches, summary.total_items, summary.listed_items, summary.first_year, summary.basis) == (
        7, 225, 30, 2007, "东政发〔2022〕2号 共产生七批名录")
    unknown = summarise([(first, 0)])
    assert (unknown.total_batches, unknown.total_items, unknown.basis) == (None, None, BASIS)
    assert summarise([]).first_year is None
