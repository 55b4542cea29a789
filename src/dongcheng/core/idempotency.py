"""Exactly one effect per request: a client's ``Idempotency-Key`` (IETF draft-ietf-httpapi-idempotency-key-header)
and the pages' one-time form tokens, kept per (user, key) with the request's fingerprint and the response it got.

The key's row is inserted in the request's own transaction, before the create it guards, and the response is
stored on it in the same transaction: the row exists iff the create committed. A second request with the same key
waits on the row's unique index while the first is in flight (PostgreSQL), or behind the first writer (SQLite's
``BEGIN IMMEDIATE``), and then finds the stored response instead of creating again. A failed request rolls its row
back with everything else, so the client may retry it with the same key. No web framework here.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import utcnow

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Platform default: a key answers its replays for 24 hours (the draft leaves the expiry to the resource; 24 h covers
# a client's retries after any outage a duty shift sees, and is the common practice of payment APIs).
RETENTION = timedelta(hours=24)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of method, path and canonical body
    status_code: Mapped[int | None] = mapped_column(Integer)  # None while the request that owns it runs
    response: Mapped[dict | list | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def fingerprint(method: str, path: str, body: object) -> str:
    canonical = json.dumps({"method": method.upper(), "path": path, "body": body}, ensure_ascii=False,
                           sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _bad_key(zh: str, en: str) -> DomainError:
    return DomainError("输入有误", "Invalid input", 422, [FieldError(HEADER, zh, en)])


def check_key(key: str) -> str:
    """A key is 1–255 visible ASCII characters (a UUID is the usual choice)."""
    if not key or len(key) > MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise _bad_key(f"{HEADER} 须为 1–{MAX_KEY_LENGTH} 个可见 ASCII 字符（如 UUID）",
                       f"{HEADER} must be 1–{MAX_KEY_LENGTH} visible ASCII characters (e.g. a UUID)")
    return key


@dataclass
class Claim:
    """This request's hold on a key: ``replay`` is the stored (status, body) when an earlier request already
    answered it; otherwise this request runs and ``store`` records its answer on ``row``."""

    row: IdempotencyKey
    replay: tuple[int, object] | None = None


def _existing(session: Session, user_id: int, key: str) -> IdempotencyKey | None:
    return session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key))


def _answer(row: IdempotencyKey, fp: str) -> Claim:
    if row.fingerprint != fp:
        raise _bad_key(f"此 {HEADER} 已用于另一个请求：新的请求请用新的键",
                       f"this {HEADER} was used for a different request; use a new key for a new request")
    if row.status_code is None:  # only visible to the transaction that owns it
        raise DomainError(f"使用此 {HEADER} 的请求仍在处理中", f"a request with this {HEADER} is still in progress",
                          409, [FieldError(HEADER, "请求处理中", "in progress")])
    return Claim(row, (row.status_code, row.response))


def claim(session: Session, *, user_id: int, key: str, fp: str, now: datetime | None = None) -> Claim:
    """Take the key for this request, or find the answer a request with the same key and fingerprint got.

    Same key, other fingerprint: 422 naming the header. The insert runs in a savepoint: when a concurrent request
    inserted the same key first, this one waits for it to commit, takes the unique violation, and reads its answer.
    """
    now = now or utcnow()
    check_key(key)
    # the user's expired keys go (this one included, if it expired): a user's table stays one day of keys
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                 IdempotencyKey.created_at < now - RETENTION))
    row = _existing(session, user_id, key)
    if row is not None:
        return _answer(row, fp)
    row = IdempotencyKey(user_id=user_id, key=key, fingerprint=fp, created_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        row = _existing(session, user_id, key)
        if row is None:  # the other request rolled back between our insert and this read: the key is free again
            raise DomainError(f"使用此 {HEADER} 的请求刚刚失败，请重试", f"a request with this {HEADER} just failed; "
                              "retry", 409, [FieldError(HEADER, "请重试", "retry")]) from None
        return _answer(row, fp)
    return Claim(row)


def store(session: Session, held: Claim, status_code: int, response: object) -> None:
    """Record the answer on the key, in the request's transaction (committed with the create, or not at all)."""
    held.row.status_code, held.row.response = status_code, response
    session.flush()
