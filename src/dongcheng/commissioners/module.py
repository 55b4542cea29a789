"""社会化管理服务专员 (东人社发〔2021〕111号, 112号): quotas, hiring, terms, monthly ratings, pay and the funds."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="commissioners",
    routers=("dongcheng.commissioners.api:router", "dongcheng.commissioners.pages:router"),
    models=("dongcheng.commissioners.models",),
    # 111号, 112号 第二条、第五条: the route admits clerks; rules.py may_manage lets 区人力社保局 and 区劳动服务管理中心
    # act for every street, a street's clerk for its own street only.
    permissions={
        "commissioners.manage": {Role.CLERK: "own_unit"},
        "commissioners.read": {Role.CLERK: "own_unit"},
    },
    nav=(NavLink("服务专员", "/commissioners", active=("commissioners",), roles=(Role.CLERK,)),),
    templates=Path(__file__).with_name("templates"),
)
