"""Read and validate the reference data files in data/ (transcribed from the gazette).

Nothing here touches the database: ``read_reference(data_dir)`` returns frozen dataclasses or raises
``ReferenceDataError`` listing every problem (file, row, what is wrong) at once.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from dongcheng.calendar.dates import add_months_last_day, end_of_month
from dongcheng.core.datafiles import load_yaml
from dongcheng.directory.units import UnitIndex, UnitRow

FILES = {
    "units": "directory/units.yaml",
    "leaders": "directory/leaders.yaml",
    "appointments": "directory/appointments.yaml",
    "event_types": "emergency/event_types.yaml",
    "lists": "emergency/lists.yaml",
    "plans": "emergency/plans.yaml",
}

# Counts the gazette states or prints; a file that drifts from them is refused.
EXPECTED_COUNTS = {
    "event types (§2.3.6)": 36,
    "categories (§1.4.1)": 4,
    "special HQs (§2.3.1)": 20,
    "streets (§2.4)": 17,
    "key areas (§2.4)": 1,
    "working groups (§4.4.1)": 9,
    "measures §4.5.1": 13,
    "measures §4.5.2": 10,
    "measures §4.5.3": 7,
    "warning measures §3.2.5(1)": 4,
    "warning measures §3.2.5(2)": 8,
    "warning channels (§3.2.8)": 13,
    "report elements (§4.1.8)": 7,
    "special plans (§8.3.1)": 37,
    "support plans (§8.3.2)": 7,
    "leader seats (东政办发〔2021〕18号)": 9,
}
PERSON_COUNT_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
POST_TITLES = ("副主任", "主任", "副局长", "局长", "副院长", "院长", "副队长", "队长", "副所长", "所长")


class ReferenceDataError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("reference data refused / 参考数据校验未通过:\n- " + "\n- ".join(problems))


@dataclass(frozen=True)
class EventTypeRow:
    no: int
    name: str
    full_name: str
    category: str
    lead_departments: tuple[str, ...]
    clause: str


@dataclass(frozen=True)
class ListItem:
    list_name: str
    seq: int
    text: str
    clause: str
    attrs: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class PlanRow:
    kind: str
    category: str | None
    seq: int
    name: str
    lead: str
    clause: str


@dataclass(frozen=True)
class PortfolioRow:
    seat: str
    relation: str  # 负责 | 协助负责 | 分管 | 协助分管 | 联系
    seq: int
    text: str
    unit: str | None  # canonical unit name
    unit_kind: str | None
    clause: str


@dataclass(frozen=True)
class SeatRow:
    code: str
    post: str
    holder: str
    clause: str
    sort_order: int


@dataclass(frozen=True)
class AppointmentRow:
    document: str
    seq: int
    action: str  # 任命 | 免去
    person: str
    post_text: str
    unit: str
    title: str
    decided_on: date
    issued_on: date
    concurrent: bool
    probation_ends_on: date | None
    secondment_ends_on: date | None
    rank_note: str
    text: str

    @property
    def source_key(self) -> str:
        return f"{self.document}#{self.seq}"


@dataclass(frozen=True)
class ReferenceData:
    units: tuple[UnitRow, ...]
    event_types: tuple[EventTypeRow, ...]
    categories: tuple[ListItem, ...]
    lists: tuple[ListItem, ...]
    plans: tuple[PlanRow, ...]
    seats: tuple[SeatRow, ...]
    portfolio: tuple[PortfolioRow, ...]
    appointments: tuple[AppointmentRow, ...]
    hashes: dict[str, str]
    division_of_work: str = "东政办发〔2021〕18号"
    not_a_unit: tuple[PortfolioRow, ...] = ()  # lines naming a group or sector: the reader cannot place them


def split_post(post_text: str) -> tuple[str, str]:
    """``北京市东城区教育委员会副主任`` → (``北京市东城区教育委员会``, ``副主任``)."""
    for title in POST_TITLES:
        if post_text.endswith(title):
            return post_text[: -len(title)], title
    raise ValueError(post_text)


def _load_yaml(path: Path) -> tuple[dict, str]:
    raw = path.read_bytes()
    return load_yaml(raw), hashlib.sha256(raw).hexdigest()


def read_reference(data_dir: Path) -> ReferenceData:
    problems: list[str] = []
    docs: dict[str, dict] = {}
    hashes: dict[str, str] = {}
    for key, rel in FILES.items():
        path = data_dir / rel
        if not path.exists():
            problems.append(f"{rel}: file missing / 文件缺失")
            continue
        try:
            docs[key], hashes[rel] = _load_yaml(path)
        except yaml.YAMLError as exc:
            problems.append(f"{rel}: not valid YAML / YAML 格式错误: {exc}")
    if problems:
        raise ReferenceDataError(problems)

    counts: dict[str, int] = {}
    units = _read_units(docs["units"], problems)
    index = UnitIndex(units)
    groups = {g["text"]: g["kind"] for g in docs["units"].get("groups", [])}
    sectors = {s["text"] for s in docs["units"].get("sectors", [])}
    counts["special HQs (§2.3.1)"] = sum(u.kind == "special_hq" for u in units)
    counts["streets (§2.4)"] = sum(u.kind == "street" for u in units)
    counts["key areas (§2.4)"] = sum(u.kind == "key_area" for u in units)

    def need_unit(where: str, text: str) -> str:
        name = index.resolve(text)
        if name is None:
            problems.append(f"{where}: unknown unit / 未知单位 “{text}”")
            return text
        return name

    et_doc = docs["event_types"]
    categories = tuple(
        ListItem("categories", i, c["name"], c["clause"], {"heading": c.get("heading", "")})
        for i, c in enumerate(et_doc.get("categories", []), 1)
    )
    counts["categories (§1.4.1)"] = len(categories)
    category_names = {c.text for c in categories}
    event_types = []
    for i, row in enumerate(et_doc.get("event_types", []), 1):
        where = f"{FILES['event_types']} row {i}"
        if row.get("no") != i:
            problems.append(f"{where}: 'no' is {row.get('no')!r}, expected {i} (the table's order)")
        if row.get("category") not in category_names:
            problems.append(f"{where}: unknown category / 未知类别 {row.get('category')!r}")
        leads = tuple(need_unit(f"{where} ({row.get('name')})", d) for d in row.get("lead_departments") or [])
        if not leads:
            problems.append(f"{where}: no lead department / 缺少处置主责部门")
        event_types.append(
            EventTypeRow(i, row["name"], row.get("full_name") or row["name"], row.get("category", ""), leads,
                         row["clause"])
        )
    counts["event types (§2.3.6)"] = len(event_types)
    _unique(problems, FILES["event_types"], [e.name for e in event_types])

    lists = _read_lists(docs["lists"], counts)
    plans = []
    for kind, key in (("special", "special_plans"), ("support", "support_plans")):
        for i, row in enumerate(docs["plans"].get(key, []), 1):
            where = f"{FILES['plans']} {key} row {i} ({row.get('name')})"
            plans.append(PlanRow(kind, row.get("category"), row["seq"], row["name"], need_unit(where, row["lead"]),
                                 row["clause"]))
    counts["special plans (§8.3.1)"] = sum(p.kind == "special" for p in plans)
    counts["support plans (§8.3.2)"] = sum(p.kind == "support" for p in plans)
    _unique(problems, FILES["plans"], [p.name for p in plans])

    seats, portfolio = _read_leaders(docs["leaders"], need_unit, groups, sectors, index, problems)
    not_a_unit = _read_not_a_unit(docs["leaders"], seats, portfolio, problems)
    counts["leader seats (东政办发〔2021〕18号)"] = len(seats)
    appointments = _read_appointments(docs["appointments"], need_unit, problems)

    for name, expected in EXPECTED_COUNTS.items():
        if counts.get(name) != expected:
            problems.append(f"count of {name} is {counts.get(name)}, the gazette has {expected} / 数量与公报不符")
    if problems:
        raise ReferenceDataError(problems)
    return ReferenceData(
        units=tuple(units), event_types=tuple(event_types), categories=categories, lists=tuple(lists),
        plans=tuple(plans), seats=tuple(seats), portfolio=tuple(portfolio), appointments=tuple(appointments),
        hashes=hashes, division_of_work=docs["leaders"].get("document", "东政办发〔2021〕18号"), not_a_unit=not_a_unit,
    )


def _unique(problems: list[str], where: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(f"{where}: duplicate name / 名称重复 “{name}”")
        seen.add(name)


def _read_units(doc: dict, problems: list[str]) -> list[UnitRow]:
    rows = doc.get("units", [])
    units = [
        UnitRow(r["name"], r.get("full_name", r["name"]), r["kind"], tuple(r.get("aliases") or ()), r.get("parent"),
                r.get("clause", ""), r.get("note", ""), i, bool(r.get("emergency_office", False)))
        for i, r in enumerate(rows, 1)
    ]
    keys: dict[str, str] = {}
    for unit in units:
        for key in {unit.name, *unit.aliases}:
            if key in keys and keys[key] != unit.name:
                problems.append(f"{FILES['units']}: “{key}” names both {keys[key]} and {unit.name}")
            keys[key] = unit.name
    names = {u.name for u in units}
    for unit in units:
        if unit.parent and unit.parent not in names:
            problems.append(f"{FILES['units']} ({unit.name}): unknown parent unit / 未知上级单位 “{unit.parent}”")
        if not unit.clause:
            problems.append(f"{FILES['units']} ({unit.name}): no clause / 缺少出处")
    return units


def _read_lists(doc: dict, counts: dict[str, int]) -> list[ListItem]:
    items: list[ListItem] = []

    def add(list_name: str, rows: list[dict], count_name: str | None = None) -> None:
        for row in rows:
            attrs = {k: v for k, v in row.items() if k not in ("seq", "text", "clause")}
            text = row.get("text") or row.get("level") or ""
            items.append(ListItem(list_name, row["seq"], text, row["clause"], attrs))
        if count_name:
            counts[count_name] = len(rows)

    for name in ("grades", "warning_levels", "response_levels", "vulnerable_groups", "special_places"):
        add(name, doc.get(name, []))
    add("working_groups", doc.get("working_groups", []), "working groups (§4.4.1)")
    add("warning_channels", doc.get("warning_channels", []), "warning channels (§3.2.8)")
    add("report_elements", doc.get("report_elements", []), "report elements (§4.1.8)")
    measures = doc.get("disposal_measures", {})
    for key, clause in (("natural_and_accident", "§4.5.1"), ("public_health", "§4.5.2"),
                        ("social_security", "§4.5.3")):
        block = measures.get(key, {})
        rows = [dict(r, applies_to_categories=block.get("applies_to_categories", [])) for r in block.get("items", [])]
        add(f"disposal_measures.{key}", rows, f"measures {clause}")
    warning = doc.get("warning_measures", {})
    add("warning_measures.blue_yellow", warning.get("blue_yellow", {}).get("items", []),
        "warning measures §3.2.5(1)")
    add("warning_measures.orange_red", warning.get("orange_red", {}).get("items", []),
        "warning measures §3.2.5(2)")
    return items


RELATIONS = (("responsible_for", "负责"), ("assists_responsibility", "协助负责"), ("supervises", "分管"),
             ("assists_supervision", "协助分管"), ("liaises_with", "联系"))


def _read_leaders(doc, need_unit, groups, sectors, index, problems):
    seats: list[SeatRow] = []
    portfolio: list[PortfolioRow] = []
    document = doc.get("document", "")
    for order, seat in enumerate(doc.get("seats", []), 1):
        seats.append(SeatRow(seat["code"], seat["post"], seat["holder"].replace(" ", ""),
                             seat.get("clause", document), order))
        seq = 0
        for key, relation in RELATIONS:
            for entry in seat.get(key) or []:
                seq += 1
                where = f"{FILES['leaders']} {seat['code']} {relation}"
                if relation == "负责":
                    portfolio.append(PortfolioRow(seat["code"], relation, seq, entry, None, None, document))
                elif relation == "协助负责":
                    text = f"协助{entry['leader']}负责{'、'.join(entry['domains'])}"
                    portfolio.append(PortfolioRow(seat["code"], relation, seq, text, None, None, document))
                elif entry in groups:
                    portfolio.append(PortfolioRow(seat["code"], relation, seq, entry, None, groups[entry], document))
                elif entry in sectors and index.resolve(entry) is None:
                    portfolio.append(PortfolioRow(seat["code"], relation, seq, entry, None, None, document))
                else:
                    portfolio.append(PortfolioRow(seat["code"], relation, seq, entry, need_unit(where, entry), None,
                                                  document))
    return seats, portfolio


def _read_not_a_unit(doc, seats, portfolio, problems) -> tuple[PortfolioRow, ...]:
    """``not_a_unit``: each a line of its holder's seat that names no unit, and every such line listed."""
    holders = {s.code: s.holder for s in seats}
    unplaceable = {(holders[p.seat], p.relation, p.text): p for p in portfolio
                   if p.relation in ("分管", "协助分管", "联系") and p.unit is None}
    listed = []
    for row in doc.get("not_a_unit") or []:
        line = unplaceable.pop((row.get("holder"), row.get("relation"), row.get("text")), None)
        if line is None:
            problems.append(f"{FILES['leaders']} not_a_unit: {row} is not a line of that seat naming a group or sector")
        else:
            listed.append(line)
    problems += [f"{FILES['leaders']} {p.seat} {p.relation} {p.text}: names no unit; list it under not_a_unit"
                 for p in unplaceable.values()]
    return tuple(listed)


