"""The module registry: every module of the platform, one line each (its ``module.py`` says what it brings).

The order is the nav bar's order and the order routers are included, models imported and demo users created; the
shell (``web``) comes last, after every module's routes. Adding a module: its folder, one line here, a migration
(README, "Adding a module").
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from dongcheng.core.modules import DemoUser, Module, NavLink, load

PACKAGES = (
    "dongcheng.emergency.incidents",
    "dongcheng.emergency.map",
    "dongcheng.emergency.command_posts",
    "dongcheng.emergency.checklists",
    "dongcheng.emergency.recovery",
    "dongcheng.emergency.preparedness",
    "dongcheng.emergency.statements",
    "dongcheng.directory",
    "dongcheng.reference",
    "dongcheng.emergency.warnings",
    "dongcheng.emergency.accountability",
    "dongcheng.emergency.funds",
    "dongcheng.emergency.plans",
    "dongcheng.gazette",
    "dongcheng.heritage",
    "dongcheng.incubators",
    "dongcheng.commissioners",
    "dongcheng.supervision.tasks",
    "dongcheng.supervision.network",
    "dongcheng.supervision.institutions",
    "dongcheng.supervision.inspections",
    "dongcheng.supervision.complaints",
    "dongcheng.auth",
    "dongcheng.audit",
    "dongcheng.calendar",
    "dongcheng.web",  # the shell last: the home page and the base templates
)

MODULES: tuple[Module, ...] = tuple(load(f"{package}.module:MODULE") for package in PACKAGES)


def routers() -> list[Any]:
    """Every module's routers (APIRouter), in order."""
    return [load(ref) for module in MODULES for ref in module.routers]


def import_models() -> list[ModuleType]:
    """Import every module's ORM models, so ``Base.metadata`` holds the whole schema."""
    return [load(ref) for module in MODULES for ref in module.models]


def import_tasks() -> list[ModuleType]:
    """Import every module's outbox task modules (importing one registers its handlers with core.outbox)."""
    return [load(ref) for module in MODULES for ref in module.tasks]


def permissions() -> dict[str, dict[str, str]]:
    """The merged permission table, action -> {role: scope}; an action declared by two modules is refused."""
    merged: dict[str, dict[str, str]] = {}
    owner: dict[str, str] = {}
    for module in MODULES:
        for action, row in module.permissions.items():
            if action in merged:
                raise ValueError(f"permission {action!r} is declared by both {owner[action]} and {module.name}")
            merged[action], owner[action] = dict(row), module.name
    return merged


def nav_links() -> list[NavLink]:
    """The nav bar's links, each with the roles its page's permission admits (NavLink.permission) filled in."""
    table = permissions()
    out = []
    for module in MODULES:
        for link in module.nav:
            # a link that still lists roles of its own keeps them; tests/test_nav.py asks for its permission instead
            if link.permission is not None and link.permission not in table:
                raise ValueError(f"nav link {link.label!r} of {module.name}: no permission {link.permission!r}")
            out.append(replace(link, roles=tuple(table[link.permission])) if link.permission else link)
    return out


def template_dirs() -> list[Path]:
    return [module.templates for module in MODULES if module.templates is not None]


def cli_groups() -> list[tuple[str, Any]]:
    """(name, Typer app) of every module's command groups, in order."""
    return [(name, load(ref)) for module in MODULES for name, ref in module.cli.items()]


def demo_users() -> list[DemoUser]:
    return [user for module in MODULES for user in module.demo_users]


def demo_data() -> list[tuple[str, Any]]:
    """(module name, function(session) -> int) of every module's demo data, in order."""
    return [(module.name, load(ref)) for module in MODULES for ref in module.demo_data]
