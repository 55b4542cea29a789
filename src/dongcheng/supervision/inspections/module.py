"""双随机抽查 (国办发〔2015〕58号; 东政办发〔2021〕17号 四（一）): the items list, inspectors and conflicts, verifiable draws,
results published after the plan's delay."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="supervision.inspections",
    routers=("dongcheng.supervision.inspections.api:router", "dongcheng.supervision.inspections.pages:router"),
    models=("dongcheng.supervision.inspections.models",),
    # 三（一）4: the 区卫生健康委 runs the inspections (rules.may_supervise of the institutions module decides the unit).
    permissions={"supervision.inspections.manage": {Role.DEPARTMENT: "own_unit"}},
    nav=(NavLink("双随机抽查", "/supervision/inspections", active=("inspections",)),),  # public: plans and results
    templates=Path(__file__).with_name("templates"),
)
