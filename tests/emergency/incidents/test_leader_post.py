"""The incident service asks auth's one rule itself (东政办发〔2021〕18号): a page or a command that reaches the
service without the route's permission check still refuses a leader who holds no post today."""
from __future__ import annotations

import pytest

from dongcheng.auth.repository import user_by_username
from dongcheng.auth.service import Caller
from dongcheng.core.errors import DomainError
from dongcheng.emergency.incidents import service
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.incidents.schemas import DesignateIn, IncidentIn

from .test_api import body, create


def postless(db, username: str) -> Caller:
    return Caller(user_by_username(db, username), ())  # the account as it would be on a day it holds no post


def test_a_leader_with_no_post_today_neither_takes_intake_designates_nor_acts(db, client, login):
    caller = postless(db, "sun.yang")
    with pytest.raises(DomainError) as refused:
        service.create_incident(db, caller, IncidentIn.model_validate(body()))
    assert refused.value.status_code == 403
    inc = db.get(Incident, create(client, login("duty"), event_type=None)["id"])
    with pytest.raises(DomainError) as refused:
        service.designate_lead(db, caller, inc, DesignateIn(unit="区应急局", reason="x"))
    assert refused.value.status_code == 403
    decision = service.may_act(caller, inc)
    assert not decision.allowed and decision.basis.document == "东政办发〔2021〕18号"
    assert service.may_act(Caller(caller.user, ("a post",)), inc).allowed  # type: ignore[arg-type]
