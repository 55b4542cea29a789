"""The signed-in account as plain data: what the token lookup reads, in the shape every module reads it
(``caller.user.username``, ``caller.user.role``, ``caller.unit.name`` …).

Read on every request, so it is one Core statement into frozen dataclasses (issue 11: three joined ORM entities
were a fifth of intake's CPU). A rule only reads these; nothing is written through them — a module that changes an
account or a unit loads the ORM row by id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row

from dongcheng.reference.cache import UnitRef


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Account:
    """A user as the caller: the columns of ``users`` but the password hash, with its person and unit."""

    id: int
    username: str
    display_name: str
    role: str
    is_active: bool
    is_demo: bool
    person_id: int | None
    unit_id: int | None
    person: PersonRef | None
    unit: UnitRef | None

    @classmethod
    def of(cls, user) -> Account:
        """From an ORM ``User`` (its person and unit loaded)."""
        unit, person = user.unit, user.person
        return cls(user.id, user.username, user.display_name, user.role, user.is_active, user.is_demo,
                   user.person_id, user.unit_id,
                   PersonRef(person.id, person.name) if person is not None else None,
                   UnitRef(unit.id, unit.name, unit.kind, unit.parent_id, unit.emergency_office, unit.full_name)
                   if unit is not None else None)


@dataclass(frozen=True, slots=True)
class TokenAccount:
    """A token row with its account (auth.repository.token_account)."""

    revoked_at: datetime | None
    expires_at: datetime
    account: Account
    reference_token: str  # read in the same statement (reference.cache.TOKEN_COLUMN)

    @classmethod
    def of(cls, row: Row) -> TokenAccount:
        (revoked_at, expires_at, uid, username, display_name, role, is_active, is_demo, person_id, unit_id,
         person_name, unit_name, unit_full_name, unit_kind, unit_parent_id, unit_emergency_office,
         reference_token) = row
        return cls(revoked_at, expires_at, Account(
            uid, username, display_name, role, is_active, is_demo, person_id, unit_id,
            PersonRef(person_id, person_name) if person_id is not None else None,
            UnitRef(unit_id, unit_name, unit_kind, unit_parent_id, bool(unit_emergency_office), unit_full_name)
            if unit_id is not None else None), reference_token)
