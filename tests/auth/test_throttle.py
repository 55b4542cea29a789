"""Login throttling that cannot lock the real user out (OWASP ASVS 4.0.3 V2.2.1, NIST SP 800-63B §5.2.2): the name
normalised once, growing waits per (account, client) and per client, a bound of 100 failures a day per account
that a known client passes, the counts in the database (every worker sees them), on the API and the login page."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dongcheng.audit.service import SYSTEM
from dongcheng.auth import ratelimit, repository, rules
from dongcheng.auth.models import LoginAttempt
from dongcheng.auth.service import reset_password
from dongcheng.core.config import DEMO_PASSWORD

NOW = datetime(2026, 12, 1, 2, 0, 0, tzinfo=UTC)
HTML = {"Accept": "text/html"}


@pytest.fixture
def frozen(monkeypatch):
    """The throttle's clock stands at NOW (a wait is then exact, whatever the machine's speed)."""
    monkeypatch.setattr(ratelimit, "utcnow", lambda: NOW)
    return NOW


def attempt(app, username, password=DEMO_PASSWORD, client="10.0.0.1"):
    with TestClient(app, client=(client, 50000)) as c:
        return c.post("/api/auth/token", data={"username": username, "password": password})


def seed_failures(db, account, client, n, at):
    for _ in range(n):
        repository.add_attempt(db, account, client, False, at)
    db.commit()


def test_the_name_is_normalised_as_the_login_lookup_does():
    for typed in (" p.victim", "p.victim ", "P.Victim", "Ｐ．ｖｉｃｔｉｍ", "\u3000p.victim"):
        assert rules.normalise_username(typed) == "p.victim", typed


def test_the_wait_doubles_from_one_second_to_fifteen_minutes():
    assert [rules.delay(n, 5).total_seconds() for n in range(0, 9)] == [0, 0, 0, 0, 0, 1, 2, 4, 8]
    assert rules.delay(40, 5) == timedelta(minutes=15)


def test_a_padded_or_capitalised_name_counts_for_the_same_account(app, frozen):
    for typed in (" duty", "DUTY", "duty ", "Ｄｕｔｙ", "duty"):
        assert attempt(app, typed, "wrong-password").status_code == 401
    r = attempt(app, "duty")  # the right password, from the client that failed 5 times within the second
    assert r.status_code == 429
    assert r.headers["retry-after"] == "1"
    assert r.json()["error"]["msg_zh"] == "登录失败次数过多，请 1 秒后再试"
    assert r.json()["error"]["msg_en"] == "Too many failed logins; try again in 1 seconds"


def test_the_real_user_signs_in_while_an_attacker_is_throttled(app, db, frozen):
    seed_failures(db, "duty", "203.0.113.9", 12, NOW - timedelta(seconds=10))  # 12 failures: a 128 s wait
    attacker = attempt(app, "duty", DEMO_PASSWORD, client="203.0.113.9")
    assert attacker.status_code == 429 and attacker.headers["retry-after"] == "118"
    assert "2 分钟" in attacker.json()["error"]["msg_zh"]
    user = attempt(app, "duty", DEMO_PASSWORD, client="10.0.0.1")  # a client that has not failed
    assert user.status_code == 200 and user.json()["token_type"] == "bearer"
    assert attempt(app, "duty", "wrong-password", client="203.0.113.9").status_code == 429  # still waiting


def test_a_throttled_attempt_checks_no_password_and_counts_nothing(app, db, frozen):
    seed_failures(db, "cgw", "203.0.113.9", 6, NOW)
    before = db.scalar(select(func.count()).select_from(LoginAttempt))
    assert attempt(app, "cgw", "guess", client="203.0.113.9").status_code == 429
    assert db.scalar(select(func.count()).select_from(LoginAttempt)) == before


def test_one_client_guessing_many_accounts_is_slowed(app, db, frozen):
    for i in range(rules.CLIENT_FREE):
        repository.add_attempt(db, f"user{i}", "198.51.100.7", False, NOW)
    db.commit()
    r = attempt(app, "sun.yang", DEMO_PASSWORD, client="198.51.100.7")
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    assert attempt(app, "sun.yang", DEMO_PASSWORD, client="10.0.0.1").status_code == 200  # other clients are not


def test_after_100_failures_a_day_only_a_client_that_signed_in_before_may_try(app, db, frozen):
    repository.add_attempt(db, "li.yan", "10.0.0.1", True, NOW - timedelta(days=3))  # the user's own machine
    for i in range(rules.ACCOUNT_DAILY):  # from 100 addresses, none of them throttled on its own
        repository.add_attempt(db, "li.yan", f"192.0.2.{i}", False, NOW - timedelta(hours=20) + timedelta(seconds=i))
    db.commit()
    r = attempt(app, "li.yan", DEMO_PASSWORD, client="192.0.2.250")  # a new client: waits for the window
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) == 4 * 3600  # the oldest of the 100 leaves the 24 hours at 06:00
    assert attempt(app, "li.yan", DEMO_PASSWORD, client="10.0.0.1").status_code == 200  # the known client signs in


def test_an_admin_reset_clears_the_count(app, db, frozen):
    seed_failures(db, "li.yan", "192.0.2.1", rules.ACCOUNT_DAILY, NOW - timedelta(hours=2))
    assert attempt(app, "li.yan", "a-new-password-1", client="10.9.9.9").status_code == 429
    reset_password(db, actor=SYSTEM, username="li.yan", password="a-new-password-1")
    db.commit()
    assert attempt(app, "li.yan", "a-new-password-1", client="10.9.9.9").status_code == 200


def test_failures_are_stored_in_the_database_and_a_success_clears_its_own(app, db, frozen):
    """The counts live in table login_attempts, committed with the request (a second worker reads them)."""
    assert attempt(app, "sun.yang", "wrong-password").status_code == 401
    rows = db.scalars(select(LoginAttempt).where(LoginAttempt.account == "sun.yang")).all()
    assert [(r.client, r.ok) for r in rows] == [("10.0.0.1", False)]
    assert attempt(app, "sun.yang").status_code == 200
    db.expire_all()
    rows = db.scalars(select(LoginAttempt).where(LoginAttempt.account == "sun.yang")).all()
    assert [(r.client, r.ok) for r in rows] == [("10.0.0.1", True)]


def test_the_login_page_is_throttled_the_same_way(app, db, frozen):
    seed_failures(db, "duty", "203.0.113.9", 8, NOW)
    with TestClient(app, client=("203.0.113.9", 50000)) as c:
        page = c.get("/login", headers=HTML)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = c.post("/login", headers=HTML, follow_redirects=False,
                   data={"username": " Duty", "password": DEMO_PASSWORD, "csrf_token": csrf, "next": "/"})
    assert r.status_code == 429 and r.headers["retry-after"] == "8"
    assert "登录失败次数过多" in r.text
