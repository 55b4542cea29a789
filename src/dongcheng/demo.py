"""Demo users of SPEC §4 and the demo scenario (only in demo mode; ``serve --no-demo`` creates neither): each module
declares its own (``Module.demo_users``, ``Module.demo_data``), created in the registry's order. The scenario is an
exercise (演练), marked as such and never counted in real figures."""
from __future__ import annotations

from sqlalchemy.orm import Session

from dongcheng import modules
from dongcheng.audit.service import SYSTEM
from dongcheng.auth import repository as users
from dongcheng.auth.service import create_user_named
from dongcheng.core.config import DEMO_PASSWORD

DEMO_USERS = tuple(modules.demo_users())


def ensure_demo_users(session: Session) -> int:
    created = 0
    for demo in DEMO_USERS:
        if users.username_taken(session, demo.username):
            continue
        create_user_named(session, actor=SYSTEM, username=demo.username, password=DEMO_PASSWORD,
                          display_name=demo.display_name, role=demo.role, person=demo.person, unit=demo.unit,
                          is_demo=True)
        created += 1
    return created


def ensure_demo_data(session: Session) -> dict[str, int]:
    """Each module's demo data (idempotent); returns rows created per module."""
    return {name: make(session) for name, make in modules.demo_data()}
