"""Commissioner flows (东人社发〔2021〕111号, 112号): retiree counts, hiring, monthly ratings, notices, renewal, ending;
and the computed pay sheet, yearly summary and fund figures. Loads through repository.py, asks rules.py, writes,
audits every change, and never commits.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.commissioners import repository, rules
from dongcheng.commissioners.enums import HiringRoute, Rating, Status
from dongcheng.commissioners.models import Commissioner, FundApplication, MonthlyRating, StreetRetirees
from dongcheng.commissioners.schemas import (
    CommissionerIn,
    CommissionerRecord,
    EndIn,
    FundApplicationIn,
    FundApplicationRecord,
    FundStepIn,
    NoticeIn,
    PersonYear,
    RatingIn,
    RenewIn,
    RetireesIn,
    SelfReportIn,
    StreetCounts,
)
from dongcheng.core.decision import Decision
from dongcheng.core.time import today_local, utcnow
from dongcheng.core.transition import move
from dongcheng.directory.models import Unit

ACTION = "commissioners.manage"
READ = "commissioners.read"
TARGET = "commissioner"


def _caller_unit(session: Session, caller: Caller) -> tuple[str | None, str | None]:
    unit = repository.unit(session, caller.user.unit_id)
    return (unit.name, unit.kind) if unit else (None, None)


def check_authority(session: Session, caller: Caller, street: Unit, action: str = ACTION) -> None:
    """The route admits clerks; rules.may_manage says for which streets (112号 第二条、第五条)."""
    authorize(caller, action)
    name, kind = _caller_unit(session, caller)
    rules.may_manage(name, kind, street.name).require()


def visible_streets(session: Session, caller: Caller) -> list[Unit]:
    """Every street for the bureau and the centre; a street clerk sees their own street."""
    authorize(caller, READ)
    name, kind = _caller_unit(session, caller)
    return [s for s in repository.streets(session) if rules.may_manage(name, kind, s.name).allowed]


def street_for_reading(session: Session, caller: Caller, street_name: str) -> Unit:
    street = repository.street(session, street_name)
    check_authority(session, caller, street, READ)
    return street


def commissioner_for_reading(session: Session, caller: Caller, commissioner_id: int) -> Commissioner:
    person = repository.get(session, commissioner_id)
    check_authority(session, caller, _street_of(session, person), READ)
    return person


def _street_of(session: Session, person: Commissioner) -> Unit:
    return repository.unit(session, person.street_id)


def set_retirees(session: Session, *, caller: Caller, street_name: str, data: RetireesIn) -> StreetRetirees:
    """根据管理人数的变化进行动态调整 (111号 §二（一）)."""
    street = repository.street(session, street_name)
    check_authority(session, caller, street)
    row = repository.retirees(session, street.id)
    before = {"retirees": row.retirees, "as_of": row.as_of.isoformat()} if row else None
    on = data.as_of or today_local()
    if row is None:
        row = StreetRetirees(street_id=street.id, retirees=data.retirees, as_of=on, updated_by=caller.user.username,
                             updated_at=utcnow())
        session.add(row)
    else:
        row.retirees, row.as_of, row.updated_by, row.updated_at = data.retirees, on, caller.user.username, utcnow()
    session.flush()
    n, basis = rules.quota(data.retirees)
    audit.record(session, actor=caller.actor, action="commissioners.retirees", target_type="street",
                 target_id=street.id, basis=basis, before=before,
                 after={"street": street.name, "retirees": data.retirees, "as_of": on.isoformat(), "quota": n})
    return row


def hire(session: Session, *, caller: Caller, data: CommissionerIn) -> Commissioner:
    """聘任 (111号 §四): within the quota (§二), the age limit of a retiree hire (§三（六）), the term of the route."""
    street = repository.street(session, data.street)
    check_authority(session, caller, street)
    route = HiringRoute(data.route)
    rules.check_age(route, data.birth_date, data.start_on, data.recommended).require()
    end, term = rules.term_for(route, data.start_on, data.end_on)
    term.require()
    if data.over_quota:
        rules.may_adjust_quota(_caller_unit(session, caller)[0]).require()
    counts = repository.retirees(session, street.id)
    quota_decision = rules.may_add_to_street(repository.active_counts(session).get(street.id, 0),
                                             counts.retirees if counts else 0, data.over_quota)
    quota_decision.require()
    trial = rules.trial_end(data.start_on)[0] if route == HiringRoute.RETIREE else None
    person = Commissioner(
        street_id=street.id, name=data.name.strip(), route=route.value, birth_date=data.birth_date,
        recommended=data.recommended, over_quota=data.over_quota, start_on=data.start_on, end_on=end,
        trial_end=trial, term_no=1, status=Status.ACTIVE.value, end_reason="", created_by=caller.user.username,
        created_at=utcnow())
    session.add(person)
    session.flush()
    audit.record(session, actor=caller.actor, action="commissioners.hire", target_type=TARGET, target_id=person.id,
                 basis=rules.HIRE_BASIS, after={
                     "name": person.name, "street": street.name, "route": route.value,
                     "start_on": data.start_on.isoformat(), "end_on": end.isoformat() if end else None,
                     "age": str(rules.check_age(route, data.birth_date, data.start_on, data.recommended).basis),
                     "quota": str(quota_decision.basis)})
    return person


def rate(session: Session, *, caller: Caller, commissioner_id: int, data: RatingIn) -> MonthlyRating:
    """每月满意度评价 (111号 §六), one per month of the term."""
    person = repository.get(session, commissioner_id)
    check_authority(session, caller, _street_of(session, person))
    rated = repository.rating(session, person.id, data.year, data.month) is not None
    rules.may_rate(person.start_on, person.end_on, data.year, data.month, today_local(), rated).require()
    row = MonthlyRating(commissioner_id=person.id, year=data.year, month=data.month, rating=Rating(data.rating).value,
                        bonus_base=data.bonus_base, note=data.note, recorded_by=caller.user.username,
                        recorded_at=utcnow())
    session.add(row)
    session.flush()
    bonus, basis = rules.bonus_for(Rating(data.rating), data.bonus_base)
    audit.record(session, actor=caller.actor, action="commissioners.rate", target_type=TARGET, target_id=person.id,
                 basis=basis, after={"year": data.year, "month": data.month, "rating": row.rating,
                                     "bonus_before_cap": str(bonus)}, note=data.note)
    return row


def record_notice(session: Session, *, caller: Caller, commissioner_id: int, data: NoticeIn) -> Commissioner:
    """终止或续签劳务协议意向书, due 30 days before the term ends (111号 §四（二）)."""
    person = repository.get(session, commissioner_id)
    check_authority(session, caller, _street_of(session, person))
    rules.may_send_notice(person.status == Status.ACTIVE.value, person.end_on).require()
    person.notice_sent_on = data.sent_on or today_local()
    session.flush()
    due, basis = rules.notice_due(person.end_on)
    audit.record(session, actor=caller.actor, action="commissioners.notice", target_type=TARGET,
                 target_id=person.id, basis=basis, after={"sent_on": person.notice_sent_on.isoformat(),
                                                          "due_on": due.isoformat()})
    return person


def ratings_by_year(session: Session, person: Commissioner) -> dict[int, list[Rating]]:
    return rules.ratings_by_year((r.year, Rating(r.rating)) for r in repository.ratings(session, person.id))


def renew(session: Session, *, caller: Caller, commissioner_id: int, data: RenewIn) -> Commissioner:
    """续签 (111号 §四（二）): the next term from the day after the current one; refused when the age limit is passed
    (§三（六）), the year before had two 不满意 (§六), or no 意向书 was sent and no one who may waive it did."""
    person = repository.get(session, commissioner_id)
    check_authority(session, caller, _street_of(session, person))
    route = HiringRoute(person.route)
    renewal = rules.may_renew(route, person.status == Status.ACTIVE.value, open_ended=person.end_on is None)
    renewal.require()
    start = date.fromordinal(person.end_on.toordinal() + 1)
    rules.check_age(route, person.birth_date, start, person.recommended).require()
    end, term = rules.term_for(route, start, data.end_on)
    term.require()
    rehire = rules.may_rehire(ratings_by_year(session, person), start, end)
    rehire.require()
    # the order of §四（二）: 意向书 → 重新认定、协商一致 → 续签 (the bars above are the 重新认定's)
    unit = caller.unit.name if caller.unit else None
    notice = rules.may_renew_after_notice(person.notice_sent_on, data.waiver_reason, unit)
    notice.require()
    waiver = ""
    if person.notice_sent_on is None:
        waiver = f"第{person.term_no + 1}期续签未发意向书：{data.waiver_reason.strip()}（{unit} {caller.user.username}）"
    before = {"start_on": person.start_on.isoformat(), "end_on": person.end_on.isoformat(), "term_no": person.term_no}
    person.start_on, person.end_on, person.term_no, person.notice_sent_on = start, end, person.term_no + 1, None
    person.trial_end = None  # the trial is of the first hire
    person.renewal_waiver = waiver
    session.flush()
    audit.record(session, actor=caller.actor, action="commissioners.renew", target_type=TARGET, target_id=person.id,
                 basis=renewal.basis, before=before,
                 after={"start_on": start.isoformat(), "end_on": end.isoformat() if end else None,
                        "term_no": person.term_no, "rehire": str(rehire.basis), "notice": str(notice.basis),
                        **({"waiver": waiver} if waiver else {})}, note=data.note)
    return person


def end(session: Session, *, caller: Caller, commissioner_id: int, data: EndIn) -> Commissioner:
    """不再聘用 on a ground of 111号 §三 (1–5), or 协议到期终止 (§四（二）)."""
    person = repository.get(session, commissioner_id)
    check_authority(session, caller, _street_of(session, person))
    on = data.on or today_local()
    rules.may_end(person.status == Status.ACTIVE.value, on, person.start_on, person.trial_end, data.ground).require()
    text, basis = rules.end_ground(data.ground)
    person.status, person.ended_on = Status.ENDED.value, on
    person.end_reason = f"{text}；{data.reason}" if data.reason else text
    session.flush()
    audit.record(session, actor=caller.actor, action="commissioners.end", target_type=TARGET, target_id=person.id,
                 basis=basis, before={"status": Status.ACTIVE.value},
                 after={"status": person.status, "ended_on": on.isoformat(), "ground": data.ground},
                 note=data.reason)
    return person


# --- computed: pay, summary, funds (112号 第七条、第八条、第九条) -------------------------------------------------------


def year_pay(session: Session, person: Commissioner, year: int) -> list[rules.MonthPay]:
    """Each month of the term in ``year``, rated or not, with the yearly cap applied in order."""
    end = person.ended_on or person.end_on
    term = [m for m in range(1, 13) if rules.in_term(person.start_on, end, year, m)]
    rated = {r.month: r for r in repository.ratings(session, person.id, year)} if term else {}
    months = [(m, Rating(rated[m].rating) if m in rated else None, rated[m].bonus_base if m in rated else
               rules.MONTHLY_BONUS) for m in term]
    return rules.year_pay(months, year)


# --- the fund application (112号 第五条) and the self-report (第九条) ---------------------------------------------------


def fund_figures(session: Session, street: Unit, year: int, insurance_per_person: int) -> rules.FundPlan:
    people = [p for p in repository.in_street(session, street.id) if rules.paid_from_funds(HiringRoute(p.route))]
    return rules.fund_plan([rules.months_in_year(p.start_on, p.ended_on or p.end_on, year) for p in people],
                           insurance_per_person)


def file_fund_application(session: Session, *, caller: Caller, data: FundApplicationIn) -> FundApplication:
    """各街道聘用服务专员后，按年度向劳服中心申报岗补资金 (112号 第五条, 附件1): one per street and year."""
    street = repository.street(session, data.street)
    check_authority(session, caller, street)
    rules.check_insurance(data.insurance_per_person).require()
    filed = repository.fund_application(session, street.id, data.year) is not None
    plan = fund_figures(session, street, data.year, data.insurance_per_person)
    decision = rules.may_file_funds(street.name, data.year, filed, plan.people)
    decision.require()
    basis = decision.basis
    row = FundApplication(street_id=street.id, year=data.year, insurance_per_person=data.insurance_per_person,
                          people=plan.people, total=str(plan.total), status="submitted", version=1,
                          steps=[{"step": "submit", "status": "submitted", "on": today_local().isoformat(),
                                  "actor": caller.user.username, "basis": str(basis), "note": ""}],
                          filed_by=caller.user.username, filed_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="commissioners.fund_apply", target_type="fund_application",
                 target_id=row.id, basis=basis, after={"street": street.name, "year": data.year,
                                                       "people": plan.people, "total": str(plan.total)})
    return row


def fund_step(session: Session, *, caller: Caller, application_id: int, step: str, data: FundStepIn) -> FundApplication:
    """One step of 审核 → 主任办公会 → 局长办公会 → 党组会 → 拨付 (or 退回): each by the body 第五条 names, and no
    one takes two steps of the same application (rules.may_take_fund_step)."""
    row = repository.get_fund_application(session, application_id)
    authorize(caller, ACTION)
    unit_name = _caller_unit(session, caller)[0]
    rules.may_review(unit_name).require()
    before = row.status
    decision = rules.fund_step(row.status, step)
    decision.require()
    rules.may_take_fund_step(row.status, step, unit_name, caller.user.username,
                             (s["actor"] for s in row.steps)).require()
    to = rules.FUND_FLOW.target(row.status, step)
    entry = {"step": step, "status": to, "on": (data.on or today_local()).isoformat(), "actor": caller.user.username,
             "basis": str(decision.basis), "note": data.note}
    move(session, row, to, what_zh="该申请", what_en="this application", steps=[*row.steps, entry])
    audit.record(session, actor=caller.actor, action=f"commissioners.fund_{step}", target_type="fund_application",
                 target_id=row.id, basis=decision.basis, before={"status": before}, after={"status": to},
                 note=data.note)
    return row


def record_self_report(session: Session, *, caller: Caller, application_id: int, data: SelfReportIn) -> FundApplication:
    """上一年度岗补资金的资金使用报告 (112号 第九条, 附件2) received, for a disbursed application."""
    row = repository.get_fund_application(session, application_id)
    check_authority(session, caller, repository.unit(session, row.street_id))
    rules.may_self_report(row.status, row.report_submitted_on).require()
    row.report_submitted_on = data.submitted_on or today_local()
    session.flush()
    due, basis = rules.self_report_due(row.year)
    audit.record(session, actor=caller.actor, action="commissioners.self_report", target_type="fund_application",
                 target_id=row.id, basis=basis, after={"submitted_on": row.report_submitted_on.isoformat(),
                                                       "due_on": due.isoformat()})
    return row


def fund_application_for_reading(session: Session, caller: Caller, application_id: int) -> FundApplication:
    row = repository.get_fund_application(session, application_id)
    check_authority(session, caller, repository.unit(session, row.street_id), READ)
    return row


# --- what a page offers this caller (the same rules the steps ask; the step itself asks them again) ---------------


def fund_step_options(session: Session, caller: Caller, row: FundApplication) -> list[tuple[str, Decision]]:
    """The steps open from the application's status (FUND_FLOW), each with whether this caller may take it:
    rules.may_review and rules.may_take_fund_step, as fund_step asks them (112号 第五条)."""
    unit_name = _caller_unit(session, caller)[0]
    out = []
    for step in rules.FUND_FLOW.available(row.status):
        decision = rules.may_review(unit_name)
        if decision.allowed:
            decision = rules.may_take_fund_step(row.status, step, unit_name, caller.user.username,
                                                (s["actor"] for s in row.steps))
        out.append((step, decision))
    return out


def pending_step(row: FundApplication) -> tuple[str | None, str | None]:
    """The step the application waits for and the body that takes it (rules.fund_step_body); none when closed."""
    steps = [s for s in rules.FUND_FLOW.available(row.status) if s != "reject"]
    return (steps[0], rules.fund_step_body(row.status, steps[0])) if steps else (None, None)


def self_report_open(row: FundApplication) -> bool:
    """Does the application wait for its 资金使用报告 (rules.may_self_report: disbursed, not yet on file)?"""
    return rules.may_self_report(row.status, row.report_submitted_on).allowed


def may_mark_over_quota(session: Session, caller: Caller) -> Decision:
    """May this caller mark a hire as the 区内统筹调剂 (111号 §二（二）; rules.may_adjust_quota)?"""
    return rules.may_adjust_quota(_caller_unit(session, caller)[0])


def may_waive_notice(caller: Caller) -> Decision:
    """May this caller renew without the 意向书, with a reason (rules.may_renew_after_notice's waiver)?"""
    return rules.may_waive_notice(caller.unit.name if caller.unit else None)


# --- reads: the loaded rows views.py shapes (views never load) -----------------------------------------------------


def street_counts(session: Session) -> StreetCounts:
    return StreetCounts(retirees=repository.all_retirees(session), active=repository.active_counts(session))


def commissioner_record(session: Session, person: Commissioner) -> CommissionerRecord:
    return CommissionerRecord(person=person, street=repository.unit(session, person.street_id),
                              ratings=repository.ratings(session, person.id))


def street_pay(session: Session, street: Unit, year: int) -> list[PersonYear]:
    """Every commissioner of the street with the paid months of their term in ``year`` (none when out of term)."""
    return [(p, year_pay(session, p, year)) for p in repository.in_street(session, street.id)]


def fund_application_record(session: Session, row: FundApplication) -> FundApplicationRecord:
    return FundApplicationRecord(row=row, street=repository.unit(session, row.street_id))
