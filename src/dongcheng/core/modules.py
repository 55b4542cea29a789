"""What a module of the platform declares: a ``Module`` value in its folder's ``module.py``.

A module names its routers, ORM models, permissions, nav links, template folder, outbox task modules, CLI groups,
demo users and demo data; ``dongcheng.modules`` lists the modules in order and everything else (create_app, the permission table,
the Jinja loader, the nav bar, ``dongcheng.models``, the demo users) reads that list. Code is named by import string
(``"package.module:attribute"``, or ``"package.module"`` for a whole module) and imported only when used, so a
``module.py`` imports nothing but this file and ``Role``: the permission table and the templates can read the
registry without importing every router, and without an import cycle. This file imports no domain.
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class NavLink:
    """A link in the top nav bar (web/templates/base.html), in the registry's order.

    Who sees it comes from the same data the page checks, never from a second list: ``permission`` names the action
    the page authorizes (the link is shown to the roles that action's row admits, and to a leader only while holding
    a post, as ``authorize`` decides); ``signed_in`` a page any signed-in user opens. Neither: a public page.
    ``roles`` is filled by the registry (``dongcheng.modules.nav_links``) from the permission table; a module names
    its permission instead (a link that still lists roles keeps them, and tests/test_nav.py asks for the permission).
    ``public_href``: where an anonymous visitor goes instead of a page that needs a login.
    """

    label: str
    href: str
    active: tuple[str, ...]  # the pages' ``active`` names that highlight it
    permission: str | None = None  # the action the page authorizes (``authorize(caller, action)``)
    signed_in: bool = False  # the page needs a login and nothing more
    public_href: str | None = None  # anonymous visitors: this page instead (the public face of the same thing)
    role_href: Mapping[str, str] = field(default_factory=dict)  # a role sent elsewhere (a clerk to the work list)
    roles: tuple[str, ...] | None = None  # derived from ``permission`` by the registry; None: every signed-in role

    def __post_init__(self) -> None:
        if self.permission and self.signed_in:
            raise TypeError(f"NavLink {self.label!r}: a permission already implies signing in")

    @property
    def public(self) -> bool:
        """Open to anyone, signed in or not."""
        return self.permission is None and not self.signed_in and self.roles is None

    def shown_to(self, role: str | None) -> bool:
        if role is None:
            return self.public or self.public_href is not None
        return self.roles is None or role in self.roles

    def href_for(self, role: str | None) -> str:
        if role is None:
            return self.href if self.public else (self.public_href or self.href)
        return self.role_href.get(role, self.href)


@dataclass(frozen=True)
class DemoUser:
    """A demo account (demo mode only, password ``demo-password``); its authority comes from its post or unit."""

    username: str
    display_name: str
    role: str
    person: str | None = None  # a person in the directory (a leader's posts)
    unit: str | None = None  # a unit name or alias


@dataclass(frozen=True)
class Module:
    name: str
    routers: tuple[str, ...] = ()  # "pkg.api:router", "pkg.pages:router": included in this order
    models: tuple[str, ...] = ()  # "pkg.models": imported so Alembic and the tests see the tables
    permissions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # action -> {Role: scope}
    nav: tuple[NavLink, ...] = ()
    templates: Path | None = None  # the module's templates/ folder: templates/<module>/<page>.html inside
    tasks: tuple[str, ...] = ()  # modules whose import registers outbox handlers (core.outbox.handler)
    cli: Mapping[str, str] = field(default_factory=dict)  # group name -> "pkg.cli:app" (a Typer app)
    demo_users: tuple[DemoUser, ...] = ()
    # "pkg.demo:function" — demo mode only, after the demo users: function(session) -> rows created; idempotent
    # (creates nothing when its data is there), so every page shows what it is for on a fresh `make run`
    demo_data: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("routers", "models", "tasks", "nav", "demo_users", "demo_data"):
            if not isinstance(getattr(self, name), tuple):  # ("pkg.api:router") is a string, not a tuple
                raise TypeError(f"Module {self.name!r}: {name} must be a tuple; one item needs its comma: (item,)")
        object.__setattr__(self, "permissions", MappingProxyType(
            {action: MappingProxyType(dict(row)) for action, row in self.permissions.items()}))
        object.__setattr__(self, "cli", MappingProxyType(dict(self.cli)))


def load(ref: str) -> Any:
    """``"package.module:attribute"`` → that attribute; ``"package.module"`` → the module."""
    module_name, _, attribute = ref.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module
