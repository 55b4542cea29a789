"""Read and validate data/supervision/tasks.yaml (transcribed from 东政办发〔2021〕17号). Nothing here touches the
database: ``read_tasks(data_dir)`` returns the plan as frozen values or raises ``ReferenceDataError`` listing every
problem — a name of a 责任部门 list no unit, alias or group of data/directory/units.yaml answers to, a duplicate key,
a section the text has and the file lacks — at once. Read once per data directory (the files do not change while the
platform serves)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from dongcheng.core.datafiles import load_yaml
from dongcheng.directory.units import UnitIndex
from dongcheng.reference.files import FILES, ReferenceDataError, read_reference
from dongcheng.supervision.tasks.rules import Entry, Task, resolve_entry

FILE = "supervision/tasks.yaml"
# The sections of the plan that end in a 责任部门 / 责任单位 list: 三（一）1–5, 三（二）1–9, 四（一）–（四）, 五（一）–（三）.
EXPECTED_KEYS = (
    [f"三（一）{i}" for i in range(1, 6)] + [f"三（二）{i}" for i in range(1, 10)]
    + [f"四（{n}）" for n in "一二三四"] + [f"五（{n}）" for n in "一二三"]
)


@dataclass(frozen=True)
class Goal:
    key: str
    due: date
    printed: str
    text: str
    clause: str


@dataclass(frozen=True)
class TaskPlan:
    document: str
    title: str
    signed_on: date
    administering_unit: str
    administering_clause: str
    goals: tuple[Goal, ...]
    tasks: tuple[Task, ...]
    printed_names: tuple[str, ...]  # every distinct name of the lists, in order of first appearance
    sha256: str
    file: str = FILE

    def task(self, slug: str) -> Task | None:
        return next((t for t in self.tasks if t.slug == slug or t.key == slug), None)


def unit_index_and_groups(data_dir: Path) -> tuple[UnitIndex, dict[str, str], set[str]]:
    """The directory's names (units.yaml: units and aliases, ``groups`` by kind, ``named_groups``)."""
    units = read_reference(data_dir).units
    doc = load_yaml((data_dir / FILES["units"]).read_bytes())
    groups = {g["text"]: g["kind"] for g in doc.get("groups", [])}
    named = {g["text"] for g in doc.get("named_groups", [])}
    return UnitIndex(units), groups, named


@lru_cache(maxsize=8)
def read_tasks(data_dir: Path) -> TaskPlan:
    path = data_dir / FILE
    raw = path.read_bytes()
    doc = load_yaml(raw)
    index, groups, named = unit_index_and_groups(data_dir)
    problems: list[str] = []
    tasks: list[Task] = []
    printed: list[str] = []
    for i, row in enumerate(doc.get("tasks", []), 1):
        where = f"{FILE} row {i} ({row.get('key')})"
        entries: list[Entry] = []
        for name in row.get("units") or []:
            if name not in printed:
                printed.append(name)
            entry = resolve_entry(name, index, groups, named)
            if entry is None:
                problems.append(f"{where}: “{name}” is no unit, alias or group of {FILES['units']} / 未知单位")
                continue
            entries.append(entry)
        if not entries:
            problems.append(f"{where}: no 责任部门 / 缺少责任部门")
        if row.get("label") not in ("责任部门", "责任单位"):
            problems.append(f"{where}: label must be 责任部门 or 责任单位")
        tasks.append(Task(row["key"], str(row["slug"]), row["title"], row.get("label", ""), tuple(entries),
                          row["clause"]))
    keys = [t.key for t in tasks]
    if keys != EXPECTED_KEYS:
        problems.append(f"{FILE}: sections {keys} differ from the plan's {EXPECTED_KEYS} / 任务与方案不符")
    if len({t.slug for t in tasks}) != len(tasks):
        problems.append(f"{FILE}: duplicate slug / slug 重复")
    admin = doc.get("administering_unit", {})
    admin_unit = index.resolve(admin.get("unit", ""))
    if admin_unit is None:
        problems.append(f"{FILE}: administering_unit “{admin.get('unit')}” is no unit / 未知单位")
    if problems:
        raise ReferenceDataError(problems)
    goals = tuple(Goal(str(g["key"]), g["due"], g["printed"], g["text"], g["clause"]) for g in doc.get("goals", []))
    return TaskPlan(doc["document"], doc["title"], doc["signed_on"], admin_unit, admin.get("clause", ""), goals,
                    tuple(tasks), tuple(printed), hashlib.sha256(raw).hexdigest())
