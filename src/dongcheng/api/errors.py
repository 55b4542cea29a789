"""One place that turns errors into responses: JSON for /api, a page for browsers; never a stack trace."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from dongcheng.api import disconnect
from dongcheng.api.security_headers import secure
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.validation import field_errors

log = logging.getLogger("dongcheng")


def validation_fields(exc: RequestValidationError | ValidationError) -> list[FieldError]:
    """The request's (or a page form's) validation errors as FieldErrors: core.validation's one table."""
    return field_errors(exc.errors())


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, err: DomainError):
    """The one way an error leaves the platform: a page for a person at a page, JSON otherwise."""
    from dongcheng.web.templating import render_error  # pages render errors as pages

    if wants_html(request):
        try:
            response = render_error(request, err)
            response.headers.update(err.headers)
            return response
        except Exception:  # the page machinery itself failed: fall back to JSON rather than lose the answer
            log.exception("the error page failed on %s %s", request.method, request.url.path)
    headers = {"WWW-Authenticate": "Bearer"} if err.status_code == 401 else {}
    return JSONResponse(err.to_dict(), status_code=err.status_code, headers={**headers, **err.headers})


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return error_response(request, DomainError("输入有误", "Invalid input", 422, validation_fields(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400:  # the framework could not parse the body (not UTF-8, a broken form): bad input
            return error_response(request, DomainError("输入有误", "Invalid input", 422, [FieldError(
                "body", "请求内容无法解析（应为 UTF-8 编码的 JSON 或表单）", str(exc.detail))]))
        zh = {404: "页面或资源不存在", 405: "不支持此请求方法", 401: "请先登录", 403: "无权访问"}.get(exc.status_code, "请求错误")
        return error_response(request, DomainError(zh, str(exc.detail), exc.status_code))

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError):
        if disconnect.is_disconnect(exc):  # the connection died under the request (api/disconnect.py)
            log.warning("database connection lost on %s %s: %s", request.method, request.url.path, exc.orig)
            return error_response(request, disconnect.disconnected(request))
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        response = error_response(request, DomainError("系统内部错误，操作未保存，请稍后再试",
                                                       "Internal error; nothing was saved", 500))
        # Answered by ServerErrorMiddleware, outside SecurityHeaders: the same headers, added here.
        secure(response.headers, request.url.path, request.app.state.settings.environment == "production")
        return response
