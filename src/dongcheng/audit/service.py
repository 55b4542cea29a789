"""Write and verify the hash-chained audit trail.

Each entry's hash covers its fields and the previous entry's hash, so editing, deleting or reordering any row
breaks the chain from that row on. Entries are written in the caller's transaction (never committed here).

Personal data (``PERSONAL_FIELDS``) never enters an entry: each such field keeps a keyed digest bound to the record it
belongs to (HMAC-SHA-256 of the canonical value), so the chain still proves what was recorded — whoever holds the
record and the platform key can check a value against it — while a reader of the audit log learns nothing of it.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import repository
from dongcheng.audit.models import AuditEntry
from dongcheng.core.basis import Basis
from dongcheng.core.config import get_settings
from dongcheng.core.time import ensure_utc, utcnow

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who acts: a username plus the post(s) and unit they act in."""

    username: str
    posts: str = ""
    unit: str = ""


SYSTEM = Actor("system", "", "")


def _canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


# Personal data by audit target type: the fields an entry keeps only as a digest. A module whose entries carry
# personal data names its target type and fields here; the audit log is read by roles the record itself may refuse.
PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    # §3.2.8 registry (emergency/warnings/subscribers.py): residents' names, phone numbers, 老幼病残孕 and the
    # targeted flag they imply; readable only through warnings.subscribers (a street: its own residents)
    "subscriber": frozenset({"name", "contact", "vulnerable_groups", "targeted"}),
    # 111号 commissioners (commissioners/service.py): a retiree's identity; readable only through commissioners.read
    "commissioner": frozenset({"name", "birth_date", "id_number", "phone", "contact"}),
}
DIGEST_PREFIX = "hmac-sha256:"


def _personal_key() -> bytes:
    return hashlib.sha256(b"dongcheng.audit.personal\0" + get_settings().secret_key.encode()).digest()


def personal_digest(target_type: str, target_id: object, field: str, value: object, key: bytes | None = None) -> str:
    """The digest an entry keeps for a personal field: bound to the record (type, id) and the field, so equal values
    of two residents (the same 老 flag) do not show as equal, and a short value cannot be looked up without the key."""
    message = _canonical({"ref": f"{target_type}:{target_id}", "field": field, "value": value})
    return DIGEST_PREFIX + hmac.new(key or _personal_key(), message.encode(), "sha256").hexdigest()


def conceal(target_type: str, target_id: object, values: dict | None) -> dict | None:
    """``values`` with each personal field of ``target_type`` replaced by ``{"digest": …}`` (already concealed
    fields, and other target types, unchanged). Used when writing, and when reading entries written before."""
    fields = PERSONAL_FIELDS.get(target_type)
    if not values or not fields or not isinstance(values, dict):
        return values
    key = _personal_key()
    out = {}
    for name, value in values.items():
        if name in fields and not (isinstance(value, dict) and str(value.get("digest", "")).startswith(DIGEST_PREFIX)):
            value = {"digest": personal_digest(target_type, target_id, name, value, key)}
        out[name] = value
    return out


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    payload = {
        "at": ensure_utc(entry.at).isoformat(timespec="microseconds"),
        "actor": entry.actor, "post": entry.post, "unit": entry.unit, "action": entry.action,
        "target_type": entry.target_type, "target_id": entry.target_id, "basis": entry.basis,
        "before": entry.before, "after": entry.after, "note": entry.note, "prev": prev_hash,
    }
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object,
    basis: Basis | str = "",
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction."""
    repository.lock_chain(session)
    prev = repository.last_hash(session) or GENESIS
    entry = AuditEntry(
        at=ensure_utc(at or utcnow()), actor=actor.username, post=actor.posts, unit=actor.unit, action=action,
        target_type=target_type, target_id=str(target_id), basis=str(basis),
        before=conceal(target_type, target_id, json.loads(_canonical(before))) if before is not None else None,
        after=conceal(target_type, target_id, json.loads(_canonical(after))) if after is not None else None,
        note=note, prev_hash=prev,
    )
    entry.hash = entry_hash(entry, prev)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_broken_id: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def _iter_entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    last_id = 0
    while True:
        rows = repository.entries_after(session, last_id, batch)
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()


def verify(session: Session, *, progress: Callable[..., None] | None = None) -> VerifyResult:
    """Walk the chain in id order; name the first entry whose link or content does not check out. ``progress``
    (advance(n, total=…)) hears every 1,000 entries."""
    prev = GENESIS
    checked = reported = 0
    tell = progress or (lambda n, total=None: None)
    tell(0, total=repository.count_entries(session) if progress else None)
    for entry in _iter_entries(session):
        if checked - reported >= 1000:
            tell(checked - reported)
            reported = checked
        if entry.prev_hash != prev:
            return VerifyResult(checked, entry.id, "link to the previous entry is broken / 与上一条的链接断开")
        if entry_hash(entry, prev) != entry.hash:
            return VerifyResult(checked, entry.id, "content does not match its hash / 内容与哈希不符（被改动）")
        prev = entry.hash
        checked += 1
    tell(checked - reported)
    return VerifyResult(checked, None)
