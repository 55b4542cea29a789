"""data/heritage/batch7.yaml is the gazette's table, row by row: the seed issue (data/gazette/2022-03.txt) split by the
gazette module's own parser, the table of 东政发〔2022〕2号 read from that document's body, every 序号, 项目类别,
项目名称 and 申报单位 compared with the file (whitespace the PDF extraction put inside a cell removed)."""
from __future__ import annotations

import re

import pytest

from dongcheng.core.config import REPO_ROOT
from dongcheng.gazette.rules import parse_issue
from dongcheng.heritage.files import read_heritage
from dongcheng.heritage.rules import CATEGORIES, DOCUMENT, read_table, tidy

SEED = REPO_ROOT / "data" / "gazette" / "2022-03.txt"


@pytest.fixture(scope="module")
def notice():
    issue = parse_issue(SEED.read_text(encoding="utf-8"))
    (doc,) = [d for d in issue.documents if d.number == DOCUMENT]
    return doc


@pytest.fixture(scope="module")
def data():
    return read_heritage(REPO_ROOT / "data")


def test_every_row_is_the_gazettes(notice, data):
    printed = read_table(notice.body)
    assert [r.seq for r in printed] == list(range(1, 31))
    assert len(data.items) == len(printed) == 30
    for row, item in zip(printed, data.items, strict=True):
        assert (item.seq, item.category, item.name, item.applicant) == (row.seq, row.category, row.name, row.applicant)
        assert item.clause == f"{DOCUMENT} 名录第{row.seq}项"


def test_the_cells_as_printed(notice, data):
    """The table's raw lines, independently of read_table: each row's cells are the file's, up to whitespace; a blank
    category cell means the category of the row above."""
    lines = {int(m.group(1)): [c.strip() for c in m.group(2).split("|")]
             for m in re.finditer(r"^\|\s*(\d+)\s*\|(.*)\|\s*$", notice.body, re.M)}
    assert sorted(lines) == list(range(1, 31))
    previous = None
    for item in data.items:
        category, name, applicant = lines[item.seq]
        assert tidy(name) == item.name and tidy(applicant) == item.applicant
        assert tidy(category) == item.category if category else item.category == previous
        previous = item.category


def test_the_split_cells_and_unusual_characters(notice, data):
    items = {i.seq: i for i in data.items}
    assert "| 6 | 传统体育游艺 与杂技 | 宫廷善扑术 |" in notice.body and items[6].category == "传统体育游艺与杂技"
    assert "北京工美集团有限责任公司 王府井工美大厦" in notice.body
    assert items[17].applicant == "北京工美集团有限责任公司王府井工美大厦"
    assert items[19].name == "“炒肝赵”炒肝制作技艺" and items[2].applicant == "伯言教育科技（北京）有限责任公司"
    assert items[29].name == "胡氏鍍圆针系统痧疗"  # as printed


def test_the_batch_as_the_notice_states_it(notice, data):
    body = tidy(notice.body)
    assert notice.title == data.title and notice.issuing_organ == data.issuing_organ
    assert notice.signed_on == data.published_on
    assert f"已经{data.approved_on.year}年{data.approved_on.month}月{data.approved_on.day}日{data.approved_by}审议通过" in body
    assert f"共计确定{data.item_count}个项目" in body
    assert f"自{data.first_year}年在全市推出第一个区级名录以来" in body
    assert f"共产生七批名录，{data.items_to_date}个项目" in body and data.batches_to_date == 7
    assert f"{tidy(data.table)}|序号|项目类别|项目名称|申报单位|" in body


def test_the_seven_categories_are_the_notices(notice):
    sentence = re.search(r"涵盖(.+?)等七大类别", notice.body).group(1)
    assert tuple(sentence.split("、")) == CATEGORIES
