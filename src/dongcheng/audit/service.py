"""Write and verify the hash-chained audit trail.

Each entry's hash covers its fields and the previous entry's hash, so editing, deleting or reordering any row
breaks the chain from that row on. Entries are written in the caller's transaction (never committed here).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import repository
from dongcheng.audit.models import AuditEntry
from dongcheng.core.basis import Basis
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
        before=json.loads(_canonical(before)) if before is not None else None,
        after=json.loads(_canonical(after)) if after is not None else None,
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
