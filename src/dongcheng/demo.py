"""Demo users of SPEC §4 (only in demo mode; ``serve --no-demo`` creates none)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.audit.service import SYSTEM
from dongcheng.auth.models import User
from dongcheng.auth.permissions import Role
from dongcheng.auth.service import create_user
from dongcheng.core.config import DEMO_PASSWORD
from dongcheng.directory.models import Person
from dongcheng.directory.service import find_unit

# username, display name, role, person (posts come from the directory), unit
DEMO_USERS = (
    ("duty", "区应急办值班员", Role.DUTY_OFFICER, None, "区应急局"),
    ("mayor", "周金星（区长）", Role.LEADER, "周金星", None),
    ("li.yan", "李妍（常务副区长）", Role.LEADER, "李妍", None),
    ("sun.yang", "孙扬（副区长）", Role.LEADER, "孙扬", None),
    ("cgw", "区城市管理委用户", Role.DEPARTMENT, None, "区城市管理委"),
    ("street.dongsi", "东四街道用户", Role.DEPARTMENT, None, "东四街道"),
    ("clerk.rsj", "区人力社保局经办人", Role.CLERK, None, "区人力社保局"),
    ("admin", "平台管理员", Role.ADMIN, None, None),
)


def ensure_demo_users(session: Session) -> int:
    created = 0
    for username, display, role, person_name, unit_name in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)):
            continue
        person = session.scalar(select(Person).where(Person.name == person_name)) if person_name else None
        unit = find_unit(session, unit_name) if unit_name else None
        create_user(session, actor=SYSTEM, username=username, password=DEMO_PASSWORD, display_name=display,
                    role=role, person=person, unit=unit, is_demo=True)
        created += 1
    return created
