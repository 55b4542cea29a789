"""The ``Idempotency-Key`` header for creates that start a statutory clock: a route takes ``Idempotency`` and
runs its create through ``run`` with its session and caller (core/idempotency.py keeps the keys). Without the header
the create runs as before. The dependency reads the header only: one on the session and the caller would make FastAPI
resolve the token lookup's dependencies a second time on every request (issue 11).

- same key, same body: the first answer again (status and body as stored), with ``Idempotent-Replayed: true``;
- same key, another body (or route): 422 naming the header;
- two requests with one key at once: one create; the other waits for it and gets its answer.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from dongcheng.auth.service import Caller
from dongcheng.core import idempotency as keys

REPLAYED = "Idempotent-Replayed"


class Idempotent:
    def __init__(self, request: Request, key: str | None):
        self.request, self.key = request, key

    def run(self, session: Session, caller: Caller, body: object, produce: Callable[[], object],
            status_code: int = 201):
        """``produce()`` once per key of the caller: its JSON answer is stored with the key in the request's
        transaction (``session``)."""
        if self.key is None:
            return produce()
        fp = keys.fingerprint(self.request.method, self.request.url.path, jsonable_encoder(body))
        held = keys.claim(session, user_id=caller.user.id, key=self.key, fp=fp)
        if held.replay is not None:
            status, stored = held.replay
            return JSONResponse(stored, status_code=status, headers={REPLAYED: "true"})
        result = jsonable_encoder(produce())
        keys.store(session, held, status_code, result)
        return result


async def idempotency(request: Request,
                key: Annotated[str | None, Header(
                    alias=keys.HEADER, max_length=keys.MAX_KEY_LENGTH,
                    description="A unique key per intended create (e.g. a UUID). Retrying with the same key and "
                                "body returns the first answer instead of creating again (kept 24 h); the same key "
                                "with another body is a 422.")] = None) -> Idempotent:
    return Idempotent(request, key)


Idempotency = Annotated[Idempotent, Depends(idempotency)]
