"""示范基地 pages (Chinese): the clerk's list, the application form, the application page (第七条 table, timeline,
notice period) and the public list of certified bases. Thin: every step calls the same service as the API."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.errors import validation_fields
from dongcheng.api.params import Id
from dongcheng.auth.service import authorize
from dongcheng.core.errors import DomainError
from dongcheng.core.time import today_local
from dongcheng.incubators import repository, rules, service, views
from dongcheng.incubators.enums import ACTION_LABELS, STATUS_LABELS, Action, Route, Status
from dongcheng.incubators.schemas import (
    ApplicationIn,
    CertifyIn,
    ChangeDecisionIn,
    ChangeIn,
    ContinueIn,
    NoteIn,
    NoticeIn,
    ObjectionIn,
    ReevaluationIn,
    RejectIn,
    ReportIn,
    ResolveIn,
    ReviewIn,
    RevokeIn,
)
from dongcheng.web import steps
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
BOOLS = ("legal_entity_in_dongcheng", "tax_registered_in_dongcheng", "social_insurance_in_dongcheng",
         "incubation_main_business", "no_violations", "no_open_disputes", "management_and_services",
         "service_activities")
PAIRS = ("utilisation_pct", "incubated_entities", "jobs")
STEP_BODIES = {Action.CHECK_MATERIALS: NoteIn, Action.VISIT_SITE: NoteIn, Action.REVIEW: ReviewIn,
               Action.START_NOTICE: NoticeIn, Action.OBJECT: ObjectionIn, Action.RESOLVE_OBJECTION: ResolveIn,
               Action.CERTIFY: CertifyIn, Action.RECOGNISE: NoteIn, Action.CONTINUE: ContinueIn,
               Action.REJECT: RejectIn, Action.REVOKE: RevokeIn}
# 不予认定 and 撤销称号 end the application for good (撤销: 3 years before a new one, 第十三条): a reason and a confirmation.
IRREVERSIBLE = {Action.REJECT: "不予认定", Action.REVOKE: "撤销称号"}
steps.register({
    "incubators.apply": "申报已登记", **{f"incubators.{a.value}": f"已办理：{label}" for a, label in ACTION_LABELS.items()},
    "incubators.reevaluation": "复评结果已登记", "incubators.reevaluation-revoked": "复评未达标，已撤销称号",
    "incubators.change": "变更申请已登记", "incubators.report": "季度报表已登记",
    "incubators.change-decided": "审核完成：保留称号",
    "incubators.change-decided-revoked": "审核完成：不再符合认定条件，已撤销资格"})


@router.get("/incubators")
def incubators_page(request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, "incubators.read")
    rows = [views.summary_dict(a) for a in repository.list_applications(session)]
    return render(request, "incubators/list.html", {"active": "incubators", "rows": rows})


def _form_context(**extra) -> dict:
    return {"active": "incubators", "bools": BOOLS, "labels": FIELD_LABELS, **extra}


@router.get("/incubators/new")
def new_application_page(request: Request, session: SessionDep, caller: PageUser):
    service.check_authority(session, caller)
    return render(request, "incubators/new.html", _form_context(form={"route": "standard"}))


def _facts(form: dict) -> dict:
    facts: dict = {k: {"yes": True, "no": False}.get(form.get(k, "")) for k in BOOLS}
    facts["operating_since"] = form.get("operating_since") or None
    facts["incubation_area_m2"] = form.get("incubation_area_m2") or None
    facts["success_rate_pct"] = form.get("success_rate_pct") or None
    for key in PAIRS:
        pair = [form.get(f"{key}_1", ""), form.get(f"{key}_2", "")]
        facts[key] = pair if any(pair) else None
    renewal = [v.strip() for v in form.get("renewal_pct", "").replace("，", ",").split(",") if v.strip()]
    facts["renewal_pct"] = renewal or None
    return facts


@router.post("/incubators/new")
async def create_application_from_form(request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, 300)

    def apply():
        data = ApplicationIn(
            base_name=form.get("base_name", ""), operator_name=form.get("operator_name", ""),
            credit_code=form.get("credit_code", "").strip().upper(), address=form.get("address", ""),
            route=form.get("route") or "standard", title_level=form.get("title_level") or None,
            title_name=form.get("title_name") or None, former_recognition=form.get("former_recognition") or None,
            applied_on=form.get("applied_on") or None, facts=_facts(form))
        return service.apply(session, caller=caller, data=data)

    def again(exc: ValidationError | DomainError):
        if isinstance(exc, ValidationError):
            errors = [{"field": f.field, "zh": f"{FIELD_LABELS.get(f.field.split('.')[-1], f.field)}：{f.zh}",
                       "en": f.en} for f in validation_fields(exc)]
        else:
            errors = [{"field": f.field, "zh": f.zh, "en": f.en} for f in exc.fields] or [
                {"field": "form", "zh": exc.zh, "en": exc.en}]
        return render(request, "incubators/new.html", _form_context(form=form, errors=errors),
                      status_code=steps.status_of(exc))

    return steps.run(apply, then=lambda app: (f"/incubators/{app.id}", "incubators.apply"), refused=again)


TIMELINE_LABELS = {**ACTION_LABELS, "reevaluate": "复评", "change": "信息变更申请", "change-retained": "变更审核"}


def _page(request: Request, session, app, error: DomainError | None = None, status_code: int = 200,
          form: dict | None = None):
    status = Status(app.status)
    steps = [a for a in rules.FLOW.available(status) if rules.route_allows(Route(app.route), a).allowed]
    return render(request, "incubators/detail.html", {
        "active": "incubators", "a": views.application_dict(app, service.timeline(session, app)), "steps": steps,
        "action_labels": TIMELINE_LABELS, "grounds": rules.REVOCATION_GROUNDS, "error": error,
        "subsidy": views.subsidies_dict(app, [], 0), "form": form or {},
        "reevaluations": views.reevaluations_dict(app, service.reevaluations_of(session, app)),
        "changes": views.changes_dict(app, service.changes_of(session, app)),
        "change_items": ("名称", "运营机构", "孵化场所地址", "孵化面积", "其他"),
        "reports": views.reports_dict(app, service.reports_of(session, app), today_local()) if app.certified_on
        else None,
        "statuses": STATUS_LABELS}, status_code=status_code)


def _refused(request: Request, session, application_id: int, form: dict, en: str = "Invalid input"):
    """A refused step (steps.run's ``refused``): the application's page with the error beside the form; a field
    pydantic refused is named by its label."""
    def again(exc: ValidationError | DomainError):
        exc = steps.refusal(exc, FIELD_LABELS, en)
        return _page(request, session, repository.get(session, application_id), exc, exc.status_code, form)
    return again


@router.get("/incubators/{application_id}")
def application_page(application_id: Id, request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, "incubators.read")
    return _page(request, session, repository.get(session, application_id))


@router.post("/incubators/{application_id}/steps/{action}")
async def step_from_form(application_id: Id, action: Action, request: Request, session: SessionDep,
                         caller: PageUser):
    form: dict = {k: v for k, v in (await steps.posted(request, 2000)).items() if v != ""}
    for key in ("passed", "upheld", "good_incubation", "active_in_services"):
        if key in form:
            form[key] = form[key] == "yes"

    def act() -> None:
        if action in IRREVERSIBLE:
            steps.irreversible(form, IRREVERSIBLE[action])
            form.pop(steps.CONFIRM, None)
        body = STEP_BODIES[action].model_validate(form)
        service.act(session, caller=caller, application_id=application_id, action=action, body=body)

    return steps.run(act, then=(f"/incubators/{application_id}", f"incubators.{action.value}"),
                     refused=_refused(request, session, application_id, {"step": action.value}))


async def _management_form(request: Request, session, caller, application_id: int, model, call, notice, *,
                           revokes: tuple[str, bool] | None = None, **ids):
    """One form of the management sections (复评, 信息变更, 变更审核): the same services as the API; a bad field or a
    refusal is shown on the page beside the form, nothing saved."""
    form: dict = {k: v for k, v in (await steps.posted(request, 2000)).items() if k != "items" and v != ""}
    raw = await request.form()
    if "items" in raw:
        form["items"] = [str(v) for v in raw.getlist("items")][:5]
    for key in ("passed", "still_eligible"):
        if key in form:
            form[key] = form[key] == "yes"
    revoked = bool(revokes and form.get(revokes[0]) is revokes[1])  # this answer takes the title away

    def take() -> None:
        if revoked:
            steps.require_confirmation(form.get(steps.CONFIRM), "撤销称号")
        form.pop(steps.CONFIRM, None)
        call(session, caller=caller, application_id=application_id, data=model.model_validate(form), **ids)

    return steps.run(take, then=(f"/incubators/{application_id}", f"{notice}-revoked" if revoked else notice),
                     refused=_refused(request, session, application_id, form, "Invalid input: {fields}"))


@router.post("/incubators/{application_id}/reports")
async def report_from_form(application_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """季度基本情况报表 (第十一条（一）) recorded on the page, as the API's POST …/reports."""
    return await _management_form(request, session, caller, application_id, ReportIn, service.record_report,
                                  "incubators.report")


@router.post("/incubators/{application_id}/reevaluations")
async def reevaluation_from_form(application_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return await _management_form(request, session, caller, application_id, ReevaluationIn, service.record_reevaluation,
                                  "incubators.reevaluation", revokes=("passed", False))


@router.post("/incubators/{application_id}/changes")
async def change_from_form(application_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return await _management_form(request, session, caller, application_id, ChangeIn, service.file_change,
                                  "incubators.change")


@router.post("/incubators/{application_id}/changes/{change_id}/decide")
async def change_decision_from_form(application_id: Id, change_id: Id, request: Request, session: SessionDep,
                                    caller: PageUser):
    return await _management_form(request, session, caller, application_id, ChangeDecisionIn, service.decide_change,
                                  "incubators.change-decided", revokes=("still_eligible", False), change_id=change_id)


@router.get("/public/incubators")
def public_incubators_page(request: Request, session: SessionDep, caller: PageCaller):
    return render(request, "incubators/public.html", {
        "active": "public_incubators", "rows": [views.public_dict(a) for a in repository.certified(session)],
        "basis": str(rules.CERTIFICATION_BASIS)})


FIELD_LABELS = {
    "base_name": "基地名称", "operator_name": "运营机构", "credit_code": "统一社会信用代码", "address": "孵化场所地址",
    "route": "认定方式", "title_level": "已获称号级别", "title_name": "已获称号名称",
    "former_recognition": "附件3名单中的认定情况", "applied_on": "申报日期",
    "legal_entity_in_dongcheng": "东城区辖区内依法成立的独立法人机构", "tax_registered_in_dongcheng": "税务注册登记在东城区",
    "social_insurance_in_dongcheng": "社保缴纳在东城区", "incubation_main_business": "以创业孵化为主营业务",
    "no_violations": "无违法违纪行为", "no_open_disputes": "无未了结的法律、经济纠纷",
    "management_and_services": "管理制度健全、有专业服务团队及配套设施",
    "service_activities": "参与各项创业服务活动（第七条（四））",
    "operating_since": "开始运营日期", "incubation_area_m2": "孵化面积（平方米）", "utilisation_pct": "孵化场所利用率（%）",
    "incubated_entities": "在孵创业实体（户）", "jobs": "就业岗位（个）", "success_rate_pct": "孵化成功率（%）",
    "renewal_pct": "企业（团队）更新率（%，每年一项，逗号分隔）",
    "year": "复评年度", "published_on": "公布日期", "passed": "复评结果", "report": "评估结果报告",
    "items": "变更事项", "description": "变更情况", "changed_on": "变更日期", "filed_on": "申请日期",
    "still_eligible": "审核结论", "note": "审核意见", "decided_on": "审核日期",
    "quarter": "季度", "submitted_on": "报送日期", "trainings": "创业培训（实训）人次",
    "policy_beneficiaries": "享受创业扶持政策人次",
    "reason": "理由", "ground": "撤销情形", "confirm": "确认", "text": "异议内容", "assessment": "评估结论",
}
