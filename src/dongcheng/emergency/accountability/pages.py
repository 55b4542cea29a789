"""Accountability report page (§5.5.2): a period form, a summary by unit, the findings, an Excel download."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep
from dongcheng.auth.service import authorize
from dongcheng.core.errors import invalid
from dongcheng.core.time import BEIJING, today_local
from dongcheng.emergency.accountability import rules, service
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)


def _parse_day(value: str | None, field: str, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise invalid(field, "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD") from exc


@router.get("/accountability")
def accountability_page(request: Request, session: SessionDep, caller: PageUser, start: str | None = None,
                        end: str | None = None, drill: bool = False):
    authorize(caller, "accountability.read")
    last = _parse_day(end, "end", today_local())
    first = _parse_day(start, "start", last - timedelta(days=rules.DEFAULT_PERIOD_DAYS - 1))
    if first > last:
        raise invalid("start", "开始日期须不晚于结束日期", "start must not be after end")
    begin = datetime.combine(first, time.min, BEIJING)
    finish = datetime.combine(last + timedelta(days=1), time.min, BEIJING)
    data = service.report_for(session, caller, begin, finish, drill=drill)
    return render(request, "accountability/report.html", {
        "active": "accountability", "data": data, "start": first.isoformat(), "end": last.isoformat(), "drill": drill,
        "xlsx_query": f"start={begin.isoformat()}&end={finish.isoformat()}&drill={'true' if drill else 'false'}",
    })
