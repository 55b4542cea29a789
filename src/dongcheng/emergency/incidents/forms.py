"""The incident page's forms (东政发〔2022〕3号 §4, §5): each form parsed into the same request body as the API,
its errors named per field in Chinese, and the table of actions — what each form parses, which service call it
makes, where the page scrolls back to. pages.py routes them.
"""
from __future__ import annotations

from datetime import datetime

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from dongcheng.api.errors import validation_fields
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import BEIJING
from dongcheng.core.types import MAX_ID
from dongcheng.emergency.checklists import service as checklists
from dongcheng.emergency.checklists.schemas import ChecklistIn, TickIn
from dongcheng.emergency.command_posts import service as command_posts
from dongcheng.emergency.command_posts.schemas import CheckInIn, GroupIn, LogIn, SetUpIn, TaskDoneIn, TaskIn
from dongcheng.emergency.incidents import service
from dongcheng.emergency.incidents.schemas import (
    REPORT_ELEMENT_KEYS,
    DesignateIn,
    EndIn,
    GradeIn,
    HandoverIn,
    LevelIn,
    MergeIn,
    ReportIn,
)
from dongcheng.emergency.recovery import service as recovery
from dongcheng.emergency.recovery.schemas import ClaimIn, CloseIn, EvaluationIn, LossesIn, MeritIn, PlanIn, ReliefIn
from dongcheng.emergency.statements import service as statements
from dongcheng.emergency.statements.schemas import StatementIn
from dongcheng.web import steps

CASUALTIES = [("dead", "死亡"), ("injured", "受伤"), ("missing", "失踪"), ("trapped", "被困")]


def _fields(exc: ValidationError) -> list[FieldError]:
    out = validation_fields(RequestValidationError(exc.errors()))
    for field, err in zip(out, exc.errors(), strict=True):
        if err.get("type") in ("string_too_short", "enum") and not str(err.get("input") or "").strip():
            field.zh = "必填"
        field.field = field.field.removeprefix("casualties.")  # the form's own field names
    return out


def _invalid(fields: list[FieldError]) -> DomainError:
    return DomainError("输入有误", "Invalid input", 422, fields)


def local_input(form: dict[str, str], name: str, errors: list[FieldError]) -> datetime | None:
    """A datetime-local value (Beijing time) → an aware datetime (+08:00); blank → None."""
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        errors.append(FieldError(name, "时间格式应为 年-月-日 时:分", f"{raw!r} is not a date and time"))
        return None
    return value.replace(tzinfo=BEIJING) if value.tzinfo is None else value


def validate_form(model: type[BaseModel], raw: dict, errors: list[FieldError]):
    """Validate ``raw``; raise one 422 with the parse errors and the model's errors together."""
    try:
        data = model.model_validate(raw)
    except ValidationError as exc:
        taken = {e.field for e in errors}
        raise _invalid(errors + [f for f in _fields(exc) if f.field not in taken]) from None
    if errors:
        raise _invalid(errors)
    return data


def casualties_of(form: dict[str, str], *, optional: bool = False) -> dict | None:
    values = {key: (form.get(key) or "").strip() for key, _ in CASUALTIES}
    if optional and not any(values.values()):
        return None
    return {key: value or "0" for key, value in values.items()}


def field_errors(error: DomainError | None) -> dict[str, str]:
    return {f.field: f.zh for f in error.fields} if error else {}


def _report(form: dict[str, str]) -> ReportIn:
    errors: list[FieldError] = []
    raw: dict = {key: form.get(key) or None for key in REPORT_ELEMENT_KEYS}
    raw["kind"] = form.get("kind") or None
    raw["filed_at"] = local_input(form, "filed_at", errors)
    raw["casualties"] = casualties_of(form, optional=True)
    return validate_form(ReportIn, raw, errors)


def _optional_text(form: dict[str, str], key: str) -> str:
    return (form.get(key) or "").strip()


