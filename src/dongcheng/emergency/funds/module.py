"""资金保障 (东政发〔2022〕3号 §6.8): disbursements for incidents, 区政府 approval, 1 working day (§6.8.3)."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import DemoUser, Module, NavLink

MODULE = Module(
    name="funds",
    routers=("dongcheng.emergency.funds.api:router", "dongcheng.emergency.funds.pages:router"),
    models=("dongcheng.emergency.funds.models",),
    permissions={
        # §2.3.6, §2.2.1: a unit handling the incident requests (the incidents rule may_act decides which).
        "funds.request": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident"},
        # §6.8.2, §6.8.3 区政府批准: a district leader holding a post that day (rules.may_approve).
        "funds.approve": {Role.LEADER: "post"},
        # §6.8.2 区财政部门: a department user of the 区财政局 (rules.may_complete).
        "funds.complete": {Role.DEPARTMENT: "own_unit"},
        "funds.read": {Role.DUTY_OFFICER: "any", Role.LEADER: "any", Role.DEPARTMENT: "own_unit", Role.ADMIN: "any"},
    },
    nav=(NavLink("资金保障", "/funds", active=("funds",),
                 permission="funds.read"),),
    templates=Path(__file__).with_name("templates"),
    demo_users=(DemoUser("czj", "区财政局用户", Role.DEPARTMENT, unit="区财政局"),),
)
