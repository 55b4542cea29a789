"""The module registry (dongcheng.modules) holds everything a module brings: a router, a template folder, a models
module, an outbox task or a permission that a module forgot to register fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRouter
from starlette.routing import Match

from dongcheng import modules
from dongcheng.auth.permissions import PERMISSIONS
from dongcheng.core import outbox
from dongcheng.core.modules import Module, load
from dongcheng.main import create_app
from dongcheng.web.templating import templates
from tests.routes import api_routes

SRC = Path(modules.__file__).resolve().parent  # src/dongcheng
SOURCES = {p: p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")}
APP = create_app()


def dotted(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts)


def owner(path: Path) -> Module | None:
    """The registered module whose folder holds ``path`` (the deepest one)."""
    folders = {SRC.parent.joinpath(*package.split(".")): m for package, m in zip(modules.PACKAGES, modules.MODULES, strict=True)}
    holding = [folder for folder in folders if path.is_relative_to(folder)]
    return folders[max(holding, key=lambda f: len(f.parts))] if holding else None


def test_every_module_py_is_registered():
    declared = sorted(dotted(p.parent) for p in SOURCES if p.name == "module.py" and p.parent != SRC / "core")
    assert sorted(modules.PACKAGES) == declared, "a module.py is missing from dongcheng.modules.PACKAGES (or extra)"
    assert len({m.name for m in modules.MODULES}) == len(modules.MODULES), "two modules share a name"
    assert modules.PACKAGES[-1] == "dongcheng.web", "the shell's pages come last"


@pytest.mark.parametrize("module", modules.MODULES, ids=lambda m: m.name)
def test_registered_code_resolves(module):
    for ref in module.routers:
        assert isinstance(load(ref), APIRouter), ref
    for ref in (*module.models, *module.tasks):
        load(ref)
    for name, ref in module.cli.items():
        assert load(ref).__class__.__name__ == "Typer", (name, ref)
    if module.templates is not None:
        assert module.templates.is_dir(), module.templates


def test_every_router_in_the_source_is_registered():
    registered = {ref for m in modules.MODULES for ref in m.routers}
    for path, text in SOURCES.items():
        for name in re.findall(r"^(\w+) = APIRouter\(", text, re.M):
            ref = f"{dotted(path)}:{name}"
            assert ref in registered, f"{ref} is not in any module's Module.routers"
            home = owner(path)
            assert home is None or ref in home.routers, f"{ref} is registered by another module than {home.name}"


def test_every_route_of_the_app_comes_from_a_registered_router():
    registered = {(r.path, frozenset(r.methods), r.endpoint) for m in modules.MODULES for ref in m.routers
                  for r in api_routes(load(ref).routes)}
    for route in api_routes(APP.routes):
        if route.path in ("/healthz", "/docs"):  # the platform's own: create_app, api/openapi.py
            continue
        assert (route.path, frozenset(route.methods), route.endpoint) in registered, f"{route.path} is not registered"


def _samples(path: str) -> list[str]:
    return [re.sub(r"\{[^}]+\}", value, path) for value in ("1", "x")]


def test_no_route_of_one_module_matches_a_path_of_another():
    """So the order of the registry never decides which module answers a request."""
    routes = [(m.name, r) for m in modules.MODULES for ref in m.routers for r in api_routes(load(ref).routes)]
    for name, route in routes:
        for other_name, other in routes:
            if other_name == name or not (route.methods & other.methods):
                continue
            for sample in _samples(route.path):
                scope = {"type": "http", "path": sample, "method": sorted(route.methods & other.methods)[0]}
                assert other.matches(scope)[0] != Match.FULL, f"{other_name} {other.path} answers {name}'s {sample}"


def test_template_folders_are_registered_and_names_unique():
    folders = sorted(p for p in SRC.rglob("templates") if p.is_dir())
    assert sorted(modules.template_dirs()) == folders, "a templates/ folder is not any module's Module.templates"
    for module in modules.MODULES:
        if module.templates is not None:
            assert owner(module.templates) is module, f"{module.name} registers another module's templates"
    seen: dict[str, Path] = {}
    for folder in folders:
        for page in folder.rglob("*.html"):
            name = page.relative_to(folder).as_posix()
            assert name not in seen, f"{name} is in both {seen[name]} and {folder}: one would hide the other"
            seen[name] = folder


def test_every_rendered_template_exists():
    names = {n for text in SOURCES.values() for n in re.findall(r"""render\(\s*request,\s*["']([^"']+)["']""", text)}
    assert len(names) > 30
    for name in names:
        templates.env.get_template(name)


ACTION = re.compile(r"""(?:require\(|authorize\(\w+,\s*|scope_for\(|\b(?:ACTION|READ)\s*=\s*)["']([a-z_]+\.[a-z_]+)["']""")


def test_every_permission_used_is_declared_by_a_module():
    used = {action for text in SOURCES.values() for action in ACTION.findall(text)}
    assert len(used) > 20
    assert used - set(PERMISSIONS) == set(), "add these actions to their module's Module.permissions"
    for route in api_routes(APP.routes):
        for dep in route.dependant.dependencies:
            action = getattr(dep.call, "permission_action", None)
            assert action is None or action in PERMISSIONS, (route.path, action)


def test_permissions_are_merged_from_the_modules():
    assert modules.permissions() == PERMISSIONS
    assert sum(len(m.permissions) for m in modules.MODULES) == len(PERMISSIONS)


def test_every_table_belongs_to_a_registered_models_module():
    import dongcheng.models  # noqa: F401
    from dongcheng.core.db import Base

    registered = {ref for m in modules.MODULES for ref in m.models} | {
        "dongcheng.core.outbox", "dongcheng.core.search", "dongcheng.core.idempotency"}
    for mapper in Base.registry.mappers:
        assert mapper.class_.__module__ in registered, f"{mapper.class_.__module__} is not any module's Module.models"


def test_every_outbox_handler_comes_from_a_registered_task_module():
    tasks = {ref for m in modules.MODULES for ref in m.tasks}
    modules.import_tasks()
    for path, text in SOURCES.items():
        if "outbox.handler(" in text:
            assert dotted(path) in tasks, f"{dotted(path)} registers outbox handlers: add it to its Module.tasks"
    assert {fn.__module__ for fn in outbox._HANDLERS.values()} <= tasks


def test_every_cli_group_is_on_the_command():
    from dongcheng.cli.main import app

    on_command = {group.name: group.typer_instance for group in app.registered_groups}
    for name, group in modules.cli_groups():
        assert on_command.get(name) is group, f"`dongcheng {name}` is not the registered group"


def test_nav_links_and_demo_users_are_unique():
    hrefs = [link.href for link in modules.nav_links()]
    assert len(hrefs) == len(set(hrefs))
    names = [user.username for user in modules.demo_users()]
    assert len(names) == len(set(names))


def test_nav_bar_shows_each_link_to_whom_its_module_says(client, login):
    anonymous = client.get("/heritage").text
    clerk = client.get("/heritage", headers=login("clerk.rsj")).text
    for link in modules.nav_links():
        assert (f'<a href="{link.href_for(None)}"' in anonymous) == link.shown_to(None), link.label
        assert (f'<a href="{link.href_for("clerk")}"' in clerk) == link.shown_to("clerk"), link.label
    assert 'href="/heritage" class="active">非遗名录</a>' in anonymous
    assert '<a href="/incubators" >孵化示范基地</a>' in clerk and "服务专员" in clerk and "服务专员" not in anonymous


def test_every_demo_data_function_is_registered_and_callable():
    from dongcheng import modules

    found = modules.demo_data()
    assert {name for name, _ in found} >= {"incidents", "warnings"}
    assert all(callable(make) for _, make in found)
