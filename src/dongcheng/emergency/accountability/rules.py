"""§5.5.2 accountability: 迟报、漏报 (late, missed) and incomplete mandated reports, by unit. Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dongcheng.core.basis import EMERGENCY_PLAN, Basis, platform_default

BASIS = Basis(EMERGENCY_PLAN, "§5.5.2", "迟报、漏报、瞒报突发事件信息的，依据有关规定追责")

# §5.5.2 names no reporting period: without start/end the report covers the last 30 days.
DEFAULT_PERIOD_DAYS = 30
DEFAULT_PERIOD = platform_default("accountability_period", "未指定起止时，问责报表统计最近30日")
FINDING_LABELS = {"late": "迟报", "missed": "漏报", "overdue": "逾期未报", "incomplete": "要素不全"}


@dataclass(frozen=True)
class Finding:
    kind: str  # late | missed | overdue | incomplete
    lateness_seconds: int | None


def findings_for(status: str, due_at: datetime, met_at: datetime | None, missing: list[str] | None,
                 at: datetime) -> list[Finding]:
    """What a deadline contributes to the report as seen at ``at``: late/missed/overdue, and incomplete (§4.1.8)."""
    out: list[Finding] = []
    if status == "late" and met_at is not None:
        out.append(Finding("late", int((met_at - due_at).total_seconds())))
    elif status == "missed":
        out.append(Finding("missed", None))
    elif status == "pending" and due_at < at:
        out.append(Finding("overdue", int((at - due_at).total_seconds())))
    if missing:
        out.append(Finding("incomplete", None))
    return out


def humanize(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes}分{secs}秒"
    return f"{minutes}分{secs}秒" if minutes else f"{secs}秒"


def scoped(data: dict, *, role: str, unit: str | None) -> dict:
    """A department sees its own unit's findings (and totals over them); the 区应急办 and leaders see every unit."""
    if role != "department":
        return data
    units = [u for u in data["units"] if u["unit"] == unit]
    return {**data, "units": units, "totals": {k: sum(u[k] for u in units) for k in data["totals"]}}
