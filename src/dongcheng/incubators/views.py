"""Incubator applications as JSON: the clerk's full view (eligibility table, timeline, notice period, reports) and
the public one (certified bases only)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dongcheng.calendar.dates import iso
from dongcheng.incubators import management_rules as mr
from dongcheng.incubators import repository, rules, service
from dongcheng.incubators.enums import OUTCOME_LABELS, STATUS_LABELS, Outcome, Route, Status
from dongcheng.incubators.models import IncubatorApplication


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def eligibility_dict(app: IncubatorApplication) -> dict:
    criteria = service.eligibility(app)
    result = rules.overall(criteria)
    return {"result": result.value, "result_label": OUTCOME_LABELS[result], "on": app.applied_on.isoformat(),
            "basis": str(rules.ELIGIBILITY_BASIS), "criteria": [
                {**c.to_dict(), "outcome_label": OUTCOME_LABELS[c.outcome]} for c in criteria],
            "counts": {o.value: sum(c.outcome == o for c in criteria) for o in Outcome}}


def notice_dict(app: IncubatorApplication) -> dict | None:
    if app.notice_start is None:
        return None
    return {"published_on": _day(app.notice_start), "ends_on": _day(app.notice_end),
            "working_days": rules.NOTICE_WORKING_DAYS, "provisional": app.notice_provisional,
            "where": "数字东城网站", "open_objections": app.open_objections,
            "basis": str(rules.NOTICE_BASIS)}


def ban_dict(app: IncubatorApplication) -> dict | None:
    if app.revoked_on is None:
        return None
    again = rules.may_reapply_from(app.revoked_on)
    return {"revoked_on": _day(app.revoked_on), "ground": app.revocation_ground,
            "ground_text": rules.REVOCATION_GROUNDS.get(app.revocation_ground or "", ""),
            "may_reapply_from": _day(again), "basis": str(rules.REAPPLY_BASIS)}


def summary_dict(app: IncubatorApplication) -> dict:
    return {"id": app.id, "base_name": app.base_name, "operator_name": app.operator_name,
            "credit_code": app.credit_code, "address": app.address, "route": app.route,
            "title_level": app.title_level, "title_name": app.title_name, "applied_on": _day(app.applied_on),
            "status": app.status, "status_label": STATUS_LABELS[Status(app.status)],
            "certified_on": _day(app.certified_on), "notice_ends_on": _day(app.notice_end),
            "notice_provisional": app.notice_provisional, "outcome_note": app.outcome_note or None}


def application_dict(session: Session, app: IncubatorApplication) -> dict:
    return {**summary_dict(app), "facts": app.facts, "eligibility": eligibility_dict(app), "notice": notice_dict(app),
            "revocation": ban_dict(app),
            "basis": str(rules.route_basis(Route(app.route))),
            "timeline": [{"at": iso(e.at), "action": e.action, "actor": e.actor, "status": e.status_after,
                          "status_label": STATUS_LABELS[Status(e.status_after)], "basis": e.basis, "note": e.note}
                         for e in repository.events(session, app.id)]}


def reports_dict(session: Session, app: IncubatorApplication, on: date) -> dict:
    """Each quarter since certification with its report's status (第十一条（一）)."""
    filed = {(r.year, r.quarter): r for r in repository.reports(session, app.id)}
    rows = []
    for q in mr.quarters_due(app.certified_on, on) if app.certified_on else []:
        r = filed.get((q.year, q.quarter))
        rows.append((q, mr.report_status(q, r.submitted_on if r else None, on), r))
    flag, flag_basis = mr.two_missed_in_a_year([(q, s) for q, s, _ in rows[-4:]])
    return {"basis": str(mr.report_basis()), "two_missed_in_a_year": flag, "two_missed_basis": str(flag_basis),
            "quarters": [{"year": q.year, "quarter": q.quarter, "label": q.label(), "due_on": _day(q.due_on),
                          "status": s, "submitted_on": _day(r.submitted_on) if r else None,
                          "figures": r.figures if r else None} for q, s, r in rows]}


def subsidies_dict(app: IncubatorApplication, offline: list[int], online_sessions: int) -> dict:
    items = mr.subsidies(certified=app.status == Status.CERTIFIED.value, offline_participants=offline,
                         online_sessions=online_sessions)
    return {"items": [i.to_dict() for i in items], "total": sum(i.amount for i in items),
            "basis": str(rules.SUBSIDY_BASIS)}


def public_dict(app: IncubatorApplication) -> dict:
    return {"id": app.id, "base_name": app.base_name, "operator_name": app.operator_name, "address": app.address,
            "certified_on": _day(app.certified_on), "route": app.route,
            "basis": str(rules.title_basis(Route(app.route)))}
