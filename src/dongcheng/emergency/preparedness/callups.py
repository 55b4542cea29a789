"""Team call-up (调用专业应急队伍, 东政发〔2022〕3号 §6.1.2): the units handling an incident call a registry team; on
arrival it reports to the on-site command post (the command post's check-in, §4.4.2, linked to the registry team);
deployment to another Beijing district only by the 区应急委; one at the city's request is reported to the 区应急办."""
from __future__ import annotations

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.errors import DomainError, invalid
from dongcheng.core.time import utcnow
from dongcheng.emergency.command_posts import service as command_posts
from dongcheng.emergency.command_posts.schemas import CheckInIn
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.preparedness import authority, registry_rules, repository
from dongcheng.emergency.preparedness.models import TeamCallUp
from dongcheng.emergency.preparedness.schemas import ArriveIn, CallUpIn

ACTION = "preparedness.callup"


def call_up(session: Session, *, caller: Caller, data: CallUpIn) -> TeamCallUp:
    authorize(caller, ACTION)
    acting = authority.acting_of(caller)
    team = repository.record(session, "teams", data.team_id)
    basis = registry_rules.CALL_UP
    if data.other_district:
        decision = registry_rules.may_deploy_out(acting, city_requested=data.city_requested)
        decision.require()
        basis = decision.basis
        if data.city_requested and not data.city_requester:
            raise invalid("city_requester", "须写明提出要求的北京市有关部门", "name the city body that asked")
    elif data.city_requested:
        raise invalid("other_district", "按市有关部门要求调动时须写明前往的京内其他区", "name the district the team goes to")
    incident = None
    if data.incident_id:
        incident = incidents.get(session, data.incident_id)
        registry_rules.may_call_team(acting, handling_unit_ids={lead.unit_id for lead in incident.leads}).require()
    elif not data.other_district:
        raise invalid("incident_id", "调用队伍须关联突发事件", "a call-up belongs to an incident")
    now = utcnow()
    row = TeamCallUp(incident_id=incident.id if incident else None, team_id=team.id, called_by=caller.user.username,
                     called_by_unit=caller.unit.name if caller.unit else "", called_at=now,
                     other_district=data.other_district, city_requested=data.city_requested,
                     city_requester=data.city_requester, task=data.task, status="called", basis=str(basis))
    if data.city_requested:
        row.reported_to_office_at = now
        row.report_text = (f"{row.called_by_unit or caller.user.username}按照{data.city_requester}要求，调动"
                           f"{team.name}（{team.size}人）赴{data.other_district}执行任务：{data.task or '（未写明）'}")
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="preparedness.callup.call", target_type="team_call_up",
                 target_id=row.id, basis=basis, after={"team": team.name, "incident_id": row.incident_id,
                                                      "other_district": row.other_district,
                                                      "city_requested": row.city_requested,
                                                      "reported_to_office": row.reported_to_office_at is not None})
    return row


def arrive(session: Session, *, caller: Caller, call_up_id: int, data: ArriveIn) -> TeamCallUp:
    """到达现场: the team reports to the command post (its check-in, §4.4.2) and comes under its command (§6.1.2)."""
    authorize(caller, ACTION)
    row = repository.call_up(session, call_up_id)
    if row.status != "called":
        raise DomainError("该队伍已报到", "this team has already checked in", 409)
    if row.incident_id is None:
        raise DomainError("跨区任务没有本区现场指挥部", "an out-of-district task has no district command post", 409)
    incident = incidents.get(session, row.incident_id, for_update=True)
    team = row.team
    entry = command_posts.check_in(session, caller, incident, CheckInIn(
        team=team.name, unit=team.owner_unit.name, headcount=data.headcount or team.size, arrived_at=data.arrived_at))
    row.status, row.check_in_id = "arrived", entry.id
    session.flush()
    audit.record(session, actor=caller.actor, action="preparedness.callup.arrive", target_type="team_call_up",
                 target_id=row.id, basis=registry_rules.ON_ARRIVAL, after={"check_in_id": entry.id})
    return row
