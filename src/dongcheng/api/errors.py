"""One place that turns errors into responses: JSON for /api, a page for browsers; never a stack trace."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dongcheng.core.errors import DomainError, FieldError

log = logging.getLogger("dongcheng")

_ZH = {
    "missing": "必填",
    "string_type": "应为文本",
    "string_too_short": "太短",
    "string_too_long": "太长",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为是/否",
    "bool_type": "应为是/否",
    "float_parsing": "应为数字",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601（如 2022-02-01T08:00:00+08:00）",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601",
    "timezone_aware": "时间须带时区",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "json_invalid": "JSON 格式错误",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "value_error": "取值无效",
    "extra_forbidden": "不允许的字段",
}


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "header", "cookie")]
    return ".".join(parts) or "body"


def validation_fields(exc: RequestValidationError) -> list[FieldError]:
    out = []
    for err in exc.errors():
        zh = _ZH.get(err.get("type", ""), "取值无效")
        if err.get("type") == "value_error" and str(err.get("msg", "")).startswith("Value error, "):
            msg = str(err["msg"]).removeprefix("Value error, ")
            zh, _, en = msg.partition(" / ")
            out.append(FieldError(_field_name(err.get("loc", ())), zh, en or zh))
            continue
        out.append(FieldError(_field_name(err.get("loc", ())), zh, str(err.get("msg", "invalid"))))
    return out


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, err: DomainError):
    """The one way an error leaves the platform: a page for a person at a page, JSON otherwise."""
    from dongcheng.web.templating import render_error  # pages render errors as pages

    if wants_html(request):
        try:
            return render_error(request, err)
        except Exception:  # the page machinery itself failed: fall back to JSON rather than lose the answer
            log.exception("the error page failed on %s %s", request.method, request.url.path)
    return JSONResponse(err.to_dict(), status_code=err.status_code,
                        headers={"WWW-Authenticate": "Bearer"} if err.status_code == 401 else None)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return error_response(request, DomainError("输入有误", "Invalid input", 422, validation_fields(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        zh = {404: "页面或资源不存在", 405: "不支持此请求方法", 401: "请先登录", 403: "无权访问"}.get(exc.status_code, "请求错误")
        return error_response(request, DomainError(zh, str(exc.detail), exc.status_code))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, DomainError("系统内部错误，操作未保存，请稍后再试",
                                                   "Internal error; nothing was saved", 500))
