"""Request-scoped dependencies: the one transaction per request, and who is calling."""
from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from dongcheng.auth.service import Caller, authorize, caller_for_token
from dongcheng.core.config import Settings
from dongcheng.core.db import REQUEST_WRITE
from dongcheng.core.errors import DomainError, unauthorized
from dongcheng.reference import cache as reference

SESSION_COOKIE = "dc_session"
CSRF_COOKIE = "dc_csrf"  # the pages' double-submit token (web.templating)
CSRF_HEADER = "x-csrf-token"
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: a mutation's is committed before the response is sent, a read's is rolled back
    (GET, HEAD: nothing a read does can persist), and any request's on an error. On PostgreSQL a read runs in
    autocommit (``app.state.read_bind``, main.py): no BEGIN or ROLLBACK round trip, each statement its own snapshot as
    under READ COMMITTED in a transaction.

    This dependency runs on the event loop, not in the threadpool: if its exit (commit / rollback / close) needed a
    pool thread, requests blocked on the database could hold every thread while the transaction that blocks them
    waits for one to finish. For the same reason a request is admitted only when a pooled connection is sure to be
    free (``db_slots``, core.db.REQUEST_SLOTS): a request holds its connection between its dependencies, while it
    waits for a worker thread, and threads must never all be waiting for connections. Both found by 100 concurrent
    approvals. Work that waits happens in the handler's thread: a writer's ``BEGIN IMMEDIATE`` (SQLite) is emitted
    lazily on its first query. SQLite writers of this process also queue on a FIFO lock in the event loop, so they
    wait their turn in order instead of polling SQLite's busy handler, which is unfair under load; they queue
    there before taking a slot, so waiting writers leave the slots to readers.
    """
    state = request.app.state
    write = request.method in MUTATING
    lock = state.sqlite_write_lock if write else None
    if lock is not None:
        await lock.acquire()
    try:
        async with state.db_slots:
            session: Session = state.sessionmaker(bind=state.write_bind if write else state.read_bind)
            session.info[REQUEST_WRITE] = write  # a @one_hop endpoint commits in its own thread (api/hops.py)
            try:
                yield session
                if write and session.in_transaction():
                    session.commit()
                else:
                    session.rollback()  # a read request commits nothing: whatever it touched, it ends as it began
            except BaseException:
                # Detach first so the objects already loaded (the caller shown on an error page) keep their state;
                # a plain rollback would expire them and the error page would fail on a closed session.
                session.expunge_all()
                session.rollback()
                raise
            finally:
                session.close()
    finally:
        if lock is not None:
            lock.release()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def request_token(request: Request) -> str | None:
    return bearer_token(request) or request.cookies.get(SESSION_COOKIE)


def _same_origin(request: Request) -> bool:
    """The request's Origin (or, without one, its Referer) names this host: the browser sent it from our own page.
    Compared by host and port (behind a TLS proxy the scheme the application sees may differ)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    return urlsplit(source).netloc.lower() == request.headers.get("host", "").lower()


def check_cookie_request(request: Request) -> None:
    """An unsafe /api request authenticated by the page session cookie (not a bearer token) must show it comes from
    the platform's own page: the CSRF token in ``X-CSRF-Token`` (equal to the ``dc_csrf`` cookie) or a same-origin
    ``Origin``/``Referer``. Otherwise 403 — another site's form or script cannot act with a signed-in user's cookie.
    The pages' own forms check their token themselves (web.templating.check_csrf); bearer calls carry no ambient
    credential and are not asked."""
    if request.method not in MUTATING or not request.url.path.startswith("/api/") or bearer_token(request):
        return
    if not request.cookies.get(SESSION_COOKIE):
        return
    cookie, header = request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER)
    if cookie and header and secrets.compare_digest(cookie, header):
        return
    if _same_origin(request):
        return
    raise DomainError("跨站请求被拒绝：请从本平台页面操作，或使用令牌（Authorization: Bearer）调用接口",
                      "Cross-site request refused: a cookie-authenticated API call needs the X-CSRF-Token header or "
                      "a same-origin Origin (or use a bearer token)", 403)


async def optional_caller(request: Request, session: SessionDep) -> Caller | None:
    """Who is calling: the token's user and the posts they hold today (one or two prebuilt statements).

    Run on the event loop, not in a worker thread (a thread hop costs more CPU than the lookup): a request holds a
    connection that is sure to be free (``db_slots``), and a read there never waits for a lock. A writer looks up
    before its write transaction begins, on the read bind, and ends that read at once: on SQLite a read transaction of
    its own (``BEGIN``, never waiting: WAL), so the write lock (``BEGIN IMMEDIATE``, with the handler's first statement,
    in the handler's thread) is held for the write phase only and another process (``--workers 2``, the worker, the
    audit sequencer) writes meanwhile; on PostgreSQL in autocommit, so a write that is one statement can run in
    autocommit too (intake: emergency/incidents/repository.py), with no BEGIN or COMMIT round trip. A session already
    in a transaction (a dependency read before this one) looks up in it, in a thread."""
    token = request_token(request)
    if not token:
        return None
    check_cookie_request(request)
    if request.method not in MUTATING:
        return caller_for_token(session, token)  # the read bind already
    if session.in_transaction():
        return await run_in_threadpool(caller_for_token, session, token)
    state = request.app.state
    session.bind = state.read_bind
    try:
        caller = caller_for_token(session, token)
        session.commit()  # a read: nothing to write (autocommit: nothing to send); the caller is plain data
    finally:
        session.bind = state.write_bind
    if state.sqlite_write_lock is None:
        reference.carry(session)  # READ COMMITTED: the token just read serves the write transaction too
    return caller


async def current_caller(caller: Annotated[Caller | None, Depends(optional_caller)]) -> Caller:
    if caller is None:
        raise unauthorized()
    return caller


OptionalCaller = Annotated[Caller | None, Depends(optional_caller)]
CurrentCaller = Annotated[Caller, Depends(current_caller)]


def require(action: str):
    """Route-level permission: ``caller: Annotated[Caller, Depends(require("users.manage"))]``."""

    async def _check(caller: OptionalCaller) -> Caller:  # pure: on the event loop, no thread hop
        # on the token lookup itself, not through current_caller: FastAPI solves every dependency's own dependencies
        # again even when its value is cached, so each layer costs a resolution on every request (issue 11)
        if caller is None:
            raise unauthorized()
        authorize(caller, action)
        return caller

    _check.permission_action = action  # read by the permission-matrix test
    return _check


def requires_caller(call) -> bool:
    """Whether a dependency answers 401 without a signed-in caller (api/openapi.py documents it so)."""
    return call is current_caller or hasattr(call, "permission_action")
