"""Queries of users and tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from dongcheng.auth.models import ApiToken, User


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def username_taken(session: Session, username: str) -> bool:
    return session.scalar(select(User.id).where(User.username == username)) is not None


def token_with_user(session: Session, digest: str) -> ApiToken | None:
    """One statement for the token, its user and the user's person and unit (this runs on every request)."""
    return session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest)
        .options(joinedload(ApiToken.user).joinedload(User.person), joinedload(ApiToken.user).joinedload(User.unit))
    )


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
