"""The commissioner pages' forms: each form parsed into the API's own request body (schemas.py), its errors worded
with the Chinese label of the field (never its key), and the success notices the pages show after the redirect
(``?done=<key>``). No rule here: the steps are the service's; a step that cannot be undone (ending a commissioner's
service, 退回, 拨付) asks the page's user for a reason and a ticked confirmation before the service is called.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError

from dongcheng.api.errors import validation_fields
from dongcheng.commissioners.schemas import (
    CommissionerIn,
    EndIn,
    FundApplicationIn,
    FundStepIn,
    NoticeIn,
    RatingIn,
    RenewIn,
    RetireesIn,
    SelfReportIn,
)
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.web import steps

# The label of each field as its form shows it (the refusal names the field by it).
LABELS = {
    "retirees": "管理退休人员人数", "as_of": "统计日期",
    "name": "姓名", "street": "街道", "route": "聘任方式", "birth_date": "出生日期",
    "recommended": "特别优秀且身体健康，经组织认定并推荐", "start_on": "聘用起日", "end_on": "聘用期止日",
    "over_quota": "区内统筹调剂（超出名额）",
    "year": "年度", "month": "月份", "rating": "评价等次", "bonus_base": "月绩效奖基数", "note": "备注",
    "sent_on": "意向书发出日期", "waiver_reason": "未发意向书的原因", "notice_sent_on": "终止或续签劳务协议意向书",
    "on": "日期", "ground": "终止情形", "reason": "终止原因", "insurance_per_person": "意外伤害保险（元/人·年）",
    "submitted_on": "使用报告收到日期", "confirm": "确认", "body": "表单",
}
FORM_LABELS = {  # where one form calls a field otherwise
    "end": {"on": "终止日期"},
    "step": {"on": "办理日期", "note": "说明"},
    "disburse": {"on": "拨付日期", "note": "拨付说明"},
    "reject": {"on": "退回日期", "note": "退回原因"},
    "renew": {"end_on": "新聘用期止日", "note": "备注"},
}
FORM_LABELS.update({s: FORM_LABELS["step"] for s in ("review", "centre-meeting", "bureau-meeting", "party-group")})
# The success notice of each step, shown on the page the step redirects to.
# The success notice of each step, shown by base.html after the redirect (web/steps.py: ?done=commissioners.<step>).
DONE = {
    "retirees": "管理退休人员人数已更新，配置名额已按2000:1重算", "hire": "服务专员已聘任",
    "rating": "满意度评价已登记", "notice": "终止或续签劳务协议意向书已登记为发出", "renew": "已续签，聘用期已顺延",
    "end": "已终止聘用", "filed": "岗补资金申请已提交，待区劳动服务管理中心审核",
    "review": "已审核合格，待劳服中心主任办公会审议", "centre-meeting": "劳服中心主任办公会已审议通过，待局长办公会审议",
    "bureau-meeting": "局长办公会已审议通过，待局党组会审议", "party-group": "局党组会已审议同意，待劳服中心拨付",
    "disburse": "岗补资金已拨付", "reject": "申请已退回（未通过）", "self-report": "资金使用报告已登记收到",
    "resubmitted": "此聘任表单已提交过，未重复聘任；这是它聘任的服务专员",
}
steps.register({f"commissioners.{key}": text for key, text in DONE.items()})
# The button and heading of each fund step (112号 第五条).
STEP_LABELS = {"review": "劳服中心审核合格", "centre-meeting": "劳服中心主任办公会审议通过",
               "bureau-meeting": "局长办公会审议通过", "party-group": "局党组会审议同意",
               "disburse": "银行转账拨付", "reject": "退回（审核或审议未通过）"}
FINAL_STEPS = ("disburse", "reject")  # cannot be undone: a reason and a ticked confirmation first
CONFIRM = "confirm"


def label(form: str, name: str) -> str:
    return FORM_LABELS.get(form, {}).get(name) or LABELS.get(name, name)


@dataclass
class Failed:
    """A refused step as its form shows it: the message in words, each named field's message by its input."""

    form: str
    message: str
    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


