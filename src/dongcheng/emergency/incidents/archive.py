"""The incident archive: every incident, ended ones included, found by status, street, type, grade, real or drill,
the day it was received and a phrase of its title, address or description — for the recovery (§5) and
accountability (§5.5) work that goes on after 应急结束 (§4.8), when an incident has left the board.

The same answer for ``GET /api/incidents`` and the page ``/incidents``: the filters are ``schemas.ArchiveQuery``, the
read rule is the incident page's (``incidents.read``: every role admitted reads every incident, as the board and the
incident page show them), the query is ``repository.search_incidents`` and the phrase is found by the platform's
full-text index (core/search.py: trigrams — FTS5 on SQLite, pg_trgm on PostgreSQL; under 3 characters a scan).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from dongcheng.auth.service import Caller, authorize
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import BEIJING
from dongcheng.emergency.incidents import repository
from dongcheng.emergency.incidents.records import RecordedIncident
from dongcheng.emergency.incidents.schemas import UNDETERMINED, ArchiveQuery
from dongcheng.reference import cache as reference

UNKNOWN_TYPE = "未知"  # the event_type filter for incidents whose type is not known (§4.3.5)


@dataclass(frozen=True)
class ArchivePage:
    incidents: list[RecordedIncident]  # plain data (records.py), what views.incident_dict reads
    total: int
    page: int
    per_page: int
    statuses: str  # what the status filter came to: all | active | one status

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def _start_of(day: date) -> datetime:
    """00:00 Beijing time of ``day``, in UTC (the archive's days are Beijing days)."""
    return datetime.combine(day, time(), tzinfo=BEIJING).astimezone(UTC)


def statuses_of(query: ArchiveQuery) -> str:
    """The status filter in effect: as given; else every status when the archive is searched (any filter, or
    ``all``); else the incidents not yet ended — what the list answered before it was an archive."""
    if query.status:
        return query.status
    return "all" if query.all or query.filtered() else "active"


def search(session: Session, caller: Caller, query: ArchiveQuery) -> ArchivePage:
    authorize(caller, "incidents.read")  # the incident page's rule
    errors: list[FieldError] = []
    street_id = None
    if query.street:
        street = reference.current(session).unit(query.street.strip())
        if street is None or street.kind not in ("street", "key_area"):
            errors.append(FieldError("street", f"“{query.street}”不是东城区 17 个街道或重点地区之一",
                                     f"{query.street!r} is not one of the 17 streets or the key area"))
        else:
            street_id = street.id
    event_type_id: object = repository.ANY
    if query.event_type:
        if query.event_type.strip() == UNKNOWN_TYPE:
            event_type_id = None
        elif (event_type := reference.current(session).event_type(query.event_type.strip())) is None:
            errors.append(FieldError("event_type", f"“{query.event_type}”不是表 §2.3.6 的 36 类事件之一，也不是“未知”",
                                     f"{query.event_type!r} is not one of the 36 event types of table §2.3.6 "
                                     "nor 未知"))
        else:
            event_type_id = event_type.id
    if query.from_ and query.to and query.from_ > query.to:
        errors.append(FieldError("to", "结束日期不能早于开始日期", "to must not be before from"))
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)
    statuses = statuses_of(query)
    grade: object = repository.ANY if not query.grade else (None if query.grade == UNDETERMINED else query.grade)
    rows, total = repository.search_incidents(
        session, drill=query.drill, active_only=statuses == "active",
        statuses=None if statuses in ("all", "active") else (statuses,),
        street_unit_id=street_id, event_type_id=event_type_id, grade=grade,
        received_from=_start_of(query.from_) if query.from_ else None,
        received_before=_start_of(query.to + timedelta(days=1)) if query.to else None,
        q=(query.q or "").strip() or None, offset=(query.page - 1) * query.per_page, limit=query.per_page)
    return ArchivePage(rows, total, query.page, query.per_page, statuses)
