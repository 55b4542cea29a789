"""Logging in, tokens, the demo password rule, rate limiting, and authority from posts."""
from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from dongcheng.core.config import Settings
from dongcheng.main import create_app


def test_a_wrong_password_is_refused(client):
    r = client.post("/api/auth/token", data={"username": "duty", "password": "wrong-password"})
    assert r.status_code == 401
    assert r.json()["error"]["msg_zh"] == "用户名或密码错误"


def test_an_unknown_user_gets_the_same_answer(client):
    r = client.post("/api/auth/token", data={"username": "nobody", "password": "demo-password"})
    assert r.status_code == 401 and r.json()["error"]["msg_zh"] == "用户名或密码错误"


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


def test_the_demo_password_is_refused_outside_demo_mode(settings, connection):
    from sqlalchemy.orm import sessionmaker

    app = create_app(Settings(database_url=settings.database_url, demo_mode=False, environment="test"))
    app.state.sessionmaker = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    app.state.write_bind = connection
    with TestClient(app) as c:
        r = c.post("/api/auth/token", data={"username": "duty", "password": "demo-password"})
    assert r.status_code == 401 and "演示" in r.json()["error"]["msg_zh"]


def test_repeated_failures_are_rate_limited(client):
    for _ in range(10):
        client.post("/api/auth/token", data={"username": "cgw", "password": "guess-guess"})
    r = client.post("/api/auth/token", data={"username": "cgw", "password": "demo-password"})
    assert r.status_code == 429 and "5 分钟" in r.json()["error"]["msg_zh"]


def test_authority_moves_with_the_post(client, login):
    admin = login("admin")
    r = client.post("/api/directory/appointments", headers=admin, json={
        "action": "任命", "person": "孙扬", "unit": "区政府", "title": "mayor",
        "effective_on": date.today().isoformat(), "document": "东政任〔2026〕1号"})
    assert r.status_code == 201, r.text
    assert "北京市东城区人民政府区长" in client.get("/api/auth/me", headers=login("sun.yang")).json()["posts"]
    assert client.get("/api/auth/me", headers=login("mayor")).json()["posts"] == []


def test_passwords_are_stored_as_argon2id(db):
    from sqlalchemy import select

    from dongcheng.auth.models import User

    user = db.scalar(select(User).where(User.username == "duty"))
    assert user.password_hash.startswith("$argon2id$")


def test_production_refuses_the_default_secret():
    import pytest

    with pytest.raises(ValueError, match="DONGCHENG_SECRET_KEY"):
        Settings(environment="production")
