"""Argon2id password hashing (memory-hard), via argon2-cffi."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=4)
def hash_published_password(password: str) -> str:
    """One hash per process for a password everyone knows (the demo accounts' README password): salting it per account
    protects nothing, and 17 argon2id hashes cost every fresh demo database ~3 s of CPU."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
