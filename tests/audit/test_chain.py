"""The audit trail is hash-chained and append-only; verify names the first edited entry."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry


def _add(db, n):
    return [audit.record(db, actor=audit.Actor("duty", "", "区应急局"), action="test.act", target_type="t",
                         target_id=i, basis="东政发〔2022〕3号 §4.1.5", after={"i": i}) for i in range(n)]


def _drop_guard(db):
    if db.get_bind().dialect.name == "sqlite":
        db.execute(text("DROP TRIGGER audit_entries_no_update"))
        db.execute(text("DROP TRIGGER audit_entries_no_delete"))
    else:
        db.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))


def test_an_intact_chain_verifies(db):
    _add(db, 3)
    result = audit.verify(db)
    assert result.ok and result.checked >= 3


def test_entries_link_to_the_previous_hash(db):
    a, b = _add(db, 2)
    assert b.prev_hash == a.hash


def test_the_database_refuses_updates(db):
    [entry] = _add(db, 1)
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text("UPDATE audit_entries SET actor = 'x' WHERE id = :id"), {"id": entry.id})


def test_an_edited_row_is_detected_and_named(db):
    entries = _add(db, 4)
    _drop_guard(db)  # an attacker with database access
    db.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE id = :id"), {"id": entries[2].id})
    db.expire_all()
    result = audit.verify(db)
    assert not result.ok and result.first_broken_id == entries[2].id
    assert "hash" in result.reason


def test_a_deleted_row_is_detected(db):
    entries = _add(db, 3)
    _drop_guard(db)
    db.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entries[1].id})
    db.expire_all()
    result = audit.verify(db)
    assert result.first_broken_id == entries[2].id


def test_before_and_after_survive_the_round_trip(db):
    [entry] = _add(db, 1)
    db.expire_all()
    again = db.get(AuditEntry, entry.id)
    assert again.after == {"i": 0} and audit.entry_hash(again, again.prev_hash) == again.hash
