"""Escalation of the reporting clock through the outbox and the channel plugins (escalation_rules.py says when).

worker, every half second (``raise_due_waves``, registered in tasks.py): the open clocks owed a wave → one
``escalation_notices`` row per incident + clock + wave (INSERT … ON CONFLICT DO NOTHING: raised once, however many
workers run), its recipients resolved then — the duty contacts of the unit that owes the report, of the 区应急办, or
of the seat of the district leader who supervises that unit on the day — one ``escalation_deliveries`` row each, or
one row marked undeliverable with the reason; and an outbox message ``incidents.escalation`` in the same transaction.
worker, the outbox message (``send_notice``): the clock is locked and read again; if a report met it meanwhile,
the deliveries are cancelled, never sent; else each pending one goes to its channel's gateway (idempotency key
``escalation/<notice>/<delivery>``), a failed send is retried with backoff.
filing a report (service.file_report) cancels the notices of its clock still pending, in the filing transaction.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.core import outbox, plugins
from dongcheng.core.errors import conflict, invalid, not_found
from dongcheng.core.time import to_local, utcnow
from dongcheng.directory import service as directory
from dongcheng.emergency.incidents import escalation_repository as repo
from dongcheng.emergency.incidents import escalation_rules as rules
from dongcheng.emergency.incidents import repository
from dongcheng.emergency.incidents import rules as clock_rules
from dongcheng.emergency.incidents.enums import DEADLINE_LABELS, DeadlineKind
from dongcheng.emergency.incidents.escalation_models import DutyContact, EscalationDelivery, EscalationNotice
from dongcheng.emergency.incidents.models import Deadline, Incident

TOPIC = "incidents.escalation"
TICK_SECONDS = 0.5  # how often the worker looks for waves due: each is raised within a second of its threshold


def _seconds(var: str, default: timedelta) -> timedelta:
    raw = os.environ.get(var, "")
    return timedelta(seconds=int(raw)) if raw.isdigit() and 0 < int(raw) <= 86_400 else default


def lead_time() -> timedelta:
    """DONGCHENG_ALARM_LEAD_SECONDS, or the platform default (escalation_rules.ALARM_LEAD: 5 minutes)."""
    return _seconds("DONGCHENG_ALARM_LEAD_SECONDS", rules.ALARM_LEAD)


def overdue_after() -> timedelta:
    """DONGCHENG_ESCALATION_OVERDUE_SECONDS, or the platform default (escalation_rules.OVERDUE_AFTER: 10 minutes)."""
    return _seconds("DONGCHENG_ESCALATION_OVERDUE_SECONDS", rules.OVERDUE_AFTER)


def clock_label(kind: str, seq: int) -> str:
    short = DEADLINE_LABELS.get(kind, kind).split("（")[0]
    return f"{short}第{seq}次" if kind == "follow_up" else short


def _clock(d: Deadline) -> rules.Clock:
    owed_until = d.due_at + clock_rules.FOLLOW_UP_INTERVAL if d.kind == DeadlineKind.FOLLOW_UP else None
    return rules.Clock(d.id, d.due_at, d.met_at, d.closed_at, owed_until)  # as clock_rules.superseded


# --- raising the waves (the worker's periodic task) ---------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    name: str
    channel: str | None = None
    contact: str | None = None
    undeliverable: rules.Undeliverable | None = None


def _unit_contacts(session: Session, unit_id: int | None, unit_name: str | None) -> list[Recipient]:
    contacts = repo.contacts_of_unit(session, unit_id) if unit_id is not None else []
    if not contacts:
        return [Recipient(unit_name or "责任单位", undeliverable=rules.no_duty_contact(unit_name))]
    return [Recipient(f"{unit_name} {c.label}", c.channel, c.contact) for c in contacts]


def recipients(session: Session, audience: rules.Audience, deadline: Deadline, now: datetime) -> list[Recipient]:
    """Who a wave reaches: by unit or by post on the day, never by name (a leader's name is read from the post)."""
    unit = deadline.responsible_unit
    if audience is rules.Audience.LEAD_UNIT:
        return _unit_contacts(session, unit.id if unit else None, unit.name if unit else None)
    if audience is rules.Audience.EMERGENCY_OFFICE:
        seat = repository.emergency_office_seat(session)
        rows = _unit_contacts(session, seat.id if seat else None, seat.name if seat else None)
        return [r if r.undeliverable is None else Recipient("区应急办", undeliverable=r.undeliverable) for r in rows]
    if unit is None:
        return [Recipient("分管区领导", undeliverable=rules.no_supervising_leader(None))]
    found = directory.supervising_leader(session, unit, to_local(now).date())
    if found.leader is None:
        return [Recipient("分管区领导", undeliverable=rules.no_supervising_leader(unit.name))]
    seat_title = found.leader.post_title
    if found.leader.person is None:
        return [Recipient(seat_title, undeliverable=rules.post_vacant(seat_title))]
    post = directory.find_post(session, found.leader.post_code)
    contacts = repo.contacts_of_post(session, post.id) if post else []
    name = f"{seat_title}（{found.leader.person}）"
    if not contacts:
        return [Recipient(name, undeliverable=rules.no_post_contact(seat_title))]
    return [Recipient(f"{name} {c.label}", c.channel, c.contact) for c in contacts]


def raise_due_waves(session: Session, now: datetime | None = None) -> list[EscalationNotice]:
    """Raise every wave due at ``now`` that has not been raised: a notice, its deliveries and its outbox message,
    in the caller's transaction. Running it again (or in two workers at once) raises nothing twice."""
    now = now or utcnow()
    lead, late = lead_time(), overdue_after()
    rows = repo.clocks_owed_a_wave(session, now + lead)
    if not rows:
        return []
    by_id = {d.id: (d, i) for d, i in rows}
    due = rules.waves_due([_clock(d) for d, _ in rows], now, already=repo.raised_waves(session, list(by_id)),
                          lead=lead, overdue_after=late)
    raised = []
    for wave in due:
        deadline, incident = by_id[wave.deadline_id]
        notice = _raise(session, wave, deadline, incident, now)
        if notice is not None:
            raised.append(notice)
    return raised


def _raise(session: Session, wave: rules.WaveDue, deadline: Deadline, incident: Incident,
           now: datetime) -> EscalationNotice | None:
    responsible = deadline.responsible_unit.name if deadline.responsible_unit else None
    text = rules.notice_text(wave=wave.wave, drill=incident.is_drill, incident_id=incident.id, title=incident.title,
                             clock_label=clock_label(deadline.kind, deadline.seq),
                             due_local=to_local(deadline.due_at).strftime("%H:%M:%S"), responsible=responsible,
                             basis=deadline.basis, overdue_after=overdue_after())
    notice_id = repo.insert_notice_once(session, {
        "incident_id": incident.id, "deadline_id": deadline.id, "wave": wave.wave.value,
        "audience": wave.audience.value, "threshold_at": wave.threshold, "enqueued_at": now,
        "basis": deadline.basis, "wave_basis": str(wave.basis), "text": text, "status": "queued",
        "is_drill": incident.is_drill})
    if notice_id is None:
        return None  # another worker raised it
    notice = repo.notice(session, notice_id)
    for r in recipients(session, wave.audience, deadline, now):
        notice.deliveries.append(EscalationDelivery(
            recipient=r.name[:120], channel=r.channel, contact=r.contact,
            status="undeliverable" if r.undeliverable else "pending",
            reason=r.undeliverable.zh if r.undeliverable else "", attempts=0))
    notice.status = _summary(notice)
    session.flush()
    if notice.status == "queued":
        outbox.enqueue(session, TOPIC, {"notice_id": notice.id})
    return notice


# --- sending (the outbox message) ----------------------------------------------------------------------------------

MAX_ATTEMPTS = 6  # as the warnings' deliveries (platform default delivery_attempts)


def _summary(notice: EscalationNotice) -> str:
    states = {d.status for d in notice.deliveries}
    if "pending" in states:
        return "queued"
    if "sent" in states:
        return "sent"
    if "cancelled" in states:
        return "cancelled"
    if "failed" in states:
        return "failed"
    return "undeliverable"


def send_notice(session: Session, notice_id: int, now: datetime | None = None) -> int:
    """Send a notice's pending deliveries unless its clock was met or closed meanwhile. Returns the sends made."""
    now = now or utcnow()
    notice = repo.notice(session, notice_id, for_update=True)
    if notice is None:
        return 0
    deadline = repo.deadline(session, notice.deadline_id, for_update=True)
    if deadline is None or not _clock(deadline).open_at(now):
        _cancel(session, [notice], deadline, now)
        return 0
    sent, retry = 0, False
    for d in notice.deliveries:
        if d.status != "pending":
            continue
        request = plugins.SendRequest(f"escalation/{notice.id}/{d.id}", d.channel or "sms", d.recipient,
                                      d.contact or "", notice.text, "")
        d.attempts += 1
        try:
            d.receipt = plugins.gateway_for(request.channel).send(request)[:200]
        except Exception as exc:  # noqa: BLE001 - a failed send is retried, then marked failed
            d.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            if d.attempts >= MAX_ATTEMPTS:
                d.status, d.reason = "failed", "多次发送失败"
            else:
                retry = True
            continue
        d.status, d.sent_at, d.last_error = "sent", now, None
        sent += 1
    notice.status = _summary(notice)
    if retry:
        attempts = max(d.attempts for d in notice.deliveries if d.status == "pending")
        outbox.enqueue(session, TOPIC, {"notice_id": notice.id}, delay_seconds=min(600, 5 * 2 ** (attempts - 1)))
    session.flush()
    return sent


# --- cancelling (the report is filed, the clock closed) ------------------------------------------------------------

def _cancel_reason(deadline: Deadline | None, now: datetime) -> tuple[str, datetime]:
    """Why a notice's pending deliveries are cancelled, and since when."""
    if deadline is not None and deadline.met_at is not None:
        return f"报告已于{to_local(deadline.met_at).strftime('%H:%M:%S')}报送，提醒取消", deadline.met_at
    if deadline is not None and deadline.closed_at is not None:
        return f"时限已于{to_local(deadline.closed_at).strftime('%H:%M:%S')}关闭，提醒取消", deadline.closed_at
    if deadline is not None:
        return "下一次续报已到期，本次续报的提醒取消", now
    return "报送时限已不存在，提醒取消", now


def _cancel(session: Session, notices: list[EscalationNotice], deadline: Deadline | None, now: datetime) -> int:
    reason, at = _cancel_reason(deadline, now)
    ids = [n.id for n in notices if n.status == "queued"]
    count = repo.cancel_pending(session, ids, reason)
    for n in notices:
        if n.id in ids:
            session.expire(n, ["deliveries"])
            n.cancelled_at = at
            n.status = _summary(n)
    session.flush()
    return count


def cancel_for_closed(session: Session, incident: Incident, at: datetime, only: list[Deadline] | None = None) -> int:
    """The notices of the incident's clocks no longer open (of ``only`` these), still pending: cancelled (never
    sent). Returns how many deliveries were cancelled. Called in the transaction that files the report (or ends
    the response, or merges a duplicate); a clock closed any other way is caught by ``send_notice``."""
    closed = {d.id: d for d in (incident.deadlines if only is None else only)
              if d.met_at is not None or d.closed_at is not None}
    count = 0
    for notice in repo.notices_of_deadlines(session, list(closed)):
        count += _cancel(session, [notice], closed[notice.deadline_id], at)
    return count


# --- reading (the incident page) ----------------------------------------------------------------------------------

STATUS_LABELS = {"queued": "待发送", "pending": "待发送", "sent": "已发送", "cancelled": "已取消", "failed": "发送失败",
                 "undeliverable": "无法送达", "planned": "待触发"}


def page_rows(session: Session, incident: Incident, now: datetime) -> list[dict]:
    """The waves of the incident's clocks: raised ones with each recipient's status, and the next ones due of the
    clocks still open (planned), in time order."""
    notices = repo.notices_of_incident(session, incident.id)
    deadlines = {d.id: d for d in incident.deadlines}
    raised = {(n.deadline_id, n.wave) for n in notices}
    out = []
    for n in notices:
        d = deadlines.get(n.deadline_id)
        out.append({
            "clock": clock_label(d.kind, d.seq) if d else "", "wave": rules.WAVE_LABELS[rules.Wave(n.wave)],
            "wave_key": n.wave, "at": n.threshold_at, "enqueued_at": n.enqueued_at, "status": n.status,
            "audience": rules.AUDIENCE_LABELS[rules.Audience(n.audience)], "basis": n.basis,
            "wave_basis": n.wave_basis, "planned": False,
            "deliveries": [{"recipient": x.recipient, "channel": x.channel, "status": x.status, "reason": x.reason,
                            "sent_at": x.sent_at, "attempts": x.attempts} for x in n.deliveries]})
    horizon = now + timedelta(hours=2)  # the planned waves of the next two hours (续报 slots run 24 h ahead)
    for d in incident.deadlines:
        if not _clock(d).open_at(now):
            continue
        for w in rules.waves_of(_clock(d), lead=lead_time(), overdue_after=overdue_after()):
            if (d.id, w.wave.value) in raised or w.threshold > horizon:
                continue
            out.append({"clock": clock_label(d.kind, d.seq), "wave": rules.WAVE_LABELS[w.wave], "wave_key": w.wave.value,
                        "at": w.threshold, "enqueued_at": None, "status": "planned",
                        "audience": rules.AUDIENCE_LABELS[w.audience], "basis": d.basis, "wave_basis": str(w.basis),
                        "planned": True, "deliveries": []})
    return sorted(out, key=lambda r: (r["at"], r["planned"]))


def lead_seconds() -> int:
    """The pages' alarm lead time, the same figure as the first wave's."""
    return int(lead_time().total_seconds())


# --- duty contacts (``dongcheng duty-contacts``) -------------------------------------------------------------------

CONTACT_BASIS = "东政发〔2022〕3号 §4.1.4–§4.1.5（报送时限提醒的接收方）"


def add_duty_contact(session: Session, *, actor: audit.Actor, unit_name: str | None = None,
                     post_code: str | None = None, channel: str = "sms", contact: str,
                     label: str = "值班室") -> DutyContact:
    """Record where a unit's duty room or a leader seat's office is reached (exactly one of unit / post, never a
    person); audited without the address. The one function behind ``dongcheng duty-contacts add``, the API and the
    page (duty_contacts_api.py, duty_contacts_pages.py)."""
    unit_name = (unit_name or "").strip() or None
    post_code = (post_code or "").strip() or None
    if (unit_name is None) == (post_code is None):
        raise invalid("unit", "须指定单位或领导职务之一（命令行为 --unit 或 --post），不登记个人",
                      "give exactly one of a unit or a leader seat (--unit / --post), never a person")
    if not contact.strip():
        raise invalid("contact", "联系方式不能为空", "contact must not be empty")
    if not label.strip():
        raise invalid("label", "名称（如值班室、办公室）不能为空", "label must not be empty (e.g. 值班室)")
    label = label.strip()
    unit_id = post_id = None
    if unit_name is not None:
        unit = directory.find_unit(session, unit_name)
        if unit is None:
            raise invalid("unit", f"目录中没有该单位：{unit_name}", f"No such unit in the directory: {unit_name}")
        unit_id, target = unit.id, unit.name
    else:
        post = directory.find_post(session, post_code)
        if post is None or post.kind != "leader":
            raise invalid("post", f"目录中没有该领导职务：{post_code}", f"No such leader seat in the directory: {post_code}")
        post_id, target = post.id, post.title
    row = repo.add_contact(session, unit_id=unit_id, post_id=post_id, channel=channel, contact=contact.strip(),
                           label=label)
    if row is None:
        raise conflict("该联系方式已登记", "this contact is already on record")
    audit.record(session, actor=actor, action="incident.duty_contact.add", target_type="duty_contact",
                 target_id=row.id, basis=CONTACT_BASIS,
                 after={"for": target, "channel": channel, "label": label})  # the address itself stays out of the log
    return row


def remove_duty_contact(session: Session, *, actor: audit.Actor, contact_id: int) -> None:
    """Remove a duty contact (CLI, API and page alike); the audit entry says whose it was, never the address."""
    row = session.get(DutyContact, contact_id)
    if row is None:
        raise not_found("值班联系方式", "duty contact", contact_id)
    before = {"for": _target(session, row), "channel": row.channel, "label": row.label}
    session.delete(row)
    session.flush()
    audit.record(session, actor=actor, action="incident.duty_contact.remove", target_type="duty_contact",
                 target_id=contact_id, basis=CONTACT_BASIS, before=before)


def whom(session: Session, row: DutyContact) -> tuple[str | None, str | None]:
    """Whom a duty contact reaches: (the unit's name, None) or (None, the leader seat's code)."""
    if row.unit_id is not None:
        return directory.get_unit(session, row.unit_id).name, None
    post = repo.post(session, row.post_id)
    return None, post.code if post else None


def _target(session: Session, row: DutyContact) -> str:
    if row.unit_id is not None:
        return directory.get_unit(session, row.unit_id).name
    post = repo.post(session, row.post_id)
    return f"{post.title}（{post.code}）" if post else "?"


def duty_contacts(session: Session) -> list[tuple[DutyContact, str]]:
    """Every duty contact with whom it reaches (a unit's name or a post's title)."""
    return [(row, _target(session, row)) for row in repo.all_contacts(session)]
