"""附件1 岗补资金申请表 and 附件2 岗补资金使用情况自查报告 as Excel workbooks a clerk can print.

Every cell goes through core.xlsx (append_row / write): a name typed as ``=…`` is a string cell, never a formula;
amounts are numbers with their format, titles centred, each sheet laid out for A4 (core.xlsx.print_layout).
"""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter

from dongcheng.commissioners.enums import ROUTE_LABELS, HiringRoute
from dongcheng.core.xlsx import (
    BOLD,
    CENTRED,
    MONEY_FORMAT,
    WAN_FORMAT,
    append_row,
    fit_row_heights,
    note_row,
    print_layout,
    title_row,
)

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _wan(yuan: float) -> float:
    """万元, as the form asks for its plan amounts (a number, printed to 4 decimals)."""
    return round(yuan / 10_000, 4)


def _grid(ws, rows: list[list], widths: list[int], first: int) -> None:
    for row in rows:
        append_row(ws, row)
    for r in ws.iter_rows(min_row=first, max_row=ws.max_row, max_col=len(widths)):
        for cell in r:
            cell.border, cell.alignment = BOX, WRAP
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _header(ws, row: int) -> None:
    for cell in ws[row]:
        cell.font, cell.alignment = BOLD, CENTRED


def _save(wb: Workbook) -> bytes:
    for ws in wb.worksheets:
        fit_row_heights(ws)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def fund_application(data: dict) -> bytes:
    """附件1: the form's rows as printed in the gazette; figures filled, bank and signatures left for the street."""
    wb = Workbook()
    ws = wb.active
    ws.title = "岗补资金申请表"
    widths = [20, 20, 15, 16, 12, 18]
    title_row(ws, f"{data['street']}聘用社会化管理服务专员岗补资金申请表", len(widths))
    append_row(ws, ["填表单位（公章）：", "", "", "", f"聘用年度：{data['year']}年"])
    ws.merge_cells(start_row=2, start_column=5, end_row=2, end_column=6)
    first = ws.max_row + 1
    plan_total = _wan(data["subsidy"]) + _wan(data["bonus"]) + _wan(data["insurance"])
    _grid(ws, [
        ["街道便民服务中心", f"{data['street']}便民服务中心", "", "", "", ""],
        ["负责人", "", "电话", "", "邮箱", ""],
        ["服务专员人数（人）", data["people"], "", "", "", ""],
        ["岗补资金总额（元）", data["total"], "", "", "", ""],
        ["账户名称", "", "", "", "", ""], ["开户行", "", "", "", "", ""], ["行号", "", "", "", "", ""],
        ["账号", "", "", "", "", ""],
        ["岗补资金使用计划：", "", "", "", "", ""],
        ["服务费用", "基本工资", "总金额（万元）", _wan(data["subsidy"]), "拟使用时间", f"{data['year']}年1-12月"],
        ["", "月均绩效奖金", "总金额（万元）", _wan(data["bonus"]), "拟使用时间", f"{data['year']}年按月"],
        ["", "年度绩效奖金", "总金额（万元）", "已含于月均绩效奖金（年度总额每人不超过12000元）", "拟使用时间", ""],
        ["", "其他（意外伤害保险）", "总金额（万元）", _wan(data["insurance"]), "拟使用时间", ""],
        ["", "合计", "总金额（万元）", round(plan_total, 4), "", ""],
        ["同一用途是否享受其他类型财政奖补资金：□是 / □否", "", "", "", "", ""],
    ], widths, first)
    for row in (first, first + 2, first + 3, first + 4, first + 5, first + 6, first + 7, first + 8, first + 14):
        ws.merge_cells(start_row=row, start_column=2 if row not in (first + 8, first + 14) else 1,
                       end_row=row, end_column=6)
    ws.merge_cells(start_row=first + 9, start_column=1, end_row=first + 13, end_column=1)
    ws.cell(row=first + 3, column=2).number_format = MONEY_FORMAT
    for row in range(first + 9, first + 14):
        ws.cell(row=row, column=4).number_format = WAN_FORMAT
    ws.cell(row=first + 13, column=2).font = ws.cell(row=first + 13, column=4).font = BOLD
    for line in ("其他需要说明的情况：", "", "声明：",
                 "本街道便民服务中心已仔细阅读本次聘用工作的相关文件，并保证遵守有关规定。",
                 "本街道便民服务中心无不良信用记录和违法违规记录。", "社会化管理服务专员无不良信用记录和违法违规记录。",
                 "街道便民服务中心负责人承诺提供的资料真实、有效。",
                 "若发生与上述承诺相违背的情形，由本街道便民服务中心自行承担全部法律责任。", "",
                 "负责人签字：　　　　　　　　　　年　月　日", "填表人：　　　审核人：　　　联系电话：　　　填表时间：",
                 f"依据：{data['basis']}（每人每月岗位补贴1700元、月均绩效奖金1000元，意外伤害保险每人每年不超过200元）；"
                 f"审批：{' → '.join(data['approval'])}（{data['approval_basis']}）"):
        note_row(ws, line, len(widths))
    print_layout(ws)

    detail = wb.create_sheet("服务专员明细")
    title_row(detail, f"{data['street']}{data['year']}年服务专员明细（附件1附表）", 3, size=12)
    append_row(detail, ["姓名", "聘任方式", f"{data['year']}年在聘月数"])
    _header(detail, 2)
    people = data["commissioners"]
    _grid(detail, [[p["name"], p["route_label"], p["months"]] for p in people]
          + [["合计", f"{len(people)}人", sum(p["months"] for p in people)]], [16, 18, 16], 2)
    for cell in detail[detail.max_row]:
        cell.font = BOLD
    print_layout(detail, repeat_rows="1:2")
    return _save(wb)