def _body(model: type[BaseModel], form: dict[str, str], *, text: tuple[str, ...] = (),
          optional: tuple[str, ...] = (), times: tuple[str, ...] = ()):
    """A form → ``model``: blank required fields are "必填", blank optional ones null, times are Beijing time."""
    errors: list[FieldError] = []
    raw: dict = {}
    for key in text:  # blank → absent: "必填" if required, the model's default otherwise
        if value := _optional_text(form, key):
            raw[key] = value
    for key in optional:
        raw[key] = _optional_text(form, key) or None
    for key in times:
        if (value := local_input(form, key, errors)) is not None:
            raw[key] = value
    return validate_form(model, raw, errors)


def _row_id(form: dict[str, str], key: str) -> int:
    """The row a per-row form acts on (a task, a checklist item), from its hidden field."""
    raw = _optional_text(form, key)
    if not (raw.isdigit() and 1 <= int(raw) <= MAX_ID):
        raise _invalid([FieldError(key, "编号无效，请刷新页面后重试", f"{raw!r} is not a row id")])
    return int(raw)


def _tick(done: bool):
    """Tick (note optional) or un-tick (the reason in ``note`` — the service requires it)."""
    return lambda f: (_row_id(f, "item_id"), validate_form(TickIn, {"done": done, "note": _optional_text(f, "note")}, []))


def _end(form: dict[str, str]) -> EndIn:
    """应急结束 cannot be undone (§4.8: follow-ups stop, reports still owed become missed): a reason and a confirmation."""
    errors: list[FieldError] = []
    try:
        steps.irreversible(form, "结束应急响应", reason_label="结束理由")
    except DomainError as exc:
        errors = exc.fields
    return validate_form(EndIn, {"reason": _optional_text(form, "reason")}, errors)


def _row_call(call):
    """The service's per-row call, ``call(session, caller, incident, row_id, body)``."""
    return lambda session, caller, incident, data: call(session, caller, incident, *data)


