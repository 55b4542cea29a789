"""Write, sequence and verify the audit log (a transparency log: docs/audit.md; the arithmetic in rules.py).

``record`` inserts an entry with the leaf hash of its canonical form in the caller's transaction (never committed
here): no lock, no read of the chain's head, so writers never wait for each other. ``sequence`` — run by one
sequencer (audit/sequencer.py) — gives waiting entries the next sequence numbers, links them with the keyed chain
hash and returns a signed checkpoint for the batch. ``verify`` walks the log by sequence and checks every leaf,
every link and every checkpoint it is given.

Personal data (``PERSONAL_FIELDS``) never enters an entry: each such field keeps a keyed digest bound to the record it
belongs to (HMAC-SHA-256 of the canonical value), so the chain still proves what was recorded — whoever holds the
record and the platform key can check a value against it — while a reader of the audit log learns nothing of it.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import repository, rules
from dongcheng.audit.models import AuditEntry
from dongcheng.core.basis import Basis
from dongcheng.core.config import Settings, get_settings
from dongcheng.core.db import execute
from dongcheng.core.time import ensure_utc, utcnow

GENESIS = rules.GENESIS


@dataclass(frozen=True)
class Actor:
    """Who acts: a username plus the post(s) and unit they act in."""

    username: str
    posts: str = ""
    unit: str = ""


SYSTEM = Actor("system", "", "")


_canonical = rules.canonical


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


@dataclass(frozen=True)
class Keys:
    """The chain keys: the current one (new links and checkpoints) and every key verify accepts, by id."""

    current_id: str
    by_id: dict[str, bytes]

    @property
    def current(self) -> bytes:
        return self.by_id[self.current_id]


def keys(settings: Settings | None = None) -> Keys:
    """From the settings, never the database: ``DONGCHENG_AUDIT_KEY_FILE`` (or ``DONGCHENG_AUDIT_KEY``) under
    ``DONGCHENG_AUDIT_KEY_ID``, plus the retired keys of ``DONGCHENG_AUDIT_OLD_KEYS``."""
    settings = settings or get_settings()
    current = (settings.audit_key_file.read_text(encoding="utf-8").strip() if settings.audit_key_file
               else settings.audit_key)
    by_id = {kid: value.encode() for kid, value in settings.audit_old_keys.items()}
    by_id[settings.audit_key_id] = current.encode()
    return Keys(settings.audit_key_id, by_id)


def _leaf_payload(entry: AuditEntry) -> dict:
    return rules.leaf_payload(
        at=ensure_utc(entry.at), recorded_at=ensure_utc(entry.recorded_at) if entry.recorded_at else None,
        actor=entry.actor, post=entry.post, unit=entry.unit, action=entry.action, target_type=entry.target_type,
        target_id=entry.target_id, basis=entry.basis, before=entry.before, after=entry.after, note=entry.note)


def leaf_hash(entry: AuditEntry) -> str:
    return rules.leaf_hash(_leaf_payload(entry))


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    """The unkeyed hash of an entry written before the log was keyed (key_id NULL)."""
    payload = {
        "at": ensure_utc(entry.at).isoformat(timespec="microseconds"),
        "actor": entry.actor, "post": entry.post, "unit": entry.unit, "action": entry.action,
        "target_type": entry.target_type, "target_id": entry.target_id, "basis": entry.basis,
        "before": entry.before, "after": entry.after, "note": entry.note,
    }
    return rules.legacy_hash(payload, prev_hash)


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
) -> int:
    """Add one entry in the caller's transaction: it commits with the change or not at all. Its sequence number and
    chain hash come later, from the sequencer (``seq`` is None until then)."""
    row = _entry_row(actor, action, target_type, target_id, basis, before, after, note, at)
    row["leaf_hash"] = rules.leaf_hash(rules.leaf_payload(**row))
    entry_id = execute(session, repository.INSERT_ENTRY, row).scalar_one()  # one Core statement, pending rows flushed first
    return entry_id


def _entry_row(actor: Actor, action: str, target_type: str, target_id: object, basis: Basis | str,
               before: dict | None, after: dict | None, note: str, at: datetime | None) -> dict:
    """An entry's columns but its leaf hash: times in UTC, before/after in canonical JSON, personal fields concealed."""
    now = utcnow()
    return dict(
        at=ensure_utc(at or now), recorded_at=now, actor=actor.username, post=actor.posts, unit=actor.unit,
        action=action, target_type=target_type, target_id=str(target_id), basis=str(basis),
        before=conceal(target_type, target_id, json.loads(_canonical(before))) if before is not None else None,
        after=conceal(target_type, target_id, json.loads(_canonical(after))) if after is not None else None,
        note=note,
    )


# An entry about a row the same statement inserts (PostgreSQL intake, emergency/incidents/repository.py): the database
# assigns the target's id, so it computes the leaf hash — the one ``rules.leaf_hash`` gives — from the canonical form
# rendered here around that id: sha256(0x00 ‖ head ‖ id ‖ tail) (audit.repository.insert_pending).
_PENDING = "\x1etarget-id\x1e"  # rendered "\u001etarget-id\u001e": no id, nor any value of an entry, looks so
_PENDING_KEY = f'"target_id":{json.dumps(_PENDING)}'


