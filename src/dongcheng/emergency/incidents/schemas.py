"""Request bodies of the incident API (SPEC §4), validated field by field."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dongcheng.core.search import MAX_QUERY
from dongcheng.core.types import MAX_ID, Day, Instant
from dongcheng.emergency.incidents.enums import DeadlineKind, Grade, ResponseLevel, Source, Status


class Casualties(BaseModel):
    dead: int = Field(default=0, ge=0, le=100000)
    injured: int = Field(default=0, ge=0, le=100000)
    missing: int = Field(default=0, ge=0, le=100000)
    trapped: int = Field(default=0, ge=0, le=100000)


class IncidentIn(BaseModel):
    """接报: the §4.1.8 elements known at intake."""

    model_config = ConfigDict(json_schema_extra={"example": {
        "event_type": "火灾事故", "street": "东四街道", "address": "东四北大街 100 号",
        "occurred_at": "2022-02-01T08:00:00+08:00", "received_at": "2022-02-01T08:03:00+08:00", "source": "119",
        "title": "居民楼起火", "description": "三层冒烟", "grade": None,
        "casualties": {"dead": 0, "injured": 1, "missing": 0, "trapped": 2}, "foreign_related": False,
        "sensitive": False}})

    event_type: str | None = Field(default=None, max_length=200, description="one of the 36 of table §2.3.6, or null")
    street: str = Field(min_length=1, max_length=80, description="one of the 17 streets or the key area")
    address: str = Field(min_length=1, max_length=300)
    occurred_at: Instant
    received_at: Instant | None = None
    source: Source
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10000)
    grade: Grade | None = None
    casualties: Casualties = Field(default_factory=Casualties)
    foreign_related: bool = False
    sensitive: bool = False
    special_period: bool = Field(default=False, description="重大活动举办、重要会议召开等时期 (§4.1.4, §4.3.1)")
    situation_only: bool = Field(default=False, description="不构成突发事件的突出情况 (§4.3.2)")
    needs_other_districts: bool = Field(default=False, description="需要协调其他区共同处置 (§4.3.4(2))")
    drill: bool = Field(default=False, description="an exercise: same clocks, never mixed with real figures")


# The §4.1.8 elements as the report body names them (the keys of the list `report_elements` in lists.yaml; a test
# holds the two equal).
REPORT_ELEMENT_KEYS = ("time", "place", "source", "nature", "harm", "trend", "measures")


class ReportIn(BaseModel):
    """信息报送: the seven §4.1.8 elements; missing ones are recorded, not refused."""

    kind: DeadlineKind
    filed_at: Instant | None = None
    time: str | None = Field(default=None, max_length=2000)
    place: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=2000)
    nature: str | None = Field(default=None, max_length=2000)
    harm: str | None = Field(default=None, max_length=5000)
    trend: str | None = Field(default=None, max_length=5000)
    measures: str | None = Field(default=None, max_length=5000)
    casualties: Casualties | None = None

    def elements(self) -> dict[str, str]:
        return {k: (getattr(self, k) or "") for k in REPORT_ELEMENT_KEYS}


class GradeIn(BaseModel):
    grade: Grade
    reason: str = Field(default="", max_length=2000)
    at: Instant | None = None


class LevelIn(BaseModel):
    level: ResponseLevel
    reason: str = Field(default="", max_length=2000)
    at: Instant | None = None


class HandoverIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    at: Instant | None = None


class DesignateIn(BaseModel):
    unit: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)


class EndIn(BaseModel):
    reason: str = Field(default="", max_length=2000)
    at: Instant | None = None


class MergeIn(BaseModel):
    """A duplicate intake closed into the incident it repeats, with the duty officer's basis for saying so."""

    into: int = Field(ge=1, le=MAX_ID, description="id of the incident this one repeats")
    reason: str = Field(min_length=1, max_length=2000)


# --- the archive's filters (GET /api/incidents and the page /incidents) -------------------------------------------

STATUS_FILTERS = ("all", "active", *(s.value for s in Status))  # all: every status; active: not ended (§4.8)
UNDETERMINED = "待定"  # the grade filter for incidents not yet graded (§1.4.2: grade null)
MAX_PAGE = 100_000
PER_PAGE = 200  # the API's page: the list it answered before it was paged (200 open incidents)


class ArchiveQuery(BaseModel):
    """Which incidents: every filter optional, a blank one the same as none. Without any of q, status, street,
    event_type, grade, from, to the answer is the incidents not yet ended (``all=true``: every status), as before."""

    model_config = ConfigDict(populate_by_name=True)

    q: str | None = Field(default=None, max_length=MAX_QUERY,
                          description="a phrase in the title, address or description (any length; 3+ characters use "
                                      "the trigram index)")
    status: Literal[STATUS_FILTERS] | None = Field(  # type: ignore[valid-type]
        default=None, description="one status, or active (not ended), or all")
    street: str | None = Field(default=None, max_length=80, description="one of the 17 streets or the key area")
    event_type: str | None = Field(default=None, max_length=200,
                                   description="one of the 36 of table §2.3.6, or 未知 (type not known)")
    grade: Literal["一般", "较大", "重大", "特别重大", "待定"] | None = Field(
        default=None, description="§1.4.2, or 待定 (not yet graded)")
    drill: bool = Field(default=False, description="exercises (演练) instead of real incidents; never mixed")
    all: bool = Field(default=False, description="every status (the same as status=all)")
    from_: Day | None = Field(default=None, alias="from", description="received on or after this day (Beijing)")
    to: Day | None = Field(default=None, description="received on or before this day (Beijing)")
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=PER_PAGE, ge=1, le=PER_PAGE)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data):
        """``?status=&street=``: a blank filter is no filter."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data

    def filtered(self) -> bool:
        """Whether any filter of the archive is set (then every status is searched unless status says)."""
        return any(v not in (None, "") for v in (self.q, self.status, self.street, self.event_type, self.grade,
                                                 self.from_, self.to))
