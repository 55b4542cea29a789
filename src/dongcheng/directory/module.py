"""The directory: units, people, posts and tenures, the leaders' division of work (东政办发〔2021〕18号, 任免 notices)."""
from pathlib import Path

from dongcheng.auth.roles import Role
from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="directory",
    routers=("dongcheng.directory.api:router", "dongcheng.directory.pages:router"),
    models=("dongcheng.directory.models",),
    permissions={"directory.record_appointment": {Role.ADMIN: "any"}},
    nav=(NavLink("单位", "/directory/units", active=("units",)),
         NavLink("区领导分工", "/directory/leaders", active=("leaders",)),
         NavLink("人员任免", "/directory/people", active=("people",))),
    templates=Path(__file__).with_name("templates"),
)
