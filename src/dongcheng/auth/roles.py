"""The platform's roles (SPEC §1). Imports nothing, so every module's ``module.py`` can name roles in its permissions."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    DUTY_OFFICER = "duty_officer"  # 值班员: 区应急办 / 区应急指挥中心
    DEPARTMENT = "department"  # 部门用户: own unit only
    LEADER = "leader"  # 区领导: what their post allows
    CLERK = "clerk"  # 经办人: 区人力社保局 / 劳动服务管理中心 / 街道便民服务中心
    ADMIN = "admin"  # 平台管理员


ROLE_LABELS = {
    Role.DUTY_OFFICER: "值班员",
    Role.DEPARTMENT: "部门用户",
    Role.LEADER: "区领导",
    Role.CLERK: "经办人",
    Role.ADMIN: "平台管理员",
}

ROLE_LABELS_EN = {
    Role.DUTY_OFFICER: "duty officer",
    Role.DEPARTMENT: "department user",
    Role.LEADER: "district leader",
    Role.CLERK: "clerk",
    Role.ADMIN: "platform administrator",
}


def role_of(value: str) -> Role | None:
    """The role a stored or typed value names, or None for a value that names none (a legacy row, a typo)."""
    try:
        return Role(value)
    except ValueError:
        return None
