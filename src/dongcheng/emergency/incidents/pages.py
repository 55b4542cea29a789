"""The duty officer's incident pages (东政发〔2022〕3号 §4): the live board, intake (接报), the incident page.

Thin: each handler parses its form (forms.py), calls the same incident service as ``/api/incidents`` and shows what
``views.py`` returns. Times are shown in Beijing time; every automated decision shows its clause.
"""
from __future__ import annotations

import math
import secrets
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from dongcheng.api.deps import SessionDep
from dongcheng.auth.service import Caller, authorize
from dongcheng.core import idempotency as form_keys
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import to_local, today_local, utcnow
from dongcheng.directory import service as directory
from dongcheng.directory.pages import KIND_LABELS
from dongcheng.emergency.checklists import service as checklists
from dongcheng.emergency.checklists import views as checklist_views
from dongcheng.emergency.command_posts import rules as post_rules
from dongcheng.emergency.command_posts import service as command_posts
from dongcheng.emergency.command_posts import views as post_views
from dongcheng.emergency.funds import service as funds
from dongcheng.emergency.funds import views as funds_views
from dongcheng.emergency.incidents import clock, escalation, repository, service, views
from dongcheng.emergency.incidents.enums import DEADLINE_LABELS, SOURCE_LABELS, Grade, ResponseLevel
from dongcheng.emergency.incidents.forms import (
    ACTION_LABELS,
    ACTIONS,
    CASUALTIES,
    RECOVERY_ACTIONS,
    ROW_KEYS,
    STATEMENT_TOPICS,
    casualties_of,
    field_errors,
    local_input,
    validate_form,
)
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.incidents.rules import INTAKE_FLAGS, is_at_least
from dongcheng.emergency.incidents.schemas import IncidentIn
from dongcheng.emergency.preparedness.stock import alerts_for as stock_alerts  # §6.4.1 alerts on the board
from dongcheng.emergency.preparedness.stock import expiry_alert_days as alert_days
from dongcheng.emergency.recovery import rules as recovery_rules
from dongcheng.emergency.recovery import service as recovery
from dongcheng.emergency.recovery import views as recovery_views
from dongcheng.emergency.statements import service as statements
from dongcheng.emergency.statements import views as statement_views
from dongcheng.reference import service as reference
from dongcheng.web import steps
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import check_csrf, local_time, render

router = APIRouter(include_in_schema=False)

GRADES = [g.value for g in Grade]  # 一般 … 特别重大 (§1.4.2); "" = 待定
LEVELS = [ResponseLevel.ONE.value, ResponseLevel.TWO.value, ResponseLevel.THREE.value]  # §4.3
DEADLINE_STATUS = {"pending": "待报送", "met": "按时", "late": "迟报", "missed": "未报", "cancelled": "不再需要"}
CHANGE_LABELS = {"proposal": "系统建议", "grade": "定级/调级", "response_level:confirm": "确认响应级别",
                 "response_level:raise": "提高响应级别", "response_level:lower": "降低响应级别",
                 "handover": "移交市级指挥", "end": "应急结束", "merge": "并入原事件（重复接报）"}
FLAGS = INTAKE_FLAGS  # intake check-boxes: form name, label, the clause that makes the flag matter
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # <input type="datetime-local">
FORM_TOKEN = "form_token"  # the intake form's one-time token


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


FormDep = Annotated[dict[str, str], Depends(_form)]


# --- small helpers shared by the templates -------------------------------------------------------------------

def clock_text(seconds: float) -> str:
    """The countdown as board.js writes it: 剩余 mm:ss / 已超时 mm:ss (h:mm:ss past an hour)."""
    late = seconds < 0
    s = math.floor(-seconds) if late else math.ceil(seconds)
    h, m, x = s // 3600, s % 3600 // 60, s % 60
    text = f"{h}:{m:02d}:{x:02d}" if h else f"{m:02d}:{x:02d}"
    return ("已超时 " if late else "剩余 ") + text


def countdown(iso: str, now: datetime) -> str:
    return clock_text((datetime.fromisoformat(iso) - now).total_seconds())


