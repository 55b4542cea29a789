"""Material dispatch (东政发〔2022〕3号 §6.4.3) through one state table (rules.FLOW): request → approve (numbered
order) or return → issue (stock leaves the warehouse as ledger movements) → receive. Each step: authority from the
directory, the conditional move on (id, status, version), the timeline event and the audit entry with its clause,
in the caller's one transaction (never committed here)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.basis import Basis
from dongcheng.core.errors import invalid
from dongcheng.core.time import today_local, utcnow
from dongcheng.core.transition import move
from dongcheng.directory.service import find_unit
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.preparedness import authority, repository, rules, stock_rules
from dongcheng.emergency.preparedness.enums import DispatchAction, DispatchStatus, MovementKind, Origin
from dongcheng.emergency.preparedness.models import DispatchEvent, DispatchLine, DispatchRequest, StockMovement
from dongcheng.emergency.preparedness.schemas import DispatchIn, IssueIn, ReceiveIn

TARGET = "dispatch_request"
REQUEST_ACTION, APPROVE_ACTION, HANDLE_ACTION = ("preparedness.dispatch_request", "preparedness.dispatch_approve",
                                                 "preparedness.dispatch_handle")


def _event(session: Session, caller: Caller, d: DispatchRequest, action: str, basis: Basis | str, note: str = "",
           at: datetime | None = None) -> None:
    session.add(DispatchEvent(dispatch_id=d.id, at=at or utcnow(), action=action, actor=caller.user.username,
                              status_after=d.status, basis=str(basis), note=note))


def _audit(session: Session, caller: Caller, d: DispatchRequest, action: str, basis: Basis | str, before: str,
           after: dict, note: str = "") -> None:
    audit.record(session, actor=caller.actor, action=f"preparedness.dispatch.{action}", target_type=TARGET,
                 target_id=d.id, basis=basis, before={"status": before}, after={"status": d.status, **after}, note=note)


def create_request(session: Session, *, caller: Caller, data: DispatchIn) -> DispatchRequest:
    """提出应急物资需求 (§6.4.3): the lead department for its incident; the city / a city department / another
    district through the 区应急委 (a duty officer entering it)."""
    authorize(caller, REQUEST_ACTION)
    acting = authority.acting_of(caller)
    external = rules.is_external(data.origin)
    incident = incidents.get(session, data.incident_id) if data.incident_id else None
    unit = None
    if external:
        if not data.requesting_party:
            raise invalid("requesting_party", "外部请求须写明请求方（市、市相关部门或京内其他区）",
                          "an external request names who asks (the city, a city department or a district)")
    else:
        if incident is None:
            raise invalid("incident_id", "区内调拨需求须关联突发事件", "a district request belongs to an incident")
        name = data.requesting_unit or (caller.unit.name if caller.unit else "")
        unit = find_unit(session, name) if name else None
        if unit is None:
            raise invalid("requesting_unit", f"未找到单位：{name or '（空）'}", f"unknown unit: {name!r}")
    lead_ids = {lead.unit_id for lead in incident.leads} if incident else set()
    rules.may_request(acting, data.origin, lead_unit_ids=lead_ids,
                      requesting_unit_id=unit.id if unit else None).require()
    lines = []
    for i, line in enumerate(data.lines):
        if repository.find_item(session, line.item_id) is None:
            raise invalid(f"lines.{i}.item_id", f"第{i + 1}行：物资目录中没有编号{line.item_id}",
                          f"line {i + 1}: no catalogue item {line.item_id}")
        lines.append(DispatchLine(item_id=line.item_id, quantity=line.quantity, destination=line.destination,
                                  needed_by=line.needed_by))
    d = DispatchRequest(incident_id=incident.id if incident else None, origin=data.origin.value,
                        requesting_unit_id=unit.id if unit else None,
                        requesting_party=data.requesting_party or (unit.name if unit else ""), purpose=data.purpose,
                        status=DispatchStatus.REQUESTED.value, version=1, entered_by=caller.user.username,
                        created_at=utcnow(), lines=lines)
    session.add(d)
    session.flush()
    session.refresh(d, ["requesting_unit"])
    basis = rules.EXTERNAL if external else rules.REQUEST
    approver = authority.required_approver(session, d)
    _event(session, caller, d, "request", basis, f"待{approver.text}审批")
    audit.record(session, actor=caller.actor, action="preparedness.dispatch.request", target_type=TARGET,
                 target_id=d.id, basis=basis, after={
                     "status": d.status, "origin": d.origin, "requesting": d.requesting_party,
                     "incident_id": d.incident_id, "approver": approver.to_dict(),
                     "lines": [{"item_id": ln.item_id, "quantity": ln.quantity} for ln in lines]})
    return d


def _step(session: Session, dispatch_id: int, action: DispatchAction) -> DispatchRequest:
    d = repository.dispatch(session, dispatch_id, for_update=True)
    rules.FLOW.step(DispatchStatus(d.status), action).require()
    return d


def approve(session: Session, *, caller: Caller, dispatch_id: int) -> DispatchRequest:
    """经主管区领导批准后下达应急物资调拨指令 (§6.4.3): the holder of the approving seat today; the order gets the
    year's next number (东应调〔YYYY〕N号)."""
    authorize(caller, APPROVE_ACTION)
    d = _step(session, dispatch_id, DispatchAction.APPROVE)
    approver = authority.required_approver(session, d)
    decision = rules.may_approve(approver, authority.acting_of(caller))
    decision.require()
    before, now = d.status, utcnow()
    year = today_local().year
    seq = repository.next_number(session, year)
    post = next(s for s in approver.seats if s.post_code in {p.code for p in caller.posts})
    move(session, d, DispatchStatus.ORDERED, what_zh="该调拨需求", what_en="this dispatch request", number_year=year,
         number_seq=seq, approved_by=caller.user.username, approved_post=f"{post.role_note or post.post}{post.person or ''}",
         approved_at=now)
    number = rules.dispatch_number(year, seq)
    _event(session, caller, d, "approve", decision.basis, f"下达调拨指令 {number}", now)
    _audit(session, caller, d, "approve", decision.basis, before,
           {"number": number, "approver": approver.to_dict(), "post": post.post})
    return d


