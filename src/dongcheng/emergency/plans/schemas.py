"""Request bodies of the plans and drills API (§7); each bad field is named in the 422 answer."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from dongcheng.core.types import Day
from dongcheng.emergency.plans.rules import DrillKind, Phase, PlanKind

Note = Annotated[str, Field(max_length=2000)]
UnitName = Annotated[str, Field(min_length=1, max_length=80)]
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanIn(Strict):
    """A plan the §8.3 catalogue does not list: a street's 总体预案, a 部门预案, a 巨灾预案 (§7.1.4, §8.3.3)."""

    kind: PlanKind
    name: Annotated[str, Field(min_length=2, max_length=200)]
    lead_unit: UnitName


class VersionIn(Strict):
    """An issued text (印发): its title, document number, date and where the document is."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    document_no: Annotated[str, Field(max_length=80)] = ""
    issued_on: Day
    document_ref: Annotated[str, Field(max_length=500)] = ""
    note: Note = ""


class FilingIn(Strict):
    filed_on: Day
    filed_with: Annotated[str, Field(max_length=200)] = ""
    note: Note = ""


class EvaluationIn(Strict):
    evaluated_on: Day
    note: Annotated[str, Field(min_length=1, max_length=2000, description="评估结论：针对性、实用性和可操作性")]


class TriggerIn(Strict):
    """§7.1.5 one of four situations; the fourth names the incident or drill where the problem was found."""

    trigger: Annotated[str, Field(min_length=1, max_length=30)]
    description: Annotated[str, Field(min_length=1, max_length=2000)]
    incident_id: RowId | None = None
    drill_id: RowId | None = None


class DrillIn(Strict):
    title: Annotated[str, Field(min_length=2, max_length=200)]
    organiser: UnitName
    kind: DrillKind
    plan_ids: Annotated[list[RowId], Field(max_length=50)] = []
    units: Annotated[list[UnitName], Field(max_length=100)] = []
    incident_id: RowId | None = None
    note: Note = ""


class PhaseIn(Strict):
    phase: Phase
    on_date: Day
    note: Note = ""


class FindingIn(Strict):
    finding: Annotated[str, Field(min_length=1, max_length=2000)]
    action: Annotated[str, Field(min_length=1, max_length=2000, description="整改措施")]
    owner_unit: UnitName
    due_on: Day


class FindingDoneIn(Strict):
    done_on: Day
