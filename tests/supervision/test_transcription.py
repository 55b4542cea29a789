"""Every clause the supervision modules cite, held to the gazette: the seed issue split by the gazette module's own
parser, 东政办发〔2021〕17号's clauses found, and each quoted note found in the item it cites (三（一）2 is item 2 of
三（一）)."""
from __future__ import annotations

import re

import pytest

from dongcheng.core.basis import Basis
from dongcheng.core.config import REPO_ROOT
from dongcheng.gazette.clauses import split_clauses
from dongcheng.gazette.rules import parse_issue
from dongcheng.supervision.complaints import rules as complaints
from dongcheng.supervision.inspections import files as inspection_files
from dongcheng.supervision.inspections import rules as inspections
from dongcheng.supervision.institutions import rules as institutions

SEED = REPO_ROOT / "data" / "gazette" / "2022-03.txt"
SECTION = {"三": 3, "四": 4}
SUB = {"一": 1, "二": 2, "三": 3, "四": 4}


@pytest.fixture(scope="module")
def clauses() -> dict[str, str]:
    issue = parse_issue(SEED.read_text(encoding="utf-8"))
    (doc,) = [d for d in issue.documents if d.number == "东政办发〔2021〕17号"]
    return {c.anchor: re.sub(r"\s+", "", c.text) for c in split_clauses(doc.body)}


def cited_text(clauses: dict[str, str], clause: str) -> str:
    """``三（一）5`` → item 5 of clause 三（一）; ``四（二）`` → the whole clause."""
    m = re.fullmatch(r"([三四])（([一二三四])）(\d*)", clause)
    assert m, clause
    text = clauses[f"c-{SECTION[m[1]]}-{SUB[m[2]]}"]
    if m[3]:
        n = int(m[3])
        start = text.index(f"{n}.")
        end = text.find(f"{n + 1}.", start)
        text = text[start:end if end > 0 else None]
    return text


QUOTED = [institutions.CREDIT_BASIS, institutions.REPAIR_BASIS, institutions.REGISTRY_BASIS,
          institutions.AUTHORITY_BASIS, complaints.BASIS, inspections.ITEMS_BASIS]


@pytest.mark.parametrize("basis", QUOTED, ids=[b.clause + " " + b.note[:8] for b in QUOTED])
def test_each_quoted_note_is_in_the_clause_it_cites(clauses, basis: Basis):
    assert basis.document == "东政办发〔2021〕17号"
    text = cited_text(clauses, basis.clause)
    for part in basis.note.split("……"):
        assert re.sub(r"\s+", "", part) in text, (basis.clause, part)


def test_the_complaints_lead_is_the_first_unit_printed(clauses):
    line = cited_text(clauses, "三（一）5").split("责任部门：")[1]
    assert line.split("、")[0] == complaints.DISPATCH_UNITS[0] == "区城指中心"
    assert complaints.DISPATCH_UNITS[1] in line


def test_the_supervising_unit_is_named_where_the_text_gives_the_lead(clauses):
    line = cited_text(clauses, "三（一）4").split("责任部门：")[1]
    assert line.split("、")[0] == institutions.SUPERVISING_UNIT
    assert "双随机抽查事项清单" in cited_text(clauses, "四（一）")
    basis = inspections.ITEMS_BASIS
    assert inspection_files.items().clause == f"{basis.document} {basis.clause}"
