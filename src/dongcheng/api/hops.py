"""One worker-thread hop per request for a route's blocking work — none on SQLite when its transaction begins
without waiting.

FastAPI runs a plain ``def`` endpoint in the threadpool, then validates and serialises its answer in the threadpool
again: two hops (~150–200 µs of CPU each here, issue 11), on top of one per plain ``def`` dependency. ``@one_hop``
makes the endpoint a coroutine that runs the same function in the threadpool once; its answer is serialised on the
event loop, as for any ``async def`` endpoint. Signature, annotations and OpenAPI stay the function's own (FastAPI
reads them through ``__wrapped__``). The dependencies of a route should then be ``async def`` when they do not block
(api/deps.py: ``current_caller``, ``require``; the token lookup runs on the loop too, see ``optional_caller``).

On SQLite the endpoint runs on the event loop itself once its transaction has begun without waiting
(``core.db.begin_without_waiting``): a read's SELECTs never wait (WAL), and a writer that holds the write lock waits
for nobody; its statements are calls into a library on a local file, cheaper than the hop (~0.18 ms of ~1.5 ms of
intake's CPU, issue 11). When another process holds the write lock, the endpoint goes to the thread as before and
waits there (``busy_timeout``), so the loop never waits for a lock. PostgreSQL's statements are network round trips:
always in the thread.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic_core import to_json
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from dongcheng.core.db import REQUEST_WRITE, begin_without_waiting

F = TypeVar("F", bound=Callable[..., Any])


def one_hop(endpoint: F) -> F:
    @functools.wraps(endpoint)
    async def run(*args, **kwargs):
        session = kwargs.get("session")
        if isinstance(session, Session) and begin_without_waiting(session):
            return _and_commit(endpoint, args, kwargs)  # SQLite, its locks held: nothing it runs waits
        return await run_in_threadpool(_and_commit, endpoint, args, kwargs)

    return run  # type: ignore[return-value]


def _and_commit(endpoint: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    """The endpoint, then — for a mutation — its request's COMMIT, in the same worker thread.

    A commit waits for the database to make the transaction durable (PostgreSQL: the WAL flush). On the event loop
    (``get_session``'s exit) that wait stops every other request of the process, so commits run one after another and
    PostgreSQL can never flush several at once; here, in the thread the request already holds, they overlap and the
    loop goes on (issue 11: two workers gave 1.1× one). It needs no second thread, so the reason ``get_session``
    ends its transaction on the loop (a thread pool all waiting for a connection) does not arise. An error in the
    endpoint or in the commit propagates as before and ``get_session`` rolls back; after a commit here it finds no
    transaction left to end."""
    answer = endpoint(*args, **kwargs)
    session = kwargs.get("session")
    if isinstance(session, Session) and session.info.get(REQUEST_WRITE) and session.in_transaction():
        session.commit()
    return answer


def json_answer(content: object, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """The JSON answer FastAPI would send for a route annotated ``-> dict`` / ``-> list[dict]`` — the same bytes
    (pydantic's serialiser, ``application/json``) — without validating against that annotation first: the content is
    the views' own plain dicts, and validating them copies every one (a quarter of the board's answer, issue 11).
    A route that returns it keeps its annotation, so its OpenAPI schema is unchanged."""
    return Response(to_json(content), status_code=status_code, headers=headers, media_type="application/json")
