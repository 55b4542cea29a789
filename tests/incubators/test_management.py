"""After certification (东人社发〔2021〕101号): 第十二条 yearly re-evaluation (two failures in a row revoke the title,
第十三条（三）), 第十四条 change reports within 30 days and their effect, 第十七条 subsidies only for a base holding the
title. Rules first (pure), then the API and the pages; every clause at its boundary."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.incubators import management_rules as m
from tests.incubators.test_api import body, certify_one, post

HTML = {"Accept": "text/html"}


class TestSubsidyRule:
    """第十七条 示范基地享受以下扶持政策: the subject is the base; an applicant has no subsidy at all."""

    def test_not_certified_means_no_figure_even_for_activities(self):
        assert m.subsidies(certified=False, offline_participants=[40], online_activities=2) == []
        decision = m.may_receive_subsidies(certified=False)
        assert not decision.allowed and decision.basis.clause == "第十七条" and "示范基地享受" in decision.basis.note

    def test_a_certified_base_gets_the_award_and_the_activity_figures(self):
        items = m.subsidies(certified=True, offline_participants=[40], online_activities=2)
        assert [(s.item, s.amount) for s in items] == [("一次性资金奖补", 30_000), ("线下活动第1场", 1000),
                                                       ("线上活动", 1000)]


class TestReevaluationRule:
    """第十二条 复评工作每年组织一次; 第十三条（三） 连续两年复评未达标 → 撤销."""

    def test_two_failures_in_consecutive_years_revoke(self):
        failed, basis = m.failed_two_years_running({2022: True, 2023: False, 2024: False})
        assert failed and str(basis) == "东人社发〔2021〕101号 第十三条（三）（连续两年复评未达标）"

    @pytest.mark.parametrize("results", [{2022: False, 2023: True, 2024: False}, {2022: False, 2024: False},
                                         {2023: False}])
    def test_one_failure_or_failures_apart_do_not(self, results):
        assert not m.failed_two_years_running(results)[0]

    def test_once_a_year_from_the_certification_year_to_this_year(self):
        ok = dict(certified=True, certified_year=2022, this_year=2026, already=False)
        assert m.may_record_reevaluation(year=2022, **ok).allowed
        assert m.may_record_reevaluation(year=2026, **ok).allowed
        for year in (2021, 2027):
            refused = m.may_record_reevaluation(year=year, **ok)
            assert refused.status == 422 and refused.field == "year"
        twice = m.may_record_reevaluation(year=2023, **{**ok, "already": True})
        assert twice.status == 409 and twice.field == "year" and twice.basis.clause == "第十二条"

    def test_only_a_certified_base(self):
        refused = m.may_record_reevaluation(certified=False, certified_year=None, year=2022, this_year=2026,
                                            already=False)
        assert not refused.allowed and refused.status == 409

    def test_published_before_applied_names_published_on(self):
        refused = m.check_published_after_applied(date(2023, 3, 1), date(2023, 2, 28))
        assert refused.status == 422 and refused.field == "published_on"
        assert m.check_published_after_applied(date(2023, 3, 1), date(2023, 3, 1)).allowed


class TestChangeRule:
    """第十四条: 应在变更后的30日内 … 提出信息变更的申请; 符合条件的保留称号，不再符合的自条件变化之日起撤销."""

    def test_the_thirtieth_day_after_the_change_is_in_time_the_thirty_first_late(self):
        assert m.change_filed_late(date(2022, 3, 1), date(2022, 3, 31)) == (False, m.change_report_due(date(2022, 3, 1))[1])
        late, basis = m.change_filed_late(date(2022, 3, 1), date(2022, 4, 1))
        assert late and basis.clause == "第十四条"

    def test_a_change_reported_before_it_happens_names_changed_on(self):
        refused = m.check_change_dates(date(2022, 4, 2), date(2022, 4, 1))
        assert refused.status == 422 and refused.field == "changed_on"

    def test_the_effect_keeps_the_title_or_revokes_it_from_the_day_of_the_change(self):
        assert m.change_outcome(True, date(2022, 3, 1))[:2] == ("retained", None)
        outcome, on, basis = m.change_outcome(False, date(2022, 3, 1))
        assert (outcome, on) == ("revoked", date(2022, 3, 1)) and "自条件变化之日起撤销" in str(basis)


@pytest.fixture
def clerk(login):
    return login("clerk.rsj")


def reevaluate(client, clerk, app_id, year, passed, **over):
    return post(client, clerk, f"/api/incubators/{app_id}/reevaluations",
                {"year": year, "passed": passed, "report": f"{year}年度评估报告", "published_on": f"{year}-12-20",
                 **over})


class TestSubsidiesApi:
    def test_an_applicant_gets_no_figure_at_all(self, client, clerk):
        app = post(client, clerk, "/api/incubators", body()).json()
        r = client.get(f"/api/incubators/{app['id']}/subsidies?offline=40&online_sessions=2", headers=clerk)
        assert r.status_code == 200
        assert r.json()["eligible"] is False and r.json()["items"] == [] and r.json()["total"] is None
        assert "第十七条" in r.json()["basis"] and "不享受" in r.json()["reason"]
        page = client.get(f"/incubators/{app['id']}", headers={**HTML, **clerk}).text
        section = page.split('id="subsidy"', 1)[1].split("</section>", 1)[0]
        assert 'id="no-subsidy"' in section and "30000" not in section

    def test_a_revoked_base_has_none_either(self, client, clerk):
        app = certify_one(client, clerk)
        url = f"/api/incubators/{app['id']}"
        assert client.get(f"{url}/subsidies", headers=clerk).json()["total"] == 30_000
        page = client.get(f"/incubators/{app['id']}", headers={**HTML, **clerk}).text
        assert "<b>30000</b>" in page.split('id="subsidy"', 1)[1].split("</section>", 1)[0]
        post(client, clerk, f"{url}/revoke", {"ground": "（五）", "reason": "违规", "revoked_on": "2022-06-01"})
        assert client.get(f"{url}/subsidies?offline=10", headers=clerk).json()["items"] == []


class TestReevaluationApi:
    def test_the_second_failure_in_a_row_revokes_the_title(self, client, clerk, db):
        app = certify_one(client, clerk)
        url = f"/api/incubators/{app['id']}"
        assert reevaluate(client, clerk, app["id"], 2022, True).status_code == 201
        r = reevaluate(client, clerk, app["id"], 2023, False)
        assert r.status_code == 201 and r.json()["application"]["status"] == "certified"
        r = reevaluate(client, clerk, app["id"], 2024, False, published_on="2024-12-20")
        assert r.status_code == 201, r.text
        assert r.json()["failed_two_years_running"] is True and r.json()["application"]["status"] == "revoked"
        assert [(x["year"], x["result_label"], x["revoked"]) for x in r.json()["results"]] == [
            (2022, "达标", False), (2023, "未达标", False), (2024, "未达标", True)]
        assert "第十三条（三）" in r.json()["results"][-1]["basis"]
        full = client.get(url, headers=clerk).json()
        assert full["revocation"]["ground"] == "（三）" and full["revocation"]["revoked_on"] == "2024-12-20"
        assert full["revocation"]["may_reapply_from"] == "2027-12-20"
        assert client.get("/api/public/incubators").json() == []
        actions = db.scalars(select(AuditEntry.action).where(AuditEntry.target_id == str(app["id"]))).all()
        assert "incubators.reevaluate" in actions and "incubators.revoke" in actions

    def test_failures_with_a_passed_year_between_do_not(self, client, clerk):
        app = certify_one(client, clerk)
        for year, passed in ((2022, False), (2023, True), (2024, False)):
            assert reevaluate(client, clerk, app["id"], year, passed).status_code == 201
        assert client.get(f"/api/incubators/{app['id']}", headers=clerk).json()["status"] == "certified"

    def test_once_a_year_and_a_year_in_range(self, client, clerk):
        app = certify_one(client, clerk)
        assert reevaluate(client, clerk, app["id"], 2022, True).status_code == 201
        r = reevaluate(client, clerk, app["id"], 2022, False)
        assert r.status_code == 409 and r.json()["detail"][0]["field"] == "year"
        r = reevaluate(client, clerk, app["id"], 2021, True)
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "year"
        r = reevaluate(client, clerk, app["id"], 2023, True, applied_on="2023-12-21")
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "published_on"
        r = post(client, clerk, f"/api/incubators/{app['id']}/reevaluations", {"year": 2023})
        assert r.status_code == 422 and {d["field"] for d in r.json()["detail"]} == {"passed", "report"}
        listed = client.get(f"/api/incubators/{app['id']}/reevaluations", headers=clerk).json()
        assert [x["year"] for x in listed["results"]] == [2022]

    def test_an_applicant_is_not_reevaluated(self, client, clerk):
        app = post(client, clerk, "/api/incubators", body()).json()
        assert reevaluate(client, clerk, app["id"], 2022, True).status_code == 409


def change(client, clerk, app_id, **over):
    return post(client, clerk, f"/api/incubators/{app_id}/changes",
                {"items": ["名称"], "description": "基地更名", "changed_on": "2022-03-01", "filed_on": "2022-03-31",
                 "base_name": "东城创新创业园", **over})


class TestChangeApi:
    def test_in_time_retained_and_the_new_name_recorded(self, client, clerk):
        app = certify_one(client, clerk)
        r = change(client, clerk, app["id"])
        assert r.status_code == 201, r.text
        (c,) = r.json()["changes"]
        assert (c["changed_on"], c["due_on"], c["filed_on"], c["late"], c["outcome"]) == (
            "2022-03-01", "2022-03-31", "2022-03-31", False, "pending")
        url = f"/api/incubators/{app['id']}/changes/{c['id']}/decide"
        r = post(client, clerk, url, {"still_eligible": True, "note": "材料审核、实地走访，仍符合条件"})
        assert r.status_code == 200, r.text
        assert r.json()["changes"][0]["outcome"] == "retained"
        assert r.json()["application"]["base_name"] == "东城创新创业园" and r.json()["application"]["status"] == "certified"
        assert post(client, clerk, url, {"still_eligible": False, "note": "再审"}).status_code == 409

    def test_filed_on_the_thirty_first_day_is_late(self, client, clerk):
        app = certify_one(client, clerk)
        r = change(client, clerk, app["id"], filed_on="2022-04-01")
        assert r.status_code == 201 and r.json()["changes"][0]["late"] is True

    def test_no_longer_eligible_revokes_from_the_day_of_the_change(self, client, clerk):
        app = certify_one(client, clerk)
        c = change(client, clerk, app["id"], items=["孵化面积"], description="面积缩减", changed_on="2022-05-10",
                   filed_on="2022-05-20", base_name=None, incubation_area_m2=900).json()["changes"][0]
        r = post(client, clerk, f"/api/incubators/{app['id']}/changes/{c['id']}/decide",
                 {"still_eligible": False, "note": "孵化面积不足1500平方米"})
        assert r.status_code == 200 and r.json()["application"]["status"] == "revoked"
        full = client.get(f"/api/incubators/{app['id']}", headers=clerk).json()
        assert full["revocation"]["revoked_on"] == "2022-05-10" and full["revocation"]["ground"] == "（一）"

    def test_bad_dates_and_missing_items_name_their_field(self, client, clerk):
        app = certify_one(client, clerk)
        r = change(client, clerk, app["id"], changed_on="2022-04-02", filed_on="2022-04-01")
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "changed_on"
        r = change(client, clerk, app["id"], items=[])
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "items"
        assert client.get(f"/api/incubators/{app['id']}/changes", headers=clerk).json()["changes"] == []

    def test_an_applicant_reports_no_change(self, client, clerk):
        app = post(client, clerk, "/api/incubators", body()).json()
        assert change(client, clerk, app["id"]).status_code == 409


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


class TestPages:
    def test_the_clerk_records_a_reevaluation_and_a_change_on_the_page(self, client, clerk):
        app = certify_one(client, clerk)
        url = f"/incubators/{app['id']}"
        headers = {**HTML, **clerk}
        page = client.get(url, headers=headers).text
        assert 'id="form-reevaluation"' in page and 'id="form-change"' in page
        r = client.post(f"{url}/reevaluations", headers=headers, follow_redirects=False,
                        data={"csrf_token": _token(page), "year": "2022", "passed": "no", "report": "利用率不足",
                              "confirm": "yes", "published_on": "2022-12-20"})
        assert r.status_code == 303, r.text[:600]
        page = client.get(url, headers=headers).text
        row = page.split('data-year="2022"', 1)[1].split("</tr>", 1)[0]
        assert "未达标" in row and "利用率不足" in row
        r = client.post(f"{url}/changes", headers=headers, follow_redirects=False,
                        data={"csrf_token": _token(page), "items": ["名称", "孵化场所地址"],
                              "description": "迁址并更名", "changed_on": "2022-03-01", "filed_on": "2022-04-05",
                              "address": "东城区东直门内大街2号"})
        assert r.status_code == 303, r.text[:600]
        page = client.get(url, headers=headers).text
        card = page.split('class="card change"', 1)[1]
        assert "名称、孵化场所地址" in card and "逾期申请" in card and "应于 2022-03-31 前申请" in card
        change_id = re.search(r'action="/incubators/\d+/changes/(\d+)/decide"', page).group(1)
        r = client.post(f"{url}/changes/{change_id}/decide", headers=headers, follow_redirects=False,
                        data={"csrf_token": _token(page), "still_eligible": "yes", "note": "实地走访符合"})
        assert r.status_code == 303
        page = client.get(url, headers=headers).text
        assert "东城区东直门内大街2号" in page and "保留称号" in page

    def test_a_bad_year_is_refused_on_the_page_and_nothing_saved(self, client, clerk):
        app = certify_one(client, clerk)
        url = f"/incubators/{app['id']}"
        headers = {**HTML, **clerk}
        page = client.get(url, headers=headers).text
        r = client.post(f"{url}/reevaluations", headers=headers,
                        data={"csrf_token": _token(page), "year": "2021", "passed": "yes", "report": "x"})
        assert r.status_code == 422 and "复评年度须在认定年度" in r.text
        r = client.post(f"{url}/reevaluations", headers=headers, data={"csrf_token": _token(page), "passed": "yes"})
        assert r.status_code == 422 and "复评年度" in r.text and "评估结果报告" in r.text
        assert client.get(f"/api/incubators/{app['id']}/reevaluations", headers=clerk).json()["results"] == []


class TestRefusalsNameTheirField:
    """Every refusal about one input names it in ``detail`` (issue 10, item 3, for this module)."""

    def test_a_second_report_of_a_quarter_names_quarter(self, client, clerk):
        app = certify_one(client, clerk)
        url = f"/api/incubators/{app['id']}/reports"
        assert post(client, clerk, url, {"year": 2022, "quarter": 2, "submitted_on": "2022-07-10"}).status_code == 201
        r = post(client, clerk, url, {"year": 2022, "quarter": 2})
        assert r.status_code == 409 and [d["field"] for d in r.json()["detail"]] == ["quarter"]

    def test_certifying_inside_the_notice_names_on(self, client, clerk):
        app = post(client, clerk, "/api/incubators", body()).json()
        url = f"/api/incubators/{app['id']}"
        for step in ("check-materials", "visit-site"):
            post(client, clerk, f"{url}/{step}")
        post(client, clerk, f"{url}/review", {"passed": True})
        post(client, clerk, f"{url}/start-notice", {"published_on": "2022-01-24"})
        r = post(client, clerk, f"{url}/certify", {"on": "2022-01-28"})  # 5th working day: still in the notice
        assert r.status_code == 409 and [d["field"] for d in r.json()["detail"]] == ["on"]

    def test_the_ban_names_the_operator(self, client, clerk):
        app = certify_one(client, clerk)
        post(client, clerk, f"/api/incubators/{app['id']}/revoke",
             {"ground": "（四）", "reason": "拒不报送", "revoked_on": "2022-06-01"})
        r = post(client, clerk, "/api/incubators", body(applied_on="2023-01-04"))
        assert r.status_code == 409 and [d["field"] for d in r.json()["detail"]] == ["credit_code"]

    def test_one_unmet_condition_is_named_several_name_the_facts(self, client, clerk):
        small = post(client, clerk, "/api/incubators", body(facts={**body()["facts"], "incubation_area_m2": 1499}))
        r = post(client, clerk, f"/api/incubators/{small.json()['id']}/check-materials")
        assert r.status_code == 409 and [d["field"] for d in r.json()["detail"]] == ["facts.incubation_area_m2"]
        bare = post(client, clerk, "/api/incubators", body(facts={}, credit_code="91110101MA00000002"))
        r = post(client, clerk, f"/api/incubators/{bare.json()['id']}/check-materials")
        assert r.status_code == 409 and [d["field"] for d in r.json()["detail"]] == ["facts"]
