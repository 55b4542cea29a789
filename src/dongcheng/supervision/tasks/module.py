"""医疗卫生行业综合监管的任务 (东政办发〔2021〕17号 三、四、五): lead and co-units, progress by period, the overview."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import DemoUser, Module, NavLink

MODULE = Module(
    name="supervision_tasks",
    routers=("dongcheng.supervision.tasks.api:router", "dongcheng.supervision.tasks.pages:router"),
    models=("dongcheng.supervision.tasks.models",),
    # Each unit reports on its own tasks (the lead its progress, a co-unit its part: rules.may_file); the overview is
    # for district leaders and the 区卫生健康委 (rules.may_view_overview, 三（一）4).
    permissions={
        "supervision.tasks.read": {Role.DEPARTMENT: "any", Role.LEADER: "any"},
        "supervision.tasks.report": {Role.DEPARTMENT: "own_unit"},
        "supervision.tasks.contribute": {Role.DEPARTMENT: "own_unit"},
    },
    nav=(NavLink("综合监管任务", "/supervision/tasks", active=("supervision_tasks",),
                 permission="supervision.tasks.read", role_href={Role.LEADER: "/supervision/tasks/overview"}),),
    templates=Path(__file__).with_name("templates"),
    demo_users=(DemoUser("wjw", "区卫生健康委用户", Role.DEPARTMENT, unit="区卫生健康委"),
                DemoUser("sfj", "区司法局用户", Role.DEPARTMENT, unit="区司法局")),
)
