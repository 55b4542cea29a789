"""机构与信用 (东政办发〔2021〕17号 四（二）, 三（一）2): the registry of medical and health institutions, 不良执业行为记分,
黑名单 and 信用修复, and the published lists."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import DemoUser, Module, NavLink

MODULE = Module(
    name="supervision.institutions",
    routers=("dongcheng.supervision.institutions.api:router", "dongcheng.supervision.institutions.pages:router"),
    models=("dongcheng.supervision.institutions.models",),
    # 三（一）4: the 区卫生健康委 runs the registry and credit — the route admits department users, rules.may_supervise
    # says which unit; the points / repair policy is reference data an administrator loads (SPEC §1 admin).
    permissions={
        "supervision.credit.manage": {Role.DEPARTMENT: "own_unit"},
        "supervision.credit.policy": {Role.ADMIN: "any"},
    },
    nav=(NavLink("综合监管", "/supervision/credit", active=("supervision",)),),
    templates=Path(__file__).with_name("templates"),
    cli={"supervision-credit": "dongcheng.supervision.institutions.cli:credit_app"},
    demo_users=(DemoUser("wjw.jd", "区卫生健康委监督用户", Role.DEPARTMENT, unit="区卫生健康委"),),
)
