"""社会化管理服务专员 API (东人社发〔2021〕111号, 112号): thin handlers over service.py; rules.py holds every clause."""
from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.idempotency import Idempotency
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.commissioners import repository, service, views, xlsx
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
from dongcheng.core.time import today_local

router = APIRouter(prefix="/api/commissioners", tags=["commissioners 社会化管理服务专员"])

Clerk = Annotated[Caller, Depends(require(service.ACTION))]
Reader = Annotated[Caller, Depends(require(service.READ))]
Street = Annotated[str, Path(min_length=1, max_length=50, description="街道名称, e.g. 东四街道")]
StreetQ = Annotated[str, Query(min_length=1, max_length=50, description="街道名称")]
Year = Annotated[int, Query(ge=2000, le=2099)]
Month = Annotated[int, Query(ge=1, le=12)]
Insurance = Annotated[int, Query(ge=0, le=200, description="意外伤害保险每人每年，不超过200元 (112号 第七条)")]
XLSX_RESPONSE = {200: {"content": {xlsx.XLSX: {}}}}


def _file(data: bytes, name: str) -> Response:
    return Response(data, media_type=xlsx.XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"commissioners.xlsx\"; filename*=UTF-8''{quote(name)}"})


def _commissioner(session, person) -> dict:
    return views.commissioner_dict(service.commissioner_record(session, person), today_local())


def _fund_application(session, row) -> dict:
    return views.fund_application_dict(service.fund_application_record(session, row), today_local())


@router.get("/streets", summary="The streets: managed retirees, quota (2000:1, 111号 §二（一）), commissioners")
def list_streets(session: SessionDep, caller: Reader) -> list[dict]:
    return views.street_rows(service.visible_streets(session, caller), service.street_counts(session))


@router.put("/streets/{street}/retirees", summary="Set a street's managed retirees (动态调整, 111号 §二（一）)")
def set_retirees(street: Street, body: RetireesIn, session: SessionDep, caller: Clerk) -> dict:
    row = service.set_retirees(session, caller=caller, street_name=street, data=body)
    return views.street_rows([repository.unit(session, row.street_id)], service.street_counts(session))[0]


@router.get("/pay-sheet", summary="月度发放表 of a street (112号 第七条、第八条)")
def get_pay_sheet(street: StreetQ, year: Year, month: Month, session: SessionDep, caller: Reader) -> dict:
    unit = service.street_for_reading(session, caller, street)
    return views.pay_sheet(unit, year, month, service.street_pay(session, unit, year))


@router.get("/summary", summary="A street's year: subsidy, bonus (≤ 12000), 不满意 and rehire")
def get_summary(street: StreetQ, year: Year, session: SessionDep, caller: Reader) -> dict:
    unit = service.street_for_reading(session, caller, street)
    return views.year_summary(unit, year, service.street_pay(session, unit, year))


@router.get("/fund-application", summary="附件1 岗补资金申请表 figures (112号 第五条、第七条)")
def get_fund_application(street: StreetQ, year: Year, session: SessionDep, caller: Reader,
                         insurance_per_person: Insurance = 200) -> dict:
    unit = service.street_for_reading(session, caller, street)
    return views.fund_application(unit, year, insurance_per_person, repository.in_street(session, unit.id))


@router.get("/fund-application.xlsx", summary="附件1 as a printable workbook", response_class=Response,
            responses=XLSX_RESPONSE)
def get_fund_application_xlsx(street: StreetQ, year: Year, session: SessionDep, caller: Reader,
                              insurance_per_person: Insurance = 200) -> Response:
    unit = service.street_for_reading(session, caller, street)
    data = views.fund_application(unit, year, insurance_per_person, repository.in_street(session, unit.id))
    return _file(xlsx.fund_application(data), f"{unit.name}{year}年岗补资金申请表.xlsx")


@router.get("/usage-report.xlsx", summary="附件2 岗补资金使用情况自查报告, due in Q1 (112号 第九条)",
            response_class=Response, responses=XLSX_RESPONSE)
def get_usage_report_xlsx(street: StreetQ, year: Year, session: SessionDep, caller: Reader,
                          insurance_per_person: Insurance = 200) -> Response:
    unit = service.street_for_reading(session, caller, street)
    data = views.fund_application(unit, year, insurance_per_person, repository.in_street(session, unit.id))
    summary = views.year_summary(unit, year, service.street_pay(session, unit, year))
    return _file(xlsx.self_report(data, summary), f"{unit.name}{year}年岗补资金使用情况自查报告.xlsx")


