"""Login throttling that cannot lock the real user out (OWASP ASVS 4.0.3 V2.2.1, NIST SP 800-63B §5.2.2).

The user name is normalised once (rules.normalise_username, the form the login lookup uses). Every attempt is
counted in the database (table ``login_attempts``), so every server worker sees the same counts:

* per (account, client): PAIR_FREE failures, then a wait that doubles from 1 s to 15 minutes;
* per client over every account: CLIENT_FREE failures, then the same growing wait;
* per account, from every client: ACCOUNT_DAILY (100) failures in 24 hours; beyond that only a client that signed
  in to the account within 30 days may try, others wait until the oldest of the 100 leaves the 24 hours. An
  administrator's reset-password clears the count at once.

A throttled attempt checks no password and counts nothing. A success clears the failures of its (account, client).
The client is the peer address the server sees (behind a proxy: uvicorn's ``--proxy-headers``).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.auth import repository, rules
from dongcheng.core.errors import DomainError
from dongcheng.core.time import utcnow


def account_key(username: str) -> str:
    return rules.normalise_username(username)[:60]


def check(session: Session, account: str, client: str, now: datetime | None = None) -> None:
    """Raise 429 (with Retry-After) while this attempt must wait; lock the account's logins for the transaction."""
    now = now or utcnow()
    repository.lock_account(session, account)
    pair, pair_last = repository.failures(session, now - rules.PAIR_WINDOW, account=account, client=client)
    by_client, client_last = repository.failures(session, now - rules.CLIENT_WINDOW, client=client)
    daily, _ = repository.failures(session, now - rules.DAY, account=account)
    release = known = None
    if daily >= rules.ACCOUNT_DAILY:
        known = repository.signed_in_from(session, account, client, now - rules.KNOWN_CLIENT)
        oldest = repository.nth_last_failure(session, account, now - rules.DAY, rules.ACCOUNT_DAILY)
        release = oldest + rules.DAY if oldest else None
    counts = rules.LoginCounts(pair, pair_last, by_client, client_last, daily, release, bool(known))
    decision, seconds = rules.login_throttle(counts, now)
    if not decision.allowed:
        raise DomainError(decision.zh, decision.en, 429, headers={"Retry-After": str(seconds)})


def failed(session: Session, account: str, client: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    repository.add_attempt(session, account, client[:64], False, now)
    repository.purge_attempts(session, now - rules.DAY, now - rules.KNOWN_CLIENT)


def succeeded(session: Session, account: str, client: str, now: datetime | None = None) -> None:
    repository.forget_failures(session, account, client[:64])
    repository.add_attempt(session, account, client[:64], True, now or utcnow())
