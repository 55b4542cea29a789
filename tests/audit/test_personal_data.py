"""Personal data stays where its owner can see it (issue 9 item 4): the audit log keeps a digest of residents' names,
phone numbers and 老幼病残孕 flags (§3.2.8) and of commissioners' identities, never the values, and the chain still
verifies."""
from __future__ import annotations

import json

from sqlalchemy import select

from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry

PHONE = "13912345678"
RESIDENT = {"kind": "resident", "name": "李奶奶", "street": "东四街道", "contact": PHONE, "channels": ["手机短信"],
            "vulnerable_groups": ["孕"]}
AUDIT_READERS = ("mayor", "sun.yang", "duty", "admin")  # audit.read: leaders, duty officers, admins


def test_no_audit_response_carries_a_residents_phone_to_anyone(client, login, db):
    street = login("street.dongsi")
    sub = client.post("/api/warnings/subscribers", json=RESIDENT, headers=street).json()
    patched = client.patch(f"/api/warnings/subscribers/{sub['id']}", json={"contact": "13912340000"}, headers=street)
    assert patched.status_code == 200
    assert client.post(f"/api/warnings/subscribers/{sub['id']}/unsubscribe", json={"reason": "搬离"},
                       headers=street).status_code == 200
    # a leader may not read the subscriber …
    assert client.get(f"/api/warnings/subscribers/{sub['id']}", headers=login("mayor")).status_code == 403
    for reader in AUDIT_READERS:  # … nor, through the audit log, anything of it; nobody reads the values there
        r = client.get("/api/audit", params={"limit": 500}, headers=login(reader))
        assert r.status_code == 200
        for value in (PHONE, "13912340000", "李奶奶"):
            assert value not in r.text, reader
        entries = [e for e in r.json() if e["target_type"] == "subscriber" and e["target_id"] == str(sub["id"])]
        assert {e["action"] for e in entries} == {"warnings.subscriber_add", "warnings.subscriber_update",
                                                  "warnings.subscriber_remove"}
        add = next(e for e in entries if e["action"] == "warnings.subscriber_add")
        assert add["after"]["street"] == "东四街道" and add["after"]["channels"] == ["手机短信"]  # the rest stays
        assert add["after"]["contact"]["digest"].startswith("hmac-sha256:")
        assert "孕" not in json.dumps(add["after"]["vulnerable_groups"], ensure_ascii=False)
    # the database itself holds digests only, and the chain still verifies over them
    stored = db.scalars(select(AuditEntry).where(AuditEntry.target_type == "subscriber",
                                                 AuditEntry.target_id == str(sub["id"]))).all()
    assert stored and all(PHONE not in json.dumps([e.before, e.after], ensure_ascii=False) for e in stored)
    audit.sequence_all(db)  # the sequencer's work, now (it runs every 200 ms in `serve` and `worker`)
    db.expire_all()
    assert audit.verify(db).ok and all(e.seq is not None for e in stored)
    # the digest proves the value to whoever holds the record (and the platform key), and tells a change apart
    update = next(e for e in stored if e.action == "warnings.subscriber_update")
    assert update.before["contact"]["digest"] == audit.personal_digest("subscriber", sub["id"], "contact", PHONE)
    assert update.after["contact"] != update.before["contact"] and update.after["name"] == update.before["name"]


def test_equal_flags_of_two_residents_do_not_show_as_equal(client, login, db):
    duty = login("duty")
    a = client.post("/api/warnings/subscribers", json={**RESIDENT, "contact": "13900000101"}, headers=duty).json()
    b = client.post("/api/warnings/subscribers", json={**RESIDENT, "contact": "13900000102"}, headers=duty).json()
    digests = [db.scalar(select(AuditEntry.after).where(AuditEntry.action == "warnings.subscriber_add",
                                                        AuditEntry.target_id == str(s["id"])))["vulnerable_groups"]
               for s in (a, b)]
    assert digests[0] != digests[1]


def test_entries_written_before_are_concealed_when_read(client, login, db):
    audit.record(db, actor=audit.Actor("duty"), action="warnings.subscriber_add", target_type="subscriber",
                 target_id=999001, after={"name": "旧记录", "contact": "13700000000", "street": "东四街道"})
    # as a legacy row stores it (written before digests): values in the clear
    db.execute(AuditEntry.__table__.insert().values(
        at=audit.utcnow(), actor="duty", post="", unit="", action="warnings.subscriber_add", target_type="subscriber",
        target_id="999002", basis="", before=None, after={"name": "旧记录", "contact": "13700000001"}, note="",
        prev_hash="x" * 64, hash="y" * 64))
    db.flush()
    text = client.get("/api/audit", params={"limit": 500}, headers=login("mayor")).text
    assert "13700000000" not in text and "13700000001" not in text and "旧记录" not in text


def test_a_commissioners_identity_is_not_in_the_audit_log(client, login):
    clerk = login("clerk.rsj")
    assert client.put("/api/commissioners/streets/东四街道/retirees", headers=clerk,
                      json={"retirees": 4001, "as_of": "2022-01-01"}).status_code == 200
    r = client.post("/api/commissioners", headers=clerk, json={
        "name": "赵秀英", "street": "东四街道", "route": "retiree", "birth_date": "1960-05-01", "start_on": "2022-01-01"})
    assert r.status_code == 201, r.text
    assert client.get(f"/api/commissioners/{r.json()['id']}", headers=login("mayor")).status_code == 403
    text = client.get("/api/audit", params={"limit": 500}, headers=login("mayor")).text
    assert "赵秀英" not in text and "1960-05-01" not in text
