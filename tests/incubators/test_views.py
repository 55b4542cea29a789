"""views.py is shaping only: an application and its loaded rows in (built here without a database), JSON out."""
from __future__ import annotations

from datetime import UTC, date, datetime

from dongcheng.incubators import views
from dongcheng.incubators.models import IncubatorApplication, IncubatorEvent, IncubatorReport


def application(**over) -> IncubatorApplication:
    return IncubatorApplication(**{
        "id": 5, "base_name": "东城创业园", "operator_name": "北京东城孵化运营有限公司", "credit_code": "91110101MA00000001",
        "address": "东城区东四北大街1号", "route": "standard", "title_level": None, "title_name": None,
        "facts": {"jobs": [300, 310], "operating_since": "2019-01-01"}, "applied_on": date(2022, 1, 4),
        "status": "certified", "notice_start": date(2022, 1, 24), "notice_end": date(2022, 1, 29),
        "notice_provisional": False, "open_objections": 0, "certified_on": date(2022, 2, 7), "revoked_on": None,
        "revocation_ground": None, "outcome_note": "", **over})


def test_application_dict_with_its_timeline():
    events = [IncubatorEvent(at=datetime(2022, 1, 4, 2, 0, tzinfo=UTC), action="apply", actor="clerk.rsj",
                             status_after="applied", basis="东人社发〔2021〕101号 第八条（一）", note="")]
    out = views.application_dict(application(), events)
    assert out["timeline"] == [{"at": "2022-01-04T10:00:00+08:00", "action": "apply", "actor": "clerk.rsj",
                                "status": "applied", "status_label": "已申报", "basis": "东人社发〔2021〕101号 第八条（一）",
                                "note": ""}]
    assert out["notice"] == {"published_on": "2022-01-24", "ends_on": "2022-01-29", "working_days": 5,
                             "provisional": False, "where": "数字东城网站", "open_objections": 0,
                             "basis": "东人社发〔2021〕101号 第八条（二）（公示5个工作日，开始当日不计入）"}
    assert out["eligibility"]["result"] == "not_given"  # read from the stored facts (rules.facts_from)
    assert out["eligibility"]["counts"] == {"met": 2, "not_met": 0, "not_given": 13}
    assert (out["basis"], out["revocation"], out["status_label"]) == ("东人社发〔2021〕101号 第八条", None, "已认定")
    assert views.application_dict(application(), [])["timeline"] == []


def test_reports_dict_quarter_by_quarter():
    reports = [IncubatorReport(year=2022, quarter=1, submitted_on=date(2022, 4, 10), figures={"trainings": 3})]
    out = views.reports_dict(application(), reports, date(2022, 11, 1))
    assert [(q["label"], q["due_on"], q["status"]) for q in out["quarters"]] == [
        ("2022年第2季度", "2022-07-15", "missing"), ("2022年第3季度", "2022-10-15", "missing"),
        ("2022年第4季度", "2023-01-15", "pending")]
    assert out["two_missed_in_a_year"] is True and out["two_missed_basis"] == "东人社发〔2021〕101号 第十三条（四）"
