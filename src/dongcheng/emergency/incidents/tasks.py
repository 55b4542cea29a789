"""Outbox handlers of incidents (run by ``dongcheng worker``; importing this module registers them).

``incidents.follow_up_slots``: a 续报 run (§4.1.5, every 30 minutes while 较大 or above) has its slots written 24 h
ahead; this message, queued whenever the horizon moves and due when 12 h are left, writes the next 24 h — so the
slots are there when they fall due even if nobody touches the incident. Idempotent: a message about a horizon that
has moved since, or a run that has stopped, does nothing.

``incidents.escalation`` (periodic, every half second): the escalation waves of the reporting clock due now are
raised once each (escalation.py); the outbox message of each sends it unless its report was filed meanwhile.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.core import outbox
from dongcheng.emergency.incidents import clock, escalation


@outbox.handler(clock.FOLLOW_UP_TOPIC)
def top_up_follow_ups(session: Session, payload: dict) -> None:
    clock.top_up_follow_up_run(session, int(payload["incident_id"]), datetime.fromisoformat(payload["until"]))


@outbox.periodic(escalation.TOPIC, every_seconds=escalation.TICK_SECONDS)
def raise_escalation_waves(session: Session, now: datetime) -> int:
    return len(escalation.raise_due_waves(session, now))


@outbox.handler(escalation.TOPIC)
def send_escalation_notice(session: Session, payload: dict) -> None:
    escalation.send_notice(session, int(payload["notice_id"]))
