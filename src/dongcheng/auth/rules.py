"""Pure rules of access (SPEC §1): may this role do X for unit U, the demo password, what an account must be
linked to. Inputs in, Decision out; no I/O. The table of roles × actions is permissions.py."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from dongcheng.auth import permission_names
from dongcheng.auth.permissions import PERMISSIONS, Role, scope_for
from dongcheng.auth.roles import ROLE_LABELS, ROLE_LABELS_EN, role_of
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
        return role_refused(role, action)
    if scope == "own_unit" and unit is not None and (
            own_unit is None or (own_unit.id != unit.id and unit.parent_id != own_unit.id)):
        name = own_unit.name if own_unit else None
        return Decision(False, ROLES_BASIS, f"只能办理本单位（{name or '无'}）的事项",
                        f"You may act only for your own unit ({name or 'none'})", 403)
    return Decision(True, ROLES_BASIS)


def role_refused(role: str, action: str) -> Decision:
    """The 403 of a role the action's row does not admit, in words: what was refused (the action's name), the caller's
    role, and which roles (with their scope) would have it — read from the permission table, never a second list."""
    name_zh, name_en = permission_names.NAMES.get(action, (action, action))
    known = role_of(role)
    mine_zh = ROLE_LABELS.get(known, "未知角色") if known else "未知角色"
    mine_en = ROLE_LABELS_EN.get(known, "unknown role") if known else "unknown role"
    row = PERMISSIONS.get(action, {})
    zh = "、".join(ROLE_LABELS[r] + permission_names.SCOPES.get(s, ("", ""))[0] for r, s in row.items()) or "无"
    en = ", ".join(ROLE_LABELS_EN[r] + permission_names.SCOPES.get(s, ("", ""))[1] for r, s in row.items()) or "none"
    return Decision(False, ROLES_BASIS,
                    f"无权执行此操作：{name_zh}。您的角色“{mine_zh}”没有此权限；可办理的角色：{zh}。",
                    f"Not allowed: {name_en} ({action}). Your role ({mine_en}) does not have this permission; "
                    f"it is held by: {en}.", 403)


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


# --- login throttling (OWASP ASVS 4.0.3 V2.2.1; NIST SP 800-63B §5.2.2) -------------------------------------------
# Platform defaults: neither standard gives the figures except NIST's "no more than 100" failed attempts on one
# account; the rest are chosen so that the user's own mistakes cost seconds and a guesser's cost hours.

THROTTLE_BASIS = Basis("OWASP ASVS 4.0.3", "V2.2.1", "NIST SP 800-63B §5.2.2：限制失败登录次数，递增等待，不锁死账号；"
                       + platform_default("login_throttle", "同一账号同一来源失败5次、同一来源失败30次后等待自1秒倍增至"
                                          "15分钟；同一账号24小时内失败100次后仅30天内登录过的来源可再试"))
PAIR_FREE = 5  # failures of one account from one client before any wait (the user's own typos)
CLIENT_FREE = 30  # failures from one client, over every account, before any wait (an office behind one address)
MAX_DELAY = timedelta(minutes=15)  # the longest wait a delay grows to
PAIR_WINDOW = CLIENT_WINDOW = timedelta(hours=1)  # the failures that count towards a delay
ACCOUNT_DAILY = 100  # NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts on a single account
DAY = timedelta(hours=24)  # ACCOUNT_DAILY counts the failures of the last 24 hours, from every client
KNOWN_CLIENT = timedelta(days=30)  # a client that signed in to the account within this is "known" to it


def normalise_username(username: str) -> str:
    """The one form of a user name the login lookup and the throttle both use: NFKC (full-width letters, an
    ideographic space), stripped, case-folded — so " p.victim" and "Ｐ.Victim" are the account p.victim."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def delay(failures: int, free: int) -> timedelta:
    """The wait after the ``failures``-th failure: none up to ``free``, then 1 s, 2 s, 4 s, … doubling to
    MAX_DELAY."""
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free, 20)), MAX_DELAY)


@dataclass(frozen=True)
class LoginCounts:
    """What the throttle knows about one attempt: failures of (account, client) and of the client in their windows
    with the last of each, and the account's failures of the last 24 hours with the time the 100th-last of them
    leaves the window; whether the client has signed in to the account lately."""

    pair_failures: int = 0
    pair_last: datetime | None = None
    client_failures: int = 0
    client_last: datetime | None = None
    account_failures: int = 0
    account_release: datetime | None = None
    known_client: bool = False


def _wait(seconds: float) -> tuple[str, str]:
    if seconds < 60:
        return f"{math.ceil(seconds)} 秒", f"{math.ceil(seconds)} seconds"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} 分钟", f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} 小时", f"{math.ceil(seconds / 3600)} hours"


def login_throttle(counts: LoginCounts, now: datetime) -> tuple[Decision, int]:
    """May this attempt check a password now? (decision, seconds to wait). Refused (429) while the delay of the
    (account, client) pair or of the client is running, and — once the account had ACCOUNT_DAILY failures in 24
    hours — for every client that has not signed in to it within KNOWN_CLIENT, until the count falls below the
    bound: the guesser, wherever they are, cannot lock the user out of the machine they use."""
    waits = []
    if counts.pair_last is not None:
        waits.append(counts.pair_last + delay(counts.pair_failures, PAIR_FREE) - now)
    if counts.client_last is not None:
        waits.append(counts.client_last + delay(counts.client_failures, CLIENT_FREE) - now)
    if counts.account_failures >= ACCOUNT_DAILY and not counts.known_client and counts.account_release is not None:
        waits.append(counts.account_release - now)
    wait = max(waits, default=timedelta(0))
    if wait <= timedelta(0):
        return Decision(True, THROTTLE_BASIS), 0
    seconds = math.ceil(wait.total_seconds())
    zh, en = _wait(seconds)
    return Decision(False, THROTTLE_BASIS, f"登录失败次数过多，请 {zh}后再试",
                    f"Too many failed logins; try again in {en}", 429), seconds