@dataclass(frozen=True)
class PendingEntry:
    """An entry as ``record`` writes it, but for its target's id, which is not known yet."""

    row: dict  # the columns but target_id and leaf_hash
    head: str  # the canonical form up to the target id's digits …
    tail: str  # … and after them

    def with_target(self, target_id: object) -> dict:
        """The whole row, once the id is known (SQLite: written after the target, in the same transaction)."""
        row = {**self.row, "target_id": str(target_id)}
        row["leaf_hash"] = rules.leaf_hash(rules.leaf_payload(**row))
        return row

    @property
    def params(self) -> dict:
        """The parameters of ``audit.repository.insert_pending`` (PostgreSQL: in the target's own statement)."""
        return {**{f"audit_{k}": v for k, v in self.row.items()}, "audit_head": self.head, "audit_tail": self.tail}


def pending_entry(*, actor: Actor, action: str, target_type: str, basis: Basis | str = "",
                  after: dict | None = None, note: str = "", at: datetime | None = None) -> PendingEntry:
    """``record``'s entry for a target the same transaction is inserting. Only for target types without personal
    fields (their digests are keyed by the id)."""
    if target_type in PERSONAL_FIELDS:
        raise ValueError(f"an entry about a {target_type} conceals fields keyed by its id: use record()")
    row = _entry_row(actor, action, target_type, _PENDING, basis, None, after, note, at)
    head, found, tail = rules.canonical(rules.leaf_payload(**row)).partition(_PENDING_KEY)
    if not found or _PENDING_KEY in tail:
        raise ValueError("the entry's canonical form must hold the pending target id once")
    del row["target_id"]
    return PendingEntry(row, head + '"target_id":"', '"' + tail)


# --- the sequencer's step ---------------------------------------------------------------------------------------

SEQUENCE_BATCH = 500  # entries linked per transaction at most (SQLite: the write lock is held ~100 ms for 500)


@dataclass(frozen=True)
class Batch:
    checkpoint: dict  # signed: the log's size and head after the batch
    count: int  # entries sequenced
    full: bool  # the batch hit its limit: more may be waiting


def sequence(session: Session, *, limit: int = SEQUENCE_BATCH, key: Keys | None = None,
             now: datetime | None = None) -> Batch | None:
    """Give up to ``limit`` waiting entries the next sequence numbers and chain hashes, in the caller's (write)
    transaction; returns the batch and its signed checkpoint, or None when nothing waited. One sequencer runs at a time
    (audit/sequencer.py); were a second to race it, the unique ``seq`` refuses the later batch whole: no fork.
    One Core UPDATE: entries already loaded in the session keep their old (None) values until expired."""
    key = key or keys()
    waiting = repository.unsequenced(session, limit)
    if not waiting:
        return None
    seq, prev = repository.head(session)
    prev = prev or GENESIS
    now = now or utcnow()
    rows = []
    for entry_id, leaf in waiting:
        seq += 1
        link = rules.link(key.current, seq=seq, prev=prev, leaf=leaf or "", key_id=key.current_id)
        rows.append({"b_id": entry_id, "b_seq": seq, "b_prev": prev, "b_hash": link, "b_key": key.current_id,
                     "b_at": now})
        prev = link
    repository.set_sequence(session, rows)
    return Batch(rules.checkpoint(key.current, key.current_id, seq=seq, head=prev, at=now), len(rows),
                 len(rows) >= limit)


def head_checkpoint(session: Session, *, key: Keys | None = None, now: datetime | None = None) -> dict | None:
    """A freshly signed checkpoint of the log as it stands (None when empty): the sequencer writes one when it
    starts and the file lags the database (it was stopped between a batch's commit and the file)."""
    key = key or keys()
    seq, prev = repository.head(session)
    if not seq:
        return None
    return rules.checkpoint(key.current, key.current_id, seq=seq, head=prev, at=now or utcnow())


def sequence_all(session: Session, *, key: Keys | None = None) -> list[dict]:
    """Sequence everything waiting, now, in the caller's transaction (tests, `audit sequence`); the checkpoints."""
    out = []
    while (batch := sequence(session, key=key)) is not None:
        out.append(batch.checkpoint)
    return out


def pending_status(session: Session, now: datetime | None = None) -> dict:
    """How the sequencer keeps up: waiting entries, the oldest one's age, the alarm (rules.MAX_DELAY)."""
    n, oldest = repository.pending_summary(session)
    age = (now or utcnow()) - ensure_utc(oldest) if oldest else None
    alarm = rules.pending_alarm(age)
    seq, _ = repository.head(session)
    return {"sequenced": seq, "unsequenced": n, "oldest_unsequenced_seconds": alarm.oldest_pending_seconds,
            "max_delay_seconds": rules.MAX_DELAY.total_seconds(), "alarm": alarm.raised, "message": alarm.message}


