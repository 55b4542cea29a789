"""创业孵化示范基地 (东人社发〔2021〕101号): applications, review, the public notice, certification, management."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import DemoUser, Module, NavLink

MODULE = Module(
    name="incubators",
    routers=("dongcheng.incubators.api:router", "dongcheng.incubators.pages:router"),
    models=("dongcheng.incubators.models",),
    # 区人力社保局 reviews, certifies and manages the bases (第五条). The route admits clerks; service.py checks the
    # clerk's unit is 区人力社保局 itself (own_unit of the owning unit).
    permissions={
        "incubators.manage": {Role.CLERK: "own_unit"},
        "incubators.read": {Role.CLERK: "any"},
    },
    # Everyone sees the certified bases; a clerk goes to the working list.
    nav=(NavLink("孵化示范基地", "/public/incubators", active=("incubators", "public_incubators"),
                 role_href={Role.CLERK: "/incubators"}),),
    templates=Path(__file__).with_name("templates"),
    demo_users=(DemoUser("clerk.rsj", "区人力社保局经办人", Role.CLERK, unit="区人力社保局"),),
)
