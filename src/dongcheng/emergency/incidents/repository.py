"""Queries for incidents and their deadlines (every query the incident service makes)."""
from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import JSON, String, Text, and_, bindparam, cast, column, false, func, insert, or_, select, true, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, aliased

from dongcheng.audit import repository as audit_entries
from dongcheng.core import search as fulltext
from dongcheng.core.db import AUTOCOMMIT, execute
from dongcheng.core.errors import not_found
from dongcheng.core.search import SearchEntry
from dongcheng.directory.models import Unit
from dongcheng.emergency.incidents import rules
from dongcheng.emergency.incidents.enums import DeadlineKind
from dongcheng.emergency.incidents.models import Deadline, Incident, IncidentLead, LevelChange, Report
from dongcheng.emergency.incidents.records import RecordedDeadline, RecordedIncident, RecordedLead, RecordedReport
from dongcheng.reference import cache as reference
from dongcheng.reference.cache import Reference
from dongcheng.reference.models import ReferenceItem

if TYPE_CHECKING:
    from dongcheng.audit.service import PendingEntry

SEARCH_SCOPE = "incident"  # core/search.py entries of incidents: ref = the id, sort_key = the id
ANY = object()  # search_incidents: no filter on this column (None is a value: not known / not graded)


# --- intake's writes: Core statements, built once (issue 11: the ORM's unit of work cost ~1.3–2 ms per intake) ------

_INSERT_INCIDENT = insert(Incident.__table__).returning(Incident.__table__.c.id)
_INSERT_LEADS = insert(IncidentLead.__table__)
_INSERT_DEADLINES = insert(Deadline.__table__).returning(Deadline.__table__.c.id, sort_by_parameter_order=True)
_INSERT_LEVEL_CHANGE = insert(LevelChange.__table__)

_LEAD_FIELDS = ("unit_id", "position", "basis", "designated_by", "reason")
_DEADLINE_FIELDS = ("kind", "seq", "due_at", "basis", "recipients", "notify", "responsible_unit_id", "status",
                    "met_at", "closed_at", "report_id", "is_drill")
_LEVEL_FIELDS = ("at", "what", "from_value", "to_value", "proposed", "reason", "basis", "by")


def _rows_of(table, fields: tuple[str, ...], name: str):
    """PostgreSQL: the rows of the JSON parameter ``name`` as a table with ``fields`` typed as ``table``'s columns
    (``json_to_recordset(:name) AS name_rows(field type, …)``)."""
    return (func.json_to_recordset(bindparam(name, type_=JSON))
            .table_valued(*(column(f, table.c[f].type) for f in fields)).render_derived(f"{name}_rows", with_types=True))


def _one_statement_intake():
    """PostgreSQL: a new incident's rows in one statement of data-modifying CTEs — the incident, its lead departments,
    its deadlines, the level proposal, its search entry (core/search.py) and its audit entry (the leaf hash computed
    by the database: audit.repository.insert_pending) — answering the incident id and each deadline's (id, kind,
    seq). The same rows as SQLite's seven statements in ``insert_incident``."""
    incidents, leads, deadlines, levels = (Incident.__table__, IncidentLead.__table__, Deadline.__table__,
                                           LevelChange.__table__)
    new = insert(incidents).values({name: bindparam(name, type_=incidents.c[name].type)
                                    for name in RecordedIncident.COLUMNS}).returning(incidents.c.id).cte("new_incident")
    lead_rows = _rows_of(leads, _LEAD_FIELDS, "leads")
    new_leads = insert(leads).from_select(
        ["incident_id", *_LEAD_FIELDS],
        select(new.c.id, *(lead_rows.c[f] for f in _LEAD_FIELDS)).select_from(new).join(lead_rows, true())
    ).cte("new_leads")
    deadline_rows = _rows_of(deadlines, _DEADLINE_FIELDS, "deadlines")
    new_deadlines = insert(deadlines).from_select(
        ["incident_id", *_DEADLINE_FIELDS],
        select(new.c.id, *(deadline_rows.c[f] for f in _DEADLINE_FIELDS)).select_from(new).join(deadline_rows, true())
    ).returning(deadlines.c.id, deadlines.c.kind, deadlines.c.seq).cte("new_deadlines")
    new_level = insert(levels).from_select(
        ["incident_id", *_LEVEL_FIELDS],
        select(new.c.id, *(bindparam(f"level_{f}", type_=levels.c[f].type) for f in _LEVEL_FIELDS))
    ).cte("new_level")
    ref = cast(new.c.id, String)
    new_entry = fulltext.insert_from(SEARCH_SCOPE, select(
        ref, ref, bindparam("search_title", type_=Text), bindparam("search_body", type_=Text), new.c.id)
    ).cte("new_entry")
    new_audit = audit_entries.insert_pending(new.c.id).cte("new_audit")
    return (select(new.c.id, new_deadlines.c.id.label("deadline_id"), new_deadlines.c.kind, new_deadlines.c.seq)
            .select_from(new).outerjoin(new_deadlines, true()).add_cte(new_leads, new_level, new_entry, new_audit))