def _common(now: datetime) -> dict:
    return {"bj": local_time, "countdown": countdown, "now": now, "now_ms": int(now.timestamp() * 1000),
            "status_labels": DEADLINE_STATUS, "kind_labels": DEADLINE_LABELS,
            "alarm_lead_seconds": escalation.lead_seconds()}  # the pages' alarm (alarm.js) and the first wave agree


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)


# --- the board ----------------------------------------------------------------------------------------------

def _urgency(row: dict) -> tuple:
    nxt = row["next_deadline"]
    return (nxt is None, nxt["due_at"] if nxt else "", -datetime.fromisoformat(row["received_at"]).timestamp())


def _board(request: Request, session: Session, drill: bool, now: datetime) -> dict:
    incidents = repository.open_incidents(session, drill=drill)
    suspects = views.suspect_ids(incidents)  # 疑似重复接报: same street, type and minute
    rows = sorted(({**views.incident_dict(i, now), "duplicate_suspects": suspects.get(i.id, [])} for i in incidents),
                  key=_urgency)
    found, leads = clock.overdue(session, now, drill=drill, limit=200)  # reads only (the worker writes slots)
    overdue = [views.overdue_dict(row, now, leads) for row in found]
    return {**_common(now), "rows": rows, "overdue": overdue, "drill": drill,
            "overdue_funds": _overdue_funds(request, session, drill, now)}


def _overdue_funds(request: Request, session: Session, drill: bool, now: datetime) -> list[dict]:
    """Approved disbursements past §6.8.3's 1 working day, for a caller who reads disbursements."""
    caller = getattr(request.state, "caller", None)
    if caller is None or not funds.may_read(caller):
        return []
    rows = funds.overdue_for(session, caller, now, drill=drill)
    units, incidents = funds.context_of(session, rows)
    return funds_views.rows(rows, units, incidents, now)


@router.get("/incidents/board")
def board_page(request: Request, session: SessionDep, caller: PageCaller, drill: bool = False):
    if caller is None:
        return _login_redirect(request)
    authorize(caller, "incidents.read")
    now = utcnow()
    other = min(repository.count_open(session, drill=not drill), repository.BOARD_LIMIT)  # as many as it would list
    context = _board(request, session, drill, now)
    counts = {drill: len(context["rows"]), not drill: other}
    return render(request, "incidents/board.html", {"active": "board", "counts": counts, **context,
                                                    "alerts": stock_alerts(session, caller), "days": alert_days()})


@router.get("/incidents/board/rows")
def board_rows(request: Request, session: SessionDep, caller: PageUser, drill: bool = False):
    """The board's table body and overdue panel, polled by board.js every 10 s."""
    authorize(caller, "incidents.read")
    return render(request, "incidents/_board_fragment.html", _board(request, session, drill, utcnow()))


# --- intake -------------------------------------------------------------------------------------------------

def _intake_context(session: Session, now: datetime, values: dict, error: DomainError | None = None) -> dict:
    event_types = reference.list_event_types(session)
    categories: dict[str, list] = {}
    for et in event_types:
        categories.setdefault(et.category, []).append(et)
    streets = directory.list_units(session, "street") + directory.list_units(session, "key_area")
    return {**_common(now), "active": "board", "categories": categories, "streets": streets,
            "sources": SOURCE_LABELS, "grades": GRADES, "flags": FLAGS, "casualties": CASUALTIES,
            "values": values, "error": error, "errors": field_errors(error)}


@router.get("/incidents/new")
def intake_page(request: Request, session: SessionDep, caller: PageCaller):
    if caller is None:
        return _login_redirect(request)
    authorize(caller, "incidents.create")
    now = utcnow()
    values = {"received_at": to_local(now).strftime(LOCAL_INPUT), FORM_TOKEN: secrets.token_urlsafe(18)}
    return render(request, "incidents/new.html", _intake_context(session, now, values))


def _incident_in(form: dict[str, str]) -> IncidentIn:
    errors: list[FieldError] = []
    raw: dict = {key: (form.get(key) or "").strip() for key in ("street", "address", "source", "title")}
    raw = {key: value for key, value in raw.items() if value}  # blank → "必填"
    raw["description"] = form.get("description") or ""
    raw["event_type"] = (form.get("event_type") or "").strip() or None  # 未知/待定 → null (§4.3.5)
    raw["grade"] = (form.get("grade") or "").strip() or None  # 待定 → null (§4.1.5)
    occurred = local_input(form, "occurred_at", errors)
    if occurred is not None:
        raw["occurred_at"] = occurred
    raw["received_at"] = local_input(form, "received_at", errors)
    raw["casualties"] = casualties_of(form)
    raw.update({name: name in form for name, _, _ in FLAGS})
    return validate_form(IncidentIn, raw, errors)


