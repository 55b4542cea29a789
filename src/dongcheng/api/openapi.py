"""The OpenAPI document says what the API really answers, for every route of every module (one pass over the
generated document, so a module added later conforms without doing anything):

- every error is the one shape of ``api/errors.py``: ``{"error": {"status", "msg_zh", "msg_en"}, "detail": [{"field",
  "msg_zh", "msg_en"}]}`` — 422 with ``detail`` always, instead of FastAPI's ``HTTPValidationError``;
- each route declares the errors it can answer: 401 and 403 where a signed-in caller is required, 403 where a caller
  is read if present, 404 where a path names a record or a query looks one up, 409 on mutations and on a record's
  reads (a state that does not allow the step, or has nothing to show yet), 413 on mutations (the body limits of
  ``api/input_gate.py``), 422 everywhere (the input gate refuses a control character in any query), 429 on the
  login (``auth/ratelimit.py``);
- the bearer token as security schemes: the OAuth2 password flow of ``POST /api/auth/token`` (Swagger UI's
  "Authorize" signs in with username + password) and a plain HTTP bearer token.

``/docs`` is Swagger UI served from the platform itself (the ``swagger-ui-bundle-v2`` package's files, no CDN),
started by a static script so the page policy (no inline script, api/security_headers.py) holds there too.
"""
from __future__ import annotations

from html import escape
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from dongcheng.api.deps import optional_caller, requires_caller

DOCS_ASSETS = "/docs/assets"
DOCS_INIT = "/static/docs-init.js"
MUTATING = {"post", "put", "patch", "delete"}
LOGIN = "/api/auth/token"
SECURITY = [{"OAuth2PasswordBearer": []}, {"HTTPBearer": []}]

FIELD_ERROR = {
    "type": "object", "required": ["field", "msg_zh", "msg_en"],
    "properties": {"field": {"type": "string", "description": "the field, query parameter or header refused"},
                   "msg_zh": {"type": "string"}, "msg_en": {"type": "string"}},
}
_ERROR_OBJECT = {
    "type": "object", "required": ["status", "msg_zh", "msg_en"],
    "properties": {"status": {"type": "integer"}, "msg_zh": {"type": "string"}, "msg_en": {"type": "string"}},
}
ERROR = {
    "type": "object", "required": ["error"], "title": "Error",
    "properties": {"error": _ERROR_OBJECT,
                   "detail": {"type": "array", "items": {"$ref": "#/components/schemas/FieldErrorDetail"}}},
}
VALIDATION_ERROR = {**ERROR, "title": "ValidationError", "required": ["error", "detail"]}

DESCRIPTIONS = {
    401: "Not signed in: no bearer token, or an expired or revoked one / 请先登录",
    403: "Signed in, but this role, unit or post may not do this / 无权办理",
    404: "No such record (or not visible to the caller) / 未找到",
    409: "The record's state does not allow this step now / 状态不允许",
    413: "Request body over the route's limit / 请求体过大",
    422: "Invalid input: each refused field named, in Chinese and English / 输入有误",
    429: "Too many failed logins from this client / 登录失败次数过多",
}


def _calls(dependant: Dependant) -> set[Any]:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def api_routes(routes) -> list[APIRoute]:
    """Every APIRoute, flattened: FastAPI keeps an included router as one lazy entry (its routes carry their own
    prefixes, so each path is already the full path)."""
    out: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif getattr(route, "original_router", None) is not None:
            out.extend(api_routes(route.original_router.routes))
    return out


def _error_response(status: int) -> dict:
    ref = "ValidationErrorResponse" if status == 422 else "ErrorResponse"
    response: dict = {"description": DESCRIPTIONS[status],
                      "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}}
    return response


def _errors_of(route: APIRoute, method: str) -> tuple[set[int], list | None]:
    """The error statuses a route can answer, and its security requirement."""
    calls = _calls(route.dependant)
    statuses = {422}
    security = None
    if any(requires_caller(call) for call in calls):
        statuses |= {401, 403}
        security = SECURITY
    elif optional_caller in calls:
        statuses.add(403)
        security = [*SECURITY, {}]
    if route.dependant.path_params or route.dependant.query_params or method in MUTATING:
        statuses.add(404)
    if route.dependant.path_params or method in MUTATING:
        statuses.add(409)  # a record's state: e.g. no CAP message before the warning is published
    if method in MUTATING:
        statuses.add(413)
    if route.path == LOGIN:
        statuses |= {401, 429}
    return statuses, security


def document(app: FastAPI) -> dict:
    """FastAPI's document, with the platform's error shape, each route's errors and the security schemes."""
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update({"FieldErrorDetail": FIELD_ERROR, "ErrorResponse": ERROR, "ValidationErrorResponse": VALIDATION_ERROR})
    components["securitySchemes"] = {
        "OAuth2PasswordBearer": {"type": "oauth2", "description": "username + password at POST /api/auth/token",
                                 "flows": {"password": {"tokenUrl": LOGIN, "scopes": {}}}},
        "HTTPBearer": {"type": "http", "scheme": "bearer", "description": "a token from POST /api/auth/token"},
    }
    for route in api_routes(app.routes):
        if not route.include_in_schema:
            continue
        for method in route.methods:
            operation = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            statuses, security = _errors_of(route, method.lower())
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses[str(status)] = _error_response(status)
            if security is not None:
                operation["security"] = security
    return schema


DOCS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title} — API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{assets}/swagger-ui.css"><link rel="icon" href="{assets}/favicon-32x32.png">
</head><body><div id="swagger-ui" data-openapi="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script><script src="{init}"></script></body></html>"""


def install(app: FastAPI) -> None:
    """The document above as ``app.openapi``, and /docs from the platform's own copy of Swagger UI."""
    from swagger_ui_bundle import swagger_ui_path  # the maintained PyPI package's Swagger UI 5 (OpenAPI 3.1)

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE.format(title=escape(app.title), assets=DOCS_ASSETS,
                                             openapi=escape(app.openapi_url or ""), init=DOCS_INIT))
