"""Incidents as plain data, in the shape of the ORM models that views, the clock rules and the audit snapshot read:
what intake has just written (it answers from them without reading its rows back), and what the incident read loads
with Core statements (repository.incident_record) instead of the ORM's selectin loads (issue 11: 12 statements and
10.9 ms of CPU per ``GET /api/incidents/{id}``). Units and event types are the reference cache's (reference/cache.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dongcheng.reference.cache import EventTypeRef, UnitRef


@dataclass(frozen=True)
class RecordedLead:
    """A lead department as intake wrote it (the shape of ``IncidentLead`` that views and rules read)."""

    unit_id: int
    unit: UnitRef
    position: int
    basis: str
    designated_by: str | None = None
    reason: str = ""


@dataclass
class RecordedDeadline:
    """A deadline as intake wrote it (the shape of ``Deadline`` that views read)."""

    id: int | None
    incident_id: int | None
    kind: str
    seq: int
    due_at: datetime
    basis: str
    recipients: list[str]
    notify: list[str]
    responsible_unit_id: int | None
    responsible_unit: UnitRef | None
    is_drill: bool
    status: str = "pending"
    met_at: datetime | None = None
    closed_at: datetime | None = None
    report_id: int | None = None


@dataclass
class RecordedIncident:
    """The incident intake has just written, with what it wrote: the shape of ``Incident`` that views.incident_dict,
    the clock rules and the audit snapshot read. Intake answers from it without reading its rows back."""

    title: str
    description: str
    event_type_id: int | None
    category: str | None
    street_unit_id: int
    address: str
    occurred_at: datetime
    received_at: datetime
    source: str
    grade: str | None
    grade_at_receipt: str | None
    graded_at: datetime | None
    dead: int
    injured: int
    missing: int
    trapped: int
    foreign_related: bool
    sensitive: bool
    special_period: bool
    situation_only: bool
    needs_other_districts: bool
    is_drill: bool
    status: str
    created_by: str
    created_at: datetime
    follow_up_from: datetime | None
    street: UnitRef
    event_type: EventTypeRef | None
    leads: list[RecordedLead]
    id: int | None = None
    follow_up_until: datetime | None = None
    proposed_level: str | None = None
    proposed_level_reason: str = ""
    proposed_level_basis: str = ""
    response_level: str | None = None
    handed_over_at: datetime | None = None
    ended_at: datetime | None = None
    closed_at: datetime | None = None
    merged_into_id: int | None = None
    version: int = 1
    deadlines: list[RecordedDeadline] = field(default_factory=list)

    COLUMNS = ("title", "description", "event_type_id", "category", "street_unit_id", "address", "occurred_at",
               "received_at", "source", "grade", "graded_at", "grade_at_receipt", "follow_up_from", "follow_up_until",
               "dead", "injured", "missing", "trapped", "foreign_related", "sensitive", "special_period",
               "situation_only", "needs_other_districts", "is_drill", "status", "proposed_level",
               "proposed_level_reason", "proposed_level_basis", "response_level", "handed_over_at", "ended_at",
               "closed_at", "merged_into_id", "created_by", "created_at", "version")

    def row(self) -> dict:
        return {name: getattr(self, name) for name in self.COLUMNS}


@dataclass(frozen=True)
class RecordedReport:
    """A filed report (the shape of ``Report`` that views.report_dict reads)."""

    id: int
    incident_id: int
    kind: str
    filed_at: datetime
    filed_by: str
    unit: UnitRef | None
    elements: dict
    missing_elements: list[str]
    casualties: dict
    recipients: list[str]


@dataclass(frozen=True)
class IncidentRead:
    """What the incident's page and ``GET /api/incidents/{id}`` show."""

    incident: RecordedIncident
    reports: list[RecordedReport]
    level_history: list  # rows of incident_level_changes (the columns of ``LevelChange``)
    duplicate_suspects: list[int]
    merged_duplicates: list[int]
