"""Read and validate data/heritage/ (transcribed from 东政发〔2022〕2号). Nothing here touches the database:
``read_heritage(data_dir)`` returns frozen dataclasses or raises ``ReferenceDataError`` (the error of every data file)
listing each problem — file, row, field, what is wrong — at once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from dongcheng.core.datafiles import load_yaml
from dongcheng.heritage.rules import CATEGORIES
from dongcheng.reference.files import ReferenceDataError

FILE = "heritage/batch7.yaml"

# What the notice states; a file that drifts from it is refused.
EXPECTED = {
    "batch.number": 7,  # 第七批
    "batch.items": 30,  # 共计确定30个项目
    "to_date.batches": 7,  # 共产生七批名录
    "to_date.items": 225,  # 225个项目
    "to_date.first_year": 2007,  # 自2007年在全市推出第一个区级名录以来
}
ITEM_FIELDS = ("seq", "category", "name", "applicant", "clause")


@dataclass(frozen=True)
class ItemRow:
    seq: int  # 序号
    category: str  # 项目类别, carried down where the table leaves it blank
    name: str  # 项目名称
    applicant: str  # 申报单位
    clause: str


@dataclass(frozen=True)
class BatchData:
    number: int
    document: str
    title: str
    issuing_organ: str
    table: str
    approved_on: date
    approved_by: str
    published_on: date
    item_count: int
    clause: str
    first_year: int
    batches_to_date: int
    items_to_date: int
    to_date_clause: str
    items: tuple[ItemRow, ...]
    sha256: str
    file: str = FILE


def read_heritage(data_dir: Path) -> BatchData:
    path = Path(data_dir) / FILE
    if not path.exists():
        raise ReferenceDataError([f"{FILE}: file missing / 文件缺失"])
    raw = path.read_bytes()
    try:
        doc = load_yaml(raw)
    except yaml.YAMLError as exc:
        raise ReferenceDataError([f"{FILE}: not valid YAML / YAML 格式错误: {exc}"]) from exc
    if not isinstance(doc, dict):
        raise ReferenceDataError([f"{FILE}: expected a mapping with document, batch, to_date, items / 文件结构有误"])
    return validate(doc, hashlib.sha256(raw).hexdigest())


def validate(doc: dict, sha256: str = "") -> BatchData:
    """The file's content, or every problem with it (``FILE field: …`` / ``FILE row N (序号 …) field: …``)."""
    problems: list[str] = []

    def text(where: str, value: object, *, spaces: bool = False) -> str:
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: missing or blank / 缺失或为空")
            return ""
        if not spaces and any(ch.isspace() for ch in value):
            problems.append(f"{where}: “{value}” contains whitespace (a cell split by the PDF extraction?) / 含空白字符")
        return value

    def mapping(key: str) -> dict:
        value = doc.get(key)
        if not isinstance(value, dict):
            problems.append(f"{FILE} {key}: missing / 缺失")
            return {}
        return value

    def number(where: str, value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{where}: {value!r} is not a whole number / 应为整数")
            return 0
        return value

    def day(where: str, value: object) -> date:
        if not isinstance(value, date):
            problems.append(f"{where}: {value!r} is not a date (YYYY-MM-DD) / 应为日期")
            return date.min
        return value

    document = text(f"{FILE} document", doc.get("document"))
    batch, to_date = mapping("batch"), mapping("to_date")
    data = {
        "batch.number": number(f"{FILE} batch.number", batch.get("number")),
        "batch.items": number(f"{FILE} batch.items", batch.get("items")),
        "to_date.batches": number(f"{FILE} to_date.batches", to_date.get("batches")),
        "to_date.items": number(f"{FILE} to_date.items", to_date.get("items")),
        "to_date.first_year": number(f"{FILE} to_date.first_year", to_date.get("first_year")),
    }
    for key, expected in EXPECTED.items():
        if data[key] and data[key] != expected:
            problems.append(f"{FILE} {key}: {data[key]}, the gazette has {expected} / 与公报不符（公报为 {expected}）")
    approved_on = day(f"{FILE} batch.approved_on", batch.get("approved_on"))
    published_on = day(f"{FILE} batch.published_on", batch.get("published_on"))
    if approved_on != date.min and published_on != date.min and published_on < approved_on:
        problems.append(f"{FILE} batch.published_on: {published_on} is before approved_on {approved_on} / 公布早于审议")
    approved_by = text(f"{FILE} batch.approved_by", batch.get("approved_by"))
    clause = text(f"{FILE} batch.clause", batch.get("clause"), spaces=True).strip()
    to_date_clause = text(f"{FILE} to_date.clause", to_date.get("clause"), spaces=True).strip()

    items = _read_items(doc.get("items"), document, problems)
    if data["batch.items"] and len(items) != data["batch.items"]:
        problems.append(f"{FILE} items: {len(items)} rows, batch.items says {data['batch.items']} / 项目数与公报不符")
    if problems:
        raise ReferenceDataError(problems)
    return BatchData(
        number=data["batch.number"], document=document, title=str(doc.get("title") or ""),
        issuing_organ=str(doc.get("issuing_organ") or ""), table=str(doc.get("table") or ""),
        approved_on=approved_on, approved_by=approved_by, published_on=published_on, item_count=data["batch.items"],
        clause=clause, first_year=data["to_date.first_year"], batches_to_date=data["to_date.batches"],
        items_to_date=data["to_date.items"], to_date_clause=to_date_clause, items=tuple(items), sha256=sha256,
    )


def _read_items(rows: object, document: str, problems: list[str]) -> list[ItemRow]:
    if not isinstance(rows, list) or not rows:
        problems.append(f"{FILE} items: missing or empty / 缺少项目")
        return []
    items: list[ItemRow] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            problems.append(f"{FILE} row {i}: not a mapping of {', '.join(ITEM_FIELDS)} / 行格式有误")
            continue
        where = f"{FILE} row {i} (序号 {row.get('seq')!r})"
        if unknown := sorted(set(row) - set(ITEM_FIELDS)):
            problems.append(f"{where}: unknown field(s) {', '.join(map(str, unknown))} / 未知字段")
        seq = row.get("seq")
        if seq != i or isinstance(seq, bool):
            problems.append(f"{where} seq: {seq!r}, expected {i} (序号 run 1, 2, 3 … without gaps) / 序号应为 {i}")
        category = row.get("category")
        if category not in CATEGORIES:
            problems.append(f"{where} category: {category!r} is not one of the 7 categories of {document} "
                            f"({'、'.join(CATEGORIES)}) / 项目类别不在七大类别之中")
        values = {}
        for field in ("name", "applicant", "clause"):
            value = row.get(field)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where} {field}: missing or blank / 缺失或为空")
            elif any(ch.isspace() for ch in value) and field != "clause":
                problems.append(f"{where} {field}: “{value}” contains whitespace (a cell split by the PDF "
                                f"extraction?) / 含空白字符")
            values[field] = value if isinstance(value, str) else ""
        if values["clause"] and document and not values["clause"].startswith(document):
            problems.append(f"{where} clause: “{values['clause']}” does not cite {document} / 出处应为 {document}")
        if values["name"] in seen:
            problems.append(f"{where} name: “{values['name']}” repeats row {seen[values['name']]} / 项目名称重复")
        seen.setdefault(values["name"], i)
        items.append(ItemRow(seq if isinstance(seq, int) else i, str(category or ""), values["name"],
                             values["applicant"], values["clause"]))
    return items
