"""views.py is shaping only: rows in (built here without a database), JSON out — the shapes the API answers."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from dongcheng.commissioners import rules, views
from dongcheng.commissioners.enums import Rating
from dongcheng.commissioners.models import Commissioner, FundApplication, MonthlyRating, StreetRetirees
from dongcheng.commissioners.schemas import CommissionerRecord, FundApplicationRecord, StreetCounts
from dongcheng.directory.models import Unit

DONGSI = Unit(id=7, name="东四街道", kind="street")
PLAN_42 = "东人社发〔2021〕111号 §四（二）"


def person(**over) -> Commissioner:
    return Commissioner(**{
        "id": 1, "street_id": 7, "name": "王秀兰", "route": "retiree", "birth_date": date(1960, 5, 1),
        "recommended": False, "over_quota": False, "start_on": date(2022, 1, 1), "end_on": date(2022, 12, 31),
        "trial_end": date(2022, 2, 28), "term_no": 1, "notice_sent_on": None, "status": "active", "ended_on": None,
        "end_reason": "", **over})


def rating(month: int, value: str, base: int = 1000, note: str = "") -> MonthlyRating:
    return MonthlyRating(commissioner_id=1, year=2022, month=month, rating=value, bonus_base=base, note=note)


def test_money_is_whole_yuan_or_fen():
    assert views.money(Decimal("1700.00")) == 1700 and isinstance(views.money(Decimal("1700.00")), int)
    assert views.money(Decimal("0.125")) == 0.12 and views.money(9600) == 9600


def test_street_rows():
    counts = StreetCounts(retirees={7: StreetRetirees(street_id=7, retirees=4001, as_of=date(2022, 1, 1))},
                          active={7: 4})
    quota_basis = "东人社发〔2021〕111号 §二（一）（按照不超过2000:1的比例配备）"
    assert views.street_rows([DONGSI, Unit(id=8, name="朝阳门街道", kind="street")], counts) == [
        {"street": "东四街道", "retirees": 4001, "as_of": "2022-01-01", "quota": 3, "active": 4, "over_quota": True,
         "basis": quota_basis},
        {"street": "朝阳门街道", "retirees": None, "as_of": None, "quota": None, "active": 0, "over_quota": False,
         "basis": quota_basis}]


def test_commissioner_dict():
    record = CommissionerRecord(person(), DONGSI, [rating(1, "satisfied"), rating(2, "unsatisfied", note="迟到"),
                                                    rating(3, "unsatisfied", 1500)])
    assert views.commissioner_dict(record, date(2022, 12, 1)) == {
        "id": 1, "name": "王秀兰", "street": "东四街道", "route": "retiree", "route_label": "聘任退休人员",
        "birth_date": "1960-05-01", "age_at_start": 61, "recommended": False, "over_quota": False,
        "status": "active", "status_label": "在聘",
        "term": {"no": 1, "start_on": "2022-01-01", "end_on": "2022-12-31", "basis": f"{PLAN_42}（聘用期限1年）"},
        "trial": {"end_on": "2022-02-28", "in_trial": False, "basis": f"{PLAN_42}（试用期2个月）"},
        "renewal_notice": {"due_on": "2022-12-01", "sent_on": None, "status": "due",
                           "basis": f"{PLAN_42}（协议到期前30日发出终止或续签意向书）"},
        "renewal_waiver": None, "ended_on": None, "end_reason": None, "paid_from_funds": True,
        "ratings": [
            {"year": 2022, "month": 1, "rating": "satisfied", "rating_label": "满意", "bonus_base": 1000, "note": ""},
            {"year": 2022, "month": 2, "rating": "unsatisfied", "rating_label": "不满意", "bonus_base": 1000,
             "note": "迟到"},
            {"year": 2022, "month": 3, "rating": "unsatisfied", "rating_label": "不满意", "bonus_base": 1500,
             "note": ""}],
        "unsatisfied_this_year": 2,
        "rehire_next_year": {"allowed": False, "basis": "东人社发〔2021〕111号 §六（年度内两次不满意，下一年度不再聘用）",
                             "reason": "2022年度满意度评价2次为不满意，2023年度不再聘用"},
    }


def test_pay_sheet_and_year_summary():
    months = rules.year_pay([(1, Rating.SATISFIED, 1000), (2, Rating.BASIC, 12000), (3, None, 1000)], 2022)
    pay = [(person(), months), (person(id=2, name="李建国", route="public_welfare"), [])]  # the second: out of term
    assert views.pay_sheet(DONGSI, 2022, 2, pay) == {
        "street": "东四街道", "year": 2022, "month": 2, "basis": "东人社发〔2021〕112号 第七条、第八条",
        "rows": [{"commissioner_id": 1, "name": "王秀兰", "route": "retiree", "rating": "basic",
                  "rating_label": "基本满意", "subsidy": 1700, "bonus_base": 12000, "bonus_pct": 80, "bonus": 9600,
                  "capped": False, "total": 11300, "basis": "东人社发〔2021〕112号 第八条（基本满意发放80%）"}],
        "totals": {"subsidy": 1700, "bonus": 9600, "total": 11300}}
    assert views.pay_sheet(DONGSI, 2022, 4, pay)["rows"] == []
    summary = views.year_summary(DONGSI, 2022, pay)
    assert summary["totals"] == {"subsidy": 5100, "bonus": 10600, "total": 15700} and summary["bonus_cap"] == 12000
    assert [(r["name"], r["months"], r["rated"], r["counts"]) for r in summary["rows"]] == [
        ("王秀兰", 3, 2, {"满意": 1, "基本满意": 1, "不满意": 0})]


def test_fund_application_counts_only_those_paid_from_the_funds():
    people = [person(), person(id=2, name="李建国", route="public_welfare"),
              person(id=3, name="赵敏", route="procurement", start_on=date(2022, 7, 1), end_on=date(2024, 6, 30))]
    figures = views.fund_application(DONGSI, 2022, 150, people)
    assert figures["commissioners"] == [{"name": "王秀兰", "route_label": "聘任退休人员", "months": 12},
                                        {"name": "赵敏", "route_label": "政府采购服务", "months": 6}]
    assert (figures["people"], figures["person_months"], figures["subsidy"], figures["bonus"], figures["insurance"],
            figures["total"]) == (2, 18, 30600, 18000, 300, 48900)


def test_fund_application_dict():
    row = FundApplication(id=3, street_id=7, year=2022, insurance_per_person=200, people=1, total="32600",
                          status="disbursed", steps=[{"step": "submit"}], report_submitted_on=date(2023, 4, 2))
    assert views.fund_application_dict(FundApplicationRecord(row, DONGSI), date(2023, 5, 1)) == {
        "id": 3, "street": "东四街道", "year": 2022, "people": 1, "total": 32600, "insurance_per_person": 200,
        "status": "disbursed", "status_label": "已拨付", "next_steps": [], "steps": [{"step": "submit"}],
        "basis": "东人社发〔2021〕112号 第五条",
        "self_report": {"due_on": "2023-03-31", "submitted_on": "2023-04-02", "status": "late",
                        "basis": "东人社发〔2021〕112号 第九条（每年一季度提交上一年度资金使用报告）"}}
