"""A database connection found dead mid-request (the server restarted, an idle connection was cut, an operator ran
``pg_terminate_backend``): the optimistic half of SQLAlchemy's disconnect handling (core/db.py has no pre-ping).

SQLAlchemy has already invalidated that connection and every pooled one opened before it, so the next checkout
connects afresh. A read (GET, HEAD) is then run again once, on a new connection, and the user never sees the
failure: it changed nothing. A mutation is not replayed here — its transaction rolled back as a whole, and only the
client knows whether to send it again (with its ``Idempotency-Key`` a resend is safe) — so it is answered 503 with
``Retry-After: 1`` and a message saying nothing was saved.
"""
from __future__ import annotations

from fastapi import Request
from sqlalchemy.exc import DBAPIError

from dongcheng.core.errors import DomainError

FLAG = "dongcheng.database_disconnected"
READS = frozenset({"GET", "HEAD"})


def is_disconnect(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def disconnected(request: Request) -> DomainError:
    """The answer to a request whose database connection was lost (and a mark for :class:`RetryReadsOnDisconnect`)."""
    request.scope[FLAG] = True
    return DomainError("数据库连接中断，操作未保存，请重试", "The database connection was lost; nothing was saved, "
                       "please retry", 503, headers={"Retry-After": "1"})


class RetryReadsOnDisconnect:
    """Pure ASGI: a GET/HEAD answered :func:`disconnected` is run once more instead of being answered."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in READS:
            await self.app(scope, receive, send)
            return
        swallowed = False

        async def first_send(message):
            nonlocal swallowed
            if message["type"] == "http.response.start" and scope.get(FLAG):
                swallowed = True
            if not swallowed:
                await send(message)

        await self.app(scope, receive, first_send)
        if swallowed:
            scope.pop(FLAG, None)

            async def empty_body():  # a read's request body is empty, and the first run consumed it
                return {"type": "http.request", "body": b"", "more_body": False}

            await self.app(scope, empty_body, send)
