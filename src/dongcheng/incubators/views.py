"""Incubator applications as JSON: the clerk's full view (eligibility table, timeline, notice period, reports) and
the public one (certified bases only). Shaping only: the handler loads the rows (service.timeline, service.reports_of)
and passes them in."""
from __future__ import annotations

from datetime import date

from dongcheng.calendar.dates import iso
from dongcheng.incubators import management_rules as mr
from dongcheng.incubators import rules
from dongcheng.incubators.enums import OUTCOME_LABELS, STATUS_LABELS, Outcome, Route, Status
from dongcheng.incubators.models import (
    IncubatorApplication,
    IncubatorChange,
    IncubatorEvent,
    IncubatorReevaluation,
    IncubatorReport,
)


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def eligibility_dict(app: IncubatorApplication) -> dict:
    criteria = rules.eligibility(rules.facts_from(app.facts), app.applied_on)
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
            "title_level": app.title_level, "title_name": app.title_name,
            "former_recognition": app.former_recognition, "applied_on": _day(app.applied_on),
            "status": app.status, "status_label": STATUS_LABELS[Status(app.status)],
            "certified_on": _day(app.certified_on), "notice_ends_on": _day(app.notice_end),
            "notice_provisional": app.notice_provisional, "outcome_note": app.outcome_note or None}


def application_dict(app: IncubatorApplication, events: list[IncubatorEvent]) -> dict:
    """The application with its timeline (``events``: service.timeline)."""
    return {**summary_dict(app), "facts": app.facts, "eligibility": eligibility_dict(app), "notice": notice_dict(app),
            "revocation": ban_dict(app),
            "basis": str(rules.route_basis(Route(app.route))),
            "timeline": [{"at": iso(e.at), "action": e.action, "actor": e.actor, "status": e.status_after,
                          "status_label": STATUS_LABELS[Status(e.status_after)], "basis": e.basis, "note": e.note}
                         for e in events]}


def reports_dict(app: IncubatorApplication, reports: list[IncubatorReport], on: date) -> dict:
    """Each quarter since certification with its report's status (第十一条（一）); ``reports``: service.reports_of."""
    filed = {(r.year, r.quarter): r for r in reports}
    rows = []
    for q in mr.quarters_due(app.certified_on, on) if app.certified_on else []:
        r = filed.get((q.year, q.quarter))
        rows.append((q, mr.report_status(q, r.submitted_on if r else None, on), r))
    flag, flag_basis = mr.two_missed_in_a_year([(q, s) for q, s, _ in rows[-4:]])
    return {"basis": str(mr.report_basis()), "two_missed_in_a_year": flag, "two_missed_basis": str(flag_basis),
            "quarters": [{"year": q.year, "quarter": q.quarter, "label": q.label(), "due_on": _day(q.due_on),
                          "status": s, "submitted_on": _day(r.submitted_on) if r else None,
                          "figures": r.figures if r else None} for q, s, r in rows]}


def subsidies_dict(app: IncubatorApplication, offline: list[int], online_activities: int) -> dict:
    """第十七条 for a base holding the title; for anyone else no figure at all (``eligible`` false, ``total`` null)."""
    certified = app.status == Status.CERTIFIED.value
    decision = mr.may_receive_subsidies(certified=certified)
    if not decision.allowed:
        return {"eligible": False, "items": [], "total": None, "reason": decision.zh, "reason_en": decision.en,
                "basis": str(decision.basis)}
    items = mr.subsidies(certified=certified, offline_participants=offline, online_activities=online_activities)
    return {"eligible": True, "items": [i.to_dict() for i in items], "total": sum(i.amount for i in items),
            "basis": str(rules.SUBSIDY_BASIS)}


def reevaluations_dict(app: IncubatorApplication, rows: list[IncubatorReevaluation]) -> dict:
    """第十二条 year by year, and whether two failures in a row have revoked the title (第十三条（三）)."""
    failed, basis = mr.failed_two_years_running({r.year: r.passed for r in rows})
    return {"basis": str(mr.REEVALUATION_BASIS), "failed_two_years_running": failed, "revocation_basis": str(basis),
            "results": [{"id": r.id, "year": r.year, "applied_on": _day(r.applied_on),
                         "published_on": _day(r.published_on), "passed": r.passed,
                         "result_label": "达标" if r.passed else "未达标", "report": r.report, "revoked": r.revoked,
                         "basis": r.basis, "recorded_by": r.recorded_by} for r in rows]}


CHANGE_OUTCOME_LABELS = {"pending": "待审核", "retained": "保留称号", "revoked": "撤销资格"}


def changes_dict(app: IncubatorApplication, rows: list[IncubatorChange]) -> dict:
    """第十四条 change reports: the day of the change, the 30-day due day, late or not, and the effect."""
    out = []
    for r in rows:
        due, _ = mr.change_report_due(r.changed_on)
        out.append({"id": r.id, "items": r.items, "description": r.description, "changes": r.changes,
                    "changed_on": _day(r.changed_on), "due_on": _day(due), "filed_on": _day(r.filed_on),
                    "late": r.late, "outcome": r.outcome, "outcome_label": CHANGE_OUTCOME_LABELS[r.outcome],
                    "decided_on": _day(r.decided_on), "decision_note": r.decision_note or None, "basis": r.basis,
                    "recorded_by": r.recorded_by})
    return {"basis": str(mr.CHANGE_BASIS), "days": rules.CHANGE_REPORT_DAYS, "changes": out}


def public_dict(app: IncubatorApplication) -> dict:
    return {"id": app.id, "base_name": app.base_name, "operator_name": app.operator_name, "address": app.address,
            "certified_on": _day(app.certified_on), "route": app.route,
            "basis": str(rules.title_basis(Route(app.route)))}
