"""信息发布 flows (东政发〔2022〕3号 §4.7.1): draft, release, the public list. Asks rules.py, audits, never commits."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller
from dongcheng.core.errors import conflict, not_found
from dongcheng.core.time import utcnow
from dongcheng.emergency.incidents.enums import Status as IncidentStatus
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.statements import repository, rules
from dongcheng.emergency.statements.models import Statement
from dongcheng.emergency.statements.schemas import StatementIn

TARGET = "incident_statement"
DRAFT, RELEASED = repository.DRAFT, repository.RELEASED


def speaker(caller: Caller, incident: Incident) -> rules.Speaker:
    """What the caller is for this incident. A leader speaks for the command only while holding a post today."""
    unit = caller.unit
    role = caller.user.role
    if role == "leader" and not caller.posts:
        role = "leader_without_post"
    return rules.Speaker(
        role=role,
        is_lead_department=role == "department" and unit is not None
        and unit.id in {lead.unit_id for lead in incident.leads},
        is_publicity_department=role == "department" and unit is not None and unit.name == rules.PUBLICITY_DEPARTMENT,
        is_emergency_office=unit is not None and unit.emergency_office,  # units.yaml `emergency_office`
    )


def _signature(caller: Caller) -> str:
    """Who speaks, as the public reads it: a leader by name and post, a department by its unit."""
    if caller.user.person is not None:
        posts = "、".join(p.title for p in caller.posts)
        return f"{caller.user.person.name}（{posts}）" if posts else caller.user.person.name
    return caller.unit.name if caller.unit else caller.user.display_name


def _snapshot(s: Statement) -> dict:
    return {"title": s.title, "topics": list(s.topics or ()), "status": s.status}


def statements_of(session: Session, incident: Incident) -> list[Statement]:
    return repository.statements_of(session, incident)


def draft(session: Session, caller: Caller, incident: Incident, data: StatementIn,
          now: datetime | None = None) -> Statement:
    rules.may_draft(speaker(caller, incident)).require()
    title, body = data.title.strip(), data.body.strip()
    statement = Statement(
        incident_id=incident.id, title=title, body=body,
        topics=list(rules.restricted_topics(data.topics, title, body)), status=DRAFT, is_drill=incident.is_drill,
        drafted_by=caller.user.username, drafting_unit=caller.unit.name if caller.unit else "",
        created_at=now or utcnow())
    session.add(statement)
    session.flush()
    audit.record(session, actor=caller.actor, action="statements.draft", target_type=TARGET, target_id=statement.id,
                 basis=str(rules.clause()), after={**_snapshot(statement), "incident_id": incident.id})
    return statement


def release(session: Session, caller: Caller, incident: Incident, statement_id: int,
            now: datetime | None = None) -> Statement:
    """Release (for restricted topics: approve and release) a draft; one state change even when two act at once."""
    statement = repository.get(session, statement_id)
    if statement is None or statement.incident_id != incident.id:
        raise not_found("信息发布稿", "statement", statement_id)
    topics = rules.restricted_topics(statement.topics or [], statement.title, statement.body)
    decision = rules.may_release(speaker(caller, incident), topics,
                                 handed_over=incident.status == IncidentStatus.HANDED_OVER,
                                 phrases=rules.phrases_in(f"{statement.title}\n{statement.body}"))
    decision.require()
    if statement.status != DRAFT:
        raise conflict("该稿件已发布", "This statement has already been released")
    who = _signature(caller)
    if not repository.release_draft(session, statement, at=now or utcnow(), by=who, basis=str(decision.basis),
                                    topics=list(topics)):
        raise conflict("该稿件已被他人发布，请刷新", "Someone else released this statement first; reload")
    session.refresh(statement)
    audit.record(session, actor=caller.actor, action="statements.release", target_type=TARGET,
                 target_id=statement.id, basis=str(decision.basis),
                 before={"status": DRAFT}, after={**_snapshot(statement), "released_by": who,
                                                  "public": rules.is_public(released=True, drill=statement.is_drill)})
    return statement


def public_statements(session: Session, *, limit: int = 50) -> list[tuple[Statement, Incident]]:
    """Released statements of real incidents, newest first (exercises and drafts never appear)."""
    return repository.public_statements(session, limit=limit)
