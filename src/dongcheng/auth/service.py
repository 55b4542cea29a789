"""Log in, issue and revoke tokens, create users, and decide "may this caller do X for unit U"."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth import ratelimit, repository, rules
from dongcheng.auth.models import ApiToken, User
from dongcheng.auth.passwords import hash_password, hash_published_password, needs_rehash, verify_password
from dongcheng.auth.permissions import ROLE_LABELS, scope_for
from dongcheng.auth.records import Account
from dongcheng.auth.roles import Role, role_of
from dongcheng.core.config import DEMO_PASSWORD, Settings
from dongcheng.core.decision import Decision
from dongcheng.core.errors import DomainError, FieldError, not_found
from dongcheng.core.time import utcnow
from dongcheng.directory import repository as directory_repository
from dongcheng.directory.models import Person, Post, Unit
from dongcheng.directory.service import find_unit, posts_held
from dongcheng.reference.cache import UnitRef

# A constant hash verified when the username is unknown, so both failures take the same time.
_DUMMY_HASH = hash_password("not-a-real-password-0")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bad_credentials() -> DomainError:
    return DomainError("用户名或密码错误", "Incorrect username or password", 401)


def authenticate(session: Session, settings: Settings, username: str, password: str) -> User:
    user = repository.user_by_username(session, rules.normalise_username(username))
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not user or not ok or not user.is_active:
        raise bad_credentials()
    rules.may_use_password(password == DEMO_PASSWORD, settings.demo_mode).require()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def log_in(session: Session, settings: Settings, username: str, password: str, client: str) -> User:
    """Authenticate through the throttle (auth.ratelimit): 429 while this (account, client) or client must wait; a
    failure (401) is counted, a success clears the pair's failures. The failure is written in the request's
    transaction: the route answers the 401 without raising, so it is committed (api.py, pages.py)."""
    account = ratelimit.account_key(username)
    ratelimit.check(session, account, client)
    try:
        user = authenticate(session, settings, username, password)
    except DomainError as exc:
        if exc.status_code == 401:
            ratelimit.failed(session, account, client)
        raise
    ratelimit.succeeded(session, account, client)
    return user


def issue_token(session: Session, settings: Settings, user: User, kind: str = "bearer") -> str:
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_digest(token), user_id=user.id, kind=kind,
                         expires_at=utcnow() + timedelta(hours=settings.token_ttl_hours)))
    session.flush()
    audit.record(session, actor=audit.Actor(user.username, "", user.unit.name if user.unit else ""),
                 action="auth.login", target_type="user", target_id=user.id, basis=rules.ROLES_BASIS,
                 after={"kind": kind})
    return token


def account_for_token(session: Session, token: str) -> Account | None:
    """The account a token signs in: None for an unknown, revoked or expired token or a deactivated user."""
    row = repository.token_account(session, _digest(token))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow() or not row.account.is_active:
        return None
    return row.account


def revoke_token(session: Session, token: str) -> None:
    row = repository.open_token(session, _digest(token))
    if row is None:
        return
    row.revoked_at = utcnow()
    audit.record(session, actor=audit.Actor(row.user.username), action="auth.logout", target_type="user",
                 target_id=row.user_id, basis=rules.ROLES_BASIS, after={"kind": row.kind})


@dataclass(frozen=True)
class Caller:
    """The authenticated user with the posts they hold today (authority comes from posts, not names)."""

    user: Account
    posts: tuple[Post, ...]

    @property
    def role(self) -> Role | None:
        """The caller's role; None for a stored value that names no role (a legacy row: no permission at all)."""
        return role_of(self.user.role)

    @property
    def unit(self) -> UnitRef | None:
        return self.user.unit

    def holds(self, post_code: str) -> bool:
        return any(p.code == post_code for p in self.posts)

    @property
    def actor(self) -> audit.Actor:
        return audit.Actor(self.user.username, "、".join(p.full_title for p in self.posts),
                           self.user.unit.name if self.user.unit else "")

    def to_dict(self) -> dict:
        return {"username": self.user.username, "display_name": self.user.display_name, "role": self.user.role,
                "role_label": ROLE_LABELS.get(self.role, "未知角色"), "unit": self.unit.name if self.unit else None,
                "person": self.user.person.name if self.user.person else None,
                "posts": [p.full_title for p in self.posts]}


def caller_for(session: Session, user: User | Account) -> Caller:
    """The caller an account is today: its posts held today (a leader's authority)."""
    account = user if isinstance(user, Account) else Account.of(user)
    return Caller(account, tuple(posts_held(session, account.person_id)))