def self_report(data: dict, summary: dict) -> bytes:
    """附件2: the report's headings with the year's figures; the narrative parts (500字以上) left for the street."""
    wb = Workbook()
    ws = wb.active
    ws.title = "自查报告"
    # 60 characters: A4 portrait's printable width. LibreOffice does not shrink a one-column sheet to the page's
    # width (it clips it), so the column itself must fit.
    ws.column_dimensions["A"].width = 60
    applied = data["total"]
    title_row(ws, f"{data['street']}关于聘用社会化管理服务专员岗补资金使用情况的自查报告", 1)
    for line, bold in (
        ("东城区劳动服务管理中心：", False),
        (f"我单位在{data['year']}年度聘用社会化管理服务专员工作中，聘用{data['people']}名服务专员，申请了岗补资金"
         f"{_wan(applied)}万元。按照《东城区聘用社会化管理服务专员工作实施方案（试行）》的要求，我单位制定了岗补资金使用计划，"
         "以下为具体使用情况。", False),
        ("一、岗补资金使用概况", True),
        (f"实际发放：岗位补贴{summary['totals']['subsidy']}元，绩效奖{summary['totals']['bonus']}元，合计"
         f"{summary['totals']['total']}元（明细见附表）。"
         "（所获岗补资金额度、用途及是否与其他类型财政奖补资金使用范围重复等）", False),
        ("二、岗补资金使用效果", True),
        ("（岗补资金在充实属地社会化管理服务力量，完善街道和社区党组织、退休人员社会化管理服务机构管理服务功能，多渠道、多方式为"
         "国有企业退休人员提供社会化服务等情况的说明，500字以上）", False),
        ("", False), ("", False),
        ("三、存在问题及整改措施", True),
        ("（整改措施要对照存在问题逐一明确，具有可操作性）", False), ("", False),
        ("附：岗补资金使用明细", False), ("", False),
        ("单位名称（公章）", False), ("年　月　日", False), ("（联系人：　　　电话：　　　）", False),
        (f"提交期限：{data['self_report_due']}前（{data['self_report_basis']}）", False)):
        append_row(ws, [line])
        cell = ws.cell(row=ws.max_row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = BOLD
    print_layout(ws)

    detail = wb.create_sheet("岗补资金使用明细")
    headers = ["姓名", "聘任方式", "在聘月数", "满意", "基本满意", "不满意", "岗位补贴（元）", "绩效奖（元）", "合计（元）"]
    title_row(detail, f"{data['street']}{data['year']}年岗补资金使用明细（附件2附表）", len(headers), size=12)
    append_row(detail, headers)
    _header(detail, 2)
    rows = [[r["name"], ROUTE_LABELS[HiringRoute(r["route"])], r["months"], r["counts"]["满意"],
             r["counts"]["基本满意"], r["counts"]["不满意"], r["subsidy"], r["bonus"], r["total"]]
            for r in summary["rows"]]
    rows.append(["合计", f"{len(summary['rows'])}人", sum(r["months"] for r in summary["rows"]), "", "", "",
                 summary["totals"]["subsidy"], summary["totals"]["bonus"], summary["totals"]["total"]])
    _grid(detail, rows, [14, 16, 10, 8, 10, 8, 14, 14, 14], 2)
    for row in detail.iter_rows(min_row=3, min_col=7, max_col=9):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    for cell in detail[detail.max_row]:
        cell.font = BOLD
    print_layout(detail, landscape=True, repeat_rows="1:2")
    return _save(wb)
