"""处置措施清单 (东政发〔2022〕3号 §4.5): the category's measures, each ticked with who, when and a note.

Acting on an incident is ``incidents.act`` (the incidents module's permission); the page is part of the incident page.
"""
from dongcheng.core.modules import Module

MODULE = Module(
    name="checklists",
    routers=("dongcheng.emergency.checklists.api:router",),
    models=("dongcheng.emergency.checklists.models",),
)
