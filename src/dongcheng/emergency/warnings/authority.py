"""Who is acting and with what authority: the facts about a caller and a warning that rules.py decides on.

The caller's unit, its parent and whether it acts as the 区应急办 (units.yaml ``emergency_office``, §2.2.1), the posts
held today, the leader seats that approve (the 区长, the drafting unit's 分管区领导 — authority follows the post,
§3.2.3(2)), and from them what a caller may see and do next. Loads through repository.py; decides nothing itself.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dongcheng.auth.service import Caller
from dongcheng.core.time import today_local
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_post, find_unit, holders_of, supervising_leader
from dongcheng.emergency.warnings import repository, rules
from dongcheng.emergency.warnings.enums import Action, Level, Status
from dongcheng.emergency.warnings.models import EarlyWarning


def acting_of(session: Session, caller: Caller | None) -> rules.Acting | None:
    if caller is None:
        return None
    unit = caller.unit
    parent = repository.unit_by_id(session, unit.parent_id) if unit is not None else None
    return rules.Acting(caller.user.role, unit.name if unit else None, parent.name if parent else None,
                        frozenset(p.code for p in caller.posts), bool(unit is not None and unit.emergency_office))


def emergency_office(session: Session) -> Unit | None:
    """The 区应急办's seat, as the directory knows it by that name (区应急局, §2.2.1)."""
    return find_unit(session, rules.EMERGENCY_OFFICE_ALIAS)


def leaders(session: Session, warning: EarlyWarning, on: date) -> tuple[rules.Leader | None, rules.Leader | None]:
    """The 区长 and the drafting unit's 分管区领导 as the directory has them on ``on`` (authority follows the post)."""
    mayor = None
    post = find_post(session, rules.MAYOR_POST)
    if post is not None:
        holders = holders_of(session, post, on)
        mayor = rules.Leader(post.code, post.title, holders[0][0].name if holders else None)
    sup = supervising_leader(session, warning.drafting_unit, on)
    supervisor = None
    if sup.leader is not None:
        supervisor = rules.Leader(sup.leader.post_code, sup.leader.post_title, sup.leader.person, sup.basis)
    return mayor, supervisor


def required_approver(session: Session, warning: EarlyWarning, on: date | None = None) -> rules.Approver:
    mayor, supervisor = leaders(session, warning, on or today_local())
    return rules.required_approver(Level(warning.level), warning.drafting_unit.name, mayor=mayor, supervisor=supervisor)


def change_level_approvers(session: Session, warning: EarlyWarning, levels: list[Level]) -> dict[Level, rules.Approver]:
    """Who must approve a change to each of ``levels``: the authority of the higher of the two levels (§3.2.6)."""
    mayor, supervisor = leaders(session, warning, today_local())
    return {level: rules.change_level_approver(Level(warning.level), level, warning.drafting_unit.name, mayor=mayor,
                                               supervisor=supervisor) for level in levels}


def issuer_of(warning: EarlyWarning) -> str:
    """谁发布、谁解除 (§3.2.7): the issuing unit recorded on publication (the drafting unit if none was)."""
    return warning.issuing_unit.name if warning.issuing_unit else warning.drafting_unit.name


def _is_approver(session: Session, warning: EarlyWarning, acting: rules.Acting | None) -> bool:
    if acting is None or acting.role != "leader" or warning.status == Status.DRAFT:
        return False  # the approver sees a warning from its submission on
    return rules.may_approve(required_approver(session, warning), acting).allowed


def can_see(session: Session, warning: EarlyWarning, caller: Caller | None) -> bool:
    acting = acting_of(session, caller)
    return rules.visible(public=warning.public, status=Status(warning.status), drafting_unit=warning.drafting_unit.name,
                         concerned=tuple(warning.concerned_units or ()), acting=acting,
                         is_approver=_is_approver(session, warning, acting))


def allowed_actions(session: Session, warning: EarlyWarning, caller: Caller | None) -> list[str]:
    """What this caller may do next (for pages and the API's ``allowed_actions``): the steps the state table offers
    from the warning's status that the caller has the authority for; the steps re-check it all."""
    acting = acting_of(session, caller)
    if acting is None:
        return []
    status = Status(warning.status)
    drafting_unit = warning.drafting_unit.name
    out = ["edit"] if rules.may_edit(drafting_unit, status, acting).allowed else []
    approver = required_approver(session, warning) if status == Status.SUBMITTED else None
    for action in rules.FLOW.available(status):
        if action == Action.SUBMIT:
            allowed = rules.may_submit(drafting_unit, acting).allowed
        elif action == Action.APPROVE:
            allowed = rules.may_approve(approver, acting).allowed
        elif action == Action.RETURN:
            allowed = rules.may_return(approver, Level(warning.level), acting).allowed
        elif action == Action.PUBLISH:
            allowed = rules.may_publish(warning.public, drafting_unit, acting).allowed
        elif action == Action.LIFT:
            allowed = rules.may_lift(issuer_of(warning), acting).allowed
        else:  # a level change: one entry per level the caller may set
            others = [level for level in Level if level.value != warning.level]
            out += [f"change_level:{level.value}" for level, approver_ in
                    change_level_approvers(session, warning, others).items()
                    if rules.may_approve(approver_, acting).allowed]
            continue
        if allowed:
            out.append(action.value)
    return out
