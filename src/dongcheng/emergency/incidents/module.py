"""突发事件 (东政发〔2022〕3号 §4–§5): intake, routing, the reporting clock, response levels, the duty board."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import DemoUser, Module, NavLink

MODULE = Module(
    name="incidents",
    routers=("dongcheng.emergency.incidents.api:router", "dongcheng.emergency.incidents.pages:router",
             "dongcheng.emergency.incidents.archive_pages:router",  # 事件档案 /incidents
             # where the escalation waves go (the CLI's duty-contacts, for the administrator)
             "dongcheng.emergency.incidents.duty_contacts_api:router",
             "dongcheng.emergency.incidents.duty_contacts_pages:router"),
    models=("dongcheng.emergency.incidents.models", "dongcheng.emergency.incidents.escalation_models"),
    # The route admits these roles; rules.py decides per incident (lead department, 区应急办, leaders; a street on
    # its own 三级 situation).
    permissions={
        "incidents.create": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "any"},
        "incidents.act": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "any"},
        "incidents.read": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "any", Role.LEADER: "any", Role.ADMIN: "any",
                           Role.CLERK: "any"},
    },
    nav=(NavLink("值班台", "/incidents/board", active=("board",), permission="incidents.read"),
         NavLink("事件档案", "/incidents", active=("archive",), permission="incidents.read"),
         NavLink("值班联系方式", "/duty-contacts", active=("duty_contacts",), permission="reference.load"),),
    templates=Path(__file__).with_name("templates"),
    cli={"duty-contacts": "dongcheng.emergency.incidents.cli:duty_contacts_app"},  # where escalation waves go
    tasks=("dongcheng.emergency.incidents.tasks",),  # tops up the 续报 slots (§4.1.5); raises the escalation waves
    # The emergency plan's cast (SPEC §4): the 区应急办 on duty, three district leaders (their posts come from the
    # directory), a department and a street.
    demo_users=(
        DemoUser("duty", "区应急办值班员", Role.DUTY_OFFICER, unit="区应急局"),
        DemoUser("mayor", "周金星（区长）", Role.LEADER, person="周金星"),
        DemoUser("li.yan", "李妍（常务副区长）", Role.LEADER, person="李妍"),
        DemoUser("sun.yang", "孙扬（副区长）", Role.LEADER, person="孙扬"),
        DemoUser("cgw", "区城市管理委用户", Role.DEPARTMENT, unit="区城市管理委"),
        DemoUser("street.dongsi", "东四街道用户", Role.DEPARTMENT, unit="东四街道"),
    ),
    demo_data=("dongcheng.emergency.incidents.demo:exercise",),  # a fresh `make run`: the running exercise
)
