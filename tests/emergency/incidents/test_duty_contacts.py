"""Duty contacts (where the reporting clock's escalation waves go) on the API and the administrator's page: listed,
added by unit or by leader seat (never a person), removed — the same service functions as ``dongcheng duty-contacts``,
each change audited without the address; refused in words to every other role."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.emergency.incidents import escalation
from tests.web.test_steps import HTML, shown, step  # noqa: F401  (fixture)

API = "/api/duty-contacts"
PAGE = "/duty-contacts"


@pytest.fixture
def admin(login):
    return login("admin")


def listing(client, headers) -> list[tuple]:
    r = client.get(API, headers=headers)
    assert r.status_code == 200, r.text
    return [(c["kind"], c["unit"], c["post"], c["channel"], c["contact"], c["label"]) for c in r.json()]


class TestApi:
    def test_added_by_unit_and_by_seat_listed_and_removed(self, client, admin, db):
        before = listing(client, admin)
        r = client.post(API, headers=admin, json={"unit": "区城管委", "contact": "010-64000001"})  # an alias
        assert r.status_code == 201, r.text
        unit = r.json()
        assert (unit["kind"], unit["unit"], unit["post"], unit["label"], unit["channel"]) == (
            "unit", "区城市管理委", None, "值班室", "sms")
        r = client.post(API, headers=admin, json={"post": "executive-vice-mayor", "contact": "010-64000002",
                                                  "label": "办公室"})
        seat = r.json()
        assert r.status_code == 201 and seat["kind"] == "post" and seat["post"] == "executive-vice-mayor"
        assert "常务副区长" in seat["target"] and seat["unit"] is None
        assert sorted(set(listing(client, admin)) - set(before)) == [
            ("post", None, "executive-vice-mayor", "sms", "010-64000002", "办公室"),
            ("unit", "区城市管理委", None, "sms", "010-64000001", "值班室")]
        # The CLI's listing is the same service function: it sees what the API added.
        assert {r.id for r, _ in escalation.duty_contacts(db)} >= {unit["id"], seat["id"]}
        assert client.delete(f"{API}/{unit['id']}", headers=admin).status_code == 204
        assert unit["id"] not in [c["id"] for c in client.get(API, headers=admin).json()]
        assert client.delete(f"{API}/{unit['id']}", headers=admin).status_code == 404
        entries = db.scalars(select(AuditEntry).where(AuditEntry.target_type == "duty_contact",
                                                      AuditEntry.target_id == str(unit["id"]))
                             .order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["incident.duty_contact.add", "incident.duty_contact.remove"]
        assert entries[1].before == {"for": "区城市管理委", "channel": "sms", "label": "值班室"}
        assert all("010-64000001" not in str(e.after) + str(e.before) for e in entries)  # no address in the log

    @pytest.mark.parametrize(("body", "field"), [
        ({"contact": "1"}, "unit"),  # neither a unit nor a seat
        ({"unit": "东四街道", "post": "mayor", "contact": "1"}, "unit"),  # both
        ({"unit": "没有这个单位", "contact": "1"}, "unit"),
        ({"post": "no-such-seat", "contact": "1"}, "post"),
        ({"unit": "东四街道", "contact": "   "}, "contact"),
        ({"unit": "东四街道", "contact": "1", "channel": "SMS!"}, "channel"),
        ({"unit": "东四街道", "contact": "1", "person": "李妍"}, "person"),  # never a person
    ])
    def test_a_bad_field_is_a_422_naming_it(self, client, admin, body, field):
        r = client.post(API, headers=admin, json=body)
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert field in [d["field"] for d in detail] and all(d["msg_zh"] and d["msg_en"] for d in detail)

    def test_the_same_contact_twice_is_a_409(self, client, admin):
        body = {"unit": "东四街道", "contact": "010-64000009"}
        assert client.post(API, headers=admin, json=body).status_code == 201
        r = client.post(API, headers=admin, json=body)
        assert r.status_code == 409 and r.json()["error"]["msg_zh"] == "该联系方式已登记"

    @pytest.mark.parametrize("username", ["duty", "cgw", "sun.yang", "clerk.rsj"])
    def test_every_other_role_is_refused_in_words(self, client, login, username):
        headers = login(username)
        for r in (client.get(API, headers=headers),
                  client.post(API, headers=headers, json={"unit": "东四街道", "contact": "1"})):
            assert r.status_code == 403
            assert r.json()["error"]["msg_zh"].startswith("无权执行此操作：维护参考数据（含报送时限提醒的值班联系方式）")
        assert client.get(API).status_code == 401


class TestPage:
    def test_listed_added_by_unit_and_by_seat_and_removed_with_notices(self, client, admin, step):  # noqa: F811
        html = client.get(PAGE, headers={**HTML, **admin}).text
        assert 'id="duty-contact-form"' in html and 'value="executive-vice-mayor"' in html
        assert '<a href="/duty-contacts" class="active">值班联系方式</a>' in html  # in the nav, highlighted
        r = step(admin, PAGE, PAGE, {"kind": "unit", "unit": "东四街道", "post": "mayor", "channel": "sms",
                                     "label": "值班室", "contact": "010-84000001"})
        assert shown(client, admin, r) == "值班联系方式已登记，报送时限提醒将发往该处"
        added = next(c for c in client.get(API, headers=admin).json() if c["contact"] == "010-84000001")
        assert (added["kind"], added["unit"], added["post"]) == ("unit", "东四街道", None)  # the seat picked is ignored
        assert r.headers["location"].endswith(f"#contact-{added['id']}")
        r = step(admin, PAGE, PAGE, {"kind": "post", "unit": "", "post": "mayor", "channel": "sms", "label": "办公室",
                                     "contact": "010-84000002"})
        assert shown(client, admin, r) == "值班联系方式已登记，报送时限提醒将发往该处"
        seat = next(c for c in client.get(API, headers=admin).json() if c["contact"] == "010-84000002")
        assert (seat["kind"], seat["post"], seat["unit"]) == ("post", "mayor", None)
        html = client.get(PAGE, headers={**HTML, **admin}).text
        card = html.split(f'id="contact-{seat["id"]}"', 1)[1].split("</form>", 1)[0]
        assert "区长" in card and "办公室" in card and "010-84000002" in card
        r = step(admin, PAGE, f"{PAGE}/{added['id']}/remove", {})
        assert shown(client, admin, r) == "值班联系方式已删除，报送时限提醒不再发往该处"
        assert added["id"] not in [c["id"] for c in client.get(API, headers=admin).json()]

    def test_a_missing_field_is_named_by_its_label_and_what_was_typed_is_kept(self, client, admin, step):  # noqa: F811
        before = client.get(API, headers=admin).json()
        r = step(admin, PAGE, PAGE, {"kind": "unit", "unit": "", "contact": "010-84000003"})
        assert r.status_code == 422
        alert = r.text.split('id="duty-contacts-error">', 1)[1].split("</div>", 1)[0]
        assert "单位：" in alert and 'value="010-84000003"' in r.text
        r = step(admin, PAGE, PAGE, {"kind": "post", "post": "mayor", "contact": ""})
        assert r.status_code == 422 and "联系方式：联系方式不能为空" in r.text
        r = step(admin, PAGE, PAGE, {"contact": "010-84000004"})
        assert r.status_code == 422 and "接收方：请选择接收方" in r.text
        assert client.get(API, headers=admin).json() == before  # nothing saved

    @pytest.mark.parametrize("username", ["duty", "cgw", "clerk.rsj"])
    def test_another_role_has_no_link_and_is_refused_in_words(self, client, login, username):
        headers = login(username)
        home = client.get("/", headers={**HTML, **headers}).text
        assert 'href="/duty-contacts"' not in home
        r = client.get(PAGE, headers={**HTML, **headers})
        assert r.status_code == 403 and "维护参考数据（含报送时限提醒的值班联系方式）" in r.text
        assert "可办理的角色：平台管理员" in r.text and 'id="refusal-home" href="/"' in r.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
        r = client.post(PAGE, headers={**HTML, **headers}, follow_redirects=False,
                        data={"csrf_token": token, "kind": "unit", "unit": "东四街道", "contact": "010-84000005"})
        assert r.status_code == 403
