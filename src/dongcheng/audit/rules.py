"""The audit log's arithmetic, pure (no database, no files): an entry's canonical form and leaf hash, the keyed
chain link, signed checkpoints, and when pending entries raise the alarm.

The model is a transparency log (Certificate Transparency, RFC 9162; Trillian's sequencer): a request writes its
entry with the *leaf hash* of its canonical form (SHA-256 of 0x00 ‖ canonical JSON, as RFC 9162 §2.1.1 hashes a
leaf) and nothing else — no lock, no read of the chain's head. The sequencer later gives each entry the next
sequence number and links it: ``hash_n = HMAC-SHA-256(key, "dongcheng.audit.link" ‖ {seq, prev, leaf, key id})``.
Without the key nobody can recompute the chain after an edit. After each batch the sequencer signs a *checkpoint*
(sequence, hash, time, key id; Ed25519, the signing key derived from the same secret) and writes it where the
database cannot rewrite it; a checkpoint fixes the whole log up to its sequence, so a truncated tail or a chain
recomputed with the key shows against it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from dongcheng.core.basis import platform_default

GENESIS = "0" * 64
LOG_ID = "dongcheng.audit"
# The sequencer's batch interval and the longest an entry may stay without a sequence number before the alarm.
BATCH_INTERVAL = timedelta(milliseconds=200)
BATCH_INTERVAL_BASIS = platform_default("audit_batch_interval", "审计条目每 200 毫秒由排序器编号、链接并签署检查点一次")
MAX_DELAY = timedelta(seconds=10)
MAX_DELAY_BASIS = platform_default("audit_max_delay", "审计条目超过 10 秒仍未编号即告警（排序器停止或落后）")


def canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


def leaf_payload(*, at: datetime, recorded_at: datetime | None, actor: str, post: str, unit: str, action: str,
                 target_type: str, target_id: str, basis: str, before, after, note: str) -> dict:
    """The fields an entry's leaf hash covers (times in UTC): everything the entry says."""
    return {"v": 2, "at": _iso(at), "recorded_at": _iso(recorded_at), "actor": actor, "post": post, "unit": unit,
            "action": action, "target_type": target_type, "target_id": target_id, "basis": basis,
            "before": before, "after": after, "note": note}


def leaf_hash(payload: dict) -> str:
    return hashlib.sha256(b"\x00" + canonical(payload).encode()).hexdigest()


def link(key: bytes, *, seq: int, prev: str, leaf: str, key_id: str) -> str:
    """The chain hash of entry ``seq``: keyed, so an edit cannot be re-chained without the key."""
    message = b"dongcheng.audit.link\0" + canonical({"seq": seq, "prev": prev, "leaf": leaf, "key": key_id}).encode()
    return hmac.new(key, message, "sha256").hexdigest()


def legacy_hash(payload: dict, prev: str) -> str:
    """The unkeyed hash of entries written before the log was keyed (key id NULL): SHA-256 over fields + prev."""
    return hashlib.sha256(canonical({**payload, "prev": prev}).encode()).hexdigest()


# --- checkpoints ------------------------------------------------------------------------------------------------


def _signing_key(key: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hmac.new(key, b"dongcheng.audit.checkpoint-signing", "sha256").digest())


def public_key(key: bytes) -> str:
    """The Ed25519 public key (hex) that checks checkpoints signed under ``key``: a sink can hold this alone."""
    return _signing_key(key).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _signed_part(cp: dict) -> bytes:
    return canonical({k: cp[k] for k in ("log", "seq", "hash", "at", "key_id")}).encode()


def checkpoint(key: bytes, key_id: str, *, seq: int, head: str, at: datetime) -> dict:
    """A signed tree head: the log holds ``seq`` entries and the last one's chain hash is ``head``."""
    cp = {"log": LOG_ID, "seq": seq, "hash": head, "at": _iso(at), "key_id": key_id, "alg": "ed25519"}
    cp["sig"] = base64.b64encode(_signing_key(key).sign(_signed_part(cp))).decode()
    return cp


def checkpoint_signature_ok(cp: dict, keys: dict[str, bytes]) -> bool:
    key = keys.get(str(cp.get("key_id")))
    if key is None or cp.get("log") != LOG_ID:
        return False
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key(key)))
        public.verify(base64.b64decode(cp["sig"]), _signed_part(cp))
    except (InvalidSignature, KeyError, ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class Alarm:
    raised: bool
    oldest_pending_seconds: float | None
    message: str = ""


def pending_alarm(oldest_pending_age: timedelta | None, max_delay: timedelta = MAX_DELAY) -> Alarm:
    """Raised when an entry has waited longer than ``max_delay`` for its sequence number."""
    if oldest_pending_age is None:
        return Alarm(False, None)
    seconds = max(0.0, oldest_pending_age.total_seconds())
    if oldest_pending_age <= max_delay:
        return Alarm(False, seconds)
    return Alarm(True, seconds, f"审计条目已等待 {seconds:.0f} 秒仍未编号（上限 {max_delay.total_seconds():.0f} 秒）"
                               f" / audit entries unsequenced for {seconds:.0f} s (maximum "
                               f"{max_delay.total_seconds():.0f} s): is the sequencer running? {MAX_DELAY_BASIS}")
