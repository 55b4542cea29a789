"""预案管理与应急演练 (东政发〔2022〕3号 §7, §8.3): the plan registry, filing, evaluation, revision; drills."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="plans",
    routers=("dongcheng.emergency.plans.api:router", "dongcheng.emergency.plans.pages:router"),
    models=("dongcheng.emergency.plans.models",),
    permissions={
        # §7.1.1 区应急办 (duty officers, units marked emergency_office) every plan; §7.1.5 a drafting unit its own
        # (rules.may_manage_plan decides per plan).
        "plans.manage": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "own_unit"},
        # §7.2.1 区应急办 every drill; §7.2.2 a special HQ office, department, unit or street its own.
        "drills.manage": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "own_unit"},
        "plans.read": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "any", Role.LEADER: "any", Role.ADMIN: "any"},
    },
    nav=(NavLink("预案演练", "/plans", active=("plans",),
                 permission="plans.read"),),
    templates=Path(__file__).with_name("templates"),
)
