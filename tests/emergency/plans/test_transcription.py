"""data/emergency/plan_management.yaml against the gazette: each §7.1.4 filing row, each of the four §7.1.5 revision
triggers and the §7.2.3 phases are printed in their clause as transcribed; the general plan's issue as its notice
is signed."""
from __future__ import annotations

import re

from dongcheng.core.config import REPO_ROOT
from dongcheng.emergency.plans import files, rules

TEXT = (REPO_ROOT / "data" / "gazette" / "2022-03.txt").read_text(encoding="utf-8")


def clause_text(number: str) -> str:
    match = re.search(rf"^{re.escape(number)} (.+)$", TEXT, re.M)
    assert match, number
    return match.group(1)


M = files.shipped()


def test_the_four_revision_triggers_are_those_of_7_1_5():
    text = clause_text("7.1.5")
    assert len(M.triggers) == 4
    for t in M.triggers.values():
        assert t.text in text, t.text
        assert t.clause == "东政发〔2022〕3号 §7.1.5"
    # in the order the clause lists them
    positions = [text.index(t.text) for t in M.triggers.values()]
    assert positions == sorted(positions)
    assert [c for c, t in M.triggers.items() if t.needs_source] == ["problem_found"]


def test_filing_rows_are_printed_in_7_1_4():
    text = clause_text("7.1.4")
    assert set(M.filing) == {k.value for k in rules.PlanKind}
    for row in M.filing.values():
        assert row.text in text and "§7.1.4" in row.clause
    assert M.reviewer_text in text
    # 报送区政府备案的 — reviewed by the 区应急局; the others not
    assert {k for k, r in M.filing.items() if r.reviewer == "区应急局"} == {"street_general", "department", "catastrophe"}
    assert {k for k, r in M.filing.items() if r.recipient == "区政府"} == {"street_general", "department", "catastrophe"}
    assert M.filing["special"].recipient == "北京市人民政府有关牵头部门" and "抄送" in M.filing["special"].text


def test_the_five_phases_of_7_2_3():
    text = clause_text("7.2.3")
    assert M.drill_phases_text in text
    labels = [rules.PHASE_LABELS[p] for p in rules.PHASES]
    assert labels == ["计划", "准备", "实施", "评估总结", "改进"]
    assert "、".join(labels[:4]) + "和" + labels[4] in M.drill_phases_text


def test_the_general_plan_is_the_notice_of_the_seed_issue():
    g = M.general_plan
    assert g.document_no == "东政发〔2022〕3号" and g.name in TEXT.replace("(", "（").replace(")", "）")
    notice = TEXT[TEXT.index("关于印发《东城区突发事件总体应急预案"):TEXT.index("东城区突发事件总体应急预案\n")]
    assert "2022年2月1日" in notice and g.issued_on.isoformat() == "2022-02-01"
