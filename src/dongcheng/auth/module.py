"""Users and sign-in (SPEC §1): tokens, the login pages, platform users; roles and the merged permission table."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import DemoUser, Module

MODULE = Module(
    name="auth",
    routers=("dongcheng.auth.api:router", "dongcheng.auth.api:users_router", "dongcheng.auth.pages:router"),
    models=("dongcheng.auth.models",),
    permissions={"users.manage": {Role.ADMIN: "any"}},
    templates=Path(__file__).with_name("templates"),
    demo_users=(DemoUser("admin", "平台管理员", Role.ADMIN),),
)
