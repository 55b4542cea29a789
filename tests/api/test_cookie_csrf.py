"""Cookie-authenticated unsafe API requests (ISSUE9 §11): a POST/PUT/PATCH/DELETE to /api/* signed in by the page
session cookie, not a bearer token, needs the CSRF token in X-CSRF-Token or a same-origin Origin/Referer — one
check in api.deps, so every route that knows its caller asks it."""
from __future__ import annotations

import pytest

from dongcheng.api.deps import CSRF_COOKIE, SESSION_COOKIE

EVIL = "https://evil.example"


@pytest.fixture
def cookie_client(client, login):
    """A browser signed in as the bureau's clerk: the session cookie and the pages' CSRF cookie, no bearer."""
    token = login("clerk.rsj")["Authorization"].removeprefix("Bearer ")
    client.cookies.set(SESSION_COOKIE, token)
    client.cookies.set(CSRF_COOKIE, "the-pages-csrf-token")
    return client


def retirees(client, **headers):
    return client.put("/api/commissioners/streets/东四街道/retirees", json={"retirees": 2000}, headers=headers)


def test_a_cross_site_request_with_the_cookie_is_refused_and_changes_nothing(cookie_client):
    for headers in ({}, {"Origin": EVIL}, {"Referer": f"{EVIL}/x"}, {"Origin": "null"},
                    {"X-CSRF-Token": "a-guess"}):
        r = retirees(cookie_client, **headers)
        assert r.status_code == 403, (headers, r.text)
        assert r.json()["error"]["msg_zh"].startswith("跨站请求被拒绝")
    streets = cookie_client.get("/api/commissioners/streets").json()  # a GET needs nothing
    assert next(s for s in streets if s["street"] == "东四街道")["retirees"] is None


@pytest.mark.parametrize("headers", [{"Origin": "http://testserver"}, {"Referer": "http://testserver/commissioners"},
                                     {"X-CSRF-Token": "the-pages-csrf-token"}])
def test_our_own_page_or_the_token_passes(cookie_client, headers):
    assert retirees(cookie_client, **headers).status_code == 200


def test_a_bearer_call_is_not_asked_whatever_its_origin(client, login):
    r = client.put("/api/commissioners/streets/东四街道/retirees", json={"retirees": 2000},
                   headers={**login("clerk.rsj"), "Origin": EVIL})
    assert r.status_code == 200


def test_logging_out_through_the_api_with_the_cookie_is_guarded_too(cookie_client):
    assert cookie_client.post("/api/auth/logout", headers={"Origin": EVIL}).status_code == 403
    assert cookie_client.get("/api/auth/me").status_code == 200  # still signed in
    assert cookie_client.post("/api/auth/logout", headers={"Origin": "http://testserver"}).status_code == 200
