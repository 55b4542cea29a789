"""The emergency plan's reference data as printed: event types (§2.3.6), plans (§8.3), the ordered lists."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="reference",
    routers=("dongcheng.reference.api:router", "dongcheng.reference.pages:router"),
    models=("dongcheng.reference.models",),
    permissions={"reference.load": {Role.ADMIN: "any"}},
    nav=(NavLink("事件类型", "/reference/event-types", active=("event_types",)),
         NavLink("预案目录", "/reference/plans", active=("plans",)),
         NavLink("处置与预警清单", "/reference/lists", active=("lists",))),
    templates=Path(__file__).with_name("templates"),
)
