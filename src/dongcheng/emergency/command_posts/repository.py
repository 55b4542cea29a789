"""Queries of the command post (现场指挥部, §4.4)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.emergency.command_posts.models import CommandPost
from dongcheng.emergency.incidents.models import Incident
from dongcheng.reference.models import ReferenceItem


def post_of(session: Session, incident: Incident) -> CommandPost | None:
    return session.scalar(select(CommandPost).where(CommandPost.incident_id == incident.id))


def working_group_names(session: Session) -> tuple[str, ...]:
    """The §4.4.1 working groups in the gazette's order: the list ``working_groups`` loaded from lists.yaml."""
    return tuple(session.scalars(select(ReferenceItem.text).where(ReferenceItem.list_name == "working_groups")
                                 .order_by(ReferenceItem.seq)))