@router.post("/incidents/new")
def intake(request: Request, session: SessionDep, caller: PageUser, form: FormDep):
    """The form carries a one-time token (core/idempotency.py, the API's Idempotency-Key): a second submit of the same
    form — a double click, a retry after a lost answer, two tabs — goes to the incident the first one created."""
    check_csrf(request, form.get("csrf_token"))
    try:
        authorize(caller, "incidents.create")
        data = _incident_in(form)
        with session.begin_nested():  # a refused intake leaves nothing behind, its token included
            held = None
            if token := form.get(FORM_TOKEN):
                held = form_keys.claim(session, user_id=caller.user.id, key=token,
                                       fp=form_keys.fingerprint("POST", "/incidents/new", None))
                if held.replay is not None:
                    return steps.done(f"/incidents/{held.replay[1]['id']}", "resubmitted")
            incident = service.create_incident(session, caller, data)
            if held is not None:
                form_keys.store(session, held, 303, {"id": incident.id})
    except DomainError as exc:
        return render(request, "incidents/new.html", _intake_context(session, utcnow(), form, exc),
                      status_code=exc.status_code)
    return steps.done(f"/incidents/{incident.id}", "intake")


# --- the incident page and its actions ---------------------------------------------------------------------

def _report_defaults(incident: dict) -> dict:
    """What is already known pre-fills the report (§4.1.8); harm, trend and measures are the reporter's."""
    nxt = incident["next_deadline"]
    following = is_at_least(incident["grade"], Grade.LARGER)
    return {"kind": nxt["kind"] if nxt else ("follow_up" if following else "detailed"),
            "time": local_time(incident["occurred_at"], "%Y年%m月%d日 %H:%M"),
            "place": f"{incident['street']} {incident['address']}",
            "source": incident["source_label"],
            "nature": incident["event_type"] or incident["title"],
            **{key: str(incident["casualties"][key]) for key, _ in CASUALTIES}}


def split_deadlines(deadlines: list[dict]) -> tuple[list[dict], list[dict]]:
    """What the duty officer reads first: every deadline already met, late or missed, every overdue one, and the
    earliest not yet due of each kind; the later 续报 slots (materialised 24 h ahead) fold away under a summary.
    """
    shown, later, seen_kinds = [], [], set()
    for d in deadlines:  # in due order
        if d["status"] != "pending" or d.get("overdue") or d["kind"] not in seen_kinds:
            shown.append(d)
            if d["status"] == "pending" and not d.get("overdue"):
                seen_kinds.add(d["kind"])
        else:
            later.append(d)
    return shown, later


def _incident_page(request: Request, session: Session, caller: Caller, incident: Incident, *,
                   action: str | None = None, error: DomainError | None = None, form: dict | None = None):
    now = utcnow()
    data = views.incident_dict(incident, now)
    try:
        service.authorize_act(caller, incident)
        denied = None
    except DomainError as exc:
        denied = exc.zh
    designatable = [(KIND_LABELS.get(kind, kind), units) for kind, units in service.designatable_units(session)]
    values = {"report": _report_defaults(data),
              "level": {"level": data["response_level"] or data["proposed_response_level"] or ""},
              "grade": {"grade": data["grade"] or ""},
              "command-post": {"executive_unit": data["lead_departments"][0] if data["lead_departments"] else ""},
              "evaluation": {"date": today_local().isoformat()}}
    if action and form is not None:
        values[action] = form
    response = _response_context(session, incident)
    return render(request, "incidents/incident.html", {
        **response, "form_anchor": _form_anchor(action, form, response),
        **_common(now), "active": "board", "i": data, "deadline_rows": split_deadlines(data["deadlines"]),
        "reports": [views.report_dict(r) for r in service.reports_of(session, incident)],
        "history": [views.level_change_dict(c) for c in service.level_history(session, incident)],
        "change_labels": CHANGE_LABELS, "grades": GRADES, "levels": LEVELS, "elements": service.report_elements(session),
        "casualties": CASUALTIES, "designatable": designatable, "denied": denied,
        "action_labels": ACTION_LABELS,
        "suspects": [views.incident_dict(j, now) for j in service.duplicate_suspects(session, incident)],
        "merged_duplicates": repository.merged_into(session, incident),
        "escalations": escalation.page_rows(session, incident, now),
        "escalation_labels": escalation.STATUS_LABELS,
        "action": action, "error": error, "errors": field_errors(error), "values": values,
    }, status_code=error.status_code if error else 200)


