"""Authority comes from the posts held on the day (东政办发〔2021〕18号, SPEC §1): a leader account whose person holds
no post today — removed by a 免去, or never appointed — is refused every action; one who holds a post is not."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from dongcheng.audit.service import SYSTEM
from dongcheng.auth.service import create_user
from dongcheng.core.time import today_local
from dongcheng.directory.models import Person
from dongcheng.directory.service import find_unit, posts_held, record_appointment
from tests.emergency.incidents.test_api import body

REMOVAL = "东政任〔2026〕99号（测试）"


@pytest.fixture
def removed(db) -> str:
    """A leader account whose person's only tenure ended: appointed in 2022, removed (免去) with effect today."""
    bureau = find_unit(db, "区应急局")
    tenure = record_appointment(db, actor=SYSTEM, person_name="王离任", unit=bureau, title="副局长", action="任命",
                                effective_on=date(2022, 1, 1), document="东政任〔2022〕99号（测试）")
    record_appointment(db, actor=SYSTEM, person_name="王离任", unit=bureau, title="副局长", action="免去",
                       effective_on=today_local(), document=REMOVAL)
    person = db.get(Person, tenure.person_id)
    assert posts_held(db, person.id, today_local() - timedelta(days=1)) and not posts_held(db, person.id)
    create_user(db, actor=SYSTEM, username="wang.former", password="demo-password", display_name="王离任",
                role="leader", person=person, is_demo=True)
    db.commit()
    return "wang.former"


@pytest.fixture
def never_appointed(postless_leader) -> str:
    return postless_leader("zhao.none", "赵无职")


def actions(client, headers, incident_id: int) -> dict[str, int]:
    """Each leader action on an incident, in the order a response runs, with the status it got."""
    path = f"/api/incidents/{incident_id}"
    return {
        "grade": client.post(f"{path}/grade", headers=headers, json={"grade": "重大", "reason": "3 人死亡"}).status_code,
        "designate": client.post(f"{path}/designate-lead", headers=headers,
                                 json={"unit": "区应急局", "reason": "类别未明，指定牵头部门"}).status_code,
        "handover": client.post(f"{path}/handover", headers=headers, json={"reason": "市级指挥部成立"}).status_code,
        "end": client.post(f"{path}/end", headers=headers, json={"reason": "处置完毕"}).status_code,
    }


@pytest.mark.parametrize("who", ["removed", "never_appointed"])
def test_a_leader_without_a_post_today_is_refused_every_action(request, client, login, who):
    headers = login(request.getfixturevalue(who))
    r = client.post("/api/incidents", json=body(event_type=None), headers=headers)
    assert r.status_code == 403, r.text
    error = r.json()["error"]
    assert "职务" in error["msg_zh"] and "post" in error["msg_en"]
    inc = client.post("/api/incidents", json=body(event_type=None), headers=login("duty")).json()
    assert actions(client, headers, inc["id"]) == {"grade": 403, "designate": 403, "handover": 403, "end": 403}
    assert client.get("/api/audit", headers=headers).status_code == 403
    assert client.get(f"/api/incidents/{inc['id']}", headers=login("duty")).json()["status"] != "ended"


def test_a_leader_holding_a_post_still_acts(client, login):
    headers = login("sun.yang")
    r = client.post("/api/incidents", json=body(event_type=None), headers=headers)
    assert r.status_code == 201, r.text
    assert actions(client, headers, r.json()["id"]) == {"grade": 200, "designate": 200, "handover": 200, "end": 200}
    assert client.get("/api/audit", headers=headers).status_code == 200


def test_me_still_answers_with_no_posts(client, login, never_appointed):
    """Who am I is not an action: the account sees that it holds no post."""
    r = client.get("/api/auth/me", headers=login(never_appointed))
    assert r.status_code == 200 and r.json()["posts"] == []


def test_the_home_page_offers_a_post_less_leader_nothing_that_needs_a_post(client, login, never_appointed):
    """The home page's counts and links (incident board, warning inbox) need a post today; a leader without one is
    told so instead of being sent to pages that answer 403."""
    headers = {**login(never_appointed), "Accept": "text/html"}
    home = client.get("/", headers=headers)
    assert home.status_code == 200
    assert 'id="waiting"' not in home.text
    assert "未结束的突发事件" not in home.text and "/warnings#inbox" not in home.text
    assert "您今日未担任任何职务" in home.text
    assert client.get("/incidents/board", headers=headers).status_code == 403  # what the links would have led to
    leader = client.get("/", headers={**login("sun.yang"), "Accept": "text/html"})
    assert 'id="waiting"' in leader.text and "未结束的突发事件" in leader.text and "您今日未担任任何职务" not in leader.text
