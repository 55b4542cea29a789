"""The network as a workbook (三（二）4): the stations with their promise and outcome, and the coverage of the
streets. Every cell through core/xlsx.py."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from dongcheng.core.xlsx import append_row


def network_workbook(data: dict) -> bytes:
    """``data`` is views.network_dict."""
    wb = Workbook()
    ws = wb.active
    ws.title = "急救站点"
    append_row(ws, [f"东城区院前医疗急救网络（{data['basis']}）", "", "", "", "", "", "", "", f"统计日 {data['today']}"])
    append_row(ws, ["编号", "类别", "文件所列街道", "街道", "节点", "截止日期", "承诺", "当前状态", "达成日期", "达成情况",
                    "说明"])
    for s in data["stations"]:
        append_row(ws, [s["key"], "急救中心站" if s["kind"] == "centre" else "急救工作站", s["printed"],
                        s["street"] or "未载明", f"{s['milestone']}年底前", s["due"], s["target_label"], s["state_label"],
                        s["reached_on"] or "", s["outcome_label"], s["note"]])
    append_row(ws, [])
    for m in data["milestones"]:
        append_row(ws, [f"{m['key']}年底前", m["printed"], "承诺站数", m["promised_stations"], "已达成", m["met"],
                        "未达成", m["missed"], "未到期", m["pending"]])
    cov = wb.create_sheet("街道覆盖")
    c = data["coverage"]
    append_row(cov, [f"每个街道至少设一个标准化急救工作站（{c['basis']}）"])
    append_row(cov, ["街道", "文件所列站点", "列出次数", "是否有规划站点"])
    for row in c["by_street"]:
        append_row(cov, [row["street"], "、".join(row["stations"]), row["listed"], "是" if row["planned"] else "否（文件未列）"])
    append_row(cov, [])
    append_row(cov, ["未列站点的街道", "、".join(c["without_station"])])
    append_row(cov, ["重复列出的街道", "、".join(c["listed_twice"])])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
