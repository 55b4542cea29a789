"""Accounts through the service, whichever face calls it: no path creates a user with an unknown role or a short
password; a stored row with an unknown role (a legacy row) has no permissions."""
from __future__ import annotations

import pytest

from dongcheng.api.deps import SESSION_COOKIE
from dongcheng.audit.service import Actor
from dongcheng.auth import rules, service
from dongcheng.auth.models import User
from dongcheng.auth.passwords import hash_password
from dongcheng.core.errors import DomainError

ADMIN = Actor("test-admin")


def test_the_service_refuses_an_unknown_role(db):
    with pytest.raises(DomainError) as refused:
        service.create_user(db, actor=ADMIN, username="merlin", password="long-enough-1", display_name="M",
                            role="wizard")
    assert refused.value.status_code == 422 and [f.field for f in refused.value.fields] == ["role"]
    assert db.query(User).filter_by(username="merlin").first() is None


def test_the_service_refuses_a_short_password(db):
    with pytest.raises(DomainError) as refused:
        service.create_user(db, actor=ADMIN, username="shorty", password="x" * (rules.PASSWORD_MIN_LENGTH - 1),
                            display_name="S", role="admin")
    assert refused.value.status_code == 422 and [f.field for f in refused.value.fields] == ["password"]


def test_the_api_refuses_an_unknown_role_and_a_short_password(client, login):
    admin = login("admin")
    body = {"username": "merlin", "password": "long-enough-1", "display_name": "M", "role": "wizard"}
    r = client.post("/api/admin/users", headers=admin, json=body)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "role"
    r = client.post("/api/admin/users", headers=admin, json=body | {"role": "admin", "password": "short"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "password"


def test_a_legacy_row_with_an_unknown_role_is_403_not_500(client, login, db):
    db.add(User(username="legacy.wizard", display_name="W", password_hash=hash_password("long-enough-1"),
                role="wizard"))
    db.commit()
    headers = login("legacy.wizard")
    r = client.get("/api/incidents", headers=headers)
    assert r.status_code == 403, r.text
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    client.cookies.set(SESSION_COOKIE, headers["Authorization"].removeprefix("Bearer "))
    for page in ("/", "/incidents/board"):
        assert client.get(page, headers={"Accept": "text/html"}).status_code < 500, page