def return_request(session: Session, *, caller: Caller, dispatch_id: int, reason: str) -> DispatchRequest:
    """退回: whoever may approve may send it back with a reason instead."""
    authorize(caller, APPROVE_ACTION)
    d = _step(session, dispatch_id, DispatchAction.RETURN)
    decision = rules.may_approve(authority.required_approver(session, d), authority.acting_of(caller))
    decision.require()
    before = d.status
    move(session, d, DispatchStatus.RETURNED, what_zh="该调拨需求", what_en="this dispatch request",
         returned_reason=reason)
    _event(session, caller, d, "return", decision.basis, reason)
    _audit(session, caller, d, "return", decision.basis, before, {"reason": reason})
    return d


def resubmit(session: Session, *, caller: Caller, dispatch_id: int) -> DispatchRequest:
    authorize(caller, REQUEST_ACTION)
    d = _step(session, dispatch_id, DispatchAction.RESUBMIT)
    decision = rules.may_resubmit(authority.acting_of(caller), origin=d.origin, requesting_unit_id=d.requesting_unit_id)
    decision.require()
    before = d.status
    move(session, d, DispatchStatus.REQUESTED, what_zh="该调拨需求", what_en="this dispatch request")
    _event(session, caller, d, "resubmit", decision.basis)
    _audit(session, caller, d, "resubmit", decision.basis, before, {})
    return d


def _quantities(d: DispatchRequest, given: list, default: str) -> dict[int, int]:
    ids = {line.id for line in d.lines}
    out = {line.id: getattr(line, default) or 0 for line in d.lines}
    for i, q in enumerate(given):
        if q.line_id not in ids:
            raise invalid(f"lines.{i}.line_id", f"调拨单没有第{q.line_id}号明细", f"no line {q.line_id} on this order")
        out[q.line_id] = q.quantity
    return out


