"""Request bodies of the command-post API (东政发〔2022〕3号 §4.4), validated field by field."""
from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dongcheng.core.types import MAX_ID


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SetUpIn(_Body):
    """成立现场指挥部 (§4.4.1): place, 总指挥, 执行指挥."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"example": {
        "location": "东四北大街 100 号东侧空地", "commander_name": "张三", "commander_post": "区城市管理委主任",
        "executive_name": "李四", "executive_unit": "区城市管理委"}})

    location: str = Field(min_length=1, max_length=300, description="现场指挥部场所")
    commander_name: str = Field(min_length=1, max_length=80, description="总指挥")
    commander_post: str = Field(default="", max_length=120, description="总指挥职务")
    executive_name: str = Field(min_length=1, max_length=80, description="执行指挥")
    executive_unit: str = Field(min_length=1, max_length=200, description="执行指挥所在单位（主责部门或处置队伍）")
    at: AwareDatetime | None = None


class GroupIn(_Body):
    """A §4.4.1 working group with its 组长 and 联系人和通信方式."""

    name: str = Field(min_length=1, max_length=20, description="one of the nine §4.4.1 working groups")
    leader: str = Field(min_length=1, max_length=80, description="组长")
    contact_person: str = Field(min_length=1, max_length=80, description="联系人")
    contact_means: str = Field(min_length=1, max_length=120, description="通信方式（电话、电台频道等）")


class CheckInIn(_Body):
    """报到 (§4.4.2)."""

    team: str = Field(min_length=1, max_length=200, description="队伍名称")
    unit: str = Field(min_length=1, max_length=200, description="所属单位")
    headcount: int = Field(ge=1, le=100000, description="人数")
    arrived_at: AwareDatetime | None = Field(default=None, description="到达时间（缺省为现在）")


class TaskIn(_Body):
    """受领任务 (§4.4.2): a task for a force that has checked in."""

    check_in_id: int = Field(ge=1, le=MAX_ID)
    text: str = Field(min_length=1, max_length=4000)
    assigned_at: AwareDatetime | None = None


class TaskDoneIn(_Body):
    note: str = Field(default="", max_length=4000)
    at: AwareDatetime | None = None


class LogIn(_Body):
    text: str = Field(min_length=1, max_length=4000)
    at: AwareDatetime | None = None
