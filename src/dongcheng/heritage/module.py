"""区级非物质文化遗产代表性项目名录 (东政发〔2022〕2号; SPEC §2.6): the seventh batch, searchable; read by anyone."""
from pathlib import Path

from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="heritage",
    routers=("dongcheng.heritage.api:router", "dongcheng.heritage.pages:router"),
    models=("dongcheng.heritage.models",),
    nav=(NavLink("非遗名录", "/heritage", active=("heritage",)),),
    templates=Path(__file__).with_name("templates"),
)
