"""data/supervision/tasks.yaml is the plan's text: the seed issue split by the gazette module's own parser
(gazette/rules.py parse_issue), 东政办发〔2021〕17号's clauses by gazette/clauses.py split_clauses, each numbered item of
三（一）/三（二） and each clause of 四、五 read up to its 责任部门 / 责任单位 line, and every list compared with the file,
name by name, in order. And every one of the 36 names the lists print resolves in the directory's data."""
from __future__ import annotations

import re

import pytest

from dongcheng.core.config import REPO_ROOT
from dongcheng.gazette.clauses import split_clauses
from dongcheng.gazette.rules import parse_issue
from dongcheng.supervision.tasks.files import read_tasks, unit_index_and_groups
from dongcheng.supervision.tasks.rules import DOCUMENT, GROUP_NAMED, GROUP_STREETS

SEED = REPO_ROOT / "data" / "gazette" / "2022-03.txt"
NOTE = "（第一个部门为牵头责任部门，下同）"


@pytest.fixture(scope="module")
def document():
    issue = parse_issue(SEED.read_text(encoding="utf-8"))
    (doc,) = [d for d in issue.documents if d.number == DOCUMENT]
    return doc


@pytest.fixture(scope="module")
def plan():
    return read_tasks(REPO_ROOT / "data")


def printed_lists(body: str) -> dict[str, tuple[str, str, list[str]]]:
    """key → (title, label, names) read from the text: 三（一）/（二） by their numbered items, 四、五 by clause."""
    clauses = {c.number: c for c in split_clauses(body)}
    out: dict[str, tuple[str, str, list[str]]] = {}
    for number, clause in clauses.items():
        if number.startswith("三（"):
            item = None
            for line in clause.text.split("\n"):
                if m := re.match(r"^(\d+)\.(.*)$", line):
                    item = (m.group(1), m.group(2).split("。")[0])
                elif m := re.match(r"^(责任部门|责任单位)：(.*)$", line):
                    out[f"{number}{item[0]}"] = (item[1], m.group(1), m.group(2).replace(NOTE, "").split("、"))
        elif number[0] in "四五" and "（" in number:
            (line,) = [x for x in clause.text.split("\n") if x.startswith("责任")]
            label, _, names = line.partition("：")
            out[number] = (clause.heading.split("。")[0], label, names.split("、"))
    return out


def test_every_task_is_the_texts_with_its_units_in_order(document, plan):
    printed = printed_lists(document.body)
    assert list(printed) == [t.key for t in plan.tasks]
    assert len(plan.tasks) == 21  # 5 + 9 + 4 + 3
    for task in plan.tasks:
        title, label, names = printed[task.key]
        assert (task.title, task.label) == (title, label), task.key
        assert [e.printed for e in task.entries] == names, task.key
        assert task.clause == f"{DOCUMENT} {task.key}"


def test_the_lead_is_the_first_named(document, plan):
    assert NOTE in document.body  # 三（一）1: 第一个部门为牵头责任部门，下同
    tasks = {t.key: t for t in plan.tasks}
    assert tasks["三（二）4"].lead.units == ("区卫生健康委",)
    assert tasks["三（一）5"].lead.units == ("区城市管理指挥中心",)  # 区城指中心
    assert tasks["四（一）"].lead.units == ("区司法局",)
    assert tasks["四（二）"].lead.units == ("区科技和信息化局",)  # 区科信局
    assert tasks["三（二）7"].lead.units == ("区发展改革委",)  # 区发改委
    assert tasks["三（一）1"].lead.units == ("区委组织部",)


def test_all_36_printed_names_resolve(plan):
    assert len(plan.printed_names) == 36
    index, groups, named = unit_index_and_groups(REPO_ROOT / "data")
    unresolved_by_units = [n for n in plan.printed_names if index.resolve(n) is None]
    # Of the 36, these are groups, not units: 各街道办事处 (every street) and the four named groups.
    assert sorted(unresolved_by_units) == sorted(["各级各类医疗卫生机构", "各行业协会（学会）", "各街道办事处", "各质控中心",
                                                  "各相关部门"])
    assert groups["各街道办事处"] == "street"
    assert named == {"各级各类医疗卫生机构", "各行业协会（学会）", "各质控中心", "各相关部门"}
    entries = {e.printed: e for t in plan.tasks for e in t.entries}
    assert set(entries) == set(plan.printed_names)
    assert entries["各街道办事处"].group == GROUP_STREETS and entries["各相关部门"].group == GROUP_NAMED


@pytest.mark.parametrize(("printed", "units"), [
    ("区医保局", ("区医疗保障局",)), ("区政务服务局", ("区政务服务管理局",)), ("区信访办", ("区信访办公室",)),
    ("区公安分局", ("东城公安分局",)), ("区住建委", ("区住房城乡建设委",)), ("区发改委", ("区发展改革委",)),
    ("区科信局", ("区科技和信息化局",)), ("区城管委（区城管执法局）", ("区城市管理委", "区城管执法局")),
    ("区委组织部", ("区委组织部",)), ("区委编办", ("区委编办",)), ("区城指中心", ("区城市管理指挥中心",)),
    ("区人社局", ("区人力社保局",)), ("区消防救援支队", ("东城消防救援支队",)),
])
def test_the_short_names_of_17号(plan, printed, units):
    entries = {e.printed: e for t in plan.tasks for e in t.entries}
    assert entries[printed].units == units


def test_the_goals_are_the_texts(document, plan):
    clauses = {c.number: c for c in split_clauses(document.body)}
    text = re.sub(r"\s+", "", clauses["二"].text)
    assert [(g.key, g.due.isoformat()) for g in plan.goals] == [("2020", "2020-12-31"), ("2022", "2022-12-31")]
    for goal in plan.goals:
        assert re.sub(r"\s+", "", goal.printed) + "，" + goal.text in text
    assert plan.signed_on.isoformat() == "2021-12-09" == document.signed_on.isoformat()
