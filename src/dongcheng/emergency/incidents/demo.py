"""The demo scenario's incidents (``make run``, demo mode only): a running exercise (演练) so the duty board shows
what it is for — one incident whose 10-minute initial report (§4.1.5) comes due in 3 minutes, one already overdue.
Drills run on the same clocks and are never counted with real figures (§5.5.2 reports them apart)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from dongcheng.auth import repository as users
from dongcheng.auth.service import caller_for
from dongcheng.core.time import utcnow
from dongcheng.emergency.incidents import repository
from dongcheng.emergency.incidents.schemas import IncidentIn
from dongcheng.emergency.incidents.service import create_incident

MARK = "【演练】"
SCENARIO = (
    # (minutes since received, street, event type, address, title, description)
    (7, "和平里街道", "燃气事故", "和平里东街 11 号院", "居民楼燃气泄漏", "三单元一层闻到燃气味，已疏散本单元居民。"),
    (14, "东四街道", "供排水突发事故", "东四北大街 120 号", "供水管线爆裂", "路面积水约 30 厘米，东四北大街南向北车道受阻。"),
)


def exercise(session: Session) -> int:
    """Create the exercise incidents once (as the demo duty officer); 0 when they exist or there is no duty user."""
    duty = users.user_by_username(session, "duty")
    if duty is None or repository.drill_titled(session, MARK):
        return 0
    caller, now = caller_for(session, duty), utcnow()
    for minutes, street, event_type, address, title, description in SCENARIO:
        received = now - timedelta(minutes=minutes)
        create_incident(session, caller, IncidentIn(
            event_type=event_type, street=street, address=address, occurred_at=received - timedelta(minutes=2),
            received_at=received, source="12345", title=f"{MARK}{title}", description=description, drill=True),
            now=now)
    return len(SCENARIO)
