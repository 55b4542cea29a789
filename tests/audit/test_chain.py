"""The audit log is a transparency log: written without a lock, chained later by the sequencer with a keyed hash,
held to signed checkpoints; verify names an edited row, a deleted row, a truncated tail and a recomputed chain."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from dongcheng.audit import rules
from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry

KEY = audit.Keys("k1", {"k1": b"k" * 40})


def _add(db, n):
    return [db.get(AuditEntry, audit.record(db, actor=audit.Actor("duty", "", "区应急局"), action="test.act",
                                            target_type="t", target_id=i, basis="东政发〔2022〕3号 §4.1.5",
                                            after={"i": i})) for i in range(n)]


@dataclass(frozen=True)
class Row:
    id: int
    seq: int
    prev_hash: str
    hash: str
    leaf_hash: str
    key_id: str


def _sequenced(db, n, key=KEY):
    """n new entries, then everything waiting sequenced; the entries as sequenced and the batches' checkpoints."""
    ids = [e.id for e in _add(db, n)]
    cps = audit.sequence_all(db, key=key)
    db.expire_all()
    return [Row(*(getattr(db.get(AuditEntry, i), f) for f in Row.__dataclass_fields__)) for i in ids], cps


def _drop_guard(db):
    if db.get_bind().dialect.name == "sqlite":
        db.execute(text("DROP TRIGGER audit_entries_no_update"))
        db.execute(text("DROP TRIGGER audit_entries_no_delete"))
    else:
        db.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))


def test_an_entry_is_written_with_its_leaf_and_no_place_in_the_chain_yet(db):
    audit.sequence_all(db, key=KEY)  # what the suite's database had waiting
    [entry] = _add(db, 1)
    assert entry.seq is None and entry.hash is None and entry.leaf_hash == audit.leaf_hash(entry)
    status = audit.pending_status(db)
    assert status["unsequenced"] >= 1 and not status["alarm"]


def test_the_sequencer_numbers_and_links_entries_in_order(db):
    (a, b, c), cps = _sequenced(db, 3)
    assert (b.seq, c.seq) == (a.seq + 1, a.seq + 2) and b.prev_hash == a.hash and c.prev_hash == b.hash
    assert c.key_id == "k1" and c.hash == rules.link(b"k" * 40, seq=c.seq, prev=b.hash, leaf=c.leaf_hash, key_id="k1")
    assert cps[-1]["seq"] == c.seq and cps[-1]["hash"] == c.hash
    result = audit.verify(db, checkpoints=cps, key=KEY)
    assert result.ok and result.head_seq == c.seq and result.checkpoints == len(cps) and result.pending == 0


def test_entries_waiting_for_the_sequencer_verify_by_their_leaf(db):
    _add(db, 2)
    result = audit.verify(db, key=KEY)
    assert result.ok and result.pending >= 2


def test_the_database_refuses_edits_deletes_and_a_second_sequencing(db):
    (entry,), _ = _sequenced(db, 1)
    [waiting] = _add(db, 1)
    for sql, params in (("UPDATE audit_entries SET actor = 'x' WHERE id = :id", {"id": entry.id}),
                        ("UPDATE audit_entries SET actor = 'x', seq = 999999 WHERE id = :id", {"id": waiting.id}),
                        ("UPDATE audit_entries SET seq = 999999 WHERE id = :id", {"id": entry.id}),
                        ("UPDATE audit_entries SET hash = 'x' WHERE id = :id", {"id": entry.id}),
                        ("DELETE FROM audit_entries WHERE id = :id", {"id": waiting.id})):
        with pytest.raises(DBAPIError), db.begin_nested():
            db.execute(text(sql), params)


def test_an_edited_row_is_detected_and_named(db):
    entries, cps = _sequenced(db, 4)
    _drop_guard(db)  # an attacker with database access
    db.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE id = :id"), {"id": entries[2].id})
    db.expire_all()
    result = audit.verify(db, checkpoints=cps, key=KEY)
    assert not result.ok and result.first_broken_id == entries[2].id and result.broken_seq == entries[2].seq
    assert "leaf hash" in result.reason


def test_an_edited_row_still_waiting_for_the_sequencer_is_detected(db):
    entries = _add(db, 2)
    _drop_guard(db)
    db.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE id = :id"), {"id": entries[0].id})
    db.expire_all()
    result = audit.verify(db, key=KEY)
    assert not result.ok and result.first_broken_id == entries[0].id and "not yet sequenced" in result.reason


def test_a_deleted_row_is_detected(db):
    entries, cps = _sequenced(db, 3)
    _drop_guard(db)
    db.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entries[1].id})
    db.expire_all()
    result = audit.verify(db, checkpoints=cps, key=KEY)
    assert result.first_broken_id == entries[2].id and result.broken_seq == entries[1].seq
    assert "missing" in result.reason


def test_a_truncated_tail_is_caught_by_the_checkpoints(db):
    entries, cps = _sequenced(db, 3)
    _drop_guard(db)
    db.execute(text("DELETE FROM audit_entries WHERE seq >= :s"), {"s": entries[1].seq})
    db.expire_all()
    assert audit.verify(db, key=KEY).ok  # the chain alone cannot see that its last rows are gone …
    result = audit.verify(db, checkpoints=cps, key=KEY)  # … the checkpoint written outside the database can
    assert not result.ok and "truncated" in result.reason and result.broken_seq == entries[1].seq
    assert result.head_seq == entries[0].seq