_INTAKE_IN_ONE = _one_statement_intake()


def _json_ready(row: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def insert_incident(session: Session, row: dict, leads: list[dict], deadlines: list[dict], level_change: dict,
                    entry: dict, audit_entry: PendingEntry, alone: bool = False) -> tuple[int, list[int]]:
    """A new incident's rows: the incident, its lead departments, its deadlines, the level proposal, its search entry
    (``entry``: title, body) and its audit entry. Returns (incident id, the deadlines' ids in the order given).

    PostgreSQL: one statement. When these are the request's only writes (``alone``) and its transaction has not
    begun, that statement is sent in autocommit — a transaction of its own, all of it or nothing, with no BEGIN and no
    COMMIT: two round trips fewer (issue 11). It is committed when it returns: what follows in the request only builds
    the answer. SQLite (in process, no round trips to save): one statement per table."""
    if session.get_bind().dialect.name == "postgresql":
        params = {**row, "leads": [_json_ready(lead) for lead in leads],
                  "deadlines": [_json_ready(d) for d in deadlines],
                  **{f"level_{f}": level_change[f] for f in _LEVEL_FIELDS},
                  "search_title": entry["title"], "search_body": entry["body"], **audit_entry.params}
        if (alone and not session.in_transaction() and not (session.new or session.dirty or session.deleted)
                and isinstance(session.get_bind(), Engine)):  # (a test's session is bound to its rolled-back connection)
            found = session.connection(execution_options=AUTOCOMMIT).execute(_INTAKE_IN_ONE, params).all()
        else:
            found = execute(session, _INTAKE_IN_ONE, params).all()
        ids = {(r.kind, r.seq): r.deadline_id for r in found if r.deadline_id is not None}
        return found[0].id, [ids[(d["kind"], d["seq"])] for d in deadlines]
    session.flush()  # what ``execute`` does first, once: then every statement on the transaction's one connection
    conn = session.connection()
    incident_id = conn.execute(_INSERT_INCIDENT, row).scalar_one()
    if leads:
        conn.execute(_INSERT_LEADS, [{**lead, "incident_id": incident_id} for lead in leads])
    deadline_ids = list(conn.execute(_INSERT_DEADLINES, [{**d, "incident_id": incident_id} for d in deadlines])
                        .scalars()) if deadlines else []
    conn.execute(_INSERT_LEVEL_CHANGE, {**level_change, "incident_id": incident_id})
    conn.execute(fulltext.INSERT_ENTRY, [{"scope": SEARCH_SCOPE, "group_key": str(incident_id), "ref": str(incident_id),
                                          **entry, "sort_key": incident_id}])
    conn.execute(audit_entries.INSERT_ENTRY, audit_entry.with_target(incident_id))
    return incident_id, deadline_ids


# --- the incident read: Core statements into records.py's plain data ---------------------------------------------

_INCIDENT_ROW = select(Incident.__table__).where(Incident.__table__.c.id == bindparam("id"))
_LEAD_ROWS = (select(IncidentLead.__table__).where(IncidentLead.__table__.c.incident_id == bindparam("id"))
              .order_by(IncidentLead.__table__.c.position))
_DEADLINE_ROWS = (select(Deadline.__table__).where(Deadline.__table__.c.incident_id == bindparam("id"))
                  .order_by(Deadline.__table__.c.due_at, Deadline.__table__.c.id))
_REPORT_ROWS = (select(Report.__table__).where(Report.__table__.c.incident_id == bindparam("id"))
                .order_by(Report.__table__.c.filed_at, Report.__table__.c.id))
_LEVEL_ROWS = (select(LevelChange.__table__).where(LevelChange.__table__.c.incident_id == bindparam("id"))
               .order_by(LevelChange.__table__.c.at, LevelChange.__table__.c.id))
_MERGED_IDS = (select(Incident.__table__.c.id).where(Incident.__table__.c.merged_into_id == bindparam("id"))
               .order_by(Incident.__table__.c.id))


_INCIDENT_ROWS = select(Incident.__table__).where(Incident.__table__.c.id.in_(bindparam("ids", expanding=True)))
_LEADS_OF = (select(IncidentLead.__table__)
             .where(IncidentLead.__table__.c.incident_id.in_(bindparam("ids", expanding=True)))
             .order_by(IncidentLead.__table__.c.incident_id, IncidentLead.__table__.c.position))
_DEADLINES_OF = (select(Deadline.__table__)
                 .where(Deadline.__table__.c.incident_id.in_(bindparam("ids", expanding=True)))
                 .order_by(Deadline.__table__.c.incident_id, Deadline.__table__.c.due_at, Deadline.__table__.c.id))


def _record(row, known: Reference) -> RecordedIncident:
    return RecordedIncident(
        **{name: getattr(row, name) for name in RecordedIncident.COLUMNS}, id=row.id,
        street=known.units[row.street_unit_id],
        event_type=known.event_types.get(row.event_type_id) if row.event_type_id else None, leads=[])


def _lead(row, known: Reference) -> RecordedLead:
    return RecordedLead(row.unit_id, known.units[row.unit_id], row.position, row.basis, row.designated_by, row.reason)


def _deadline(d, known: Reference) -> RecordedDeadline:
    return RecordedDeadline(d.id, d.incident_id, d.kind, d.seq, d.due_at, d.basis, d.recipients, d.notify,
                            d.responsible_unit_id,
                            known.units.get(d.responsible_unit_id) if d.responsible_unit_id else None,
                            d.is_drill, d.status, d.met_at, d.closed_at, d.report_id)


def incident_record(session: Session, incident_id: int, known: Reference) -> RecordedIncident:
    """The incident with its lead departments and deadlines in three statements (404 if there is none)."""
    row = execute(session, _INCIDENT_ROW, {"id": incident_id}).first()
    if row is None:
        raise not_found("突发事件", "incident", incident_id)
    incident = _record(row, known)
    incident.leads = [_lead(lead, known) for lead in execute(session, _LEAD_ROWS, {"id": incident_id})]
    incident.deadlines = [_deadline(d, known) for d in execute(session, _DEADLINE_ROWS, {"id": incident_id})]
    return incident


def incident_records(session: Session, ids: list[int], known: Reference) -> list[RecordedIncident]:
    """These incidents, in this order, with their lead departments and deadlines: three statements in all."""
    if not ids:
        return []
    found = {row.id: _record(row, known) for row in execute(session, _INCIDENT_ROWS, {"ids": ids})}
    for lead in execute(session, _LEADS_OF, {"ids": ids}):
        found[lead.incident_id].leads.append(_lead(lead, known))
    for d in execute(session, _DEADLINES_OF, {"ids": ids}):
        found[d.incident_id].deadlines.append(_deadline(d, known))
    return [found[i] for i in ids]


def report_records(session: Session, incident_id: int, known: Reference) -> list[RecordedReport]:
    return [RecordedReport(r.id, r.incident_id, r.kind, r.filed_at, r.filed_by,
                           known.units.get(r.unit_id) if r.unit_id else None, r.elements, r.missing_elements,
                           r.casualties, r.recipients) for r in execute(session, _REPORT_ROWS, {"id": incident_id})]


def level_rows(session: Session, incident_id: int) -> list:
    return list(execute(session, _LEVEL_ROWS, {"id": incident_id}))


def merged_ids(session: Session, incident_id: int) -> list[int]:
    return list(execute(session, _MERGED_IDS, {"id": incident_id}).scalars())


def get(session: Session, incident_id: int, *, for_update: bool = False) -> Incident:
    stmt = select(Incident).where(Incident.id == incident_id)
    if for_update:
        stmt = stmt.with_for_update()
    incident = session.scalar(stmt)
    if incident is None:
        raise not_found("突发事件", "incident", incident_id)
    return incident


BOARD_LIMIT = 200  # incidents the duty board lists at most


def open_incidents(session: Session, *, drill: bool = False, limit: int = BOARD_LIMIT) -> list[RecordedIncident]:
    """The board: incidents not yet ended, newest received first, as plain data (records.py): four statements."""
    ids = list(session.scalars(select(Incident.id).where(Incident.ended_at.is_(None), Incident.is_drill == drill)
                               .order_by(Incident.received_at.desc()).limit(limit)))
    return incident_records(session, ids, reference.current(session))


def count_open(session: Session, *, drill: bool = False) -> int:
    return session.scalar(select(func.count()).select_from(Incident)
                          .where(Incident.ended_at.is_(None), Incident.is_drill == drill)) or 0


def recent_incidents(session: Session, *, drill: bool | None = None, limit: int = 100) -> list[Incident]:
    stmt = select(Incident).order_by(Incident.received_at.desc()).limit(limit)
    if drill is not None:
        stmt = stmt.where(Incident.is_drill == drill)
    return list(session.scalars(stmt))


@functools.cache
def _overdue_ids(drill: bool):
    """Ids of deadlines due at or before ``:at`` and not met at that instant (nor closed before it, nor superseded),
    as a subquery with two bound parameters, ``at`` and ``since`` (``at`` − rules.FOLLOW_UP_INTERVAL).

    Three disjoint index range scans, so the cost follows the answer, not the table:
    open rows by the partial index on due_at; rows met after ``at``; rows closed after ``at``.
    Built once per drill flag (issue 11: building and keying the statement cost ~3 ms a call); the flag stays a
    literal so the planner can match the partial indexes (ix_deadlines_open_due, ix_deadlines_open_due_drill).
    """
    d = Deadline.__table__.c
    at, since = bindparam("at", type_=d.due_at.type), bindparam("since", type_=d.due_at.type)
    drill_clause = d.is_drill.is_(True) if drill else d.is_drill == false()
    # A follow-up whose successor is already due is missed, not overdue (rules.superseded).
    due = and_(d.due_at <= at, or_(d.kind != DeadlineKind.FOLLOW_UP.value, d.due_at > since))
    still_open = select(d.id).where(d.met_at.is_(None), d.closed_at.is_(None), drill_clause, due)
    met_later = select(d.id).where(d.met_at > at, due, drill_clause)
    closed_later = select(d.id).where(and_(d.met_at.is_(None), d.closed_at > at), due, drill_clause)
    return union_all(still_open, met_later, closed_later).subquery()


def _overdue_params(at: datetime) -> dict:
    return {"at": at, "since": at - rules.FOLLOW_UP_INTERVAL}


@functools.cache
def _count_overdue(drill: bool):
    return select(func.count()).select_from(_overdue_ids(drill))


def count_overdue_rows(session: Session, at: datetime, *, drill: bool = False) -> int:
    """How many written deadlines are overdue at ``at`` (the rows ``overdue_rows`` would answer, without a limit)."""
    return session.scalar(_count_overdue(drill), _overdue_params(at)) or 0


@functools.cache
def _overdue_rows(drill: bool):
    """The overdue rows with the incident's title and the responsible unit's name; the lead departments of their
    incidents. Core statements on the tables (no ORM entities: nothing to load), built once per drill flag."""
    d, i, u, lead = (m.__table__.c for m in (Deadline, Incident, Unit, IncidentLead))
    ids = _overdue_ids(drill)
    rows = (select(d.id, d.incident_id, d.kind, d.seq, d.due_at, d.basis, d.recipients, d.notify, d.status,
                   d.met_at, d.closed_at, d.report_id, i.title, u.name.label("responsible"))
            .select_from(Deadline.__table__.join(Incident.__table__, i.id == d.incident_id)
                         .outerjoin(Unit.__table__, u.id == d.responsible_unit_id))
            .where(d.id.in_(select(ids.c.id))).order_by(d.due_at, d.id).limit(bindparam("limit")))
    leads = (select(lead.incident_id, u.name).select_from(IncidentLead.__table__.join(Unit.__table__,
                                                                                      u.id == lead.unit_id))
             .where(lead.incident_id.in_(bindparam("incidents", expanding=True)))
             .order_by(lead.incident_id, lead.position))
    return rows, leads


def overdue_rows(session: Session, at: datetime, *, drill: bool = False, limit: int = 1000):
    """The overdue query for the API: plain rows with the incident title, the responsible unit's name and the lead
    departments, in two statements whatever the number of rows (no ORM objects)."""
    rows_stmt, leads_stmt = _overdue_rows(drill)
    connection = session.connection()
    rows = connection.execute(rows_stmt, {**_overdue_params(at), "limit": limit}).all()
    leads: dict[int, list[str]] = {}
    if rows:  # the incidents of the rows, at most ``limit`` ids: the overdue query is not run twice
        for incident_id, name in connection.execute(leads_stmt, {"incidents": sorted({r.incident_id for r in rows})}):
            leads.setdefault(incident_id, []).append(name)
    return rows, leads


@functools.cache
def _runs_behind(drill: bool | None):
    stmt = select(Incident).where(Incident.follow_up_until.is_not(None), Incident.follow_up_until < bindparam("until"),
                                  Incident.ended_at.is_(None))
    return stmt if drill is None else stmt.where(Incident.is_drill == drill)


def follow_up_runs_behind(session: Session, until: datetime, *, drill: bool | None = None) -> list[Incident]:
    """Incidents in a 续报 run (§4.1.5) whose slots are materialised only up to before ``until`` (the statement built
    once: the overdue report asks on every call, and almost always finds none)."""
    return list(session.scalars(_runs_behind(drill), {"until": until}))


def find(session: Session, incident_id: int, *, for_update: bool = False) -> Incident | None:
    """The incident or None; ``for_update``: locked, and read afresh (not the copy the session may already hold)."""
    stmt = select(Incident).where(Incident.id == incident_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalar(stmt)


def level_history(session: Session, incident: Incident) -> list[LevelChange]:
    return list(session.scalars(select(LevelChange).where(LevelChange.incident_id == incident.id)
                                .order_by(LevelChange.at, LevelChange.id)))


def reports_of(session: Session, incident: Incident) -> list[Report]:
    return list(session.scalars(select(Report).where(Report.incident_id == incident.id)
                                .order_by(Report.filed_at, Report.id)))


def emergency_office_seat(session: Session) -> Unit | None:
    """The unit the 区应急办 sits in (区应急办设在区应急局, §2.2.1): marked ``emergency_office`` in units.yaml, and not
    inside another unit so marked (the 区应急指挥中心 and 区预警信息发布中心 are its own)."""
    parent = aliased(Unit)
    return session.scalar(
        select(Unit).outerjoin(parent, parent.id == Unit.parent_id)
        .where(Unit.emergency_office.is_(True), or_(parent.id.is_(None), parent.emergency_office.is_(False)))
        .order_by(Unit.sort_order, Unit.id).limit(1))


def report_elements(session: Session) -> list[tuple[str, str]]:
    """The §4.1.8 elements as (key, 中文), in order: the list ``report_elements`` loaded from data/emergency/lists.yaml."""
    items = session.scalars(select(ReferenceItem).where(ReferenceItem.list_name == "report_elements")
                            .order_by(ReferenceItem.seq))
    return [(item.attrs["key"], item.text) for item in items]


def units_of_kinds(session: Session, kinds: tuple[str, ...]) -> list[Unit]:
    """Units of these kinds, in the directory's order."""
    return list(session.scalars(select(Unit).where(Unit.kind.in_(kinds)).order_by(Unit.sort_order, Unit.id)))


def unit_name(session: Session, unit_id: int | None) -> str | None:
    return session.scalar(select(Unit.name).where(Unit.id == unit_id)) if unit_id is not None else None


def drill_titled(session: Session, prefix: str) -> bool:
    """Whether an exercise incident titled ``prefix…`` exists (the demo scenario's mark)."""
    return session.scalar(select(func.count()).select_from(Incident)
                          .where(Incident.is_drill.is_(True), Incident.title.startswith(prefix))) > 0


def _suspects(incident: Incident | RecordedIncident, what):
    """Other incidents not merged away with the same intake key (rules.duplicate_suspect): same street, event type
    (or both unknown), drill flag and minute of receipt; oldest first."""
    key = rules.intake_key(incident.street_unit_id, incident.event_type_id, incident.is_drill, incident.received_at)
    same_type = (Incident.event_type_id.is_(None) if key.event_type_id is None
                 else Incident.event_type_id == key.event_type_id)
    return (select(what).where(Incident.street_unit_id == key.street_unit_id, same_type,
                               Incident.is_drill == key.drill, Incident.received_at >= key.received_minute,
                               Incident.received_at < key.received_minute + timedelta(minutes=1),
                               Incident.id != incident.id, Incident.merged_into_id.is_(None))
            .order_by(Incident.received_at, Incident.id))


def duplicate_suspects(session: Session, incident: Incident) -> list[Incident]:
    return list(session.scalars(_suspects(incident, Incident)))


def duplicate_suspect_ids(session: Session, incident: Incident | RecordedIncident) -> list[int]:
    return list(session.scalars(_suspects(incident, Incident.id)))


def merged_into(session: Session, incident: Incident) -> list[int]:
    """Ids of the duplicate reports merged into this incident."""
    return list(session.scalars(select(Incident.id).where(Incident.merged_into_id == incident.id)
                                .order_by(Incident.id)))


def search_incidents(session: Session, *, drill: bool, statuses: tuple[str, ...] | None, active_only: bool,
                     street_unit_id: int | None, event_type_id: int | None | object, grade: str | None | object,
                     received_from: datetime | None, received_before: datetime | None, q: str | None,
                     offset: int, limit: int) -> tuple[list[RecordedIncident], int]:
    """The archive (archive.py): incidents matching every filter given, newest received first, one page of them and
    how many match in all. ``event_type_id`` / ``grade`` ``None`` mean "not known / not graded", ``ANY`` no filter."""
    stmt = select(Incident.id).where(Incident.is_drill == drill)
    if active_only:
        stmt = stmt.where(Incident.ended_at.is_(None))
    if statuses:
        stmt = stmt.where(Incident.status.in_(statuses))
    if street_unit_id is not None:
        stmt = stmt.where(Incident.street_unit_id == street_unit_id)
    if event_type_id is not ANY:
        stmt = stmt.where(Incident.event_type_id.is_(None) if event_type_id is None
                          else Incident.event_type_id == event_type_id)
    if grade is not ANY:
        stmt = stmt.where(Incident.grade.is_(None) if grade is None else Incident.grade == grade)
    if received_from is not None:
        stmt = stmt.where(Incident.received_at >= received_from)
    if received_before is not None:
        stmt = stmt.where(Incident.received_at < received_before)
    if q:
        # The phrase's hits are found once (MATERIALIZED): where the planner has no statistics yet (a bulk load, a
        # restore) it would otherwise re-run the trigram search for every incident the other filters leave.
        hits = fulltext.matching(session, SEARCH_SCOPE, q, SearchEntry.sort_key.label("id")).cte("hits") \
            .prefix_with("MATERIALIZED", dialect="postgresql")
        stmt = stmt.where(Incident.id.in_(select(hits.c.id)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    if total <= offset:
        return [], total
    ids = list(session.scalars(stmt.order_by(Incident.received_at.desc(), Incident.id.desc())
                               .offset(offset).limit(limit)))
    return incident_records(session, ids, reference.current(session)), total
