"""12345 接诉即办 (东政办发〔2021〕17号 三（一）5): tickets, assignment, response, 回访 and the three monthly rates."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="supervision.complaints",
    routers=("dongcheng.supervision.complaints.api:router", "dongcheng.supervision.complaints.pages:router"),
    models=("dongcheng.supervision.complaints.models",),
    # 三（一）5: the 区城指中心 (lead) or the 区卫生健康委 takes in and assigns (rules.may_dispatch); the assigned unit
    # answers for itself (rules.may_respond); leaders and the dispatch units read every ticket, a unit its own.
    permissions={
        "supervision.complaints.intake": {Role.DEPARTMENT: "own_unit"},
        "supervision.complaints.respond": {Role.DEPARTMENT: "own_unit"},
        "supervision.complaints.read": {Role.DEPARTMENT: "own_unit", Role.LEADER: "any"},
    },
    nav=(NavLink("12345诉求", "/supervision/complaints", active=("complaints",),
                 permission="supervision.complaints.read"),),
    templates=Path(__file__).with_name("templates"),
)
