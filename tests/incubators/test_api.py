"""The incubator API end to end (东人社发〔2021〕101号): application, 第八条 steps, notice, certification, revocation."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from dongcheng.auth.models import User
from dongcheng.auth.service import caller_for
from dongcheng.core.errors import DomainError
from dongcheng.core.time import today_local
from dongcheng.core.transition import move
from dongcheng.incubators import service
from dongcheng.incubators.enums import Action, Status
from dongcheng.incubators.models import IncubatorApplication
from dongcheng.incubators.schemas import NoteIn

CODE = "91110101MA00000001"
FACTS = {
    "legal_entity_in_dongcheng": True, "tax_registered_in_dongcheng": True, "social_insurance_in_dongcheng": True,
    "incubation_main_business": True, "no_violations": True, "no_open_disputes": True,
    "operating_since": "2019-01-01", "incubation_area_m2": 1500, "management_and_services": True,
    "utilisation_pct": [80, 90], "incubated_entities": [20, 25], "jobs": [300, 310], "success_rate_pct": 60,
    "renewal_pct": [15, 18], "service_activities": True}


def body(**over) -> dict:
    return {"base_name": "东城创业园", "operator_name": "北京东城孵化运营有限公司", "credit_code": CODE,
            "address": "东城区东四北大街1号", "applied_on": "2022-01-04", "facts": FACTS, **over}


@pytest.fixture
def clerk(login):
    return login("clerk.rsj")


def post(client, headers, url, json=None):
    return client.post(url, headers=headers, json=json if json is not None else {})


def certify_one(client, clerk, **over) -> dict:
    app = post(client, clerk, "/api/incubators", body(**over)).json()
    for step in ("check-materials", "visit-site"):
        assert post(client, clerk, f"/api/incubators/{app['id']}/{step}").status_code == 200
    assert post(client, clerk, f"/api/incubators/{app['id']}/review", {"passed": True}).status_code == 200
    r = post(client, clerk, f"/api/incubators/{app['id']}/start-notice", {"published_on": "2022-01-24"})
    assert r.status_code == 200
    r = post(client, clerk, f"/api/incubators/{app['id']}/certify", {"on": "2022-02-07"})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_whole_flow(client, clerk):
    r = post(client, clerk, "/api/incubators", body())
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["status"] == "applied" and app["eligibility"]["result"] == "met"
    assert len(app["eligibility"]["criteria"]) == 15
    area = next(c for c in app["eligibility"]["criteria"] if c["key"] == "incubation_area_m2")
    assert area == {**area, "required": "不少于1500平方米", "actual": "1500平方米", "outcome": "met",
                    "basis": "东人社发〔2021〕101号 第七条（二）"}
    done = certify_one(client, clerk, credit_code="91110101MA00000002")
    assert done["status"] == "certified" and done["certified_on"] == "2022-02-07"
    assert done["notice"]["ends_on"] == "2022-01-29" and done["notice"]["provisional"] is False
    assert [e["action"] for e in done["timeline"]] == [
        "apply", "check-materials", "visit-site", "review", "start-notice", "certify"]
    public = client.get("/api/public/incubators").json()
    assert [p["base_name"] for p in public] == ["东城创业园"]
    assert public[0]["basis"] == "东人社发〔2021〕101号 第八条（三）"


def test_step_out_of_order_is_409(client, clerk):
    app = post(client, clerk, "/api/incubators", body()).json()
    r = post(client, clerk, f"/api/incubators/{app['id']}/certify")
    assert r.status_code == 409
    assert post(client, clerk, f"/api/incubators/{app['id']}/start-notice").status_code == 409


def test_materials_check_refused_when_a_condition_fails(client, clerk):
    app = post(client, clerk, "/api/incubators", body(facts={**FACTS, "incubation_area_m2": 1499})).json()
    assert app["eligibility"]["result"] == "not_met"
    r = post(client, clerk, f"/api/incubators/{app['id']}/check-materials")
    assert r.status_code == 409 and "孵化场所面积" in r.json()["error"]["msg_zh"]


def test_certify_waits_for_the_notice_and_objections(client, clerk):
    app = post(client, clerk, "/api/incubators", body()).json()
    url = f"/api/incubators/{app['id']}"
    for step in ("check-materials", "visit-site"):
        post(client, clerk, f"{url}/{step}")
    post(client, clerk, f"{url}/review", {"passed": True})
    today = today_local()
    notice = post(client, clerk, f"{url}/start-notice", {"published_on": today.isoformat()}).json()["notice"]
    assert date.fromisoformat(notice["ends_on"]) >= today + timedelta(days=5)
    r = post(client, clerk, f"{url}/certify")
    assert r.status_code == 409 and "公示期" in r.json()["error"]["msg_zh"]
    assert post(client, clerk, f"{url}/objections", {"text": "面积不实"}).json()["notice"]["open_objections"] == 1
    r = post(client, clerk, f"{url}/resolve-objection", {"upheld": True, "note": "核实面积不足"})
    assert r.json()["status"] == "rejected"


def test_provisional_notice_in_an_unpublished_year(client, clerk):
    app = post(client, clerk, "/api/incubators", body()).json()
    url = f"/api/incubators/{app['id']}"
    for step in ("check-materials", "visit-site"):
        post(client, clerk, f"{url}/{step}")
    post(client, clerk, f"{url}/review", {"passed": True})
    notice = post(client, clerk, f"{url}/start-notice", {"published_on": "2099-12-28"}).json()["notice"]
    assert notice["provisional"] is True


def test_direct_recognition(client, clerk):
    app = post(client, clerk, "/api/incubators", body(route="direct", title_level="市级",
                                                      title_name="北京市创业孵化示范基地")).json()
    assert post(client, clerk, f"/api/incubators/{app['id']}/check-materials").status_code == 409
    r = post(client, clerk, f"/api/incubators/{app['id']}/recognise")
    assert r.status_code == 200 and r.json()["status"] == "certified"
    r = post(client, clerk, "/api/incubators", body(route="direct"))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "title_level"


def test_revocation_bans_for_three_years(client, clerk):
    app = certify_one(client, clerk)
    r = post(client, clerk, f"/api/incubators/{app['id']}/revoke",
             {"ground": "（四）", "reason": "连续两季度拒不报送", "revoked_on": "2022-06-01"})
    assert r.status_code == 200 and r.json()["revocation"]["may_reapply_from"] == "2025-06-01"
    assert client.get("/api/public/incubators").json() == []
    refused = post(client, clerk, "/api/incubators", body(applied_on="2025-05-31"))
    assert refused.status_code == 409
    assert "2022-06-01" in refused.json()["error"]["msg_zh"] and "2025-05-31止" in refused.json()["error"]["msg_zh"]
    assert post(client, clerk, "/api/incubators", body(applied_on="2025-06-01")).status_code == 201


def test_reports_and_subsidies(client, clerk):
    app = certify_one(client, clerk)
    url = f"/api/incubators/{app['id']}"
    r = post(client, clerk, f"{url}/reports", {"year": 2022, "quarter": 2, "submitted_on": "2022-07-10"})
    assert r.status_code == 201
    quarters = {q["label"]: q for q in r.json()["quarters"]}
    assert quarters["2022年第2季度"]["status"] == "submitted" and quarters["2022年第3季度"]["status"] == "missing"
    assert post(client, clerk, f"{url}/reports", {"year": 2022, "quarter": 2}).status_code == 409
    s = client.get(f"{url}/subsidies?offline=40&offline=10&online_sessions=2", headers=clerk).json()
    assert s["total"] == 30_000 + 1000 + 250 + 1000


def test_422_names_each_bad_field(client, clerk):
    r = post(client, clerk, "/api/incubators", body(credit_code="x", facts={"utilisation_pct": [80]}))
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert fields == {"credit_code", "facts.utilisation_pct"}
    assert all(d["msg_zh"] and d["msg_en"] for d in r.json()["detail"])


def test_roles(client, login, clerk):
    assert client.get("/api/incubators/999999", headers=clerk).status_code == 404
    for user in ("admin", "duty", "cgw", "sun.yang"):
        assert client.get("/api/incubators", headers=login(user)).status_code == 403
        assert post(client, login(user), "/api/incubators", body()).status_code == 403
    assert client.get("/api/incubators").status_code == 401


def test_two_clerks_at_once_change_state_once(db, client, clerk):
    """Both read the application in 'applied'; the first moves it, the second's conditional UPDATE finds nothing."""
    app_id = post(client, clerk, "/api/incubators", body()).json()["id"]
    caller = caller_for(db, db.scalar(select(User).where(User.username == "clerk.rsj")))
    stale = db.get(IncubatorApplication, app_id)
    db.expunge(stale)  # the second clerk's copy, read before the first acted
    service.act(db, caller=caller, application_id=app_id, action=Action.CHECK_MATERIALS, body=NoteIn())
    with pytest.raises(DomainError) as err:
        move(db, stale, Status.MATERIALS_CHECKED, what_zh="该申请", what_en="this application")
    assert err.value.status_code == 409 and err.value.zh == "该申请已被他人处理，请刷新"
    assert db.get(IncubatorApplication, app_id).version == 2
