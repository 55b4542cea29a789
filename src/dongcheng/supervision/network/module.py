"""院前医疗急救网络 (东政办发〔2021〕17号 三（二）4): 1 急救中心站 and 17 急救工作站 as a tracked programme."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="supervision_network",
    routers=("dongcheng.supervision.network.api:router", "dongcheng.supervision.network.pages:router"),
    models=("dongcheng.supervision.network.models",),
    # Every district role reads the programme; the 区卫生健康委 records every station, a street its own
    # (rules.may_record_for).
    permissions={
        "supervision.network.read": {Role.DEPARTMENT: "any", Role.LEADER: "any", Role.DUTY_OFFICER: "any",
                                     Role.ADMIN: "any"},
        "supervision.network.record": {Role.DEPARTMENT: "own_unit"},
    },
    nav=(NavLink("急救网络", "/supervision/network", active=("supervision_network",),
                 permission="supervision.network.read"),),
    templates=Path(__file__).with_name("templates"),
)
