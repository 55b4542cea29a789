"""Accountability report (§5.5.2) as JSON and as an Excel download."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from dongcheng.api.deps import SessionDep, require
from dongcheng.auth.service import Caller
from dongcheng.core.errors import invalid
from dongcheng.core.time import ensure_utc, utcnow
from dongcheng.core.types import Instant
from dongcheng.emergency.accountability import rules, service, xlsx

router = APIRouter(prefix="/api/accountability", tags=["accountability"])
Reader = Annotated[Caller, Depends(require("accountability.read"))]


def period(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    end_ = ensure_utc(end) if end else utcnow()
    start_ = ensure_utc(start) if start else end_ - timedelta(days=rules.DEFAULT_PERIOD_DAYS)
    if start_ >= end_:
        raise invalid("start", "开始时间须早于结束时间", "start must be before end")
    return start_, end_


@router.get("/reports", summary="Late, missed, overdue and incomplete mandated reports by unit (§5.5.2)")
def report(session: SessionDep, caller: Reader, start: Instant | None = None,
           end: Instant | None = None, drill: bool = False) -> dict:
    s, e = period(start, end)
    return service.report_for(session, caller, s, e, drill=drill)


@router.get("/reports.xlsx", summary="The same report as an Excel workbook",
            response_class=Response, responses={200: {"content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
def report_xlsx(session: SessionDep, caller: Reader, start: Instant | None = None,
                end: Instant | None = None, drill: bool = False) -> Response:
    s, e = period(start, end)
    data = xlsx.workbook(service.report_for(session, caller, s, e, drill=drill))
    name = f"accountability-{s.date()}-{e.date()}{'-drill' if drill else ''}.xlsx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
