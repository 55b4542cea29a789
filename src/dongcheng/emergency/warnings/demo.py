"""The demo scenario's warning (``make run``, demo mode only): an exercise blue warning (蓝色, §3.2.1) of the
区城市管理委, walked through draft → submit → approve → publish along its real approval chain (§3.2.2, §3.2.3), and a
few hundred synthetic subscribers in its streets so coverage (§3.2.8) has something to count. Titled 【演练】."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from dongcheng.audit.service import SYSTEM
from dongcheng.auth import repository as users
from dongcheng.auth.service import caller_for
from dongcheng.core.time import utcnow
from dongcheng.emergency.warnings import repository, service
from dongcheng.emergency.warnings.enums import Level
from dongcheng.emergency.warnings.schemas import WarningCreate
from dongcheng.emergency.warnings.subscribers import seed_subscribers

MARK = "【演练】"
STREETS = ["和平里街道", "东四街道"]
SUBSCRIBERS = 400


def exercise(session: Session) -> int:
    """Subscribers (when the registry is empty) and the published exercise warning (once); rows created."""
    created = 0
    if not repository.has_subscribers(session):
        created += seed_subscribers(session, actor=SYSTEM, count=SUBSCRIBERS, streets=STREETS)
    drafter, approver, publisher = (users.user_by_username(session, name) for name in ("cgw", "cgw", "duty"))
    if drafter is None or publisher is None or repository.titled(session, MARK):
        return created
    as_drafter, as_publisher = caller_for(session, drafter), caller_for(session, publisher)
    warning = service.create_draft(session, caller=as_drafter, data=WarningCreate(
        level=Level.BLUE, event_type="气象灾害", title=f"{MARK}暴雨蓝色预警",
        starts_at=utcnow() + timedelta(hours=1), expected_duration_hours=6, area_streets=STREETS,
        precautions="【演练】预计未来6小时内和平里、东四地区将出现短时强降水，请注意防范。",
        measures="【演练】检查低洼院落和地下空间的排水设施，停止户外高处作业。"))
    service.submit(session, caller=as_drafter, warning_id=warning.id)
    service.approve(session, caller=caller_for(session, approver), warning_id=warning.id)
    service.publish(session, caller=as_publisher, warning_id=warning.id)
    return created + 1
