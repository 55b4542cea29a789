"""Every mutating API endpoint × every role, generated from the route list (SPEC §5 security).

The expected cells come from ``tests/permission_expectations.py``, a table written from SPEC §1 and the gazette, not
from ``PERMISSIONS`` itself: ``PERMISSIONS`` must agree with it row for row (roles and scopes; an action in one and
not the other fails), so a wrong policy row is caught here.

A mutating endpoint must declare its permission with ``require(action)``; an endpoint without one fails here.
Each cell is asserted over HTTP with a real bearer token: a role the table refuses gets 403; a role it admits gets
past the route's check (any other answer — 404 for the made-up id, 422 for the empty body — but never 403 from the
route and never 5xx).
"""
from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from dongcheng.auth.permissions import PERMISSIONS, Role
from dongcheng.main import create_app
from tests.permission_expectations import EXPECTED, allowed
from tests.routes import api_routes

# Endpoints that are deliberately open or self-service: logging in and out.
OPEN = {("POST", "/api/auth/token"), ("POST", "/api/auth/logout")}
USERS = {Role.DUTY_OFFICER: "duty", Role.DEPARTMENT: "cgw", Role.LEADER: "sun.yang", Role.ADMIN: "admin",
         Role.CLERK: "clerk.rsj"}


def _action_of(route: APIRoute) -> str | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        action = getattr(dep.call, "permission_action", None)
        if action:
            return action
        stack.extend(dep.dependencies)
    return None


def mutating_routes() -> list[tuple[str, str, str | None]]:
    app = create_app()
    out = []
    for route in api_routes(app.routes):
        if route.include_in_schema:
            for method in sorted(route.methods & {"POST", "PUT", "PATCH", "DELETE"}):
                out.append((method, route.path, _action_of(route)))
    return out


ROUTES = mutating_routes()


def test_there_are_routes_to_check():
    assert len(ROUTES) >= 8


def test_every_role_has_a_user_in_the_matrix():
    assert set(USERS) == set(Role)


@pytest.mark.parametrize("action", sorted(set(PERMISSIONS) | set(EXPECTED)))
def test_the_policy_row_agrees_with_the_expectation(action):
    assert action in EXPECTED, f"{action} is in PERMISSIONS but not in tests/permission_expectations.py: write its row"
    assert action in PERMISSIONS, f"{action} is expected (tests/permission_expectations.py) but not in PERMISSIONS"
    expected = EXPECTED[action]
    assert expected.why, action
    assert dict(PERMISSIONS[action]) == expected.roles, (
        f"PERMISSIONS[{action!r}] = {PERMISSIONS[action]} but {expected.why} says {expected.roles}")


@pytest.mark.parametrize(("method", "path", "action"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_every_mutating_endpoint_declares_its_permission(method, path, action):
    if (method, path) in OPEN:
        return
    assert action is not None, f"{method} {path} has no require(action): add a permission rule"
    assert action in EXPECTED, f"{action} has no row in tests/permission_expectations.py"


CELLS = [(m, p, a, role) for m, p, a in ROUTES if (m, p) not in OPEN for role in USERS]


@pytest.mark.parametrize(("method", "path", "action", "role"), CELLS,
                         ids=[f"{m} {p} as {r.value}" for m, p, _, r in CELLS])
def test_cell(client, login, method, path, action, role):
    url = re.sub(r"\{[^}]+\}", "999999", path)
    r = client.request(method, url, headers=login(USERS[role]), json={})
    assert r.status_code < 500, r.text
    if allowed(action, role):
        assert r.status_code != 403 or "无权执行此操作" not in r.text, f"{role} should pass the route check"
    else:
        assert r.status_code == 403, f"{role} must be refused {method} {path}: got {r.status_code}"


@pytest.mark.parametrize(("method", "path", "action"), [r for r in ROUTES if r[:2] not in OPEN],
                         ids=[f"{m} {p}" for m, p, _ in ROUTES if (m, p) not in OPEN])
def test_anonymous_is_401(client, method, path, action):
    url = re.sub(r"\{[^}]+\}", "999999", path)
    assert client.request(method, url, json={}).status_code == 401
