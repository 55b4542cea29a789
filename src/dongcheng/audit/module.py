"""The audit log (a transparency log): every change with its actor, post, unit and basis; a sequencer chains the
entries with a keyed hash and signs checkpoints; verify walks it by sequence (docs/audit.md)."""
from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module

MODULE = Module(
    name="audit",
    routers=("dongcheng.audit.api:router",),
    models=("dongcheng.audit.models",),
    tasks=("dongcheng.audit.sequencer",),  # the outbox's audit.checkpoint / audit.alarm notices to the sink
    permissions={"audit.read": {Role.ADMIN: "any", Role.DUTY_OFFICER: "any", Role.LEADER: "any"}},
)
