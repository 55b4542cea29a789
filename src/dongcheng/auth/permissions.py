"""Permissions as data: which role may do which action, and over which units.

Scopes: ``any`` — any unit; ``own_unit`` — only the caller's own unit (or units under it); ``post`` — decided by
the caller's posts in the directory at the time (the rule for that action says which post); ``incident`` /
``warning`` — decided per record by that domain's rules.

Each module declares the rows of its own actions in its ``module.py`` (``Module.permissions``); this is the merged
table, in the registry's order (``dongcheng.modules``). An action declared by two modules refuses to start.
"""
from __future__ import annotations

from dongcheng.auth.roles import ROLE_LABELS, Role, role_of
from dongcheng.modules import permissions

__all__ = ["PERMISSIONS", "ROLE_LABELS", "Role", "scope_for"]

# action -> {role: scope}. A role missing from an action's row may not do it (403).
PERMISSIONS: dict[str, dict[Role, str]] = permissions()


def scope_for(action: str, role: str) -> str | None:
    """The role's scope for ``action``; a value that names no role (a legacy row) has none."""
    known = role_of(role)
    return PERMISSIONS.get(action, {}).get(known) if known is not None else None
