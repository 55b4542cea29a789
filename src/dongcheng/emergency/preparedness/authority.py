"""Who is acting: the caller's facts the rules decide on (role, unit and whether it acts as the 区应急办, posts held
today), and the leader seats that approve a dispatch (resolved from the directory on the day)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dongcheng.auth.service import Caller
from dongcheng.core.time import today_local
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_post, find_unit, holders_of, supervising_leader
from dongcheng.emergency.preparedness import rules
from dongcheng.emergency.preparedness.enums import Origin
from dongcheng.emergency.preparedness.models import DispatchRequest

MAYOR_POST = "mayor"  # leaders.yaml: 区长, the 区应急委主任 (§2.1.2)
EMERGENCY_OFFICE = "区应急办"  # 设在区应急局 (§2.2.1); its 分管 / 协助分管 leaders are the 区应急委's 副主任 / 执行副主任


def acting_of(caller: Caller | None) -> rules.Acting | None:
    if caller is None:
        return None
    unit = caller.unit
    return rules.Acting(caller.user.role, unit.id if unit else None, unit.name if unit else None,
                        unit.parent_id if unit else None, bool(unit is not None and unit.emergency_office),
                        frozenset(p.code for p in caller.posts))


def committee_seats(session: Session, on: date) -> tuple[rules.Seat, ...]:
    """The 区应急委's leaders who are district leaders, as the directory has them on ``on`` (§2.1.2): the 区长
    (主任), and the leaders of its office's unit, 区应急局 — the 常务副区长 who 分管 it (副主任) and the 副区长 who
    协助分管 it (执行副主任, 协助负责应急管理)."""
    seats: list[rules.Seat] = []
    post = find_post(session, MAYOR_POST)
    if post is not None:
        holders = holders_of(session, post, on)
        seats.append(rules.Seat(post.code, post.title, holders[0][0].name if holders else None, "区应急委主任（区长）"))
    office = find_unit(session, EMERGENCY_OFFICE)
    if office is not None:
        sup = supervising_leader(session, office, on)
        notes = {"分管": "区应急委副主任", "协助分管": "区应急委执行副主任"}
        for ref in ((sup.leader,) if sup.leader else ()) + sup.assisting:
            seats.append(rules.Seat(ref.post_code, ref.post_title, ref.person,
                                    f"{notes.get(ref.relation, '区应急委领导')}（{ref.post_title}）"))
    return tuple(seats)


def supervisor_seat(session: Session, unit: Unit, on: date) -> tuple[rules.Seat | None, str]:
    sup = supervising_leader(session, unit, on)
    if sup.leader is None:
        return None, str(sup.basis)
    line = sup.leader
    return rules.Seat(line.post_code, line.post_title, line.person, f"主管区领导（{line.post_title}）"), \
        f"{line.clause} {line.relation}：{line.via_unit}"


def required_approver(session: Session, d: DispatchRequest, on: date | None = None) -> rules.Approver:
    """经主管区领导批准 (§6.4.3): the requesting unit's supervising leader; a request from outside the district, the
    区应急委 (§6.4.3, §2.1.2)."""
    day = on or today_local()
    if rules.is_external(Origin(d.origin)) or d.requesting_unit is None:
        return rules.committee_approver(committee_seats(session, day))
    seat, basis = supervisor_seat(session, d.requesting_unit, day)
    return rules.supervisor_approver(seat, basis)
