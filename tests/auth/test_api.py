"""Tokens and authority from posts (logging in for real — the hash, wrong passwords, the demo password, the rate
limit, cookies — is tests/auth/test_login.py)."""
from __future__ import annotations

from datetime import date

from dongcheng.core.config import Settings


def test_a_token_identifies_the_user_with_posts_from_the_directory(client, login):
    me = client.get("/api/auth/me", headers=login("sun.yang")).json()
    assert me["person"] == "孙扬" and me["role"] == "leader"
    assert me["posts"] == ["北京市东城区人民政府副区长"]
    assert client.get("/api/auth/me", headers=login("mayor")).json()["posts"] == ["北京市东城区人民政府区长"]


def test_no_token_is_401_and_a_bad_token_too(client):
    assert client.get("/api/auth/me").status_code == 401
    assert client.get("/api/auth/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_logout_revokes_the_token(client, login):
    headers = login("duty")
    assert client.post("/api/auth/logout", headers=headers).status_code == 200
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_authority_moves_with_the_post(client, login):
    admin = login("admin")
    r = client.post("/api/directory/appointments", headers=admin, json={
        "action": "任命", "person": "孙扬", "unit": "区政府", "title": "mayor",
        "effective_on": date.today().isoformat(), "document": "东政任〔2026〕1号"})
    assert r.status_code == 201, r.text
    assert "北京市东城区人民政府区长" in client.get("/api/auth/me", headers=login("sun.yang")).json()["posts"]
    assert client.get("/api/auth/me", headers=login("mayor")).json()["posts"] == []


def test_production_refuses_the_default_secret():
    import pytest

    with pytest.raises(ValueError, match="DONGCHENG_SECRET_KEY"):
        Settings(environment="production")
