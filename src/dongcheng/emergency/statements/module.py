"""信息发布 (东政发〔2022〕3号 §4.7.1): statements drafted on an incident, released by who the rules allow, public."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="statements",
    routers=("dongcheng.emergency.statements.api:router", "dongcheng.emergency.statements.pages:router"),
    models=("dongcheng.emergency.statements.models",),
    # The route admits these roles; rules.py decides per statement (lead department, 区委宣传部, 区应急办; cause /
    # casualties / accountability only by a leader).
    permissions={
        "statements.draft": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "any"},
        "statements.release": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "post"},
    },
    nav=(NavLink("信息发布", "/public/statements", active=("public_statements",)),),  # public: released statements
    templates=Path(__file__).with_name("templates"),
)
