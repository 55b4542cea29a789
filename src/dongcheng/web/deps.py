"""Page dependencies: the caller from the session cookie (or None), and 'login required' as a redirect."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dongcheng.api.deps import OptionalCaller
from dongcheng.auth.service import Caller
from dongcheng.core.errors import DomainError


class LoginRequired(Exception):
    pass


async def page_caller(request: Request, caller: OptionalCaller) -> Caller | None:  # pure: no thread hop
    request.state.caller = caller
    return caller


async def page_user(request: Request, caller: Annotated[Caller | None, Depends(page_caller)]) -> Caller:
    if caller is None:
        raise DomainError("请先登录", "Please sign in", 401)
    return caller


PageCaller = Annotated[Caller | None, Depends(page_caller)]
PageUser = Annotated[Caller, Depends(page_user)]
