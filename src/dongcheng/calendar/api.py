"""Working days (SPEC §3): count N working days from a date, see a year's schedule and where it comes from, and —
for an admin — load the State Council's schedule for a year the platform does not know yet."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from dongcheng.api.deps import SessionDep, require
from dongcheng.auth.service import Caller
from dongcheng.calendar import service
from dongcheng.calendar.rules import BASIS, MAX_SPAN
from dongcheng.calendar.schemas import ScheduleIn

router = APIRouter(prefix="/api/calendar", tags=["working days 工作日"])

Loader = Annotated[Caller, Depends(require("calendar.load"))]


@router.get("/working-days", summary="The N-th working day after a date (provisional where the year is estimated)")
def add_working_days(session: SessionDep, start: Annotated[date, Query(description="起算日（不计入）")],
                     days: Annotated[int, Query(ge=0, le=MAX_SPAN, description="工作日数")]) -> dict:
    span = service.working_days(session).add(start, days)
    return {**span.to_dict(), "basis": BASIS}


@router.get("/years/{year}", summary="A year's holidays and make-up working days, and where they come from")
def year_schedule(year: Annotated[int, Path(ge=2000, le=2100)], session: SessionDep) -> dict:
    cal = service.working_days(session)
    sample = cal.day(date(year, 1, 1))
    return {"year": year, "coverage": cal.coverage(year), "provisional": sample.provisional, "source": sample.source,
            "days": [{"date": d.day.isoformat(), "working": d.working, "name": d.name} for d in cal.named_days(year)]}


@router.post("/years", status_code=201, summary="Load the State Council's schedule for a year (admin)")
def load_year(body: ScheduleIn, session: SessionDep, caller: Loader) -> dict:
    stored = service.load_schedule(session, schedule=body, actor=caller.actor)
    return {"year": body.year, "days": stored, "source": body.source}
