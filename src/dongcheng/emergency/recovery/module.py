"""恢复与重建 (东政发〔2022〕3号 §5): plan, losses, relief, insurance, evaluation, commendation and accountability.

Acting on an incident is ``incidents.act`` (the incidents module's permission); the page is part of the incident page.
"""
from dongcheng.core.modules import Module

MODULE = Module(
    name="recovery",
    routers=("dongcheng.emergency.recovery.api:router",),
    models=("dongcheng.emergency.recovery.models",),
)