def worded(exc: DomainError, form: str) -> DomainError:
    """The error with each field named by its label (the error page lists ``fields``)."""
    fields = [FieldError(label(form, f.field), f.zh, f.en) for f in exc.fields]
    return DomainError(message(exc, form), exc.en, exc.status_code, fields, exc.headers)


def message(exc: DomainError, form: str) -> str:
    if exc.status_code == 422 and exc.fields:
        return "输入有误：" + "；".join(f"{label(form, f.field)}：{f.zh}" for f in exc.fields)
    return exc.zh


def failed(exc: DomainError, form: str, values: dict[str, str]) -> Failed:
    return Failed(form, message(exc, form), {f.field: f.zh for f in exc.fields},
                  {k: v for k, v in values.items() if k != "csrf_token"})


def _invalid(fields: list[FieldError]) -> DomainError:
    return DomainError("输入有误", "Invalid input", 422, fields)


def _parse(model: type[BaseModel], form: dict[str, str], names: tuple[str, ...], *, flags: tuple[str, ...] = (),
           required: tuple[str, ...] = (), confirm: bool = False, extra: dict | None = None):
    """``form`` → ``model``: blank fields absent (the model's default, or 必填), ticked boxes true; ``required``
    fields the page asks for although the API does not, and the confirmation box of a final step."""
    errors: list[FieldError] = []
    raw: dict = {k: v.strip() for k in names if (v := form.get(k) or "").strip()}
    raw.update({k: k in form for k in flags})
    raw.update(extra or {})
    for name in required:
        if name not in raw:
            errors.append(FieldError(name, "必填（此步骤办理后不可撤销，请写明）", "required: this step cannot be undone"))
    if confirm and form.get(CONFIRM) != "yes":
        errors.append(FieldError(CONFIRM, "请勾选确认（此步骤办理后不可撤销）", "tick the box: this cannot be undone"))
    try:
        data = model.model_validate(raw)
    except ValidationError as exc:
        taken = {e.field for e in errors}
        fields = [f for f in validation_fields(exc) if f.field not in taken]
        for f in fields:
            if f.zh in ("太短", "取值不在允许范围内") and f.field in names and not raw.get(f.field):
                f.zh = "必填"
        errors += fields
    if errors:  # in the order the form shows its fields
        order = [*names, *flags, CONFIRM]
        raise _invalid(sorted(errors, key=lambda e: order.index(e.field) if e.field in order else len(order)))
    return data


def retirees(form: dict[str, str]) -> RetireesIn:
    return _parse(RetireesIn, form, ("retirees", "as_of"))


def hire(form: dict[str, str], street: str) -> CommissionerIn:
    return _parse(CommissionerIn, form, ("name", "route", "birth_date", "start_on", "end_on"),
                  flags=("recommended", "over_quota"), extra={"street": street})


def rating(form: dict[str, str]) -> RatingIn:
    return _parse(RatingIn, form, ("year", "month", "rating", "bonus_base", "note"))


def notice(form: dict[str, str]) -> NoticeIn:
    return _parse(NoticeIn, form, ("sent_on",))


def renew(form: dict[str, str]) -> RenewIn:
    return _parse(RenewIn, form, ("end_on", "note", "waiver_reason"))


def end(form: dict[str, str]) -> EndIn:
    return _parse(EndIn, form, ("on", "ground", "reason"), required=("reason",), confirm=True)


def fund_application(form: dict[str, str], street: str) -> FundApplicationIn:
    return _parse(FundApplicationIn, form, ("year", "insurance_per_person"), extra={"street": street})


def fund_step(form: dict[str, str], step: str) -> FundStepIn:
    final = step in FINAL_STEPS
    return _parse(FundStepIn, form, ("on", "note"), required=("note",) if final else (), confirm=final)


def self_report(form: dict[str, str]) -> SelfReportIn:
    return _parse(SelfReportIn, form, ("submitted_on",))
