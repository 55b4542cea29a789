"""政府公报 (SPEC §2.7): issues, documents and clauses; every basis on every page links to its clause."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="gazette",
    routers=("dongcheng.gazette.api:router", "dongcheng.gazette.pages:router"),
    models=("dongcheng.gazette.models",),
    permissions={"gazette.import": {Role.ADMIN: "any"}},  # anyone reads it; importing an issue is reference data
    nav=(NavLink("政府公报", "/gazette", active=("gazette",)),),
    templates=Path(__file__).with_name("templates"),
    cli={"gazette": "dongcheng.gazette.cli:gazette_app"},
)
