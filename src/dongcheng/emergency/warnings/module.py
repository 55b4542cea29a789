"""预警 (东政发〔2022〕3号 §3.2): drafting, approval by post, publication, dissemination to subscribers, CAP 1.2."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="warnings",
    routers=("dongcheng.emergency.warnings.api:router", "dongcheng.emergency.warnings.pages:router"),
    models=("dongcheng.emergency.warnings.models",),
    # The route admits these roles; rules.py decides per warning (drafting unit, 区长 / 分管区领导 by post,
    # 区预警信息发布中心, 谁发布、谁解除).
    permissions={
        "warnings.draft": {Role.DUTY_OFFICER: "own_unit", Role.DEPARTMENT: "own_unit"},
        "warnings.edit": {Role.DUTY_OFFICER: "own_unit", Role.DEPARTMENT: "own_unit"},
        "warnings.approve": {Role.DUTY_OFFICER: "warning", Role.DEPARTMENT: "warning", Role.LEADER: "post"},
        "warnings.publish": {Role.DUTY_OFFICER: "warning", Role.DEPARTMENT: "own_unit"},
        "warnings.lift": {Role.DUTY_OFFICER: "warning", Role.DEPARTMENT: "own_unit"},
        "warnings.tick": {Role.DUTY_OFFICER: "own_unit", Role.DEPARTMENT: "own_unit"},
        "warnings.subscribers": {Role.ADMIN: "any", Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "own_unit"},
    },
    nav=(NavLink("预警", "/warnings", active=("warnings",), signed_in=True, public_href="/public/warnings"),),
    templates=Path(__file__).with_name("templates"),
    tasks=("dongcheng.emergency.warnings.dissemination",),  # the fan-out handler (§3.2.8)
    demo_data=("dongcheng.emergency.warnings.demo:exercise",),  # a fresh `make run`: the running exercise
)
