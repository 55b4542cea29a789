"""The hash-chained audit trail: every change with its actor, post, unit and basis; verify walks the chain."""
from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module

MODULE = Module(
    name="audit",
    routers=("dongcheng.audit.api:router",),
    models=("dongcheng.audit.models",),
    permissions={"audit.read": {Role.ADMIN: "any", Role.DUTY_OFFICER: "any", Role.LEADER: "any"}},
)
