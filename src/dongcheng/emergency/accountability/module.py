"""报送问责 (东政发〔2022〕3号 §5.5.2): every late, missed, overdue or incomplete mandated report of a period, by unit."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="accountability",
    routers=("dongcheng.emergency.accountability.api:router", "dongcheng.emergency.accountability.pages:router"),
    permissions={
        "accountability.read": {Role.DUTY_OFFICER: "any", Role.LEADER: "any", Role.DEPARTMENT: "own_unit"},
    },
    nav=(NavLink("报送问责", "/accountability", active=("accountability",), permission="accountability.read"),),
    templates=Path(__file__).with_name("templates"),
)
