"""Security headers on every response — JSON, pages, errors, static files, the input gate's refusals.

* ``X-Content-Type-Options: nosniff``: a file is read as the type it is served with (an uploaded text never runs as
  a script).
* ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``: no page is framed anywhere (clickjacking of the
  approve, publish and unsubscribe buttons).
* ``Referrer-Policy: same-origin``: the platform links only to itself; a link out sends no referrer, so an
  incident's or a search's URL (/incidents/42, ?q=…) never leaves the district's network. Within the site the full
  URL is kept (strict-origin-when-cross-origin would still send the origin out).
* ``Content-Security-Policy`` (``PAGE_POLICY``): scripts and styles only from the platform's own /static. The pages
  have no inline script and no <style> block; only ``style="…"`` attributes remain (the sign-in link of base.html,
  the accountability report's form), allowed by ``style-src-attr 'unsafe-inline'`` — style attributes only,
  never a script or a style element. Forms post only to the platform, nothing is an <object>, <base> cannot move.
* /docs (Swagger UI from the platform's own files, api/openapi.py, started by /static/docs-init.js) gets the page
  policy plus ``img-src data:`` for the icons its stylesheet inlines.
* ``Strict-Transport-Security: max-age=31536000`` only in production (``hsts=True``): a development server on
  plain http must not pin a browser to https for a year.

A header the route set itself is kept. An unhandled exception's 500 is answered by Starlette's outermost
ServerErrorMiddleware, outside this one: its handler (api.errors) adds the same headers with ``secure()``.
"""
from __future__ import annotations

from collections.abc import MutableMapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
DOCS_POLICY = PAGE_POLICY + "; img-src 'self' data:"
DOCS_PATHS = ("/docs",)  # and /docs/assets/…
HSTS = "max-age=31536000"


def _policy(path: str) -> str:
    if any(path == docs or path.startswith(docs + "/") for docs in DOCS_PATHS):
        return DOCS_POLICY
    return PAGE_POLICY


def wanted_headers(path: str, hsts: bool) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (the one list: this middleware and the 500 handler)."""
    wanted = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"content-security-policy", _policy(path).encode()),
    ]
    if hsts:
        wanted.append((b"strict-transport-security", HSTS.encode()))
    return wanted


def secure(headers: MutableMapping[str, str], path: str, hsts: bool) -> None:
    """Add the headers to a response built outside the middleware (keeping any it set itself)."""
    for name, value in wanted_headers(path, hsts):
        if name.decode() not in headers:
            headers[name.decode()] = value.decode()


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = wanted_headers(scope.get("path", ""), self.hsts)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in wanted if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_secured)
