"""应急保障 (东政发〔2022〕3号 §6): registries (§6.2.2), stock as a ledger (§6.4.1), material dispatch (§6.4.3),
team call-up (§6.1.2), shelters (§6.7)."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="preparedness",
    routers=("dongcheng.emergency.preparedness.api:router", "dongcheng.emergency.preparedness.pages:router"),
    models=("dongcheng.emergency.preparedness.models",),
    # The route admits the role; the module's rules decide by unit and post (rules.py, stock_rules.py,
    # registry_rules.py): the record's owner unit or the 区应急办; the incident's lead department; the approving
    # leader seat held today (§6.4.3 主管区领导; the 区应急委's leaders for an external request).
    permissions={
        "preparedness.read": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "any", Role.LEADER: "any"},
        "preparedness.registry": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "own_unit"},
        "preparedness.stock": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "own_unit"},
        "preparedness.dispatch_request": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident"},
        "preparedness.dispatch_approve": {Role.LEADER: "post"},
        "preparedness.dispatch_handle": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "own_unit"},
        "preparedness.shelter_open": {Role.DUTY_OFFICER: "any", Role.LEADER: "post"},
        "preparedness.callup": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "any"},
        "preparedness.requisition": {Role.DUTY_OFFICER: "any", Role.LEADER: "post"},
    },
    nav=(NavLink("应急保障", "/preparedness", active=("preparedness",),
                 permission="preparedness.read"),),
    templates=Path(__file__).with_name("templates"),
    # a fresh `make run`: a warehouse with three items and a team, to walk a §6.4.3 dispatch and a §6.1.2 call-up
    demo_data=("dongcheng.emergency.preparedness.demo:ensure_demo_preparedness",),
)
