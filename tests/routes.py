"""The app's API routes, flattened: FastAPI keeps included routers as lazy _IncludedRouter entries; our routers carry
their own prefixes, so each APIRoute's path is already the full path."""
from __future__ import annotations

from fastapi.routing import APIRoute


def api_routes(routes) -> list[APIRoute]:
    out: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif getattr(route, "original_router", None) is not None:
            out.extend(api_routes(route.original_router.routes))
    return out
