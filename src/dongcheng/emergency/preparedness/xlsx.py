"""Registry workbooks: export (every cell through core.xlsx, text never a formula) and import (a header row of the
columns below, one record per row). Reading gives plain values per row; checking and saving is registries.import_rows.

Import format (docs/preparedness.md): the first sheet; row 1 the column headers exactly as ``COLUMNS`` prints them
(Chinese label, or the field name); every following non-empty row one record. Dates as dates or ``YYYY-MM-DD``;
lists (关联事件类型, 关联预案) separated by ``、`` or ``,``.
"""
from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook

from dongcheng.core.errors import DomainError
from dongcheng.core.xlsx import append_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "hazards": [("name", "名称"), ("street", "街道"), ("address", "地址"), ("risk_grade", "风险等级"),
                ("owner_unit", "责任单位"), ("last_inspected_on", "最近检查"), ("next_due_on", "下次检查"), ("note", "备注")],
    "teams": [("name", "队伍名称"), ("kind", "队伍类别"), ("owner_unit", "所属单位"), ("size", "人数"),
              ("equipment", "装备"), ("contact_person", "联系人"), ("contact_phone", "联系电话"), ("readiness", "备勤状态"),
              ("note", "备注")],
    "experts": [("name", "姓名"), ("field", "领域"), ("speciality", "专业方向"), ("employer", "工作单位"),
                ("owner_unit", "管理单位"), ("contact_phone", "联系电话"), ("availability", "可联系状态")],
    "shelters": [("name", "名称"), ("street", "街道"), ("address", "地址"), ("capacity", "容量"),
                 ("occupancy", "在场人数"), ("owner_unit", "管理单位")],
    "knowledge": [("title", "标题"), ("category", "类别"), ("body", "正文"), ("event_types", "关联事件类型"),
                  ("plans", "关联预案"), ("owner_unit", "维护单位")],
    "items": [("name", "物资名称"), ("category", "类别"), ("unit_of_measure", "计量单位"), ("min_level", "最低储备量"),
              ("reserve_kind", "储备方式"), ("owner_unit", "所属单位")],
}
LISTS = ("event_types", "plans")
PERSONAL = ("contact_person", "contact_phone")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "、".join(value)
    return "" if value is None else value


def export(key: str, rows: list[dict]) -> bytes:
    """One sheet: the header row, then each record as ``views.record_dict`` shaped it (masked contacts stay masked)."""
    wb = Workbook()
    ws = wb.active
    ws.title = key
    columns = COLUMNS[key]
    append_row(ws, [label for _, label in columns])
    for row in rows:
        append_row(ws, [_cell(row.get(field)) for field, _ in columns])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _plain(field: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if field in LISTS:
        text = str(value).replace("，", ",").replace("、", ",")
        return [v.strip() for v in text.split(",") if v.strip()]
    return value if isinstance(value, int) else str(value).strip()


def read(key: str, content: bytes) -> list[tuple[int, dict]]:
    """(row number, {field: value}) for every non-empty row; a file that is no workbook or has no known header is a
    422 naming ``file``."""
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError("输入有误", "Invalid input", 422, [_file_error("不是有效的 .xlsx 文件", f"not an .xlsx: {exc}")]) \
            from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    by_label = {label: field for field, label in COLUMNS[key]} | {field: field for field, _ in COLUMNS[key]}
    fields = [by_label.get(str(h).strip()) if h is not None else None for h in header]
    missing = [label for field, label in COLUMNS[key] if field not in fields and field in REQUIRED.get(key, ())]
    if missing:
        raise DomainError("输入有误", "Invalid input", 422, [_file_error(
            f"表头缺少：{'、'.join(missing)}", f"header lacks: {', '.join(missing)}")])
    out = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise DomainError("输入有误", "Invalid input", 422, [_file_error(
                f"一次最多导入{MAX_ROWS}行", f"at most {MAX_ROWS} rows per import")])
        record = {f: _plain(f, v) for f, v in zip(fields, values, strict=False) if f and v not in (None, "")}
        if record:
            out.append((number, record))
    wb.close()
    return out


REQUIRED = {"hazards": ("name", "street", "address", "risk_grade", "owner_unit"),
            "teams": ("name", "kind", "owner_unit", "size"), "experts": ("name", "field", "owner_unit"),
            "shelters": ("name", "street", "address", "capacity", "owner_unit"),
            "knowledge": ("title", "category", "body", "owner_unit"),
            "items": ("name", "unit_of_measure", "owner_unit")}


def _file_error(zh: str, en: str):
    from dongcheng.core.errors import FieldError

    return FieldError("file", zh, en)
