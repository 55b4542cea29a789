"""Pure rules of access (SPEC §1): may this role do X for unit U, the demo password, what an account must be
linked to. Inputs in, Decision out; no I/O. The table of roles × actions is permissions.py."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dongcheng.auth.permissions import Role, scope_for
from dongcheng.auth.roles import role_of
from dongcheng.core.basis import DIVISION_OF_WORK, Basis, platform_default
from dongcheng.core.decision import Decision

if TYPE_CHECKING:
    from dongcheng.directory.models import Unit

ROLES_BASIS = Basis("SPEC", "§1")  # roles and what each may do; every login, logout and account change cites it
DEMO_BASIS = Basis("SPEC", "§4", "演示密码仅限演示模式")
LIFECYCLE_BASIS = Basis("SPEC", "§1", "平台管理员停用账号、重置密码并吊销其令牌")
POST_BASIS = Basis(DIVISION_OF_WORK, "", "区领导的职权来自当日所任职务（SPEC §1）")
PASSWORD_MIN_LENGTH = 10  # the password policy: every face that sets a password (API, CLI) checks this one number
PASSWORD_MAX_LENGTH = 200
PASSWORD_BASIS = Basis("SPEC", "§4", platform_default(
    "password_length", f"密码{PASSWORD_MIN_LENGTH}至{PASSWORD_MAX_LENGTH}个字符；SPEC只要求抗内存攻击的哈希，未给长度"))


def may(role: str, action: str, own_unit: Unit | None = None, unit: Unit | None = None) -> Decision:
    """The role's scope for ``action`` (permissions.PERMISSIONS): none → 403; ``own_unit`` → only for the caller's
    unit or a unit directly under it."""
    scope = scope_for(action, role)
    if scope is None:
        return Decision(False, ROLES_BASIS, f"无权执行此操作（{action}）", f"Not allowed: {action}", 403)
    if scope == "own_unit" and unit is not None and (
            own_unit is None or (own_unit.id != unit.id and unit.parent_id != own_unit.id)):
        name = own_unit.name if own_unit else None
        return Decision(False, ROLES_BASIS, f"只能办理本单位（{name or '无'}）的事项",
                        f"You may act only for your own unit ({name or 'none'})", 403)
    return Decision(True, ROLES_BASIS)


def leader_holds_post(role: str, posts_today: int) -> Decision:
    """A leader acts by the posts held on the day (东政办发〔2021〕18号, SPEC §1: authority comes from posts, not
    names): a leader account whose person holds no post today — removed by a 免去, or never appointed — is refused
    every action. Other roles act by their unit and are not asked."""
    if role == Role.LEADER and posts_today == 0:
        return Decision(False, POST_BASIS, "您今日未担任任何职务，不能以区领导身份办理此事项（职权来自所任职务）",
                        "You hold no post today, so you cannot act as a district leader (authority comes from "
                        "the posts held on the day)", 403)
    return Decision(True, POST_BASIS)


def may_use_password(is_demo_password: bool, demo_mode: bool) -> Decision:
    """SPEC §4: the demo password is refused outside demo mode (401, as a failed login)."""
    if is_demo_password and not demo_mode:
        return Decision(False, DEMO_BASIS, "演示密码仅限演示模式使用，请修改密码",
                        "The demo password is refused outside demo mode", 401)
    return Decision(True, DEMO_BASIS)


def role_refusal(role: str) -> Decision:
    """An account's role is one of the platform's roles (SPEC §1); any other value would hold no permission."""
    if role_of(role) is None:
        names = "、".join(r.value for r in Role)
        return Decision(False, ROLES_BASIS, f"未知角色“{role}”（可选：{names}）",
                        f"unknown role {role!r} (one of {', '.join(r.value for r in Role)})", 422, field="role")
    return Decision(True, ROLES_BASIS)


def password_refusal(length: int) -> Decision:
    """The password policy: at least PASSWORD_MIN_LENGTH characters (and at most PASSWORD_MAX_LENGTH)."""
    if length < PASSWORD_MIN_LENGTH:
        return Decision(False, PASSWORD_BASIS, f"密码至少{PASSWORD_MIN_LENGTH}个字符",
                        f"the password must have at least {PASSWORD_MIN_LENGTH} characters", 422, field="password")
    if length > PASSWORD_MAX_LENGTH:
        return Decision(False, PASSWORD_BASIS, f"密码至多{PASSWORD_MAX_LENGTH}个字符",
                        f"the password may have at most {PASSWORD_MAX_LENGTH} characters", 422, field="password")
    return Decision(True, PASSWORD_BASIS)


def account_refusals(*, username: str, taken: bool, role: str, has_person: bool, has_unit: bool,
                     password_length: int) -> list[Decision]:
    """What is wrong with a new account, each naming its field: a username in use; a role that is none of the
    platform's; a password shorter than the policy; a leader not linked to a person (posts come from the directory);
    a department, duty or clerk account not linked to a unit."""
    out = []
    if taken:
        out.append(Decision(False, ROLES_BASIS, f"用户名“{username}”已存在", f"username {username!r} is taken", 422,
                            field="username"))
    out += [d for d in (role_refusal(role), password_refusal(password_length)) if not d.allowed]
    if role == Role.LEADER and not has_person:
        out.append(Decision(False, ROLES_BASIS, "区领导账号须关联人员（职务由名录决定）",
                            "a leader account must be linked to a person (posts come from the directory)", 422,
                            field="person"))
    if role in (Role.DEPARTMENT, Role.DUTY_OFFICER, Role.CLERK) and not has_unit:
        out.append(Decision(False, ROLES_BASIS, "此角色须关联单位", "this role must be linked to a unit", 422, field="unit"))
    return out


def may_deactivate(*, username: str, is_active: bool, is_self: bool) -> Decision:
    """An account is deactivated once (409 if it already is), and never by its own admin (409: that would leave the
    platform without the one who can undo it)."""
    if not is_active:
        return Decision(False, LIFECYCLE_BASIS, f"账号“{username}”已停用", f"user {username!r} is already deactivated",
                        409)
    if is_self:
        return Decision(False, LIFECYCLE_BASIS, "不能停用自己的账号", f"you cannot deactivate your own account ({username})",
                        409)
    return Decision(True, LIFECYCLE_BASIS)
