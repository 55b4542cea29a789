"""Pure rules of dissemination (东政发〔2022〕3号 §3.2.8) and the CAP mapping: channels, the targeted notice, the
subscriber registry's inputs, retries, coverage. Inputs in, decision and Basis out; no I/O.

保障预警信息全覆盖: every affected subscriber by their channels, and the vulnerable, special places and alarm blind
spots also door to door. The lifecycle rules (approval, publication, lifting) are in rules.py.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from dongcheng.core.basis import Basis, platform_default
from dongcheng.core.decision import Decision
from dongcheng.emergency.warnings.enums import Action, Level, MsgType
from dongcheng.emergency.warnings.rules import clause

DISSEMINATION = clause("§3.2.8")  # the subscriber registry, its channels and coverage


# --- §3.2.8 dissemination ---------------------------------------------------------------------------------------

DOOR_TO_DOOR = "组织人员逐户通知"


def delivery_channels(channels: tuple[str, ...], *, vulnerable: bool, special_place: bool,
                      blind_spot: bool) -> tuple[tuple[str, ...], Basis]:
    """对老、幼、病、残、孕等群体，以及学校、医院、旅游景点、交通枢纽等特殊场所和警报盲区人群，应当采取线上线下相结合的、
    有针对性的公告方式 (§3.2.8): their online channels plus door-to-door notice.
    """
    chosen = tuple(dict.fromkeys(channels))
    if vulnerable or special_place or blind_spot:
        if DOOR_TO_DOOR not in chosen:
            chosen = (*chosen, DOOR_TO_DOOR)
        return chosen, clause("§3.2.8", "线上线下相结合的有针对性的公告方式")
    return chosen or ("手机短信",), clause("§3.2.8")


def is_targeted(*, vulnerable_groups, special_place, blind_spot) -> bool:
    """老、幼、病、残、孕, a special place, or a 警报盲区: a recipient of the targeted notice of §3.2.8."""
    return bool(vulnerable_groups) or bool(special_place) or bool(blind_spot)


# --- §3.2.8 the subscriber registry ------------------------------------------------------------------------------


def subscriber_street(name: str, kind: str | None) -> Decision:
    """Subscribers are registered by the street or key area they live or work in (§3.2.8, §2.4)."""
    if kind in ("street", "key_area"):
        return Decision(True, DISSEMINATION)
    return Decision(False, DISSEMINATION, f"“{name}”不是东城区的街道或重点地区", f"{name!r} is not a Dongcheng street",
                    422, "street")


def known_channels(channels: Iterable[str], known: Iterable[str]) -> Decision:
    """发布渠道 are the channels of §3.2.8 (data/emergency/lists.yaml)."""
    allowed = set(known)
    bad = [c for c in channels if c not in allowed]
    if not bad:
        return Decision(True, DISSEMINATION)
    return Decision(False, DISSEMINATION, f"未知的发布渠道：{'、'.join(bad)}（§3.2.8）", f"unknown channels: {bad}", 422,
                    "channels")


def known_groups(groups: Iterable[str], known: Iterable[str]) -> Decision:
    """老、幼、病、残、孕 (§3.2.8)."""
    allowed = set(known)
    if all(g in allowed for g in groups):
        return Decision(True, DISSEMINATION)
    return Decision(False, DISSEMINATION, "群体应为 老、幼、病、残、孕（§3.2.8）", "groups are 老 幼 病 残 孕 (§3.2.8)", 422,
                    "vulnerable_groups")


def known_place(place: str | None, known: Iterable[str]) -> Decision:
    """学校、医院、旅游景点、交通枢纽 (§3.2.8)."""
    if not place or place in set(known):
        return Decision(True, DISSEMINATION)
    return Decision(False, DISSEMINATION, "特殊场所应为 学校、医院、旅游景点、交通枢纽（§3.2.8）",
                    "special places are 学校 医院 旅游景点 交通枢纽 (§3.2.8)", 422, "special_place")


def may_list_own_street(unit_kind: str | None) -> Decision:
    """Subscribers' contacts are personal data: a unit limited to its own registry lists it only as a street."""
    if unit_kind in ("street", "key_area"):
        return Decision(True, DISSEMINATION)
    return Decision(False, DISSEMINATION, "只有街道可以查看本辖区的订阅者，其他单位请指定街道",
                    "Only a street may list its own subscribers; other units name a street")


