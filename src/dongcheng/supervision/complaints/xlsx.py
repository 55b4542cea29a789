"""The monthly 12345 workbook: per unit the counts and the three rates, with their definitions (core/xlsx.py cells)."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from dongcheng.core.xlsx import append_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ("承办单位", "派单量", "时限内答复", "响应率", "回访(解决)", "已解决", "解决率", "回访(满意)", "满意", "满意率")


def month_workbook(data: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{data['year']}年{data['month']}月"
    append_row(ws, [f"东城区医疗卫生相关12345诉求 {data['year']}年{data['month']}月 接诉即办三率"])
    append_row(ws, [f"依据：{data['basis']}"])
    append_row(ws, HEADER)
    for u in data["units"]:
        append_row(ws, [u["unit"], u["assigned"], u["responded_on_time"], u["response_rate"]["percent"] or "无数据",
                        u["visited_resolved"], u["resolved"], u["resolution_rate"]["percent"] or "无数据",
                        u["visited_satisfied"], u["satisfied"], u["satisfaction_rate"]["percent"] or "无数据"])
    append_row(ws, [])
    for text in data["definitions"].values():
        append_row(ws, [text])
    append_row(ws, [data["response_basis"]])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
