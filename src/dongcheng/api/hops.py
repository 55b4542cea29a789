"""One worker-thread hop per request for a route's blocking work.

FastAPI runs a plain ``def`` endpoint in the threadpool, then validates and serialises its answer in the threadpool
again: two hops (~150–200 µs of CPU each here, issue 11), on top of one per plain ``def`` dependency. ``@one_hop``
makes the endpoint a coroutine that runs the same function in the threadpool once; its answer is serialised on the
event loop, as for any ``async def`` endpoint. Signature, annotations and OpenAPI stay the function's own (FastAPI
reads them through ``__wrapped__``). The dependencies of a route should then be ``async def`` when they do not block
(api/deps.py: ``current_caller``, ``require``; the token lookup runs on the loop too, see ``optional_caller``).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic_core import to_json
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

F = TypeVar("F", bound=Callable[..., Any])


def one_hop(endpoint: F) -> F:
    @functools.wraps(endpoint)
    async def run(*args, **kwargs):
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run  # type: ignore[return-value]


def json_answer(content: object, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """The JSON answer FastAPI would send for a route annotated ``-> dict`` / ``-> list[dict]`` — the same bytes
    (pydantic's serialiser, ``application/json``) — without validating against that annotation first: the content is
    the views' own plain dicts, and validating them copies every one (a quarter of the board's answer, issue 11).
    A route that returns it keeps its annotation, so its OpenAPI schema is unchanged."""
    return Response(to_json(content), status_code=status_code, headers=headers, media_type="application/json")
