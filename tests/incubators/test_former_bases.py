"""The 附件3 route (东人社发〔2021〕101号 第十条, second sentence): 对原经东城区创业带动就业工作领导小组认定的示范基地（附件3），
经评估孵化效果良好，能积极参与东城区创业服务活动的，可继续认定为示范基地. The gazette prints 附件3's title but not its
names, so the clerk records where the base stands in it (``former_recognition``); the assessment's two conditions decide."""
from __future__ import annotations

import pytest

from dongcheng.incubators import rules
from dongcheng.incubators.enums import Action, Route, Status
from tests.incubators.test_api import body, post

HTML = {"Accept": "text/html"}


class TestRules:
    def test_a_former_base_names_its_entry_in_annex_3(self):
        refused = rules.check_former_recognition(Route.FORMER, None)
        assert refused.status == 422 and refused.field == "former_recognition" and refused.basis.clause == "第十条"
        assert rules.check_former_recognition(Route.FORMER, "附件3第2项").allowed
        assert rules.check_former_recognition(Route.STANDARD, None).allowed

    @pytest.mark.parametrize(("good", "active", "to"), [
        (True, True, Status.CERTIFIED), (False, True, Status.REJECTED), (True, False, Status.REJECTED),
        (False, False, Status.REJECTED)])
    def test_both_conditions_of_the_assessment_continue_the_title(self, good, active, to):
        assert rules.leads_to(Status.APPLIED, Action.CONTINUE, good_incubation=good, active_in_services=active) == to

    def test_the_route_takes_only_its_own_step(self):
        assert rules.route_allows(Route.FORMER, Action.CONTINUE).allowed
        for action in (Action.CHECK_MATERIALS, Action.RECOGNISE, Action.CERTIFY):
            assert rules.route_allows(Route.FORMER, action).status == 409
        for route in (Route.STANDARD, Route.DIRECT):
            assert rules.route_allows(route, Action.CONTINUE).status == 409

    def test_the_basis_is_the_second_sentence_of_article_10(self):
        for basis in (rules.route_basis(Route.FORMER), rules.title_basis(Route.FORMER),
                      rules.application_basis(Route.FORMER)):
            assert basis.clause == "第十条" and "附件3" in basis.note


@pytest.fixture
def clerk(login):
    return login("clerk.rsj")


def former(client, clerk, **over):
    return post(client, clerk, "/api/incubators",
                body(route="former", former_recognition="附件3所列：东城区创业孵化示范基地（原领导小组认定）", facts={},
                     **over))


class TestApi:
    def test_assessed_well_it_is_certified_and_public(self, client, clerk):
        r = former(client, clerk)
        assert r.status_code == 201, r.text
        app = r.json()
        assert app["route"] == "former" and "附件3" in app["basis"] and app["former_recognition"].startswith("附件3")
        r = post(client, clerk, f"/api/incubators/{app['id']}/continue",
                 {"good_incubation": True, "active_in_services": True, "assessment": "孵化效果良好，积极参与大赛"})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "certified" and r.json()["certified_on"]
        (shown,) = client.get("/api/public/incubators").json()
        assert shown["route"] == "former" and "附件3" in shown["basis"]
        assert client.get(f"/api/incubators/{app['id']}/subsidies", headers=clerk).json()["total"] == 30_000

    def test_not_active_in_the_districts_activities_it_is_not_continued(self, client, clerk):
        app = former(client, clerk).json()
        r = post(client, clerk, f"/api/incubators/{app['id']}/continue",
                 {"good_incubation": True, "active_in_services": False, "assessment": "近年未参加创业服务活动"})
        assert r.status_code == 200 and r.json()["status"] == "rejected"
        assert "未参与" in r.json()["outcome_note"] or "积极参与" in r.json()["outcome_note"]

    def test_without_its_annex_3_entry_it_is_refused_naming_the_field(self, client, clerk):
        r = post(client, clerk, "/api/incubators", body(route="former", facts={}))
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["former_recognition"]

    def test_the_assessment_needs_its_conclusion(self, client, clerk):
        app = former(client, clerk).json()
        r = post(client, clerk, f"/api/incubators/{app['id']}/continue", {"good_incubation": True})
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"active_in_services", "assessment"}

    def test_a_standard_application_cannot_take_this_route(self, client, clerk):
        app = post(client, clerk, "/api/incubators", body()).json()
        r = post(client, clerk, f"/api/incubators/{app['id']}/continue",
                 {"good_incubation": True, "active_in_services": True, "assessment": "x"})
        assert r.status_code == 409


def test_the_page_files_and_continues_a_former_base(client, clerk):
    import re

    page = client.get("/incubators/new", headers={**HTML, **clerk}).text
    assert 'value="former"' in page and 'name="former_recognition"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "base_name": "东四老基地", "operator_name": "北京东四运营有限公司",
            "credit_code": "91110101MA00000007", "address": "东城区东四十条2号", "route": "former",
            "former_recognition": "附件3所列第1项"}
    r = client.post("/incubators/new", data=form, headers={**HTML, **clerk}, follow_redirects=False)
    assert r.status_code == 303, r.text[:600]
    url = r.headers["location"].split("?")[0]
    page = client.get(url, headers={**HTML, **clerk}).text
    assert 'id="step-continue"' in page and "附件3所列第1项" in page
    r = client.post(f"{url}/steps/continue", headers={**HTML, **clerk}, follow_redirects=False,
                    data={"csrf_token": token, "good_incubation": "yes", "active_in_services": "yes",
                          "assessment": "评估良好"})
    assert r.status_code == 303
    assert "已认定" in client.get(url, headers={**HTML, **clerk}).text
