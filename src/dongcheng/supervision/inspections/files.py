"""data/supervision/inspection_items.yaml (双随机抽查事项清单) and inspection_policy.yaml (a new plan's defaults),
read and checked once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dongcheng.core.config import REPO_ROOT
from dongcheng.core.datafiles import load_yaml
from dongcheng.reference.files import ReferenceDataError
from dongcheng.supervision.inspections import rules

DATA = REPO_ROOT / "data" / "supervision"


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    scope: str
    law: str


@dataclass(frozen=True)
class Items:
    source: str
    clause: str
    items: tuple[Item, ...]

    def codes(self) -> set[str]:
        return {i.code for i in self.items}


@dataclass(frozen=True)
class Defaults:
    source: str
    proportions: dict[str, str]
    inspectors_per_inspection: int
    publication_delay_working_days: int


@lru_cache(maxsize=4)
def items(path: Path = DATA / "inspection_items.yaml") -> Items:
    data = load_yaml(path.read_text(encoding="utf-8"))
    problems, rows, seen = [], [], set()
    for n, row in enumerate(data.get("items") or [], 1):
        missing = [f for f in ("code", "name", "scope", "law") if not str(row.get(f) or "").strip()]
        if missing or row["code"] in seen:
            problems.append(f"{path.name} item {n}: {'missing ' + ', '.join(missing) if missing else 'repeated code'}")
            continue
        seen.add(row["code"])
        rows.append(Item(row["code"], row["name"], row["scope"], row["law"]))
    if problems or not rows:
        raise ReferenceDataError(problems or [f"{path.name}: no items"])
    return Items(data["source"], data["clause"], tuple(rows))


@lru_cache(maxsize=4)
def defaults(path: Path = DATA / "inspection_policy.yaml") -> Defaults:
    data = load_yaml(path.read_text(encoding="utf-8"))
    proportions = {g: str(data["proportions"][g]) for g in rules.GRADES}
    problems = [g for g, p in proportions.items() if not rules.proportion(p, g)[1].allowed]
    n = int(data["inspectors_per_inspection"])
    if problems or not rules.check_per_inspection(n).allowed:
        raise ReferenceDataError([f"{path.name}: bad {problems or 'inspectors_per_inspection'}"])
    return Defaults(data["source"], proportions, n, int(data["publication_delay_working_days"]))
