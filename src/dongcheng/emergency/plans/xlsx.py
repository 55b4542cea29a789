"""The drills compliance page of a year (§7.2.1, §7.2.2) as a workbook: one sheet, a line per unit, street or plan
under revision, with its clause. Every cell through core.xlsx.append_row (a unit named ``=…`` stays text)."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from dongcheng.core.xlsx import append_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["类别", "单位或预案", "是否达标", "情况", "依据"]


def compliance(data: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{data['year']}年应急演练"
    append_row(ws, [f"{data['year']}年应急演练情况（东政发〔2022〕3号 §7.2.1、§7.2.2）"])
    ws["A1"].font = Font(bold=True)
    append_row(ws, HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for section in data["sections"]:
        for line in section["lines"]:
            append_row(ws, [section["label"], line["subject"], "达标" if line["compliant"] else "未达标",
                            line["detail"], line["basis"]])
    for col, width in zip("ABCDE", (34, 36, 10, 48, 60), strict=True):
        ws.column_dimensions[col].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
