"""The demo scenario's incidents (``make run``, demo mode only): a running exercise (演练) so the duty board shows
what it is for — one incident whose 10-minute initial report (§4.1.5) comes due in 3 minutes, one already overdue.
Drills run on the same clocks and are never counted with real figures (§5.5.2 reports them apart)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from dongcheng.auth import repository as users
from dongcheng.auth.service import caller_for
from dongcheng.core.time import utcnow
from dongcheng.directory import service as directory
from dongcheng.emergency.incidents import escalation_repository, repository
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
    duty_contacts(session)  # where its escalation waves go (counted apart: the demo's figure is its incidents)
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


# Demo duty contacts for the escalation waves (escalation.py): the 区应急办's duty room, a department's, and the
# offices of the district leaders' seats. Placeholders, not numbers: the recording gateway sends nothing. The streets
# and the other departments have none, so a wave to them shows as undeliverable with its reason.
DEMO_UNITS = ("区城市管理委",)


def duty_contacts(session: Session) -> int:
    """Add the demo duty contacts once; 0 when they exist."""
    added = 0
    seat = repository.emergency_office_seat(session)
    units = [seat] if seat else []
    units += [u for u in (directory.find_unit(session, name) for name in DEMO_UNITS) if u is not None]
    for unit in units:
        added += escalation_repository.add_contact(session, unit_id=unit.id, channel="sms", label="值班室",
                                                   contact=f"demo:{unit.name}值班室") is not None
    for post in directory.leader_seats(session):
        added += escalation_repository.add_contact(session, post_id=post.id, channel="sms", label="办公室",
                                                   contact=f"demo:{post.code}") is not None
    return added
