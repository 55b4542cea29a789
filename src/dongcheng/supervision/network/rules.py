"""The first-aid network of 东政办发〔2021〕17号 三（二）4 (pure): the states a station goes through, what each milestone
promised, met or missed per station, and the coverage of the 17 streets. Inputs in, values or ``Decision`` out."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from dongcheng.core.basis import Basis
from dongcheng.core.decision import Decision, allow, refuse

DOCUMENT = "东政办发〔2021〕17号"
CLAUSE = "三（二）4"
BASIS = Basis(DOCUMENT, CLAUSE)
PER_STREET_BASIS = Basis(DOCUMENT, CLAUSE, "每个街道至少设一个标准化急救工作站")
PREMISES_BASIS = Basis(DOCUMENT, CLAUSE, "各街道履行属地职责……提供急救业务用房")

STATES = {  # the state of a station (or the centre) as recorded
    "planned": "规划中",
    "site_selected": "已选址",
    "started": "已启动建设",
    "new_built": "已建成（新建标准化）",
    "upgraded": "已建成标准化（扩大面积等）",
    "existing": "现有",
}
STATION_STATES = ("planned", "site_selected", "new_built", "upgraded", "existing")
CENTRE_STATES = ("planned", "site_selected", "started", "new_built")
TARGETS = {  # what the milestone promised → the recorded states that keep the promise
    "existing": ("existing", "upgraded"),  # 在现有……5个急救工作站的基础上: counted among the 11
    "new_built": ("new_built",),  # 再分别建设5个标准化急救工作站
    "upgraded": ("upgraded",),  # 通过扩大面积等途径建成标准化急救工作站
    "site_selected": ("site_selected", "started", "new_built"),  # 完成……选址工作 (built implies a site)
    "started": ("started", "new_built"),  # 启动区急救中心站建设
}
TARGET_LABELS = {"existing": "现有站（计入11个）", "new_built": "新建标准化急救工作站", "upgraded": "建成标准化急救工作站",
                 "site_selected": "完成选址", "started": "启动建设"}
OUTCOME_LABELS = {"met": "已达成", "missed": "未达成", "pending": "未到期"}


@dataclass(frozen=True)
class Record:
    state: str
    on: date


def current_state(initial: str, records: list[Record]) -> str:
    """The latest recorded state (by date, then in the order recorded), else the state the text describes."""
    return max(enumerate(records), key=lambda r: (r[1].on, r[0]))[1].state if records else initial


def reached_on(initial: str, target: str, records: list[Record], signed_on: date) -> date | None:
    """The first day the station was in a state that keeps the promise: a station the text calls existing keeps an
    'existing' promise from the plan's signing; otherwise the first record in such a state."""
    ok = TARGETS[target]
    if initial in ok:
        return signed_on
    days = sorted(r.on for r in records if r.state in ok)
    return days[0] if days else None


def outcome(reached: date | None, due: date, today: date) -> str:
    """``met`` when reached on or before the milestone's day, ``missed`` once that day has passed without it,
    ``pending`` before it. Reached after the day is still missed (the promise was for the day)."""
    if reached is not None and reached <= due:
        return "met"
    return "missed" if today > due else "pending"


def may_record(state: str, kind: str, on: date, today: date) -> Decision:
    """A recorded state is one the station (or the centre) can be in, on a day not after today."""
    allowed = CENTRE_STATES if kind == "centre" else STATION_STATES
    if state not in allowed:
        names = "、".join(f"{s}（{STATES[s]}）" for s in allowed)
        return refuse(BASIS, f"应为以下之一：{names}", f"must be one of {', '.join(allowed)}", 422, "state")
    if on > today:
        return refuse(BASIS, "日期不能晚于今天", "the date cannot be after today", 422, "on")
    return allow(BASIS)


def may_record_for(unit: str | None, station_street: str | None, administering_unit: str) -> Decision:
    """The 区卫生健康委 (which runs the plan's coordination, 三（一）4) records every station; a street records its own
    (各街道履行属地职责，提供急救业务用房)."""
    if unit is not None and (unit == administering_unit or (station_street and unit == station_street)):
        return allow(PREMISES_BASIS if unit == station_street else BASIS)
    return refuse(BASIS, "仅区卫生健康委或站点所在街道可以登记进展", "only the 区卫生健康委 or the station's street may "
                  "record its progress", 403)


@dataclass(frozen=True)
class StreetCoverage:
    street: str
    stations: tuple[str, ...]  # keys of the stations the text places there
    listed: int  # how many times the printed lists name the street

    @property
    def planned(self) -> bool:
        return bool(self.stations)


def coverage(streets: list[str], placed: list[tuple[str, str | None]]) -> list[StreetCoverage]:
    """Each of the streets with the stations the text places in it ((key, street) pairs; a station whose street
    the text does not say is in none). 每个街道至少设一个 is met only where a station is placed."""
    count = Counter(s for _, s in placed if s)
    return [StreetCoverage(s, tuple(k for k, st in placed if st == s), count[s]) for s in streets]
