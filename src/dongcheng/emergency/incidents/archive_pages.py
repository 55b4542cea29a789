"""The incident archive page ``/incidents`` (事件档案): every incident, ended ones included, filtered and searched as
``GET /api/incidents`` does (the same ``archive.search``), 20 a page; each row links to the incident page."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from dongcheng.api.deps import SessionDep
from dongcheng.auth.service import authorize
from dongcheng.core import search as fulltext
from dongcheng.core.errors import DomainError
from dongcheng.core.time import utcnow
from dongcheng.directory import service as directory
from dongcheng.emergency.incidents import archive, views
from dongcheng.emergency.incidents.enums import STATUS_LABELS, Grade
from dongcheng.emergency.incidents.forms import validate_form
from dongcheng.emergency.incidents.schemas import UNDETERMINED, ArchiveQuery
from dongcheng.reference import service as reference
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import local_time, render

router = APIRouter(include_in_schema=False)

PAGE_SIZES = (20, 50, 100)
FIELDS = ("q", "status", "street", "event_type", "grade", "drill", "from", "to", "per_page")
FIELD_LABELS = {"q": "关键词", "status": "状态", "street": "街道", "event_type": "事件类型", "grade": "事件等级",
                "drill": "真实事件/演练", "from": "接报日期（起）", "to": "接报日期（止）", "page": "页码",
                "per_page": "每页条数", "all": "全部状态"}
STATUS_CHOICES = [("all", "全部状态"), ("active", "未结束（含已接报、响应中、市级指挥）"),
                  *((key, label) for key, label in STATUS_LABELS.items())]


def _filters(request: Request) -> dict[str, str]:
    """The query string as the form has it: the page's own defaults (every status, 20 a page) where nothing is set."""
    raw = {k: v for k, v in request.query_params.items() if k in (*FIELDS, "page")}
    return {"status": "all", "per_page": str(PAGE_SIZES[0]), **{k: v for k, v in raw.items() if v.strip()}}


def _url(values: dict[str, str], **change) -> str:
    return "/incidents?" + urlencode({k: v for k, v in {**values, **change}.items() if v not in (None, "")})


def _row(incident, q: str | None, now) -> dict:
    data = views.incident_dict(incident, now)
    hit = fulltext.snippet(q, f"{incident.address} {incident.description}") if q else None
    return {**data, "snippet": hit.parts() if hit and hit.marks else None}


@router.get("/incidents")
def archive_page(request: Request, session: SessionDep, caller: PageCaller):
    if caller is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    authorize(caller, "incidents.read")
    values = _filters(request)
    context = {"active": "archive", "values": values, "error": None, "found": None, "rows": [],
               "statuses": STATUS_CHOICES, "grades": [g.value for g in Grade] + [UNDETERMINED],
               "streets": directory.list_units(session, "street") + directory.list_units(session, "key_area"),
               "event_types": reference.list_event_types(session), "unknown_type": archive.UNKNOWN_TYPE,
               "page_sizes": PAGE_SIZES, "labels": FIELD_LABELS, "bj": local_time, "url": _url,
               "drill": values.get("drill", "").strip().lower() in ("1", "true", "on", "yes")}
    try:
        query = validate_form(ArchiveQuery, values, [])
        found = archive.search(session, caller, query)
    except DomainError as exc:
        return render(request, "incidents/archive.html", {**context, "error": exc}, status_code=exc.status_code)
    now = utcnow()
    q = (query.q or "").strip() or None
    # The default is real incidents only (drills are never mixed in, as the API); when none match, the empty page
    # says how many drills would, with a link that keeps every other filter — the demo data is all drills.
    drills = None
    if not query.drill and found.total == 0:
        drills = archive.search(session, caller, query.model_copy(update={"drill": True, "page": 1})).total
    return render(request, "incidents/archive.html", {
        **context, "found": found, "rows": [_row(i, q, now) for i in found.incidents], "q": q, "drill": query.drill,
        "drills": drills, "drill_url": _url(values, drill="true", page="")})
