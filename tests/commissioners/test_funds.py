"""The fund application through its approval chain (东人社发〔2021〕112号 第五条), the 附件2 self-report (第九条), and a
street's clerk acting only for that street (第二条)."""
from __future__ import annotations

import pytest

from dongcheng.audit.service import SYSTEM
from dongcheng.auth.service import create_user
from dongcheng.commissioners.models import FundApplication
from dongcheng.core.errors import DomainError
from dongcheng.core.transition import move
from dongcheng.directory.service import find_unit

BASE = "/api/commissioners"
CHAIN = ("review", "centre-meeting", "bureau-meeting", "party-group", "disburse")


@pytest.fixture
def clerk(login):
    return login("clerk.rsj")


@pytest.fixture
def street_clerk(db, login):
    """A clerk of 东四街道's 便民服务中心 (112号 第二条: 各街道便民服务中心)."""
    for name, unit in (("bmfw.dongsi", "东四街道"), ("ldzx", "区劳动服务管理中心")):
        create_user(db, actor=SYSTEM, username=name, password="demo-password", display_name=name, role="clerk",
                    unit=find_unit(db, unit), is_demo=True)
    db.commit()
    return login("bmfw.dongsi")


def hired(client, clerk, street="东四街道"):
    client.put(f"{BASE}/streets/{street}/retirees", headers=clerk, json={"retirees": 2000})
    r = client.post(BASE, headers=clerk, json={"name": "王秀兰", "street": street, "route": "retiree",
                                                "birth_date": "1960-05-01", "start_on": "2022-01-01"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_the_chain_to_disbursement_and_the_self_report(client, clerk):
    hired(client, clerk)
    r = client.post(f"{BASE}/fund-applications", headers=clerk, json={"street": "东四街道", "year": 2022})
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["total"] == 12 * 1700 + 12_000 + 200 and app["next_steps"] == ["review", "reject"]
    assert client.post(f"{BASE}/fund-applications", headers=clerk,
                       json={"street": "东四街道", "year": 2022}).status_code == 409
    url = f"{BASE}/fund-applications/{app['id']}"
    assert client.post(f"{url}/steps/party-group", headers=clerk, json={}).status_code == 409
    assert client.post(f"{url}/self-report", headers=clerk, json={}).status_code == 409
    for step in CHAIN:
        r = client.post(f"{url}/steps/{step}", headers=clerk, json={"on": "2022-02-01"})
        assert r.status_code == 200, (step, r.text)
    done = r.json()
    assert done["status"] == "disbursed" and [s["step"] for s in done["steps"]] == ["submit", *CHAIN]
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
    assert client.post(url, headers=login("ldzx"), json={}).status_code == 200  # the centre reviews


def test_two_reviewers_at_once_move_the_application_once(db, client, clerk):
    """Both read the application as submitted; the first reviews it, the second's conditional UPDATE finds nothing."""
    hired(client, clerk)
    app_id = client.post(f"{BASE}/fund-applications", headers=clerk, json={"street": "东四街道", "year": 2022}).json()["id"]
    stale = db.get(FundApplication, app_id)
    db.expunge(stale)  # the second reviewer's copy, read before the first acted
    assert client.post(f"{BASE}/fund-applications/{app_id}/steps/review", headers=clerk, json={}).status_code == 200
    with pytest.raises(DomainError) as err:
        move(db, stale, "reviewed", what_zh="该申请", what_en="this application", steps=[])
    assert err.value.status_code == 409 and err.value.en == "Someone else acted on this application first; reload"
    assert db.get(FundApplication, app_id).version == 2
