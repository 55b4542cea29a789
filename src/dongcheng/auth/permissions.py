"""Permissions as data: which role may do which action, and over which units.

Scopes: ``any`` — any unit; ``own_unit`` — only the caller's own unit (or units under it); ``post`` — decided by
the caller's posts in the directory at the time (the rule for that action says which post).
"""
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

# action -> {role: scope}. A role missing from an action's row may not do it (403).
PERMISSIONS: dict[str, dict[Role, str]] = {
    "users.manage": {Role.ADMIN: "any"},
    "reference.load": {Role.ADMIN: "any"},
    "calendar.load": {Role.ADMIN: "any"},  # the State Council's holiday schedule for a year (SPEC §3)
    "directory.record_appointment": {Role.ADMIN: "any"},
    "audit.read": {Role.ADMIN: "any", Role.DUTY_OFFICER: "any", Role.LEADER: "any"},
    # Incidents (东政发〔2022〕3号 §4): the route admits these roles; emergency/incidents/rules.py decides per incident
    # (lead department, 区应急办, leaders; a street on its own 三级 situation).
    "incidents.create": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "any"},
    "incidents.act": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "any"},
    "accountability.read": {Role.DUTY_OFFICER: "any", Role.LEADER: "any", Role.DEPARTMENT: "own_unit"},
    "incidents.read": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "any", Role.LEADER: "any", Role.ADMIN: "any",
                       Role.CLERK: "any"},
    # Information release (东政发〔2022〕3号 §4.7.1): the route admits these roles; emergency/statements/rules.py decides
    # per statement (lead department, 区委宣传部, 区应急办; cause / casualties / accountability only by a leader).
    "statements.draft": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "any"},
    "statements.release": {Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "incident", Role.LEADER: "post"},
    # Warnings (东政发〔2022〕3号 §3.2): the route admits these roles; emergency/warnings/rules.py decides per warning
    # (drafting unit, 区长 / 分管区领导 by post, 区预警信息发布中心, 谁发布、谁解除).
    "warnings.draft": {Role.DUTY_OFFICER: "own_unit", Role.DEPARTMENT: "own_unit"},
    "warnings.edit": {Role.DUTY_OFFICER: "own_unit", Role.DEPARTMENT: "own_unit"},
    "warnings.approve": {Role.DUTY_OFFICER: "warning", Role.DEPARTMENT: "warning", Role.LEADER: "post"},
    "warnings.publish": {Role.DUTY_OFFICER: "warning", Role.DEPARTMENT: "own_unit"},
    "warnings.lift": {Role.DUTY_OFFICER: "warning", Role.DEPARTMENT: "own_unit"},
    "warnings.tick": {Role.DUTY_OFFICER: "own_unit", Role.DEPARTMENT: "own_unit"},
    "warnings.subscribers": {Role.ADMIN: "any", Role.DUTY_OFFICER: "any", Role.DEPARTMENT: "own_unit"},
    # The gazette (SPEC §2.7): anyone reads it; importing an issue is reference data.
    "gazette.import": {Role.ADMIN: "any"},
    # Incubation bases (东人社发〔2021〕101号 第五条): 区人力社保局 reviews, certifies and manages them. The route admits
    # clerks; incubators/service.py checks the clerk's unit is 区人力社保局 itself (own_unit of the owning unit).
    "incubators.manage": {Role.CLERK: "own_unit"},
    "incubators.read": {Role.CLERK: "any"},
    # Service commissioners (东人社发〔2021〕111号, 112号 第二条、第五条): the route admits clerks; commissioners/rules.py
    # may_manage lets 区人力社保局 and 区劳动服务管理中心 act for every street, a street's clerk for its own street only.
    "commissioners.manage": {Role.CLERK: "own_unit"},
    "commissioners.read": {Role.CLERK: "own_unit"},
}


def scope_for(action: str, role: str) -> str | None:
    return PERMISSIONS.get(action, {}).get(Role(role))