def caller_for_token(session: Session, token: str) -> Caller | None:
    account = account_for_token(session, token)
    return caller_for(session, account) if account is not None else None


def holds_post_today(caller: Caller) -> Decision:
    """A leader acts only while holding a post today (rules.leader_holds_post); any other role: allowed."""
    return rules.leader_holds_post(caller.user.role, len(caller.posts))


def authorize(caller: Caller, action: str, unit: Unit | UnitRef | None = None) -> None:
    """Raise 403 unless the caller's role allows ``action`` for ``unit`` (SPEC §1) and, for a leader, the person
    holds a post today — every action a leader is admitted to, whatever its scope (东政办发〔2021〕18号)."""
    rules.may(caller.user.role, action, caller.unit, unit).require()
    holds_post_today(caller).require()


def permitted(caller: Caller, action: str) -> bool:
    """Would authorize(caller, action) admit the caller (for some unit)? What a page offers: a post-less leader is
    offered nothing a leader needs a post for."""
    return scope_for(action, caller.user.role) is not None and holds_post_today(caller).allowed


def create_user(
    session: Session, *, actor: audit.Actor, username: str, password: str, display_name: str, role: str,
    person: Person | None = None, unit: Unit | None = None, is_demo: bool = False,
) -> User:
    refused = rules.account_refusals(username=username, taken=repository.username_taken(session, username), role=role,
                                     has_person=person is not None, has_unit=unit is not None,
                                     password_length=len(password))
    if refused:  # every field at once, as one 422
        raise DomainError("输入有误", "Invalid input", 422, [FieldError(d.field, d.zh, d.en) for d in refused])
    password_hash = hash_published_password(password) if is_demo else hash_password(password)
    user = User(username=username, password_hash=password_hash, display_name=display_name, role=role,
                person_id=person.id if person else None, unit_id=unit.id if unit else None, is_demo=is_demo)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="users.create", target_type="user", target_id=user.id,
                 basis=rules.ROLES_BASIS, after={"username": username, "role": role,
                                         "person": person.name if person else None,
                                         "unit": unit.name if unit else None})
    return user


def create_user_named(
    session: Session, *, actor: audit.Actor, username: str, password: str, display_name: str, role: str,
    person: str | None = None, unit: str | None = None, is_demo: bool = False,
) -> User:
    """create_user with the person and the unit named as the directory prints them (API, CLI, demo users): a name the
    directory does not know is refused, naming its field, before anything is written."""
    errors = []
    person_row = unit_row = None
    if person:
        person_row = directory_repository.person_by_name(session, person)
        if person_row is None:
            errors.append(FieldError("person", f"名录中无此人“{person}”", f"no person {person!r}"))
    if unit:
        unit_row = find_unit(session, unit)
        if unit_row is None:
            errors.append(FieldError("unit", f"未知单位“{unit}”", f"unknown unit {unit!r}"))
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)
    return create_user(session, actor=actor, username=username, password=password, display_name=display_name,
                       role=role, person=person_row, unit=unit_row, is_demo=is_demo)


def list_users(session: Session) -> list[User]:
    return repository.list_users(session)


def user_named(session: Session, username: str) -> User:
    user = repository.user_by_username(session, rules.normalise_username(username))
    if user is None:
        raise not_found("用户", "user", username)
    return user


def deactivate_user(session: Session, *, actor: audit.Actor, username: str) -> User:
    """Deactivate the account and revoke its tokens: its next request is 401 and its login is refused (SPEC §1)."""
    user = user_named(session, username)
    rules.may_deactivate(username=username, is_active=user.is_active, is_self=actor.username == username).require()
    user.is_active = False
    revoked = repository.revoke_tokens_of(session, user.id, utcnow())
    session.flush()
    audit.record(session, actor=actor, action="users.deactivate", target_type="user", target_id=user.id,
                 basis=rules.LIFECYCLE_BASIS, before={"is_active": True},
                 after={"username": username, "is_active": False, "tokens_revoked": revoked})
    return user


def reset_password(session: Session, *, actor: audit.Actor, username: str, password: str) -> User:
    """Set a new password (the policy checked) and revoke the user's tokens; the audit entry keeps neither the
    password nor its hash."""
    user = user_named(session, username)
    rules.password_refusal(len(password)).require()
    user.password_hash = hash_password(password)
    revoked = repository.revoke_tokens_of(session, user.id, utcnow())
    repository.forget_failures(session, ratelimit.account_key(user.username))  # the throttle's count starts over
    session.flush()
    audit.record(session, actor=actor, action="users.reset_password", target_type="user", target_id=user.id,
                 basis=rules.LIFECYCLE_BASIS, after={"username": username, "tokens_revoked": revoked})
    return user
