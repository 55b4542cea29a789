"""附件1 岗补资金申请表 and 附件2 岗补资金使用情况自查报告 as Excel workbooks a clerk can print.

Every cell goes through core.xlsx.append_row: a name typed as ``=…`` is a string cell, never a formula.
"""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dongcheng.core.xlsx import append_row

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _wan(yuan: float) -> str:
    return f"{yuan / 10_000:.4f}".rstrip("0").rstrip(".")


def _grid(ws, rows: list[list], widths: list[int], first: int) -> None:
    for row in rows:
        append_row(ws, row)
    for r in ws.iter_rows(min_row=first, max_row=ws.max_row, max_col=len(widths)):
        for cell in r:
            cell.border, cell.alignment = BOX, WRAP
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _save(wb: Workbook) -> bytes:
    for ws in wb.worksheets:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def fund_application(data: dict) -> bytes:
    """附件1: the form's rows as printed in the gazette; figures filled, bank and signatures left for the street."""
    wb = Workbook()
    ws = wb.active
    ws.title = "岗补资金申请表"
    append_row(ws, [f"{data['street']}聘用社会化管理服务专员岗补资金申请表"])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, ["填表单位（公章）：", "", "", "", f"聘用年度：{data['year']}年"])
    first = ws.max_row + 1
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
        ["同一用途是否享受其他类型财政奖补资金：□是 / □否", "", "", "", "", ""],
    ], [22, 22, 16, 26, 12, 18], first)
    for row in (first, first + 2, first + 3, first + 4, first + 5, first + 6, first + 7, first + 8, first + 13):
        ws.merge_cells(start_row=row, start_column=2 if row != first + 8 and row != first + 13 else 1,
                       end_row=row, end_column=6)
    ws.merge_cells(start_row=first + 9, start_column=1, end_row=first + 12, end_column=1)
    for line in ("", "其他需要说明的情况：", "", "声明：",
                 "本街道便民服务中心已仔细阅读本次聘用工作的相关文件，并保证遵守有关规定。",
                 "本街道便民服务中心无不良信用记录和违法违规记录。", "社会化管理服务专员无不良信用记录和违法违规记录。",
                 "街道便民服务中心负责人承诺提供的资料真实、有效。",
                 "若发生与上述承诺相违背的情形，由本街道便民服务中心自行承担全部法律责任。", "",
                 "负责人签字：", "年　月　日", "填表人：　　　审核人：　　　联系电话：　　　填表时间：", "",
                 f"依据：{data['basis']}（每人每月岗位补贴1700元、月均绩效奖金1000元，意外伤害保险每人每年不超过200元）；"
                 f"审批：{' → '.join(data['approval'])}（{data['approval_basis']}）"):
        append_row(ws, [line])
    detail = wb.create_sheet("服务专员明细")
    append_row(detail, ["姓名", "聘任方式", f"{data['year']}年在聘月数"])
    for c in detail[1]:
        c.font = BOLD
    _grid(detail, [[p["name"], p["route_label"], p["months"]] for p in data["commissioners"]], [16, 18, 16], 1)
    return _save(wb)


def self_report(data: dict, summary: dict) -> bytes:
    """附件2: the report's headings with the year's figures; the narrative parts (500字以上) left for the street."""
    wb = Workbook()
    ws = wb.active
    ws.title = "自查报告"
    ws.column_dimensions["A"].width = 100
    applied = data["total"]
    for line, bold in (
        (f"{data['street']}关于聘用社会化管理服务专员岗补资金使用情况的自查报告", True),
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
        ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True)
        if bold:
            ws.cell(row=ws.max_row, column=1).font = BOLD
    detail = wb.create_sheet("岗补资金使用明细")
    append_row(detail, ["姓名", "聘任方式", "在聘月数", "满意", "基本满意", "不满意",
                        "岗位补贴（元）", "绩效奖（元）", "合计（元）"])
    for c in detail[1]:
        c.font = BOLD
    rows = [[r["name"], r["route"], r["months"], r["counts"]["满意"], r["counts"]["基本满意"], r["counts"]["不满意"],
             r["subsidy"], r["bonus"], r["total"]] for r in summary["rows"]]
    rows.append(["合计", "", "", "", "", "", summary["totals"]["subsidy"], summary["totals"]["bonus"],
                 summary["totals"]["total"]])
    _grid(detail, rows, [14, 14, 10, 8, 10, 8, 14, 14, 14], 1)
    return _save(wb)
