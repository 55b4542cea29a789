"""现场指挥部 (东政发〔2022〕3号 §4.4): commanders, the nine working groups, check-ins, tasks, the log.

Acting on an incident is ``incidents.act`` (the incidents module's permission); the page is part of the incident page.
"""
from dongcheng.core.modules import Module

MODULE = Module(
    name="command_posts",
    routers=("dongcheng.emergency.command_posts.api:router",),
    models=("dongcheng.emergency.command_posts.models",),
)
