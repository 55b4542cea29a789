"""The platform's shell: the home page and the base templates every page extends (base.html, error.html).

Registered last: "/" and the shell's pages come after every module's routes.
"""
from pathlib import Path

from dongcheng.core.modules import Module

MODULE = Module(
    name="web",
    routers=("dongcheng.web.pages:router",),
    templates=Path(__file__).with_name("templates"),
)