FundStep = Literal["review", "centre-meeting", "bureau-meeting", "party-group", "disburse", "reject"]


@router.get("/fund-applications", summary="岗补资金申请 of the streets the caller may see (112号 第五条)")
def list_fund_applications(session: SessionDep, caller: Reader, year: Annotated[int | None, Query(
        ge=2000, le=2099)] = None) -> list[dict]:
    ids = [s.id for s in service.visible_streets(session, caller)]
    return [_fund_application(session, r) for r in repository.fund_applications(session, ids, year)]


@router.post("/fund-applications", status_code=201, summary="File a street's yearly application (附件1, 第五条)")
def create_fund_application(body: FundApplicationIn, session: SessionDep, caller: Clerk) -> dict:
    row = service.file_fund_application(session, caller=caller, data=body)
    return _fund_application(session, row)


@router.get("/fund-applications/{application_id}", summary="An application: status, steps, self-report")
def get_fund_application_row(application_id: Id, session: SessionDep, caller: Reader) -> dict:
    row = service.fund_application_for_reading(session, caller, application_id)
    return _fund_application(session, row)


@router.post("/fund-applications/{application_id}/steps/{step}",
             summary="审核 → 主任办公会 → 局长办公会 → 党组会 → 拨付, or 退回 (112号 第五条)")
def step_fund_application(application_id: Id, step: FundStep, body: FundStepIn, session: SessionDep,
                          caller: Clerk) -> dict:
    row = service.fund_step(session, caller=caller, application_id=application_id, step=step, data=body)
    return _fund_application(session, row)


@router.post("/fund-applications/{application_id}/self-report",
             summary="附件2 资金使用报告 received (第九条: 每年一季度)")
def self_report(application_id: Id, body: SelfReportIn, session: SessionDep, caller: Clerk) -> dict:
    row = service.record_self_report(session, caller=caller, application_id=application_id, data=body)
    return _fund_application(session, row)


@router.get("", summary="Commissioners of a street")
def list_commissioners(street: StreetQ, session: SessionDep, caller: Reader) -> list[dict]:
    unit = service.street_for_reading(session, caller, street)
    return [_commissioner(session, p) for p in repository.in_street(session, unit.id)]


@router.post("", status_code=201, summary="Hire a commissioner (111号 §四; age §三（六）; quota §二)")
def create_commissioner(body: CommissionerIn, session: SessionDep, caller: Clerk, once: Idempotency) -> dict:
    # a hire starts the trial and the 终止或续签意向书 clock (§四（二）): a retried one must not hire twice
    return once.run(session, caller, body, lambda: _commissioner(session, service.hire(session, caller=caller, data=body)))


@router.get("/{commissioner_id}", summary="A commissioner: term, trial, renewal notice, ratings")
def get_commissioner(commissioner_id: Id, session: SessionDep, caller: Reader) -> dict:
    person = service.commissioner_for_reading(session, caller, commissioner_id)
    return _commissioner(session, person)


@router.post("/{commissioner_id}/ratings", status_code=201, summary="每月满意度评价 (111号 §六)")
def create_rating(commissioner_id: Id, body: RatingIn, session: SessionDep, caller: Clerk) -> dict:
    service.rate(session, caller=caller, commissioner_id=commissioner_id, data=body)
    return _commissioner(session, repository.get(session, commissioner_id))


@router.post("/{commissioner_id}/notice", summary="终止或续签意向书 sent (到期前30日, 111号 §四（二）)")
def send_notice(commissioner_id: Id, body: NoticeIn, session: SessionDep, caller: Clerk) -> dict:
    person = service.record_notice(session, caller=caller, commissioner_id=commissioner_id, data=body)
    return _commissioner(session, person)


@router.post("/{commissioner_id}/renew", summary="续签 (111号 §四（二）; §六 two 不满意 bar)")
def renew(commissioner_id: Id, body: RenewIn, session: SessionDep, caller: Clerk) -> dict:
    person = service.renew(session, caller=caller, commissioner_id=commissioner_id, data=body)
    return _commissioner(session, person)


@router.post("/{commissioner_id}/end", summary="不再聘用 (111号 §三) or 协议到期终止")
def end(commissioner_id: Id, body: EndIn, session: SessionDep, caller: Clerk) -> dict:
    person = service.end(session, caller=caller, commissioner_id=commissioner_id, data=body)
    return _commissioner(session, person)