@router.get("/incidents/{incident_id:int}")
def incident_page(incident_id: int, request: Request, session: SessionDep, caller: PageCaller):
    if caller is None:
        return _login_redirect(request)
    authorize(caller, "incidents.read")
    return _incident_page(request, session, caller, repository.get(session, incident_id))


def _response_context(session: Session, incident: Incident) -> dict:
    """现场指挥部 (§4.4), 处置清单 (§4.5), 恢复重建 (§5): what their views return, plus what their forms offer."""
    ended = incident.ended_at is not None
    post = command_posts.get_post(session, incident)
    checklist = checklists.get_checklist(session, incident)
    level = incident.response_level or incident.proposed_level
    set_up = post_rules.may_set_up(has_lead=bool(incident.leads), ended=ended, exists=False) if post is None else None
    return {
        "post": post_views.post_dict(post, incident) if post else None,
        "post_set_up_refusal": set_up.zh if set_up and not set_up.allowed else None,
        "post_expected": {"commander": post_rules.commander_in_chief(level).to_dict(),
                          "executive": post_rules.executive_commander().to_dict()},
        "post_accepts_forces": post_rules.accepts_new_forces(ended).allowed,
        "group_names": command_posts.working_group_names(session),
        "checklist": checklist_views.checklist_dict(checklist) if checklist else None,
        "measure_lists": [(m.key, m.clause, m.categories) for m in checklists.measure_lists(session).values()],
        "recovery": recovery_views.recovery_dict(incident, recovery.get_recovery(session, incident)),
        "relief_kinds": recovery_rules.RELIEF_KINDS, "claim_statuses": recovery_rules.INSURANCE_STATUSES,
        "merit_kinds": recovery_rules.MERIT_KINDS, "recovery_actions": RECOVERY_ACTIONS,
        "statements": [statement_views.statement_dict(s) for s in statements.statements_of(session, incident)],
        "statement_topics": STATEMENT_TOPICS,
    }


def _form_anchor(action: str | None, form: dict | None, response: dict) -> str:
    """Where the error alert's "查看表单" link goes: the form itself (the row's own form for per-row actions)."""
    if not action:
        return ""
    if action in RECOVERY_ACTIONS and not response["recovery"]["available"]:
        return "recovery"  # before 应急结束 the recovery forms are not shown; the refusal is shown in the section
    key = ROW_KEYS.get(action)
    return f"form-{action}-{(form or {}).get(key, '')}" if key else f"form-{action}"


def _act(action: str, incident_id: int, request: Request, session: Session, caller: Caller, form: dict[str, str]):
    """An incident page form: the same service call as the API; an error is shown beside its form."""
    check_csrf(request, form.get("csrf_token"))
    parse, call, anchor = ACTIONS[action]
    incident = repository.get(session, incident_id, for_update=True)
    try:
        authorize(caller, "incidents.act")
        data = parse(form)
        with session.begin_nested():  # a refused action leaves nothing behind
            call(session, caller, incident, data)
    except DomainError as exc:
        incident = repository.get(session, incident_id)
        return _incident_page(request, session, caller, incident, action=action, error=exc, form=form)
    return steps.done(f"/incidents/{incident_id}#{anchor}", action)


def _action_route(action: str) -> None:
    def handler(incident_id: int, request: Request, session: SessionDep, caller: PageUser, form: FormDep):
        return _act(action, incident_id, request, session, caller, form)

    router.add_api_route(f"/incidents/{{incident_id:int}}/{action}", handler, methods=["POST"],
                         name=f"incident_{action}")


for _action in ACTIONS:  # one explicit route per form: /incidents/{id}/report, /grade, /level, …
    _action_route(_action)
