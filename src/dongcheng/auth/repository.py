"""Queries of users and tokens."""
from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.orm import Session

from dongcheng.auth.models import ApiToken, LoginAttempt, User
from dongcheng.auth.records import TokenAccount
from dongcheng.directory.models import Person, Unit
from dongcheng.reference import cache as reference


def user_by_username(session: Session, account: str) -> User | None:
    """The user whose name, lower-cased, is ``account`` (already rules.normalise_username'd: user names are ASCII
    letters, digits and ``._-``, so lower() is their case fold on both engines)."""
    return session.scalar(select(User).where(func.lower(User.username) == account))


def username_taken(session: Session, username: str) -> bool:
    return session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None


# Built once, on the tables (Core, no ORM entity): its SQL compiled once and its cache key computed once; it runs on
# every request (issue 11: as three joined ORM entities it was a fifth of intake's CPU).
_tokens, _users, _people, _units = ApiToken.__table__, User.__table__, Person.__table__, Unit.__table__
_TOKEN_ACCOUNT = (
    select(_tokens.c.revoked_at, _tokens.c.expires_at, _users.c.id, _users.c.username, _users.c.display_name,
           _users.c.role, _users.c.is_active, _users.c.is_demo, _users.c.person_id, _users.c.unit_id, _people.c.name,
           _units.c.name, _units.c.full_name, _units.c.kind, _units.c.parent_id, _units.c.emergency_office,
           reference.TOKEN_COLUMN)
    .select_from(_tokens.join(_users, _users.c.id == _tokens.c.user_id)
                 .outerjoin(_people, _people.c.id == _users.c.person_id)
                 .outerjoin(_units, _units.c.id == _users.c.unit_id))
    .where(_tokens.c.token_hash == bindparam("digest")))


def token_account(session: Session, digest: str) -> TokenAccount | None:
    """One statement for the token, its user and the user's person and unit, as plain data (auth.records), and the
    reference data's generation token, kept for the transaction (reference.cache.seen: intake and the incident reads
    then need no statement of their own for it)."""
    row = session.connection().execute(_TOKEN_ACCOUNT, {"digest": digest}).first()
    if row is None:
        return None
    found = TokenAccount.of(row)
    reference.seen(session, found.reference_token)
    return found


def open_token(session: Session, digest: str) -> ApiToken | None:
    """The token if it has not been revoked."""
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def revoke_tokens_of(session: Session, user_id: int, at: datetime) -> int:
    """Revoke every open token (bearer and page session) of the user; how many were open."""
    result = session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                             .values(revoked_at=at))
    return result.rowcount or 0


# --- login attempts (auth.ratelimit) -------------------------------------------------------------------------------


def lock_account(session: Session, account: str) -> None:
    """Serialise the logins of one account across server workers until the transaction ends, so a burst of
    parallel guesses cannot all pass the throttle before the first failure is counted. PostgreSQL: a transaction
    advisory lock on the name's digest; SQLite: the write transaction (BEGIN IMMEDIATE) already serialises."""
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"login:{account}".encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _failures_since(since: datetime, *where):
    return select(func.count(), func.max(LoginAttempt.at)).where(LoginAttempt.ok.is_(False), LoginAttempt.at > since,
                                                               *where)


def failures(session: Session, since: datetime, *, account: str | None = None,
             client: str | None = None) -> tuple[int, datetime | None]:
    """How many failed attempts since ``since`` (of the account, of the client, or of the pair) and the last one."""
    where = []
    if account is not None:
        where.append(LoginAttempt.account == account)
    if client is not None:
        where.append(LoginAttempt.client == client)
    count, last = session.execute(_failures_since(since, *where)).one()
    return count, last


def nth_last_failure(session: Session, account: str, since: datetime, n: int) -> datetime | None:
    """The time of the account's ``n``-th most recent failure since ``since`` (None when there are fewer)."""
    return session.scalar(select(LoginAttempt.at).where(LoginAttempt.account == account, LoginAttempt.ok.is_(False),
                                                        LoginAttempt.at > since)
                          .order_by(LoginAttempt.at.desc()).offset(n - 1).limit(1))


def signed_in_from(session: Session, account: str, client: str, since: datetime) -> bool:
    return session.scalar(select(LoginAttempt.id).where(
        LoginAttempt.account == account, LoginAttempt.client == client, LoginAttempt.ok.is_(True),
        LoginAttempt.at > since).limit(1)) is not None


def add_attempt(session: Session, account: str, client: str, ok: bool, at: datetime) -> None:
    session.add(LoginAttempt(account=account, client=client, ok=ok, at=at))
    session.flush()


def forget_failures(session: Session, account: str, client: str | None = None) -> None:
    """Clear the account's failures (from one client: its sign-in succeeded; from all: an admin reset)."""
    where = [LoginAttempt.account == account, LoginAttempt.ok.is_(False)]
    if client is not None:
        where.append(LoginAttempt.client == client)
    session.execute(delete(LoginAttempt).where(*where))


def purge_attempts(session: Session, failures_before: datetime, successes_before: datetime) -> None:
    """Drop what the throttle no longer reads: failures older than a day, successes older than 30 days."""
    session.execute(delete(LoginAttempt).where(
        ((LoginAttempt.ok.is_(False)) & (LoginAttempt.at < failures_before))
        | ((LoginAttempt.ok.is_(True)) & (LoginAttempt.at < successes_before))))