def issue(session: Session, *, caller: Caller, dispatch_id: int, data: IssueIn) -> DispatchRequest:
    """The warehouse confirms issue: each line leaves the warehouse as 调拨出库 movements, first expiry first out.
    Stock never goes negative: the item's lots are locked, their balances summed afresh, a shortage is a 409 and
    nothing of the order is booked (two orders racing for the last units: one wins)."""
    authorize(caller, HANDLE_ACTION)
    d = _step(session, dispatch_id, DispatchAction.ISSUE)
    warehouse = repository.warehouse(session, data.warehouse_id)
    rules.may_issue(authority.acting_of(caller), warehouse.owner_unit_id).require()
    wanted = _quantities(d, data.lines, "quantity")
    today, now = today_local(), utcnow()
    booked = []
    for i, line in enumerate(d.lines):
        q = wanted[line.id]
        rules.check_issue_quantity(i, line.quantity, q).require()
        if q == 0:
            line.issued = 0
            continue
        lots = repository.lock_lots(session, warehouse.id, line.item_id)
        sums = repository.balances(session, [lot.id for lot in lots])
        plan, decision = stock_rules.allocate(
            [stock_rules.LotBalance(lot.id, lot.lot_no, lot.expires_on, sums[lot.id]) for lot in lots], q, today,
            item=line.item.name)
        decision.require()
        for lot_id, take in plan:
            session.add(StockMovement(lot_id=lot_id, kind=MovementKind.ISSUE.value, quantity=-take, at=now,
                                      actor=caller.user.username, basis=str(rules.CENTRAL), dispatch_id=d.id,
                                      reason=f"调拨单{rules.dispatch_number(d.number_year, d.number_seq)}"))
            booked.append({"line_id": line.id, "lot_id": lot_id, "quantity": take})
        line.issued = q
    before = d.status
    move(session, d, DispatchStatus.ISSUED, what_zh="该调拨单", what_en="this dispatch order",
         warehouse_id=warehouse.id, issued_at=now)
    note = "；".join(f"{ln.item.name} {ln.issued}/{ln.quantity}{ln.item.unit_of_measure}" for ln in d.lines)
    _event(session, caller, d, "issue", rules.CENTRAL, f"{warehouse.name}出库：{note}", now)
    _audit(session, caller, d, "issue", rules.CENTRAL, before, {"warehouse": warehouse.name, "movements": booked})
    return d


def receive(session: Session, *, caller: Caller, dispatch_id: int, data: ReceiveIn) -> DispatchRequest:
    """The receiver confirms receipt per line; less than ordered is a shortfall, kept on the order."""
    authorize(caller, HANDLE_ACTION)
    d = _step(session, dispatch_id, DispatchAction.RECEIVE)
    rules.may_receive(authority.acting_of(caller), origin=d.origin, requesting_unit_id=d.requesting_unit_id).require()
    got = _quantities(d, data.lines, "issued")
    for i, line in enumerate(d.lines):
        rules.check_receipt_quantity(i, line.issued or 0, got[line.id]).require()
        line.received = got[line.id]
    before, now = d.status, utcnow()
    move(session, d, DispatchStatus.RECEIVED, what_zh="该调拨单", what_en="this dispatch order", received_at=now)
    short = [f"{ln.item.name}短缺{rules.shortfall(ln.quantity, ln.received)}" for ln in d.lines
             if rules.shortfall(ln.quantity, ln.received)]
    note = ("；".join(short) or "全部到位") + (f"；{data.note}" if data.note else "")
    _event(session, caller, d, "receive", rules.CENTRAL, note, now)
    _audit(session, caller, d, "receive", rules.CENTRAL, before,
           {"lines": [{"line_id": ln.id, "quantity": ln.quantity, "issued": ln.issued, "received": ln.received}
                      for ln in d.lines]}, note)
    return d


def allowed_actions(session: Session, d: DispatchRequest, caller: Caller | None) -> list[str]:
    """What this caller may do next (pages, the API's ``allowed_actions``); each step re-checks it all."""
    acting = authority.acting_of(caller)
    if acting is None:
        return []
    out = []
    for action in rules.FLOW.available(DispatchStatus(d.status)):
        if action in (DispatchAction.APPROVE, DispatchAction.RETURN):
            ok = rules.may_approve(authority.required_approver(session, d), acting).allowed
        elif action == DispatchAction.RESUBMIT:
            ok = rules.may_resubmit(acting, origin=d.origin, requesting_unit_id=d.requesting_unit_id).allowed
        elif action == DispatchAction.ISSUE:
            ok = acting.for_committee or any(rules.may_issue(acting, w.owner_unit_id).allowed
                                             for w in repository.warehouses(session))
        else:
            ok = rules.may_receive(acting, origin=d.origin, requesting_unit_id=d.requesting_unit_id).allowed
        if ok:
            out.append(action.value)
    return out


def origin_of(d: DispatchRequest) -> Origin:
    return Origin(d.origin)