def _rechain(db, entries, link):
    """Recompute every leaf and link from the first of ``entries`` on, as an attacker would after an edit."""
    first = entries[0]
    prev = first.prev_hash
    for e in db.scalars(select(AuditEntry).where(AuditEntry.seq >= first.seq).order_by(AuditEntry.seq)).all():
        db.refresh(e)
        leaf = audit.leaf_hash(e)
        new = link(e.seq, prev, leaf, e.key_id)
        db.execute(text("UPDATE audit_entries SET leaf_hash = :l, prev_hash = :p, hash = :h WHERE id = :id"),
                   {"l": leaf, "p": prev, "h": new, "id": e.id})
        prev = new
    db.expire_all()


def test_a_chain_recomputed_without_the_key_is_detected(db):
    entries, cps = _sequenced(db, 3)
    _drop_guard(db)
    db.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE id = :id"), {"id": entries[1].id})
    db.expire_all()
    _rechain(db, entries[1:], lambda seq, prev, leaf, kid: rules.link(b"guessed", seq=seq, prev=prev, leaf=leaf,
                                                                      key_id=kid))
    result = audit.verify(db, key=KEY)  # without checkpoints: the keyed link already refuses it
    assert not result.ok and result.first_broken_id == entries[1].id and "recomputed" in result.reason


def test_a_chain_recomputed_with_a_stolen_key_is_caught_by_the_checkpoints(db):
    entries, cps = _sequenced(db, 3)
    _drop_guard(db)
    db.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE id = :id"), {"id": entries[1].id})
    db.expire_all()
    _rechain(db, entries[1:], lambda seq, prev, leaf, kid: rules.link(b"k" * 40, seq=seq, prev=prev, leaf=leaf,
                                                                      key_id=kid))
    assert audit.verify(db, key=KEY).ok  # the key re-chains it perfectly …
    result = audit.verify(db, checkpoints=cps, key=KEY)  # … but not the checkpoint signed before
    assert not result.ok and "checkpoint" in result.reason and result.broken_seq == cps[-1]["seq"]


def test_a_forged_or_foreign_checkpoint_is_refused(db):
    (entry,), cps = _sequenced(db, 1)
    forged = {**cps[-1], "seq": entry.seq + 5}  # signature no longer covers it
    result = audit.verify(db, checkpoints=[forged], key=KEY)
    assert not result.ok and "signature" in result.reason
    other = rules.checkpoint(b"other" * 8, "k1", seq=entry.seq, head=entry.hash, at=audit.utcnow())
    assert "signature" in audit.verify(db, checkpoints=[other], key=KEY).reason


def test_key_rotation_old_entries_verify_under_the_listed_old_key(db):
    (old,), cps_old = _sequenced(db, 1)
    rotated = audit.Keys("k2", {"k2": b"n" * 40, "k1": b"k" * 40})
    (new,), cps_new = _sequenced(db, 1, key=rotated)
    assert (old.key_id, new.key_id) == ("k1", "k2") and new.prev_hash == old.hash
    assert audit.verify(db, checkpoints=cps_old + cps_new, key=rotated).ok
    forgotten = audit.Keys("k2", {"k2": b"n" * 40})  # the old key dropped from the settings
    result = audit.verify(db, key=forgotten)
    assert not result.ok and "'k1'" in result.reason


def test_entries_from_before_the_keyed_log_keep_their_chain(db, connection):
    """Rows written before migration m8a0auditlog: unkeyed hashes, key_id NULL, seq in id order."""
    audit.sequence_all(db, key=KEY)
    seq, prev = audit.repository.head(db)
    legacy = AuditEntry(at=audit.utcnow(), actor="duty", post="", unit="", action="legacy", target_type="t",
                        target_id="1", basis="", before=None, after={"x": 1}, note="", seq=seq + 1,
                        prev_hash=prev or audit.GENESIS)
    legacy.hash = audit.entry_hash(legacy, legacy.prev_hash)
    db.add(legacy)
    db.flush()
    (new,), cps = _sequenced(db, 1)
    assert new.prev_hash == legacy.hash and audit.verify(db, checkpoints=cps, key=KEY).ok


def test_before_and_after_survive_the_round_trip(db):
    [entry] = _add(db, 1)
    db.expire_all()
    again = db.get(AuditEntry, entry.id)
    assert again.after == {"i": 0} and audit.leaf_hash(again) == again.leaf_hash


def test_an_entry_waiting_past_the_maximum_delay_raises_the_alarm(db):
    audit.sequence_all(db, key=KEY)
    _add(db, 1)
    assert not audit.pending_status(db)["alarm"]
    later = audit.utcnow() + rules.MAX_DELAY + timedelta(seconds=1)
    status = audit.pending_status(db, now=later)
    assert status["alarm"] and status["oldest_unsequenced_seconds"] > rules.MAX_DELAY.total_seconds()
    assert "sequencer" in status["message"] and "platform default audit_max_delay" in status["message"]
    audit.sequence_all(db, key=KEY)
    assert not audit.pending_status(db, now=later)["alarm"]


def test_the_api_shows_an_entry_before_it_is_sequenced_and_healthz_the_backlog(client, login, db):
    assert client.post("/api/auth/logout", headers=login("admin")).status_code == 200
    entry = next(e for e in client.get("/api/audit", headers=login("admin")).json() if e["action"] == "auth.logout")
    assert entry["seq"] is None and entry["hash"] is None and len(entry["leaf_hash"]) == 64
    health = client.get("/healthz").json()
    assert health["audit"]["max_delay_seconds"] == rules.MAX_DELAY.total_seconds() and "unsequenced" in health["audit"]
