"""§1.4.1 and §1.4.2 of 东政发〔2022〕3号, read from the gazette text as the gazette module parses it, against the data
files and the code that cites them: the four categories and the four grades (plus 待定, undetermined) are exactly the
text's, in the text's order."""
from __future__ import annotations

import re

from dongcheng.core.config import REPO_ROOT
from dongcheng.emergency.incidents.enums import Grade
from dongcheng.gazette.rules import parse_issue
from dongcheng.reference.files import read_reference

SEED = REPO_ROOT / "data" / "gazette" / "2022-03.txt"


def _clause(number: str) -> str:
    issue = parse_issue(SEED.read_text(encoding="utf-8"))
    plan = next(d for d in issue.documents if d.number == "东政发〔2022〕3号")
    return next(c for c in plan.clauses if c.number == number).text


def test_the_four_categories_of_1_4_1_are_the_data_files_in_the_texts_order():
    text = _clause("1.4.1")
    printed = re.findall(r"（\d）([^。]+)。主要包括", text)
    assert printed == ["自然灾害", "事故灾难", "公共卫生事件", "社会安全事件"]
    data = read_reference(REPO_ROOT / "data")
    assert [c.text for c in sorted(data.categories, key=lambda c: c.seq)] == printed
    assert {c.clause for c in data.categories} == {"东政发〔2022〕3号 §1.4.1"}
    assert {e.category for e in data.event_types} == set(printed)  # every event type of §2.3.6 in one of them


def test_the_four_grades_of_1_4_2_from_high_to_low_are_the_data_and_the_code():
    text = _clause("1.4.2")
    listed = re.search(r"由高到低划分为(.+?)4个级别", text).group(1)
    printed = listed.split("、")
    assert printed == ["特别重大", "重大", "较大", "一般"]
    data = read_reference(REPO_ROOT / "data")
    grades = [i for i in data.lists if i.list_name == "grades"]
    assert [g.text for g in sorted(grades, key=lambda g: g.seq)] == printed
    assert {g.clause for g in grades} == {"东政发〔2022〕3号 §1.4.2"}
    # the code's Grade holds exactly these four; an incident whose grade is not yet set is 待定 (None), not a fifth
    assert sorted(g.value for g in Grade) == sorted(printed)
    assert len(Grade) == 4
