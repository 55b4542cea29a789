"""The fund application through its approval chain (东人社发〔2021〕112号 第五条), the 附件2 self-report (第九条), and a
street's clerk acting only for that street (第二条)."""
from __future__ import annotations

import pytest

from dongcheng.commissioners.models import FundApplication
from dongcheng.core.errors import DomainError
from dongcheng.core.transition import move

BASE = "/api/commissioners"
CHAIN = ("review", "centre-meeting", "bureau-meeting", "party-group", "disburse")


@pytest.fixture
def clerk(login):
    return login("clerk.rsj")


@pytest.fixture
def street_clerk(login):
    """A clerk of 东四街道's 便民服务中心 (112号 第二条: 各街道便民服务中心; a demo user)."""
    return login("bmfw.dongsi")


# Who takes each step in the demo (112号 第五条; no one takes two steps of one application)
BY = {"review": "ldzx.review", "centre-meeting": "ldzx.office", "bureau-meeting": "clerk.rsj",
      "party-group": "rsj.party", "disburse": "ldzx.pay"}


def hired(client, clerk, street="东四街道"):
    client.put(f"{BASE}/streets/{street}/retirees", headers=clerk, json={"retirees": 2000})
    r = client.post(BASE, headers=clerk, json={"name": "王秀兰", "street": street, "route": "retiree",
                                                "birth_date": "1960-05-01", "start_on": "2022-01-01"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_the_chain_to_disbursement_and_the_self_report(client, clerk, street_clerk, login):
    hired(client, clerk)
    r = client.post(f"{BASE}/fund-applications", headers=street_clerk, json={"street": "东四街道", "year": 2022})
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["total"] == 12 * 1700 + 12_000 + 200 and app["next_steps"] == ["review", "reject"]
    assert client.post(f"{BASE}/fund-applications", headers=clerk,
                       json={"street": "东四街道", "year": 2022}).status_code == 409
    url = f"{BASE}/fund-applications/{app['id']}"
    assert client.post(f"{url}/steps/party-group", headers=clerk, json={}).status_code == 409
    assert client.post(f"{url}/self-report", headers=clerk, json={}).status_code == 409
    for step in CHAIN:
        r = client.post(f"{url}/steps/{step}", headers=login(BY[step]), json={"on": "2022-02-01"})
        assert r.status_code == 200, (step, r.text)
    done = r.json()
    assert done["status"] == "disbursed" and [s["step"] for s in done["steps"]] == ["submit", *CHAIN]
    assert [s["actor"] for s in done["steps"]] == ["bmfw.dongsi", *BY.values()]
    assert all(s["basis"].startswith("东人社发〔2021〕112号 第五条") for s in done["steps"])
    assert done["self_report"]["due_on"] == "2023-03-31"
    r = client.post(f"{url}/self-report", headers=clerk, json={"submitted_on": "2023-04-01"})
    assert r.json()["self_report"]["status"] == "late"


def test_insurance_over_200_and_no_paid_commissioner(client, clerk):
    r = client.post(f"{BASE}/fund-applications", headers=clerk,
                    json={"street": "东四街道", "year": 2022, "insurance_per_person": 201})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "insurance_per_person"
    r = client.post(f"{BASE}/fund-applications", headers=clerk, json={"street": "景山街道", "year": 2022})
    assert r.status_code == 409 and "第三条" in r.json()["error"]["msg_zh"]
    assert client.get(f"{BASE}/fund-applications/999999", headers=clerk).status_code == 404


def test_a_street_clerk_acts_for_its_street_only(client, clerk, street_clerk, login):
    hired(client, street_clerk)
    r = client.post(BASE, headers=street_clerk, json={"name": "李", "street": "景山街道", "route": "public_welfare",
                                                       "start_on": "2022-01-01"})
    assert r.status_code == 403 and "本街道" in r.json()["error"]["msg_zh"]
    assert [s["street"] for s in client.get(f"{BASE}/streets", headers=street_clerk).json()] == ["东四街道"]
    assert client.get(f"{BASE}/pay-sheet", headers=street_clerk,
                      params={"street": "景山街道", "year": 2022, "month": 1}).status_code == 403
    app = client.post(f"{BASE}/fund-applications", headers=street_clerk, json={"street": "东四街道", "year": 2022})
    assert app.status_code == 201
    url = f"{BASE}/fund-applications/{app.json()['id']}/steps/review"
    r = client.post(url, headers=street_clerk, json={})
    assert r.status_code == 403 and "区劳动服务管理中心审核" in r.json()["error"]["msg_zh"]
    assert client.post(url, headers=login("ldzx.review"), json={}).status_code == 200  # the centre reviews


def test_each_step_by_the_body_the_article_names(client, clerk, street_clerk, login):
    """112号 第五条: 劳服中心审核, 劳服中心主任办公会, 局长办公会 and 局党组会 (the bureau), 劳服中心拨付."""
    hired(client, clerk)
    url = f"{BASE}/fund-applications/" + str(client.post(f"{BASE}/fund-applications", headers=street_clerk,
                                                         json={"street": "东四街道", "year": 2022}).json()["id"])
    r = client.post(f"{url}/steps/review", headers=clerk, json={})  # the bureau does not review
    assert r.status_code == 403 and r.json()["error"]["msg_zh"] == "“劳服中心审核合格”由区劳动服务管理中心办理（112号 第五条）"
    assert client.post(f"{url}/steps/review", headers=login("ldzx.review"), json={}).status_code == 200
    assert client.post(f"{url}/steps/centre-meeting", headers=login("ldzx.office"), json={}).status_code == 200
    r = client.post(f"{url}/steps/bureau-meeting", headers=login("ldzx.pay"), json={})  # the centre's is not the 局's
    assert r.status_code == 403 and "由区人力社保局办理" in r.json()["error"]["msg_zh"]
    r = client.post(f"{url}/steps/reject", headers=login("ldzx.pay"), json={})  # 退回 by the body whose step is due
    assert r.status_code == 403 and "由区人力社保局办理" in r.json()["error"]["msg_zh"]
    assert client.post(f"{url}/steps/bureau-meeting", headers=clerk, json={}).status_code == 200


def test_one_user_cannot_take_two_steps_of_one_application(client, clerk, street_clerk, login):
    hired(client, clerk)
    app_id = client.post(f"{BASE}/fund-applications", headers=street_clerk,
                         json={"street": "东四街道", "year": 2022}).json()["id"]
    url = f"{BASE}/fund-applications/{app_id}/steps"
    reviewer = login("ldzx.review")
    assert client.post(f"{url}/review", headers=reviewer, json={}).status_code == 200
    r = client.post(f"{url}/centre-meeting", headers=reviewer, json={})
    assert r.status_code == 403
    assert r.json()["error"]["msg_zh"] == "您已办理本申请的另一环节，此环节须由他人办理（职责分离）"
    assert client.post(f"{url}/centre-meeting", headers=login("ldzx.office"), json={}).status_code == 200
    assert client.post(f"{url}/bureau-meeting", headers=clerk, json={}).status_code == 200
    assert client.post(f"{url}/party-group", headers=clerk, json={}).status_code == 403  # clerk.rsj held the 局长办公会
    # the filer cannot review their own application either
    hired(client, clerk, street="景山街道")
    filed_by_centre = client.post(f"{BASE}/fund-applications", headers=reviewer, json={"street": "景山街道", "year": 2022})
    assert filed_by_centre.status_code == 201, filed_by_centre.text
    r = client.post(f"{BASE}/fund-applications/{filed_by_centre.json()['id']}/steps/review", headers=reviewer, json={})
    assert r.status_code == 403 and "职责分离" in r.json()["error"]["msg_zh"]


def test_two_reviewers_at_once_move_the_application_once(db, client, clerk, login):
    """Both read the application as submitted; the first reviews it, the second's conditional UPDATE finds nothing."""
    hired(client, clerk)
    app_id = client.post(f"{BASE}/fund-applications", headers=clerk, json={"street": "东四街道", "year": 2022}).json()["id"]
    stale = db.get(FundApplication, app_id)
    db.expunge(stale)  # the second reviewer's copy, read before the first acted
    assert client.post(f"{BASE}/fund-applications/{app_id}/steps/review", headers=login("ldzx.review"),
                       json={}).status_code == 200
    with pytest.raises(DomainError) as err:
        move(db, stale, "reviewed", what_zh="该申请", what_en="this application", steps=[])
    assert err.value.status_code == 409 and err.value.en == "Someone else acted on this application first; reload"
    assert db.get(FundApplication, app_id).version == 2