def _read_appointments(doc, need_unit, problems) -> list[AppointmentRow]:
    rows: list[AppointmentRow] = []
    for notice in doc.get("notices", []):
        document = notice["document"]
        people: set[str] = set()
        for action in notice.get("actions", []):
            where = f"{FILES['appointments']} {document} #{action.get('seq')}"
            if action.get("action") not in ("任命", "免去"):
                problems.append(f"{where}: action must be 任命 or 免去, got {action.get('action')!r}")
                continue
            try:
                unit_text, title = split_post(action["post"])
            except ValueError:
                problems.append(f"{where}: cannot tell the post title in “{action['post']}”")
                continue
            decided_on: date = notice["decided_on"]
            probation = action.get("probation_months")
            secondment = action.get("secondment")
            person = action["person"].replace(" ", "")
            people.add(person)
            rows.append(AppointmentRow(
                document=document, seq=action["seq"], action=action["action"], person=person,
                post_text=action["post"], unit=need_unit(where, unit_text), title=title, decided_on=decided_on,
                issued_on=notice["issued_on"], concurrent=bool(action.get("concurrent")),
                probation_ends_on=add_months_last_day(decided_on, probation) if probation else None,
                secondment_ends_on=end_of_month(secondment["to"]) if secondment else None,
                rank_note=action.get("rank_note", ""), text=action.get("text", ""),
            ))
        match = re.search(r"等(.+?)名同志", notice.get("title", ""))
        if match:
            expected = _chinese_number(match.group(1))
            if expected != len(people):
                problems.append(f"{FILES['appointments']} {document}: {len(people)} people, the title says {expected}")
    return rows


def _chinese_number(text: str) -> int:
    if text.startswith("十"):
        return 10 + PERSON_COUNT_WORDS.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return PERSON_COUNT_WORDS[tens] * 10 + PERSON_COUNT_WORDS.get(ones, 0)
    return PERSON_COUNT_WORDS[text]
