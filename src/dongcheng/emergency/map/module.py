"""地图: open incidents and the warnings in force by street, over the district outline (served offline, no tiles)."""
from pathlib import Path

from dongcheng.core.modules import Module, NavLink

MODULE = Module(
    name="map",
    routers=("dongcheng.emergency.map.pages:router",),
    # The page reads incidents: shown to whom incidents.read admits (the incidents module's permission).
    nav=(NavLink("地图", "/map", active=("map",), permission="incidents.read"),),
    templates=Path(__file__).with_name("templates"),
)
