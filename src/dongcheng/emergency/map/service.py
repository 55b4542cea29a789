"""What the map shows, read for the caller: the streets in the directory's order (data/directory/units.yaml, from
东政发〔2022〕3号 §2.4), the open incidents (real and exercise), the warnings in force the caller may see."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.auth.service import Caller, authorize
from dongcheng.directory.service import list_units
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.incidents import views as incident_views
from dongcheng.emergency.warnings import service as warnings
from dongcheng.emergency.warnings.enums import Status

READ = "incidents.read"


def streets(session: Session) -> list[str]:
    """The 17 streets and the 王府井地区 (kinds street, key_area), as the directory orders them."""
    return [u.name for kind in ("street", "key_area") for u in list_units(session, kind)]


def map_data(session: Session, caller: Caller, now: datetime) -> dict:
    authorize(caller, READ)
    open_ = incidents.open_incidents(session, drill=False) + incidents.open_incidents(session, drill=True)
    shown = [w for w in warnings.list_warnings(session, caller, status=Status.PUBLISHED)]
    return {"streets": streets(session), "incidents": [incident_views.incident_dict(i, now) for i in open_],
            "warnings": [{"id": w.id, "title": w.title, "level": w.level, "streets": list(w.area_streets or ()),
                          "public": w.public} for w in shown]}
