"""No NUL character in any input, on every route. PostgreSQL text cannot hold one (it failed as a 500 deep inside a
flush) and no field of this platform has a use for it, so both engines refuse it alike — before the application
reads or saves anything: a 422 naming where it was (``query`` or ``body``), as JSON or, for a page, as the page.

JSON carries NUL as ``\\u0000``, forms and URLs as ``%00``; a text or file upload is left to its endpoint.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dongcheng.core.errors import DomainError, FieldError

MUTATING = {b"POST", b"PUT", b"PATCH", b"DELETE"}


def _where(scope: Scope, body: bytes) -> str | None:
    if b"%00" in scope.get("query_string", b"") or b"%00" in (scope.get("raw_path") or b""):
        return "query"
    content_type = dict(scope.get("headers") or ()).get(b"content-type", b"").split(b";")[0].strip()
    if content_type == b"application/x-www-form-urlencoded":
        return "body" if b"%00" in body or b"\x00" in body else None
    if content_type == b"application/json" or content_type.endswith(b"+json") or not content_type:
        return "body" if b"\\u0000" in body or b"\x00" in body else None
    return None  # a text or file upload is the endpoint's to judge (the gazette import names what is wrong)


class RejectNul:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, messages = b"", []
        if scope["method"].encode() in MUTATING:
            while True:  # read the whole body once, then hand the same messages on
                message = await receive()
                messages.append(message)
                body += message.get("body", b"")
                if message["type"] != "http.request" or not message.get("more_body", False):
                    break
        where = _where(scope, body)
        if where is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        error = DomainError("输入有误", "Invalid input", 422, [
            FieldError(where, "不能含有空字符（NUL）", "must not contain NUL characters")])
        from dongcheng.api.errors import error_response

        response = error_response(Request(scope, _replay(messages, receive)), error)
        await response(scope, _replay(messages, receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay
