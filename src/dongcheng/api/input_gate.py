"""The input gate: what no field of this platform accepts, refused on every route before the application reads or
saves anything — as JSON or, for a page, as the page.

* No NUL. PostgreSQL text cannot hold one (it failed as a 500 deep inside a flush), so both engines refuse it alike:
  a 422 naming where it was (``query`` or ``body``). JSON carries NUL as ``\\u0000``, forms and URLs as ``%00``.
* No other control character (U+0001–U+001F but tab, LF and CR): XML 1.0 cannot hold them, and a warning titled so
  made the public Atom feed and CAP fail for everyone. A 422 naming the field (a JSON path as validation names it,
  the query parameter, the form field; ``path`` for the URL).

* No body larger than its route class allows (``LIMITS``; 64 KB by default): a Content-Length above the limit is
  refused before reading, a chunked body as soon as the count passes it — a 413, before routing, authentication or
  parsing, so an anonymous 100 MB post costs nothing. The body is kept as its chunks and joined once (linear).

A text or file upload is left to its endpoint (the gazette import names what is wrong).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dongcheng.core.basis import platform_default
from dongcheng.core.errors import DomainError, FieldError

MUTATING = {b"POST", b"PUT", b"PATCH", b"DELETE"}
KB = 1024
DEFAULT_LIMIT = 64 * KB  # every form and JSON body: sign-in, warnings' reasons, directory, incubators, commissioners
# (method, path) → the largest body the route class legitimately needs; the first match wins. Chinese text is 3 bytes
# a character in UTF-8, 6 as a JSON \uXXXX escape, 9 form-encoded (%E4%B8%80).
LIMITS: tuple[tuple[bytes, re.Pattern[str], int], ...] = (
    # the gazette import: one issue's text up to gazette.api.MAX_BYTES (4 MB), plus its multipart envelope
    (b"POST", re.compile(r"/api/gazette/issues/?"), 4 * 1024 * KB + 64 * KB),
    # an incident's records (API and pages): 续报 3 × 5 000 characters, statements 20 000, the recovery plan
    # 20 000, the evaluation report and investigation 2 × 50 000 — 900 KB form-encoded at most
    (b"", re.compile(r"/(api/)?incidents(/.*)?"), 1024 * KB),
    # a warning's 警示事项 and 措施, 4 000 characters each: 72 KB form-encoded
    (b"", re.compile(r"/(api/)?warnings(/.*)?"), 128 * KB),
)
LIMITS_DEFAULT = platform_default("request_body_limits", "请求体上限：默认64 KB，预警128 KB，事件1 MB，公报导入4 MB + 64 KB")
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f]")
_JSON_HINT = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f]|\\[bf]|\\u00[01]", re.IGNORECASE)
_PCT_HINT = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f]|%(?:0[1-8bBcCeEfF]|1[0-9a-fA-F])")


def _kind(scope: Scope) -> str | None:
    content_type = dict(scope.get("headers") or ()).get(b"content-type", b"").split(b";")[0].strip().lower()
    if content_type == b"application/x-www-form-urlencoded":
        return "form"
    if content_type == b"application/json" or content_type.endswith(b"+json") or not content_type:
        return "json"
    return None  # a text or file upload is the endpoint's to judge


def _nul(scope: Scope, body: bytes) -> str | None:
    if b"%00" in scope.get("query_string", b"") or b"%00" in (scope.get("raw_path") or b""):
        return "query"
    kind = _kind(scope)
    if kind == "form":
        return "body" if b"%00" in body or b"\x00" in body else None
    if kind == "json":
        return "body" if b"\\u0000" in body or b"\x00" in body else None
    return None


def _pairs(encoded: bytes) -> Iterator[tuple[str, str]]:
    yield from parse_qsl(encoded.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")


def _in_pairs(encoded: bytes) -> str | None:
    if not _PCT_HINT.search(encoded):
        return None
    for name, value in _pairs(encoded):
        if CONTROL.search(name) or CONTROL.search(value):
            return CONTROL.sub("", name) or "body"
    return None


def _in_json(value: Any, path: tuple[str, ...] = ()) -> str | None:
    if isinstance(value, str):
        return (".".join(path) or "body") if CONTROL.search(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and CONTROL.search(key):
            return ".".join(path) or "body"
        found = _in_json(item, (*path, str(key)))
        if found:
            return found
    return None


def _control(scope: Scope, body: bytes) -> str | None:
    """The field holding a control character, or None."""
    if CONTROL.search(unquote((scope.get("raw_path") or b"").decode("latin-1"))):
        return "path"
    found = _in_pairs(scope.get("query_string", b""))
    if found:
        return found
    kind = _kind(scope)
    if kind == "form":
        return _in_pairs(body)
    if kind == "json" and _JSON_HINT.search(body):
        try:
            return _in_json(json.loads(body))
        except ValueError:  # not JSON at all: the route's validation says so
            return None
    return None


def _refusal(scope: Scope, body: bytes) -> DomainError | None:
    where = _nul(scope, body)
    if where:
        return DomainError("输入有误", "Invalid input", 422, [
            FieldError(where, "不能含有空字符（NUL）", "must not contain NUL characters")])
    field = _control(scope, body)
    if field:
        return DomainError("输入有误", "Invalid input", 422, [
            FieldError(field, "不能含有控制字符（制表符、换行符除外）",
                       "must not contain control characters (other than tab, line feed, carriage return)")])
    return None


def limit_for(method: str, path: str) -> int:
    """The largest body ``method path`` accepts, in bytes."""
    for only, pattern, limit in LIMITS:
        if (not only or only == method.encode()) and pattern.fullmatch(path):
            return limit
    return DEFAULT_LIMIT


def _too_large(limit: int) -> DomainError:
    return DomainError("请求内容过大", f"Request body too large ({LIMITS_DEFAULT})", 413, [
        FieldError("body", f"不得超过 {limit // KB} KB", f"must not exceed {limit // KB} KB")])


def _declared_length(scope: Scope) -> int | None:
    try:
        return int(dict(scope.get("headers") or ()).get(b"content-length", b""))
    except ValueError:
        return None


class InputGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, tail = bytearray(), []  # the body grows in place (linear); a disconnect is handed on after it
        error: DomainError | None = None
        if scope["method"].encode() in MUTATING:
            limit = limit_for(scope["method"], scope["path"])
            declared = _declared_length(scope)
            if declared is not None and declared > limit:
                error = _too_large(limit)
            while error is None:  # read the body once, counting, then hand it on as one message
                message = await receive()
                if message["type"] != "http.request":
                    tail.append(message)
                    break
                body += message.get("body", b"")
                if len(body) > limit:
                    error = _too_large(limit)
                elif not message.get("more_body", False):
                    break
        if error is None:
            error = _refusal(scope, bytes(body))
        messages = [{"type": "http.request", "body": bytes(body), "more_body": False}, *tail]
        if error is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        from dongcheng.api.errors import error_response

        response = error_response(Request(scope, _replay(messages, receive)), error)
        await response(scope, _replay(messages, receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay
