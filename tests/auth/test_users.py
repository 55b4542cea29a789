"""The user lifecycle over the API (SPEC §1 admin): list, deactivate, reset a password; each revokes the user's
tokens and is audited; only an admin may (the route × role cells are tests/test_permission_matrix.py)."""
from __future__ import annotations

from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.auth import rules
from dongcheng.core.config import DEMO_PASSWORD


def entries(db, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_the_admin_lists_users_with_their_state(client, login):
    rows = client.get("/api/admin/users", headers=login("admin")).json()
    duty = next(u for u in rows if u["username"] == "duty")
    assert duty["role"] == "duty_officer" and duty["is_active"] is True


def test_a_deactivated_user_loses_their_tokens_and_cannot_log_in(client, login, db):
    token = login("duty")
    assert client.get("/api/auth/me", headers=token).status_code == 200
    r = client.post("/api/admin/users/duty/deactivate", headers=login("admin"))
    assert r.status_code == 200, r.text
    assert r.json()["username"] == "duty" and r.json()["is_active"] is False
    assert client.get("/api/auth/me", headers=token).status_code == 401
    assert client.post("/api/auth/token", data={"username": "duty", "password": DEMO_PASSWORD}).status_code == 401
    [entry] = entries(db, "users.deactivate")
    assert entry.actor == "admin" and entry.target_type == "user" and entry.basis == str(rules.LIFECYCLE_BASIS)
    assert entry.before == {"is_active": True} and entry.after["is_active"] is False
    assert entry.after["tokens_revoked"] >= 1
    again = client.post("/api/admin/users/duty/deactivate", headers=login("admin"))
    assert again.status_code == 409


def test_an_admin_cannot_deactivate_their_own_account(client, login):
    r = client.post("/api/admin/users/admin/deactivate", headers=login("admin"))
    assert r.status_code == 409 and "admin" in r.json()["error"]["msg_en"]


def test_reset_password_checks_the_policy_revokes_tokens_and_the_new_password_works(client, login, db):
    token = login("duty")
    admin = login("admin")
    short = client.post("/api/admin/users/duty/reset-password", headers=admin, json={"password": "short"})
    assert short.status_code == 422 and short.json()["detail"][0]["field"] == "password"
    assert client.get("/api/auth/me", headers=token).status_code == 200  # a refusal changes nothing
    r = client.post("/api/admin/users/duty/reset-password", headers=admin, json={"password": "a-new-password-1"})
    assert r.status_code == 200, r.text
    assert client.get("/api/auth/me", headers=token).status_code == 401
    assert client.post("/api/auth/token", data={"username": "duty", "password": DEMO_PASSWORD}).status_code == 401
    assert client.post("/api/auth/token", data={"username": "duty", "password": "a-new-password-1"}).status_code == 200
    [entry] = entries(db, "users.reset_password")
    assert entry.actor == "admin" and entry.basis == str(rules.LIFECYCLE_BASIS) and entry.after["tokens_revoked"] >= 1
    assert "a-new-password-1" not in str(entry.after) and "argon2" not in str(entry.after)


def test_an_unknown_user_is_404(client, login):
    admin = login("admin")
    assert client.post("/api/admin/users/nobody/deactivate", headers=admin).status_code == 404
    assert client.post("/api/admin/users/nobody/reset-password", headers=admin,
                       json={"password": "a-new-password-1"}).status_code == 404


def test_only_an_admin_manages_users(client, login):
    assert client.post("/api/admin/users/duty/deactivate", headers=login("sun.yang")).status_code == 403
    assert client.get("/api/auth/me", headers=login("duty")).status_code == 200
