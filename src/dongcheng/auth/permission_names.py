"""Each action of the permission table in words (zh, en), so a refusal says what was refused rather than a key.

The table of who may (``permissions.PERMISSIONS``) stays in each module's ``module.py``; this file only names the
actions, and ``tests/auth/test_permission_names.py`` fails when an action of the table has no words here. Pure data:
imports nothing.
"""
from __future__ import annotations

NAMES: dict[str, tuple[str, str]] = {
    "incidents.create": ("接报登记突发事件", "log an incident"),
    "incidents.act": ("办理突发事件（报送、响应、处置、结束）", "act on an incident (reports, response, disposal, end)"),
    "incidents.read": ("查阅突发事件（值班台、事件档案）", "read incidents (the duty board, the archive)"),
    "preparedness.read": ("查阅应急保障资源", "read the emergency resources"),
    "preparedness.registry": ("登记应急队伍、物资和场所", "register teams, supplies and sites"),
    "preparedness.stock": ("登记物资库存", "record supply stock"),
    "preparedness.dispatch_request": ("申请调用物资", "request a dispatch of supplies"),
    "preparedness.dispatch_approve": ("批准物资调用", "approve a dispatch of supplies"),
    "preparedness.dispatch_handle": ("办理物资调用", "handle a dispatch of supplies"),
    "preparedness.shelter_open": ("开放应急避难场所", "open an emergency shelter"),
    "preparedness.callup": ("调集应急队伍", "call up a response team"),
    "preparedness.requisition": ("征用物资和场所", "requisition supplies or premises"),
    "statements.draft": ("起草信息发布稿", "draft a public statement"),
    "statements.release": ("审核发布信息", "release a public statement"),
    "directory.record_appointment": ("录入任免", "record an appointment or removal"),
    "reference.load": ("维护参考数据（含报送时限提醒的值班联系方式）",
                       "maintain reference data (including the duty contacts of the reporting reminders)"),
    "warnings.draft": ("起草预警", "draft a warning"),
    "warnings.edit": ("修改预警", "edit a warning"),
    "warnings.approve": ("审批预警", "approve a warning"),
    "warnings.publish": ("发布预警", "publish a warning"),
    "warnings.lift": ("解除预警", "lift a warning"),
    "warnings.tick": ("勾选预警响应措施", "tick a warning's response measures"),
    "warnings.subscribers": ("管理预警信息接收人", "manage warning subscribers"),
    "accountability.read": ("查阅迟报漏报统计", "read the late and missing reports"),
    "funds.request": ("申请应急资金", "request emergency funds"),
    "funds.approve": ("审批应急资金", "approve emergency funds"),
    "funds.complete": ("办结应急资金", "complete an emergency fund request"),
    "funds.read": ("查阅应急资金", "read emergency funds"),
    "plans.manage": ("管理应急预案", "manage emergency plans"),
    "drills.manage": ("管理应急演练", "manage drills"),
    "plans.read": ("查阅应急预案和演练", "read plans and drills"),
    "gazette.import": ("导入政府公报", "import a gazette issue"),
    "incubators.manage": ("办理孵化基地事项", "handle incubator matters"),
    "incubators.read": ("查阅孵化基地", "read the incubators"),
    "commissioners.manage": ("办理就业创业指导专员事项", "handle employment commissioner matters"),
    "commissioners.read": ("查阅就业创业指导专员", "read the employment commissioners"),
    "supervision.tasks.read": ("查阅医疗卫生综合监管任务", "read the medical supervision tasks"),
    "supervision.tasks.report": ("报送监管任务进展（牵头部门）", "report a supervision task's progress (lead unit)"),
    "supervision.tasks.contribute": ("报送配合工作情况（配合部门）", "file a co-unit's contribution"),
    "supervision.network.read": ("查阅急救网络建设", "read the first-aid network"),
    "supervision.network.record": ("登记急救站点建设情况", "record a first-aid station's state"),
    "supervision.credit.manage": ("管理医疗机构登记和信用记录", "manage institutions and their credit records"),
    "supervision.credit.policy": ("载入记分和信用修复规则", "load the points and repair policy"),
    "supervision.inspections.manage": ("办理双随机抽查（执法人员、利益冲突、抽取、结果）",
                                       "run the random inspections (inspectors, conflicts, draws, results)"),
    "supervision.complaints.intake": ("受理和派发12345工单", "take in and assign 12345 tickets"),
    "supervision.complaints.respond": ("答复12345工单", "answer a 12345 ticket"),
    "supervision.complaints.read": ("查阅12345工单和三率", "read 12345 tickets and rates"),
    "users.manage": ("管理用户账号", "manage user accounts"),
    "audit.read": ("查阅审计日志", "read the audit log"),
    "calendar.load": ("载入节假日安排", "load the holiday schedule"),
}

# How far a role's row reaches (permissions.py's scopes), as the refusal words it.
SCOPES: dict[str, tuple[str, str]] = {
    "any": ("", ""),
    "own_unit": ("（限本单位）", " (own unit only)"),
    "post": ("（依当日所任职务）", " (by the post held that day)"),
    "incident": ("（按事件判定，如牵头部门、属地街道）", " (decided per incident: lead department, street)"),
    "warning": ("（按预警判定，如起草单位）", " (decided per warning: drafting unit)"),
}
