"""data/supervision/network.yaml is 东政办发〔2021〕17号 三（二）4: the clause found by the gazette module's parser, its
sentences read here, and the stations, their streets and milestones compared with them."""
from __future__ import annotations

import re

import pytest

from dongcheng.core.config import REPO_ROOT
from dongcheng.gazette.clauses import split_clauses
from dongcheng.gazette.rules import parse_issue
from dongcheng.supervision.network.files import read_network

SEED = REPO_ROOT / "data" / "gazette" / "2022-03.txt"
PRINTED_STREET = {"永外": "永定门外街道", "体育馆": "体育馆路街道", "崇外": "崇文门外街道"}


@pytest.fixture(scope="module")
def clause_text():
    issue = parse_issue(SEED.read_text(encoding="utf-8"))
    (doc,) = [d for d in issue.documents if d.number == "东政办发〔2021〕17号"]
    clause = {c.number: c for c in split_clauses(doc.body)}["三（二）"]
    text = re.sub(r"\s+", "", clause.text)
    start = text.index("4.加强公共卫生服务监管")
    return text[start:text.index("5.加强医疗卫生从业人员监管")]


@pytest.fixture(scope="module")
def network():
    return read_network(REPO_ROOT / "data")


def street(name: str) -> str:
    return PRINTED_STREET.get(name, f"{name}街道")


def names(text: str) -> list[str]:
    return re.split(r"[、及]", text)


def test_the_plan_and_the_milestones(clause_text, network):
    assert "每个街道至少设一个标准化急救工作站，全区规划设置1个急救中心站、17个急救工作站" in clause_text
    assert network.printed in clause_text and (network.centres, network.stations_planned) == (1, 17)
    m2021, m2022 = network.milestones
    assert "2021年底前完成11个急救工作站建设任务" in clause_text and m2021.printed in clause_text
    assert (m2021.due.isoformat(), m2021.promised_stations) == ("2021-12-31", 11)
    assert m2022.printed in clause_text and (m2022.due.isoformat(), m2022.promised_stations) == ("2022-12-31", 6)
    assert "并启动区急救中心站建设" in clause_text
    (centre,) = [s for s in network.stations if s.kind == "centre"]
    assert (centre.milestone, centre.target) == ("2022", "started")


def test_the_2021_stations_are_the_texts(clause_text, network):
    existing = re.search(r"在现有(.+?)街道辖区内的(\d+)个急救工作站的基础上", clause_text)
    new = re.search(r"的基础上，在(.+?)街道辖区内再分别建设(\d+)个标准化急救工作站", clause_text)
    upgraded = re.search(r"将现有(.+?)街道辖区内的(\d+)个急救工作站通过扩大面积等途径建成标准化急救工作站", clause_text)
    by_target = {}
    for s in network.stations:
        if s.milestone == "2021":
            by_target.setdefault(s.target, []).append(s)
    assert int(existing.group(2)) == len(by_target["existing"]) == 5
    printed_existing = [street(n) for n in names(existing.group(1))]
    assert len(printed_existing) == 4  # five stations in four streets
    assert [s.street for s in by_target["existing"] if s.street] == printed_existing
    (unplaced,) = [s for s in by_target["existing"] if s.street is None]
    assert list(unplaced.candidates) == printed_existing
    assert int(new.group(2)) == len(by_target["new_built"]) == 5
    assert [s.street for s in by_target["new_built"]] == [street(n) for n in names(new.group(1))]
    assert int(upgraded.group(2)) == len(by_target["upgraded"]) == 1
    assert [s.street for s in by_target["upgraded"]] == [street(upgraded.group(1))] == ["北新桥街道"]
    assert sum(len(v) for v in by_target.values()) == 11


def test_the_2022_site_selections_are_the_texts(clause_text, network):
    sites = re.search(r"2022年底前完成(.+?)街道辖区内剩余(\d+)个急救工作站的选址工作", clause_text)
    chosen = [s for s in network.stations if s.milestone == "2022" and s.kind == "station"]
    assert int(sites.group(2)) == len(chosen) == 6
    assert [s.street for s in chosen] == [street(n) for n in names(sites.group(1))]
    assert all(s.target == "site_selected" for s in chosen)
    assert [s.printed for s in chosen] == names(sites.group(1))