# --- verify -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_broken_id: int | None
    reason: str = ""
    broken_seq: int | None = None
    pending: int = 0  # entries not yet sequenced (their leaf checked)
    checkpoints: int = 0  # checkpoints checked against the log
    head_seq: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.reason


def _broken(checked: int, entry: AuditEntry | None, reason: str, *, seq: int | None = None, **kw) -> VerifyResult:
    return VerifyResult(checked, entry.id if entry is not None else None, reason,
                        broken_seq=seq if seq is not None else (entry.seq if entry is not None else None), **kw)


def verify(session: Session, *, checkpoints: Iterable[dict] | None = None, key: Keys | None = None,
           progress: Callable[..., None] | None = None, batch: int = 5000) -> VerifyResult:
    """Walk the log by sequence: each leaf against its entry's content, each link against the previous hash and the
    key, each checkpoint against the entry at its sequence, the last checkpoint against the log's end; then the
    entries still waiting for a sequence number (their leaf). Names the first entry (or checkpoint) that fails.
    ``progress`` (advance(n, total=…)) hears every 1,000 entries."""
    key = key or keys()
    cps: dict[int, dict] = {}
    for n, cp in enumerate(checkpoints or (), 1):
        if not rules.checkpoint_signature_ok(cp, key.by_id):
            return _broken(0, None, f"checkpoint {n} (seq {cp.get('seq')}) has a bad signature or an unknown key "
                                    f"/ 检查点签名无效或密钥未知", seq=cp.get("seq"))
        seen = cps.get(cp["seq"])
        if seen is not None and seen["hash"] != cp["hash"]:
            return _broken(0, None, f"two checkpoints disagree about seq {cp['seq']} (a forked log) "
                                    f"/ 两个检查点对同一序号给出不同哈希（日志分叉）", seq=cp["seq"])
        cps[cp["seq"]] = cp
    tell = progress or (lambda n, total=None: None)
    tell(0, total=repository.count_entries(session) if progress else None)
    prev, expected, checked, reported, matched = GENESIS, 1, 0, 0, 0
    last_seq = 0
    while rows := repository.sequenced_after(session, last_seq, batch):
        for entry in rows:
            if checked - reported >= 1000:
                tell(checked - reported)
                reported = checked
            if entry.seq != expected:
                return _broken(checked, entry, f"entries {expected}–{entry.seq - 1} are missing before it (deleted) "
                                               f"/ 此前第 {expected}–{entry.seq - 1} 号条目缺失（被删除）",
                               seq=expected)
            if entry.prev_hash != prev:
                return _broken(checked, entry, "link to the previous entry is broken / 与上一条的链接断开")
            if entry.key_id is None:  # written before the log was keyed
                if entry_hash(entry, prev) != entry.hash:
                    return _broken(checked, entry, "content does not match its hash / 内容与哈希不符（被改动）")
            else:
                if leaf_hash(entry) != entry.leaf_hash:
                    return _broken(checked, entry, "content does not match its leaf hash / 内容与叶哈希不符（被改动）")
                entry_key = key.by_id.get(entry.key_id)
                if entry_key is None:
                    return _broken(checked, entry, f"chained with key {entry.key_id!r}, which is not configured "
                                                   f"/ 链接所用密钥 {entry.key_id!r} 未配置")
                if rules.link(entry_key, seq=entry.seq, prev=prev, leaf=entry.leaf_hash or "",
                              key_id=entry.key_id) != entry.hash:
                    return _broken(checked, entry, "chain hash does not match the key (the chain was recomputed) "
                                                   "/ 链哈希与密钥不符（链被重算）")
            cp = cps.get(entry.seq)
            if cp is not None:
                if cp["hash"] != entry.hash:
                    return _broken(checked, entry, f"differs from the signed checkpoint of {cp['at']} (the log was "
                                                   f"rewritten) / 与签名检查点不符（日志被改写）")
                matched += 1
            prev, expected, last_seq = entry.hash, entry.seq + 1, entry.seq
            checked += 1
    if cps and max(cps) > last_seq:
        top = cps[max(cps)]
        return _broken(checked, None, f"the log ends at seq {last_seq} but a checkpoint of {top['at']} was signed at "
                                      f"seq {top['seq']}: entries {last_seq + 1}–{top['seq']} were removed (truncated) "
                                      f"/ 日志止于第 {last_seq} 号，检查点记录到第 {top['seq']} 号：末尾条目被删除",
                       seq=last_seq + 1, head_seq=last_seq, checkpoints=matched)
    pending, last_id = 0, 0
    while rows := repository.pending_after(session, last_id, batch):
        for entry in rows:
            if leaf_hash(entry) != entry.leaf_hash:
                return _broken(checked + pending, entry, "content does not match its leaf hash (not yet sequenced) "
                                                         "/ 内容与叶哈希不符（被改动，尚未编号）",
                               head_seq=last_seq, checkpoints=matched)
            pending += 1
            last_id = entry.id
    tell(checked + pending - reported)
    return VerifyResult(checked + pending, None, pending=pending, checkpoints=matched, head_seq=last_seq)
