"""The accountability report as an Excel workbook a clerk can print.

Every cell goes through core.xlsx.append_row: an incident titled ``=…`` is a string cell, never a formula.
"""
from __future__ import annotations

from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from dongcheng.core.time import to_local
from dongcheng.core.xlsx import (
    BOLD,
    CENTRED,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    append_row,
    fit_row_heights,
    local_time,
    note_row,
    print_layout,
    title_row,
)

HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")


def _sheet_table(ws, headers: list[str], rows: list[list], widths: list[int], *, total: list | None = None) -> int:
    """The table's header row (returned), its rows and an optional bold total row."""
    append_row(ws, headers)
    header = ws.max_row
    for cell in ws[header]:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTRED
    for row in rows + ([total] if total else []):
        append_row(ws, row)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=header + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if total:
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    return header


def _period(report: dict) -> str:
    def day(value: str) -> str:
        return to_local(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")

    return (f"期间：{day(report['from'])} 至 {day(report['to'])}（北京时间）；统计时点：{day(report['as_of'])}"
            + ("；演练" if report["drill"] else ""))


def workbook(report: dict) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "按单位汇总"
    heads = ["单位", "应报", "按时", "迟报", "漏报", "逾期未报", "要素不全", "按时率"]
    title_row(summary, "突发事件信息报送问责报告", len(heads))
    note_row(summary, f"{_period(report)}；依据：{report['basis']}", len(heads))
    units = report["units"]
    counts = ("mandated", "on_time", "late", "missed", "overdue", "incomplete")
    mandated, on_time = sum(u["mandated"] for u in units), sum(u["on_time"] for u in units)
    header = _sheet_table(
        summary, heads,
        [[u["unit"], *(u[k] for k in counts), u["on_time_rate"]] for u in units], [28, 8, 8, 8, 8, 10, 10, 10],
        total=["合计", *(sum(u[k] for u in units) for k in counts), on_time / mandated if mandated else None])
    for row in summary.iter_rows(min_row=header + 1, min_col=8, max_col=8):
        for cell in row:
            cell.number_format = "0.0%"
    print_layout(summary, repeat_rows=f"1:{header}")

    detail = wb.create_sheet("明细")
    heads = ["单位", "问题", "事件编号", "事件", "报送类型", "序号", "应报时间", "实报时间", "迟报时长", "缺少要素", "依据"]
    title_row(detail, "突发事件信息报送问责报告　明细", len(heads), size=12)
    note_row(detail, _period(report), len(heads))
    rows = [[u["unit"], f["finding_label"], f["incident_id"], f["incident_title"], f["kind_label"], f["seq"],
             local_time(f["due_at"]), local_time(f["met_at"]), f["lateness"], "、".join(f["missing_elements"]),
             f["deadline_basis"]]
            for u in units for f in u["findings"]]
    header = _sheet_table(detail, heads, rows, [16, 9, 8, 22, 17, 5, 18, 18, 10, 16, 26])
    for row in detail.iter_rows(min_row=header + 1, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = DATETIME_FORMAT
    print_layout(detail, landscape=True, repeat_rows=f"1:{header}")
    if report.get("disbursements"):  # §6.8.3: approved disbursements not completed within 1 working day
        funds = wb.create_sheet("拨款超时")
        heads = ["单位", "问题", "拨款申请", "事件编号", "事件", "金额（元）", "应完成时间", "完成时间", "超时", "依据"]
        title_row(funds, "应急资金拨付超时（东政发〔2022〕3号 §6.8.3）", len(heads), size=12)
        note_row(funds, _period(report), len(heads))
        header = _sheet_table(
            funds, heads,
            [[d["unit"], d["finding_label"], d["id"], d["incident_id"], d["incident_title"], d["amount"],
              local_time(d["due_at"]), local_time(d["completed_at"]), d["lateness"], d["basis"]]
             for d in report["disbursements"]], [16, 10, 8, 8, 22, 12, 18, 18, 10, 24])
        for row in funds.iter_rows(min_row=header + 1, min_col=7, max_col=8):
            for cell in row:
                cell.number_format = DATETIME_FORMAT
        for row in funds.iter_rows(min_row=header + 1, min_col=6, max_col=6):
            for cell in row:
                cell.number_format = MONEY_FORMAT
        print_layout(funds, landscape=True, repeat_rows=f"1:{header}")
    for ws in wb.worksheets:
        fit_row_heights(ws)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
