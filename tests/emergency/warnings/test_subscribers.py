"""The §3.2.8 subscriber registry: register, find, change, unsubscribe; a street manages only its own residents."""
from __future__ import annotations

from sqlalchemy import select

from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry

ELDER = {"kind": "resident", "name": "王奶奶", "street": "东四街道", "contact": "13800000001",
         "channels": ["手机短信"], "vulnerable_groups": ["老"]}


def register(client, headers, **over):
    r = client.post("/api/warnings/subscribers", json={**ELDER, **over}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


class TestRegister:
    def test_an_elderly_resident_is_registered_for_a_targeted_notice(self, client, as_):
        sub = register(client, as_("street.dongsi"))
        assert sub["street"] == "东四街道" and sub["targeted"] is True and sub["active"] is True
        shown = client.get(f"/api/warnings/subscribers/{sub['id']}", headers=as_("duty")).json()
        assert shown["vulnerable_groups"] == ["老"] and shown["contact"] == "13800000001"

    def test_unknown_channel_group_and_place_are_named(self, client, as_):
        r = client.post("/api/warnings/subscribers", headers=as_("duty"), json={
            **ELDER, "channels": ["飞鸽传书"], "vulnerable_groups": ["青"], "special_place": "商场", "street": "海淀"})
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"channels", "vulnerable_groups", "special_place", "street"}

    def test_no_channel_at_all_is_refused(self, client, as_):
        r = client.post("/api/warnings/subscribers", headers=as_("duty"), json={**ELDER, "channels": []})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "channels"

    def test_a_street_cannot_register_residents_of_another_street(self, client, as_):
        r = client.post("/api/warnings/subscribers", headers=as_("street.dongsi"), json={**ELDER, "street": "景山街道"})
        assert r.status_code == 403


class TestFind:
    def test_list_filters_by_street_and_name_and_counts_all_matches(self, client, as_):
        duty = as_("duty")
        for i in range(3):
            register(client, duty, name=f"居民{i}", contact=f"1390000000{i}", vulnerable_groups=[])
        register(client, duty, street="景山街道", name="景山居民", vulnerable_groups=[])
        page = client.get("/api/warnings/subscribers", params={"street": "东四街道", "limit": 2}, headers=duty).json()
        assert page["total"] == 3 and len(page["items"]) == 2
        assert {s["street"] for s in page["items"]} == {"东四街道"}
        found = client.get("/api/warnings/subscribers", params={"q": "景山"}, headers=duty).json()
        assert [s["name"] for s in found["items"]] == ["景山居民"]

    def test_percent_and_underscore_in_a_search_are_the_characters_not_wildcards(self, client, as_):
        duty = as_("duty")
        register(client, duty, name="张三", contact="13900000010", vulnerable_groups=[])
        register(client, duty, name="李_四", contact="13900000011", vulnerable_groups=[])
        register(client, duty, name="王100%", contact="13900000012", vulnerable_groups=[])
        def names(q):
            return {s["name"] for s in client.get("/api/warnings/subscribers", params={"q": q}, headers=duty).json()["items"]}
        assert names("%") == {"王100%"}  # not every subscriber
        assert names("_") == {"李_四"}
        assert names("李_") == {"李_四"} and names("张_") == set()
        assert names("\\") == set()  # the escape character itself is only a character

    def test_a_street_sees_only_its_own_residents(self, client, as_):
        register(client, as_("duty"), street="景山街道", name="景山居民")
        mine = register(client, as_("street.dongsi"))
        page = client.get("/api/warnings/subscribers", headers=as_("street.dongsi")).json()
        assert [s["id"] for s in page["items"]] == [mine["id"]]
        assert client.get("/api/warnings/subscribers", params={"street": "景山街道"},
                          headers=as_("street.dongsi")).status_code == 403
        other = client.get("/api/warnings/subscribers", params={"street": "景山街道"}, headers=as_("duty")).json()
        assert client.get(f"/api/warnings/subscribers/{other['items'][0]['id']}",
                          headers=as_("street.dongsi")).status_code == 403

    def test_a_department_that_is_not_a_street_must_name_one(self, client, as_):
        assert client.get("/api/warnings/subscribers", headers=as_("cgw")).status_code == 403

    def test_unknown_subscriber_is_404(self, client, as_):
        assert client.get("/api/warnings/subscribers/999999", headers=as_("duty")).status_code == 404


