"""Commissioner data as JSON: streets with quota, a commissioner's term and ratings, the month pay sheet, the yearly
summary, and the figures of the fund application (附件1) and the usage self-report (附件2). Shaping only: the handler
loads the rows through service.py (street_counts, commissioner_record, street_pay, …) and passes them in."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from dongcheng.calendar.dates import years_between
from dongcheng.commissioners import rules
from dongcheng.commissioners.enums import RATING_LABELS, ROUTE_LABELS, STATUS_LABELS, HiringRoute, Rating, Status
from dongcheng.commissioners.models import Commissioner
from dongcheng.commissioners.schemas import CommissionerRecord, FundApplicationRecord, PersonYear, StreetCounts
from dongcheng.directory.models import Unit


def money(x: Decimal | int | float) -> int | float:
    """Yuan for JSON: a whole number as int, else to the fen."""
    x = Decimal(str(x)).quantize(Decimal("0.01"))
    return int(x) if x == x.to_integral_value() else float(x)


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def street_rows(streets: list[Unit], counts: StreetCounts) -> list[dict]:
    rows = []
    for s in streets:
        row = counts.retirees.get(s.id)
        retirees = row.retirees if row else None
        quota, basis = rules.quota(retirees or 0)
        n = counts.active.get(s.id, 0)
        rows.append({"street": s.name, "retirees": retirees, "as_of": _day(row.as_of) if row else None,
                     "quota": quota if row else None, "active": n, "over_quota": bool(row) and n > quota,
                     "basis": str(basis)})
    return rows


def commissioner_dict(record: CommissionerRecord, on: date) -> dict:
    person, street = record.person, record.street
    route = HiringRoute(person.route)
    age = years_between(person.birth_date, person.start_on) if person.birth_date else None
    notice = None
    if person.end_on is not None and person.status == Status.ACTIVE.value:
        due, basis = rules.notice_due(person.end_on)
        notice = {"due_on": _day(due), "sent_on": _day(person.notice_sent_on), "basis": str(basis),
                  "status": rules.notice_status(person.end_on, on, person.notice_sent_on)}
    year = on.year
    by_year = rules.ratings_by_year((r.year, Rating(r.rating)) for r in record.ratings)
    next_year = rules.may_rehire(by_year, date(year + 1, 1, 1), date(year + 1, 1, 1))
    return {
        "id": person.id, "name": person.name, "street": street.name if street else None, "route": route.value,
        "route_label": ROUTE_LABELS[route], "birth_date": _day(person.birth_date), "age_at_start": age,
        "recommended": person.recommended, "over_quota": person.over_quota,
        "status": person.status, "status_label": STATUS_LABELS[Status(person.status)],
        "term": {"no": person.term_no, "start_on": _day(person.start_on), "end_on": _day(person.end_on),
                 "basis": str(rules.term_basis(route))},
        "trial": {"end_on": _day(person.trial_end), "in_trial": bool(person.trial_end and on <= person.trial_end),
                  "basis": str(rules.trial_end(person.start_on)[1])} if person.trial_end else None,
        "renewal_notice": notice,
        "renewal_waiver": person.renewal_waiver or None,
        "ended_on": _day(person.ended_on), "end_reason": person.end_reason or None,
        "paid_from_funds": rules.paid_from_funds(route),
        "ratings": [{"year": r.year, "month": r.month, "rating": r.rating,
                     "rating_label": RATING_LABELS[Rating(r.rating)], "bonus_base": r.bonus_base, "note": r.note}
                    for r in record.ratings],
        "unsatisfied_this_year": rules.unsatisfied_count(by_year.get(year, [])),
        "rehire_next_year": {"allowed": next_year.allowed, "basis": str(next_year.basis),
                             "reason": next_year.zh or None},
    }


def pay_row(person: Commissioner, m: rules.MonthPay) -> dict:
    return {"commissioner_id": person.id, "name": person.name, "route": person.route,
            "rating": m.rating.value if m.rating else None,
            "rating_label": RATING_LABELS[m.rating] if m.rating else "未评价",
            "subsidy": money(m.subsidy), "bonus_base": money(m.bonus_base), "bonus_pct": m.bonus_pct,
            "bonus": money(m.bonus), "capped": m.capped, "total": money(m.total), "basis": str(m.basis)}


def pay_sheet(street: Unit, year: int, month: int, pay: list[PersonYear]) -> dict:
    """月度发放表: everyone in term that month (112号 第七条、第八条); ``pay``: service.street_pay of the year."""
    rows = []
    for person, months in pay:
        m = next((p for p in months if p.month == month), None)
        if m is not None:
            rows.append(pay_row(person, m))
    return {"street": street.name, "year": year, "month": month, "rows": rows,
            "totals": {k: money(sum(r[k] for r in rows)) if rows else 0 for k in ("subsidy", "bonus", "total")},
            "basis": str(rules.PAY_BASIS)}


def year_summary(street: Unit, year: int, pay: list[PersonYear]) -> dict:
    """The year per commissioner: months, subsidy, bonus (≤ 12000), 不满意 count and next year's rehire rule;
    ``pay``: service.street_pay of the year."""
    rows = []
    for person, months in pay:
        if not months:
            continue
        ratings = [m.rating for m in months if m.rating]
        rehire = rules.may_rehire({year: ratings}, date(year + 1, 1, 1), None)
        rows.append({"commissioner_id": person.id, "name": person.name, "route": person.route,
                     "months": len(months), "rated": len(ratings),
                     "counts": {RATING_LABELS[r]: sum(1 for x in ratings if x == r) for r in Rating},
                     "subsidy": money(sum(m.subsidy for m in months)), "bonus": money(sum(m.bonus for m in months)),
                     "total": money(sum(m.total for m in months)),
                     "paid_from_funds": rules.paid_from_funds(HiringRoute(person.route)),
                     "rehire_next_year": rehire.allowed, "rehire_basis": str(rehire.basis)})
    return {"street": street.name, "year": year, "rows": rows,
            "totals": {k: money(sum(r[k] for r in rows)) if rows else 0 for k in ("subsidy", "bonus", "total")},
            "bonus_cap": rules.YEARLY_BONUS_CAP, "basis": str(rules.BONUS_CAP_BASIS)}


def fund_application(street: Unit, year: int, insurance_per_person: int, commissioners: list[Commissioner]) -> dict:
    """附件1 岗补资金申请表 figures (112号 第五条、第七条): those of the street's ``commissioners`` paid from the funds
    (第三条) and their months."""
    people = [p for p in commissioners if rules.paid_from_funds(HiringRoute(p.route))]
    months = [rules.months_in_year(p.start_on, p.ended_on or p.end_on, year) for p in people]
    plan = rules.fund_plan(months, insurance_per_person)
    due, due_basis = rules.self_report_due(year)
    return {"street": street.name, "year": year, "people": plan.people, "person_months": plan.months,
            "subsidy": money(plan.subsidy), "bonus": money(plan.bonus), "insurance": money(plan.insurance),
            "insurance_per_person": insurance_per_person, "total": money(plan.total), "basis": str(plan.basis),
            "approval": list(rules.APPROVAL_STEPS), "approval_basis": str(rules.APPROVAL_BASIS),
            "self_report_due": _day(due), "self_report_basis": str(due_basis),
            "commissioners": [{"name": p.name, "route_label": ROUTE_LABELS[HiringRoute(p.route)], "months": m}
                              for p, m in zip(people, months, strict=True) if m]}


def fund_application_dict(record: FundApplicationRecord, on: date) -> dict:
    row, street = record.row, record.street
    due, due_basis = rules.self_report_due(row.year)
    return {"id": row.id, "street": street.name if street else None, "year": row.year, "people": row.people,
            "total": money(row.total), "insurance_per_person": row.insurance_per_person, "status": row.status,
            "status_label": rules.FUND_STATUS_LABELS.get(row.status, row.status),
            "next_steps": rules.FUND_FLOW.available(row.status),
            "steps": row.steps, "basis": str(rules.APPROVAL_BASIS),
            "self_report": {"due_on": _day(due), "submitted_on": _day(row.report_submitted_on),
                            "status": rules.self_report_status(row.year, row.report_submitted_on, on),
                            "basis": str(due_basis)} if row.status == "disbursed" else None}
