"""Institutions and credit pages (Chinese, readable on a phone): the public registry and the published lists (记分、
黑名单 in their publication period, the policy in force with its source); an institution's credit record for the
区卫生健康委. Thin: the same services as the API."""
from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.core.errors import DomainError
from dongcheng.core.time import today_local
from dongcheng.supervision.institutions import repository, rules, service, views
from dongcheng.supervision.institutions.schemas import (
    BlacklistIn,
    InstitutionIn,
    InstitutionPatch,
    Kind,
    PointsIn,
    RepairIn,
)
from dongcheng.web import steps
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
steps.register({"supervision.points": "记分已登记", "supervision.blacklist": "已列入黑名单并公示",
                "supervision.repair": "信用修复已登记，该记录不再公示",
                "supervision.registered": "机构已登记", "supervision.institution-saved": "机构信息已保存"})
FIELD_LABELS = {"name": "机构名称", "uscc": "统一社会信用代码", "kind": "机构类别", "street": "所在街道",
                "ownership": "举办性质", "licence_no": "执业许可证号", "risk": "风险等级",
                "occurred_on": "行为发生日期", "points": "记分", "ground": "事由", "legal_basis": "依据",
                "start_on": "起始日期", "end_on": "截止日期", "on": "修复日期", "reason": "修复理由", "confirm": "确认"}


@router.get("/supervision/credit")
def credit_page(request: Request, session: SessionDep, caller: PageCaller):
    lists = views.public_dict(service.public_lists(session))
    return render(request, "institutions/public.html", {"active": "supervision", "lists": lists,
                                                        "basis": str(rules.CREDIT_BASIS)})


KINDS = get_args(Kind)


def _may_manage(session, caller) -> bool:
    if caller is None:
        return False
    try:
        service.check_supervisor(session, caller)
    except DomainError:
        return False
    return True


def _invalid(exc: ValidationError | DomainError) -> DomainError:
    return steps.refusal(exc, FIELD_LABELS)


def _registry_page(request: Request, session, caller, street: str | None = None, q: str | None = None,
                   error: DomainError | None = None, form: dict | None = None):
    street_row = repository.street_named(session, street) if street else None
    rows = repository.listing(session, street_id=street_row.id if street_row else None, q=q) if (
        street_row or not street) else []
    units = service.streets_by_id(session, rows)
    return render(request, "institutions/registry.html", {
        "active": "supervision", "rows": [views.institution_dict(r, units.get(r.street_id)) for r in rows],
        "streets": [s.name for s in repository.streets(session)], "street": street or "", "q": q or "",
        "basis": str(rules.REGISTRY_BASIS), "can_manage": _may_manage(session, caller), "kinds": KINDS,
        "risks": rules.RISKS, "ownerships": rules.OWNERSHIPS, "error": error, "form": form or {},
        "labels": FIELD_LABELS}, status_code=error.status_code if error else 200)


@router.get("/supervision/institutions")
def registry_page(request: Request, session: SessionDep, caller: PageCaller,
                  street: Annotated[str | None, Query(max_length=50)] = None,
                  q: Annotated[str | None, Query(max_length=50)] = None):
    return _registry_page(request, session, caller, street, q)


@router.post("/supervision/institutions")
async def register_from_form(request: Request, session: SessionDep, caller: PageUser):
    """登记 an institution, as the API's POST: the code's check digit is the service's; a bad field named by label."""
    form = await steps.posted(request, 200)

    def register():
        service.check_supervisor(session, caller)
        data = InstitutionIn.model_validate({k: v.strip() for k, v in form.items() if v.strip() != ""})
        return service.register(session, caller=caller, data=data)

    return steps.run(register, then=lambda row: (f"/supervision/institutions/{row.id}", "supervision.registered"),
                     refused=lambda exc: _registry_page(request, session, caller, error=_invalid(exc), form=form))


@router.get("/supervision/institutions/{institution_id}")
def record_page(institution_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return _record_page(request, session, caller, institution_id)


def _record_page(request: Request, session, caller, institution_id: int, error: DomainError | None = None,
                 form: dict | None = None):
    service.check_supervisor(session, caller)
    rec = views.record_dict(service.record(session, repository.get(session, institution_id)))
    return render(request, "institutions/record.html", {
        "active": "supervision", "r": rec, "error": error, "labels": FIELD_LABELS, "form": form or {},
        "today": today_local().isoformat(), "kinds": KINDS, "risks": rules.RISKS},
        status_code=error.status_code if error else 200)


@router.post("/supervision/institutions/{institution_id}/edit")
async def edit_from_form(institution_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """Risk grade, licence and kind, as the API's PATCH (name, code, street and ownership are fixed at 登记)."""
    return await _credit_step(request, session, caller, institution_id, InstitutionPatch, lambda data: service.update(
        session, caller=caller, institution_id=institution_id, data=data), "supervision.institution-saved",
        blank_is_empty=("licence_no",))


async def _credit_step(request: Request, session, caller, institution_id: int, model, call, notice: str, *,
                       confirm: str | None = None, blank_is_empty: tuple[str, ...] = ()):
    """记分, 黑名单, 信用修复 from the record page, as the API; a bad field is named by its label, nothing saved."""
    form = await steps.posted(request, 2000)

    def take() -> None:
        if confirm:
            steps.require_confirmation(form.get(steps.CONFIRM), confirm)
        form.pop(steps.CONFIRM, None)
        call(model.model_validate({k: v for k, v in form.items() if v != "" or k in blank_is_empty}))

    return steps.run(take, then=(f"/supervision/institutions/{institution_id}", notice),
                     refused=lambda exc: _record_page(request, session, caller, institution_id, _invalid(exc), form))


@router.post("/supervision/institutions/{institution_id}/points")
async def points_from_form(institution_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return await _credit_step(request, session, caller, institution_id, PointsIn, lambda data: service.add_points(
        session, caller=caller, institution_id=institution_id, data=data), "supervision.points")


@router.post("/supervision/institutions/{institution_id}/blacklist")
async def blacklist_from_form(institution_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """列入黑名单 is published at once: a confirmation first."""
    return await _credit_step(request, session, caller, institution_id, BlacklistIn, lambda data: service.add_blacklist(
        session, caller=caller, institution_id=institution_id, data=data), "supervision.blacklist",
        confirm="列入黑名单并公示")


@router.post("/supervision/institutions/{institution_id}/repair/{kind}/{record_id}")
async def repair_from_form(institution_id: Id, kind: str, record_id: Id, request: Request, session: SessionDep,
                           caller: PageUser):
    if kind not in ("points", "blacklist"):
        raise DomainError("不支持的操作", f"unknown record kind {kind}", 404)
    return await _credit_step(request, session, caller, institution_id, RepairIn, lambda data: service.repair(
        session, caller=caller, kind=kind, record_id=record_id, data=data), "supervision.repair")