def may_change_subscriber(active: bool) -> Decision:
    if active:
        return Decision(True, DISSEMINATION)
    return Decision(False, DISSEMINATION, "该订阅者已退订，请重新登记", "This subscriber has unsubscribed; register them again",
                    409)


def may_unsubscribe(active: bool) -> Decision:
    """A subscriber is never deleted (deliveries name them); unsubscribing is once."""
    if active:
        return Decision(True, DISSEMINATION)
    return Decision(False, DISSEMINATION, "该订阅者已退订", "This subscriber has already unsubscribed", 409)


SYNTHETIC_SUBSCRIBERS = "SPEC §2.2 (synthetic subscribers for demos and benchmarks)"


def message_type(action: Action) -> MsgType:
    """The CAP message each step sends: Alert on publication, Update on a level change, Cancel on lifting."""
    return {Action.PUBLISH: MsgType.ALERT, Action.CHANGE_LEVEL: MsgType.UPDATE, Action.LIFT: MsgType.CANCEL}[action]


def message_basis(action: Action) -> Basis:
    """The clause a disseminated message carries: publication §3.2.3, level change §3.2.6, lifting §3.2.7."""
    return clause({Action.PUBLISH: "§3.2.3", Action.CHANGE_LEVEL: "§3.2.6", Action.LIFT: "§3.2.7"}[action])


# The public feed keeps every Alert, Update and Cancel for this long, so an aggregator that polls less often still
# learns that a warning changed or ended. Platform default: §3.2.7 says the lifting is published (宣布解除) through
# the same channels as the warning, not for how long; 7 days covers a weekly poll.
FEED_RETENTION = timedelta(days=7)
FEED_RETENTION_BASIS = "东政发〔2022〕3号 §3.2.7；" + platform_default("feed_retention",
                                                                  "公开订阅源保留7天内的发布、更新、解除消息")
FEED_LABELS = {MsgType.ALERT: "发布", MsgType.UPDATE: "更新", MsgType.CANCEL: "解除"}


def in_feed(*, sent_at: datetime, latest: bool, current: bool, now: datetime,
            retention: timedelta = FEED_RETENTION) -> bool:
    """Whether a public warning's CAP message is an entry of the public feed: every message sent within the
    retention period (so a lifted warning's Cancel stays visible), and always the latest message of a warning still
    in force however old it is."""
    return (latest and current) or sent_at >= now - retention


def retry_delay_seconds(attempts: int, *, base: float = 5.0, cap: float = 600.0) -> float:
    """Exponential backoff after the n-th failed attempt: 5 s, 10 s, 20 s … at most 10 minutes."""
    return min(cap, base * (2 ** max(0, attempts - 1)))


MAX_ATTEMPTS = 6
DELIVERY_DEFAULT = platform_default(
    "delivery_attempts", "每位接收人最多发送6次，失败后按5秒起倍增、至多10分钟重试；§3.2.8未规定重试次数")


def coverage_percent(reached: int, total: int) -> float | None:
    """保障预警信息全覆盖 (§3.2.8): share of the affected subscribers reached; None when nobody is subscribed."""
    return None if total == 0 else round(100.0 * reached / total, 2)


# --- CAP 1.2 mapping -------------------------------------------------------------------------------------------

CAP_PROFILE = {
    # level: (severity, urgency, certainty)
    Level.RED: ("Extreme", "Immediate", "Likely"),
    Level.ORANGE: ("Severe", "Expected", "Likely"),
    Level.YELLOW: ("Moderate", "Expected", "Likely"),
    Level.BLUE: ("Minor", "Future", "Possible"),
}


def cap_profile(level: Level) -> tuple[str, str, str]:
    """Colour → CAP severity/urgency/certainty; the colour itself travels as a CAP parameter (SPEC §2.2)."""
    return CAP_PROFILE[level]
