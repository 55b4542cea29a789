"""The platform's home page: the district leaders, what waits for the signed-in user, the reference counts."""
from __future__ import annotations

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep
from dongcheng.auth.service import holds_post_today, permitted
from dongcheng.core.time import utcnow
from dongcheng.directory import service as directory
from dongcheng.emergency.incidents import clock
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.preparedness import stock as preparedness
from dongcheng.emergency.warnings import service as warnings
from dongcheng.reference import service as reference
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)


def _waiting(session, caller) -> list[dict]:
    """What waits for the signed-in user today, each with where to act and the clause that makes it due — only what
    the caller may open today (a leader holding no post today is offered none: auth.service.permitted)."""
    if caller is None:
        return []
    out = []
    if permitted(caller, "incidents.read"):
        overdue = clock.count_overdue(session, utcnow())  # what the board's overdue panel lists
        out += [{"label": "未结束的突发事件", "count": incidents.count_open(session), "url": "/incidents/board",
                 "urgent": False, "basis": "东政发〔2022〕3号 §4"},
                {"label": "已超时未报的信息报送", "count": overdue, "url": "/incidents/board#overdue", "urgent": overdue > 0,
                 "basis": "东政发〔2022〕3号 §4.1.4, §4.1.5"}]
    if permitted(caller, "warnings.approve") or permitted(caller, "warnings.draft"):
        out.append({"label": "待我办理的预警", "count": len(warnings.inbox(session, caller)), "url": "/warnings#inbox",
                    "urgent": False, "basis": "东政发〔2022〕3号 §3.2.3(2)"})
    if permitted(caller, "preparedness.read"):
        # §6.4.1: below-minimum and expiring stock, for the 区应急办 all, for a unit its own
        out += [{"label": a.text, "count": 1, "url": a.url, "urgent": True, "basis": a.basis}
                for a in preparedness.alerts_for(session, caller)[:10]]
    return out


@router.get("/")
def home(request: Request, session: SessionDep, caller: PageCaller):
    leaders = [(seat, directory.holders_of(session, seat)) for seat in directory.leader_seats(session)]
    return render(request, "home.html", {
        "active": "home", "leaders": leaders, "waiting": _waiting(session, caller),
        "no_post": caller is not None and not holds_post_today(caller).allowed,
        "event_type_count": len(reference.list_event_types(session)),
        "unit_count": len(directory.list_units(session)),
        "plan_count": len(reference.list_plans(session)),
    })
