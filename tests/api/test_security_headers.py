"""Security headers on every response (API JSON, page, error, static file); HSTS and the CSRF cookie's Secure flag
only in production."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dongcheng.core.config import Settings
from dongcheng.main import create_app

SECRET = "s" * 40


def _secured(r) -> str:
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    return csp


def _page_policy(csp: str) -> None:
    directives = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in csp.split(";")) if d}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline script anywhere
    assert "'unsafe-inline'" not in directives["style-src"] and "'unsafe-eval'" not in csp
    assert directives["object-src"] == ["'none'"]


@pytest.mark.parametrize("path, status", [
    ("/healthz", 200),                  # API JSON
    ("/api/reference/event-types", 200),
    ("/login", 200),                    # a page
    ("/", 200),
    ("/no-such-page", 404),             # an error
    ("/api/no-such-thing", 404),
    ("/static/site.css", 200),          # a static file
    ("/static/board.js", 200),
])
def test_every_response_carries_the_headers(client, path, status):
    r = client.get(path)
    assert r.status_code == status, r.text[:200]
    _page_policy(_secured(r))
    assert "strict-transport-security" not in r.headers  # not in test settings


def test_refusals_before_routing_carry_them_too(client):
    r = client.get("/api/reference/event-types?q=%00")  # the input gate's 422
    assert r.status_code == 422
    _secured(r)


def test_the_api_docs_are_served_locally_under_the_page_policy(client):
    r = client.get("/docs")
    assert r.status_code == 200
    policy = _secured(r)
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert "<script>" not in r.text and "http" not in r.text  # no inline start-up script, nothing from a CDN
    assert client.get("/redoc").status_code == 404  # ReDoc would need a CDN


@pytest.fixture(scope="module")
def production_client(database_url):
    app = create_app(Settings(environment="production", secret_key=SECRET, audit_key=SECRET, demo_mode=False,
                              database_url=database_url))
    with TestClient(app, base_url="https://testserver") as c:
        yield c


def test_hsts_only_in_production(production_client):
    for path in ("/healthz", "/login", "/no-such-page", "/static/site.css"):
        r = production_client.get(path)
        assert r.headers["strict-transport-security"] == "max-age=31536000", path
        _secured(r)


def test_the_csrf_cookie_is_secure_in_production(production_client):
    production_client.cookies.clear()
    r = production_client.get("/login")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("dc_csrf=")
    flags = {f.strip().lower() for f in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=strict"} <= flags


def test_the_csrf_cookie_is_not_secure_in_test_settings(client):
    r = client.get("/login")
    cookie = r.headers["set-cookie"]
    flags = {f.strip().lower() for f in cookie.split(";")[1:]}
    assert cookie.startswith("dc_csrf=") and {"httponly", "samesite=strict"} <= flags and "secure" not in flags


def test_no_template_has_an_inline_script_the_policy_would_refuse():
    """script-src 'self': a <script> needs a src, an element no on…= handler, a link no javascript: URL."""
    import re
    from pathlib import Path

    from dongcheng import modules

    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|<style", re.IGNORECASE)
    found = [f"{path.name}: {m.group(0)}" for folder in modules.template_dirs()
             for path in Path(folder).rglob("*.html") if "print" not in path.parts  # WeasyPrint's, never a browser's
             for m in inline.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("environment, hsts", [("test", False), ("production", True)])
@pytest.mark.parametrize("path, accept", [("/api/boom", "application/json"), ("/boom", "text/html")])
def test_an_unhandled_exception_s_500_carries_them_too(database_url, environment, hsts, path, accept):
    """Starlette answers an unhandled exception in its outermost middleware, outside SecurityHeaders."""
    app = create_app(Settings(environment=environment, secret_key=SECRET, audit_key=SECRET, database_url=database_url,
                              demo_mode=environment != "production"))

    @app.get(path)
    def boom():
        raise RuntimeError("unexpected")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get(path, headers={"Accept": accept})
    assert r.status_code == 500 and "系统内部错误" in r.text
    _page_policy(_secured(r))
    assert ("strict-transport-security" in r.headers) is hsts
