"""The accountability report as an Excel workbook a clerk can print.

Every cell goes through core.xlsx.append_row: an incident titled ``=…`` is a string cell, never a formula.
"""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dongcheng.core.xlsx import append_row

HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
BOLD = Font(bold=True)


def _sheet_table(ws, headers: list[str], rows: list[list], widths: list[int]) -> None:
    append_row(ws, headers)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in rows:
        append_row(ws, row)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=ws.max_row - len(rows) + 1, column=1) if rows else None


def workbook(report: dict) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "按单位汇总"
    append_row(summary, [f"突发事件信息报送问责报告（{report['basis']}）"])
    summary["A1"].font = Font(bold=True, size=14)
    append_row(summary, [f"期间：{report['from']} 至 {report['to']}；统计时点：{report['as_of']}"
                    + ("；演练" if report["drill"] else "")])
    append_row(summary, [])
    _sheet_table(summary, ["单位", "应报", "按时", "迟报", "漏报", "逾期未报", "要素不全", "按时率"],
                 [[u["unit"], u["mandated"], u["on_time"], u["late"], u["missed"], u["overdue"], u["incomplete"],
                   f"{u['on_time_rate']:.1%}" if u["on_time_rate"] is not None else "—"] for u in report["units"]],
                 [28, 8, 8, 8, 8, 10, 10, 10])
    detail = wb.create_sheet("明细")
    rows = [[u["unit"], f["finding_label"], f["incident_id"], f["incident_title"], f["kind_label"], f["seq"],
             f["due_at"], f["met_at"] or "", f["lateness"], "、".join(f["missing_elements"]), f["deadline_basis"]]
            for u in report["units"] for f in u["findings"]]
    _sheet_table(detail, ["单位", "问题", "事件编号", "事件", "报送类型", "序号", "应报时间", "实报时间", "迟报时长",
                          "缺少要素", "依据"], rows, [22, 10, 9, 28, 16, 6, 26, 26, 14, 24, 30])
    if report.get("disbursements"):  # §6.8.3: approved disbursements not completed within 1 working day
        funds = wb.create_sheet("拨款超时")
        _sheet_table(funds, ["单位", "问题", "拨款申请", "事件编号", "事件", "金额（元）", "应完成时间", "完成时间",
                             "超时", "依据"],
                     [[d["unit"], d["finding_label"], d["id"], d["incident_id"], d["incident_title"], d["amount"],
                       d["due_at"], d["completed_at"] or "", d["lateness"], d["basis"]]
                      for d in report["disbursements"]], [22, 12, 9, 9, 28, 12, 26, 26, 14, 30])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
