"""The input gate's size limit: counted while the body streams, before routing, authentication or parsing; 413."""
from __future__ import annotations

import asyncio

import pytest

from dongcheng.api.input_gate import DEFAULT_LIMIT, InputGate

KB = 1024
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _chunks(total: int, size: int = 64 * KB):
    chunk = b"a" * size
    for _ in range(total // size):
        yield chunk


def _too_large(r) -> None:
    assert r.status_code == 413, r.text[:300]
    body = r.json()
    assert body["error"]["status"] == 413 and body["error"]["msg_zh"] and body["error"]["msg_en"]
    assert body["detail"][0]["field"] == "body" and "KB" in body["detail"][0]["msg_en"]


def test_a_form_or_json_body_over_64_kb_is_a_413_with_content_length(client):
    _too_large(client.post("/api/auth/token", content=b"username=" + b"a" * (64 * KB), headers=FORM))
    _too_large(client.post("/api/incidents", content=b'{"title": "' + b"a" * (2048 * KB) + b'"}',
                           headers={"Content-Type": "application/json"}))


def test_a_chunked_body_is_counted_as_it_streams(client):
    _too_large(client.post("/api/auth/token", content=_chunks(4 * 1024 * KB), headers=FORM))  # no Content-Length


def test_the_gate_stops_reading_at_the_limit_and_never_calls_the_route():
    read, sent, called = [], [], []

    async def route(scope, receive, send):
        called.append(scope)

    async def receive():
        read.append(1)
        return {"type": "http.request", "body": b"a" * (16 * KB), "more_body": True}  # an endless body

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/auth/token", "raw_path": b"/api/auth/token",
             "query_string": b"", "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
             "scheme": "http", "server": ("test", 80), "root_path": ""}
    asyncio.run(InputGate(route)(scope, receive, send))
    assert sent[0]["status"] == 413 and not called and len(read) == DEFAULT_LIMIT // (16 * KB) + 1


def test_a_body_under_the_limit_goes_on_to_the_route(client):
    r = client.post("/api/auth/token", data={"username": "nobody", "password": "x" * (32 * KB)})
    assert r.status_code != 413


def test_the_gazette_import_may_carry_an_issue_of_up_to_4_mb(client, login):
    r = client.post("/api/gazette/issues", content=b"\xe4\xb8\x80" * (1024 * KB),
                    headers={**login("admin"), "Content-Type": "text/plain; charset=utf-8"})
    assert r.status_code != 413, r.text[:300]
    _too_large(client.post("/api/gazette/issues", content=_chunks(5 * 1024 * KB),
                           headers={**login("admin"), "Content-Type": "text/plain"}))


@pytest.mark.parametrize("announced, most_read", [(True, 0), (False, 1)], ids=["content-length", "chunked"])
def test_a_100_mb_anonymous_body_is_refused_after_its_first_megabyte(app, announced, most_read):
    """The whole platform (every middleware, the token route) answers a 100 MB upload with a 413 before reading it:
    none of it when Content-Length says 100 MB, one 1 MB chunk when it streams unannounced — not the hundred
    (before the gate, all of it: ~9 s of CPU)."""
    read, sent = [], []

    async def receive():
        read.append(1)
        return {"type": "http.request", "body": b"a" * (1024 * KB), "more_body": len(read) < 100}

    async def send(message):
        sent.append(message)

    length = [(b"content-length", str(100 * 1024 * KB).encode())] if announced else []
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "path": "/api/auth/token", "raw_path": b"/api/auth/token", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/x-www-form-urlencoded"), *length],
             "scheme": "http", "server": ("testserver", 80), "client": ("127.0.0.1", 1)}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413 and len(read) == most_read, (sent[0], len(read))
