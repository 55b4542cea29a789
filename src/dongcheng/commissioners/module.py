"""社会化管理服务专员 (东人社发〔2021〕111号, 112号): quotas, hiring, terms, monthly ratings, pay and the funds."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import DemoUser, Module, NavLink

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
    nav=(NavLink("服务专员", "/commissioners", active=("commissioners",), permission="commissioners.read"),),
    templates=Path(__file__).with_name("templates"),
    # 112号 第五条 walked by five people (rules.may_take_fund_step): a street files, the centre reviews, holds its
    # 主任办公会 and disburses, the bureau (clerk.rsj) its 局长办公会 and 局党组会 — no one takes two steps.
    demo_users=(
        DemoUser("bmfw.dongsi", "东四街道便民服务中心经办人", Role.CLERK, unit="东四街道"),
        DemoUser("ldzx.review", "区劳动服务管理中心审核人", Role.CLERK, unit="区劳动服务管理中心"),
        DemoUser("ldzx.office", "区劳动服务管理中心主任办公会记录人", Role.CLERK, unit="区劳动服务管理中心"),
        DemoUser("ldzx.pay", "区劳动服务管理中心拨付经办人", Role.CLERK, unit="区劳动服务管理中心"),
        DemoUser("rsj.party", "区人力社保局党组会记录人", Role.CLERK, unit="区人力社保局"),
    ),
)