# action → (what it parses, the service call, where the page scrolls back to)
ACTIONS = {
    "report": (_report, service.file_report, "reports"),
    "grade": (lambda f: validate_form(GradeIn, {"grade": f.get("grade") or None, "reason": _optional_text(f, "reason")}, []),
              service.set_grade, "actions"),
    "level": (lambda f: validate_form(LevelIn, {"level": f.get("level") or None, "reason": _optional_text(f, "reason")}, []),
              service.set_response_level, "actions"),
    "designate": (lambda f: validate_form(DesignateIn, {"unit": _optional_text(f, "unit"),
                                                    "reason": _optional_text(f, "reason")}, []),
                  service.designate_lead, "leads"),
    "handover": (lambda f: validate_form(HandoverIn, {"reason": _optional_text(f, "reason")}, []),
                 service.hand_over, "actions"),
    "end": (lambda f: _end(f), service.end_response, "actions"),
    # 现场指挥部 §4.4
    "command-post": (lambda f: _body(SetUpIn, f, text=("location", "commander_name", "commander_post",
                                                        "executive_name", "executive_unit"), times=("at",)),
                     command_posts.set_up, "command-post"),
    "group": (lambda f: _body(GroupIn, f, text=("name", "leader", "contact_person", "contact_means")),
              command_posts.add_group, "cp-groups"),
    "check-in": (lambda f: _body(CheckInIn, f, text=("team", "unit", "headcount"), times=("arrived_at",)),
                 command_posts.check_in, "cp-teams"),
    "task": (lambda f: _body(TaskIn, f, text=("check_in_id", "text")), command_posts.assign_task, "cp-tasks"),
    "task-done": (lambda f: (_row_id(f, "task_id"), _body(TaskDoneIn, f, text=("note",))),
                  _row_call(command_posts.complete_task), "cp-tasks"),
    "log": (lambda f: _body(LogIn, f, text=("text",), times=("at",)), command_posts.write_log, "cp-log"),
    "merge": (lambda f: validate_form(MergeIn, {"into": _optional_text(f, "into"),
                                                "reason": _optional_text(f, "reason")}, []),
              service.merge_into, "facts"),
    # 处置清单 §4.5
    "checklist": (lambda f: _body(ChecklistIn, f, optional=("list",)), checklists.create_checklist, "checklist"),
    "tick": (_tick(True), _row_call(checklists.tick), "checklist"),
    "untick": (_tick(False), _row_call(checklists.tick), "checklist"),
    # 恢复重建 §5
    "recovery-plan": (lambda f: _body(PlanIn, f, text=("text",)), recovery.set_plan, "rc-plan"),
    "losses": (lambda f: _body(LossesIn, f, text=("dead", "injured", "missing", "direct_economic_loss_yuan",
                                                  "houses_damaged", "notes")), recovery.report_losses, "rc-losses"),
    "relief": (lambda f: _body(ReliefIn, f, text=("recipient", "kind", "note"), optional=("amount_yuan", "given_on")),
               recovery.record_relief, "rc-relief"),
    "insurance": (lambda f: _body(ClaimIn, f, text=("claimant", "insurer", "description", "status", "note"),
                                  optional=("amount_claimed_yuan", "amount_paid_yuan")),
                  recovery.record_claim, "rc-insurance"),
    "evaluation": (lambda f: _body(EvaluationIn, f, text=("report", "investigation", "date")),
                   recovery.submit_evaluation, "rc-evaluation"),
    "merit": (lambda f: _body(MeritIn, f, text=("subject", "kind", "reason"), optional=("deadline",)),
              recovery.record_merit, "rc-merits"),
    "close": (lambda f: _body(CloseIn, f, text=("note",)), recovery.close_incident, "recovery"),
    # 信息发布 §4.7.1
    "statement": (lambda f: validate_form(StatementIn, {
        "title": _optional_text(f, "title"), "body": _optional_text(f, "body"),
        "topics": [label for key, label in STATEMENT_TOPICS if f.get(key)]}, []), statements.draft, "statements"),
    "release": (lambda f: (_row_id(f, "statement_id"),), _row_call(statements.release), "statements"),
}
STATEMENT_TOPICS = (("topic_cause", "事件原因"), ("topic_casualties", "伤亡数字"), ("topic_accountability", "责任追究"))
ACTION_LABELS = {"report": "报送报告", "grade": "定级/调级", "level": "响应级别", "designate": "指定主责部门",
                 "handover": "移交市级指挥", "end": "应急结束",
                 "command-post": "成立现场指挥部", "group": "设置工作组", "check-in": "队伍报到", "task": "下达任务",
                 "task-done": "任务完成", "log": "指挥部记录", "checklist": "建立处置清单", "tick": "勾选处置措施",
                 "untick": "取消勾选", "recovery-plan": "恢复重建计划", "losses": "损失统计", "relief": "社会救助与抚恤",
                 "insurance": "保险理赔", "evaluation": "调查评估报告", "merit": "表彰与问责", "close": "结案",
                 "statement": "起草信息发布稿", "release": "发布信息", "merge": "合并重复接报"}
DONE = {"report": "报告已报送", "grade": "事件等级已更新，报送时限已重算", "level": "响应级别已记录",
        "designate": "主责部门已指定", "handover": "已移交市级指挥", "end": "应急响应已结束",
        "command-post": "现场指挥部已成立", "group": "工作组已设置", "check-in": "队伍已报到", "task": "任务已下达",
        "task-done": "任务已完成", "log": "已记录", "checklist": "处置清单已建立", "tick": "已勾选",
        "untick": "已取消勾选", "recovery-plan": "恢复重建计划已保存", "losses": "损失统计已上报",
        "relief": "救助记录已登记", "insurance": "理赔记录已登记", "evaluation": "调查评估报告已提交",
        "merit": "已登记", "close": "事件已结案", "statement": "发布稿已保存（草稿不公开）", "release": "信息已发布",
        "merge": "已作为重复接报并入原事件，其报送时限不再计入问责",
        "intake": "已接报登记，报送时限开始计时",
        "resubmitted": "此接报表单已提交过，未重复登记；这是它登记的事件"}
steps.register(DONE)  # shown by base.html after the redirect (?done=<action>)
# per-row forms: the row's hidden id
ROW_KEYS = {"merge": "into", "task-done": "task_id", "tick": "item_id", "untick": "item_id", "release": "statement_id"}
RECOVERY_ACTIONS = ("recovery-plan", "losses", "relief", "insurance", "evaluation", "merit", "close")
