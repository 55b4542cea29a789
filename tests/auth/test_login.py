"""Logging in for real: the stored argon2id hash and its parameters, a wrong password, the demo password outside
demo mode, the rate limit, the session cookie's flags and logging out.

Every other test signs in through the ``login`` fixture (a token issued by the auth service, no password check);
these are the tests that pay for a real argon2id verify (~0.2 s each).
"""
from __future__ import annotations

import re

import argon2
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from dongcheng.api.deps import SESSION_COOKIE
from dongcheng.audit.service import SYSTEM
from dongcheng.auth.models import User
from dongcheng.auth.service import create_user
from dongcheng.core.config import DEMO_PASSWORD, Settings
from dongcheng.main import create_app

HTML = {"Accept": "text/html"}


def real_login(client, username: str = "duty", password: str = DEMO_PASSWORD):
    return client.post("/api/auth/token", data={"username": username, "password": password})


def form_login(client, username: str = "duty", password: str = DEMO_PASSWORD, next: str = "/"):
    """The /login form as a browser posts it: GET sets the CSRF cookie, POST carries the token from the form."""
    page = client.get("/login", headers=HTML)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", headers=HTML, follow_redirects=False,
                       data={"username": username, "password": password, "csrf_token": csrf, "next": next})


def cookie_flags(response) -> set[str]:
    """The attributes of the session cookie in a response, lower-cased: {"httponly", "samesite=lax", …}."""
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}="))
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def app_with(settings: Settings, connection):
    app = create_app(settings)
    app.state.sessionmaker = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                          expire_on_commit=False)
    app.state.write_bind = connection
    app.state.read_bind = connection
    return app


def test_passwords_are_stored_as_argon2id_with_the_rfc_9106_low_memory_profile(db):
    user = db.scalar(select(User).where(User.username == "duty"))
    params = argon2.extract_parameters(user.password_hash)
    assert user.password_hash.startswith("$argon2id$v=19$")
    assert params.type is argon2.Type.ID
    # RFC 9106 §4 second recommended option (argon2-cffi's default): t=3, 64 MiB, 4 lanes, 16-byte salt, 32-byte tag
    assert (params.time_cost, params.memory_cost, params.parallelism) == (3, 64 * 1024, 4)
    assert (params.salt_len, params.hash_len) == (16, 32)


def test_the_right_password_gives_a_bearer_token_that_identifies_the_user(client):
    r = real_login(client, "sun.yang")
    assert r.status_code == 200 and r.json()["token_type"] == "bearer"
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == "sun.yang"


def test_a_wrong_password_is_refused(client):
    r = real_login(client, "duty", "wrong-password")
    assert r.status_code == 401
    assert r.json()["error"]["msg_zh"] == "用户名或密码错误"


def test_an_unknown_user_gets_the_same_answer(client):
    r = real_login(client, "nobody")
    assert r.status_code == 401 and r.json()["error"]["msg_zh"] == "用户名或密码错误"


def test_the_demo_password_is_refused_outside_demo_mode(settings, connection):
    app = app_with(Settings(database_url=settings.database_url, demo_mode=False, environment="test"), connection)
    with TestClient(app) as c:
        r = real_login(c, "duty")
    assert r.status_code == 401 and "演示" in r.json()["error"]["msg_zh"]


def test_repeated_failures_are_rate_limited(client):
    """The throttle in full: tests/auth/test_throttle.py."""
    for _ in range(5):
        assert real_login(client, "cgw", "guess-guess").status_code == 401
    answers = [real_login(client, "cgw", "guess-guess") for _ in range(3)]  # waits of 1 s, 2 s, 4 s: one is hit
    r = next(a for a in answers if a.status_code != 401)
    assert r.status_code == 429 and "登录失败次数过多" in r.json()["error"]["msg_zh"] and r.headers["retry-after"]


def test_the_login_form_sets_an_http_only_same_site_session_cookie(client):
    r = form_login(client, next="/warnings")
    assert r.status_code == 303 and r.headers["location"] == "/warnings"
    flags = cookie_flags(r)
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags  # plain http outside production
    assert "max-age=43200" in flags  # token_ttl_hours = 12
    home = client.get("/", headers=HTML)
    assert "区应急办值班员" in home.text  # the cookie signs the pages in


def test_in_production_the_session_cookie_is_secure(settings, connection, db):
    create_user(db, actor=SYSTEM, username="prod.user", password="a-real-password-1", display_name="生产用户",
                role="admin")
    db.commit()
    app = app_with(Settings(database_url=settings.database_url, environment="production", secret_key="s" * 40,
                            audit_key="a" * 40),
                   connection)
    with TestClient(app, base_url="https://testserver") as c:  # the CSRF cookie is Secure too: sent back over https only
        r = form_login(c, "prod.user", "a-real-password-1")
    assert r.status_code == 303, r.text
    assert {"secure", "httponly", "samesite=lax"} <= cookie_flags(r)


def test_a_wrong_password_on_the_form_is_shown_in_chinese_and_sets_no_session(client):
    r = form_login(client, "duty", "not-the-password")
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    assert SESSION_COOKIE not in r.cookies


def test_logout_revokes_a_real_login(client):
    headers = {"Authorization": f"Bearer {real_login(client).json()['access_token']}"}
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    assert client.post("/api/auth/logout", headers=headers).status_code == 200
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_the_logout_form_revokes_the_session_and_clears_the_cookie(client):
    form_login(client)
    token = client.cookies.get(SESSION_COOKIE)
    assert client.get("/api/auth/me").status_code == 200
    csrf = client.cookies.get("dc_csrf")
    r = client.post("/logout", headers=HTML, data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert any(c.startswith(f'{SESSION_COOKIE}=""') or "max-age=0" in c.lower()
               for c in r.headers.get_list("set-cookie"))
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
