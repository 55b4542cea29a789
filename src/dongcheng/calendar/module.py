"""工作日 working days (SPEC §3): the State Council's holiday schedule by year; N working days from a date."""
from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module

MODULE = Module(
    name="calendar",
    routers=("dongcheng.calendar.api:router",),
    models=("dongcheng.calendar.models",),
    permissions={"calendar.load": {Role.ADMIN: "any"}},  # the State Council's holiday schedule for a year
    cli={"calendar": "dongcheng.calendar.cli:calendar_app"},
)