class TestChange:
    def test_clearing_the_last_flag_ends_targeting_and_is_audited(self, client, as_, db):
        sub = register(client, as_("street.dongsi"))
        r = client.patch(f"/api/warnings/subscribers/{sub['id']}", headers=as_("street.dongsi"),
                         json={"vulnerable_groups": [], "channels": ["手机短信", "手机客户端"]})
        assert r.status_code == 200, r.text
        assert r.json()["targeted"] is False and r.json()["channels"] == ["手机短信", "手机客户端"]
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "warnings.subscriber_update",
                                                   AuditEntry.target_id == str(sub["id"])))
        # the flag is personal data (老幼病残孕): the entry proves the change by digest, not the values
        assert entry.before["targeted"] != entry.after["targeted"]
        assert entry.before["targeted"]["digest"] == audit.personal_digest("subscriber", sub["id"], "targeted", True)
        assert entry.after["targeted"]["digest"] == audit.personal_digest("subscriber", sub["id"], "targeted", False)

    def test_a_special_place_can_be_set_and_cleared(self, client, as_):
        sub = register(client, as_("duty"), vulnerable_groups=[], kind="unit", name="东四小学")
        url = f"/api/warnings/subscribers/{sub['id']}"
        assert client.patch(url, headers=as_("duty"), json={"special_place": "学校"}).json()["targeted"] is True
        cleared = client.patch(url, headers=as_("duty"), json={"special_place": None}).json()
        assert cleared["special_place"] is None and cleared["targeted"] is False

    def test_bad_change_saves_nothing(self, client, as_):
        sub = register(client, as_("duty"))
        r = client.patch(f"/api/warnings/subscribers/{sub['id']}", headers=as_("duty"),
                         json={"name": "新名字", "channels": ["飞鸽传书"]})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "channels"
        assert client.get(f"/api/warnings/subscribers/{sub['id']}", headers=as_("duty")).json()["name"] == "王奶奶"

    def test_moving_a_resident_to_another_street_needs_authority_there(self, client, as_):
        sub = register(client, as_("street.dongsi"))
        r = client.patch(f"/api/warnings/subscribers/{sub['id']}", headers=as_("street.dongsi"),
                         json={"street": "景山街道"})
        assert r.status_code == 403


class TestUnsubscribe:
    def test_unsubscribed_residents_leave_the_list_and_the_counts_but_stay_on_record(self, client, as_):
        duty = as_("duty")
        sub = register(client, duty)
        before = {s["street"]: s["subscribers"] for s in client.get("/api/warnings/subscribers/stats",
                                                                      headers=duty).json()}
        r = client.post(f"/api/warnings/subscribers/{sub['id']}/unsubscribe", headers=duty, json={"reason": "搬离"})
        assert r.status_code == 200 and r.json()["active"] is False
        after = {s["street"]: s["subscribers"] for s in client.get("/api/warnings/subscribers/stats",
                                                                     headers=duty).json()}
        assert after.get("东四街道", 0) == before["东四街道"] - 1
        listed = client.get("/api/warnings/subscribers", params={"street": "东四街道"}, headers=duty).json()
        assert sub["id"] not in [s["id"] for s in listed["items"]]
        kept = client.get("/api/warnings/subscribers", params={"street": "东四街道", "include_inactive": True},
                          headers=duty).json()
        assert sub["id"] in [s["id"] for s in kept["items"]]
        again = client.post(f"/api/warnings/subscribers/{sub['id']}/unsubscribe", headers=duty, json={})
        assert again.status_code == 409
        assert client.patch(f"/api/warnings/subscribers/{sub['id']}", headers=duty,
                            json={"name": "x"}).status_code == 409
