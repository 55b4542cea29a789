"""core/workflow.py: the state table answers with a Decision; move() changes a row once."""
from __future__ import annotations

from enum import StrEnum

import pytest

from dongcheng.core.basis import Basis
from dongcheng.core.decision import refuse
from dongcheng.core.errors import DomainError
from dongcheng.core.workflow import Step, Workflow


class S(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    DONE = "done"


B = Basis("东政发〔2022〕3号", "§3.2.3(2)")
FLOW = Workflow("测试", "test", [
    Step("send", {S.DRAFT}, S.SENT, B),
    Step("note", {S.SENT}, None, B),
    Step("finish", {S.SENT}, S.DONE, B),
])


def test_a_step_in_order_is_allowed_with_its_clause():
    d = FLOW.step(S.DRAFT, "send")
    assert d.allowed and d.basis == B
    assert FLOW.target(S.DRAFT, "send") == S.SENT


def test_a_step_out_of_order_is_a_409_naming_the_step_and_the_state():
    d = FLOW.step(S.DONE, "send")
    assert not d.allowed and d.status == 409
    with pytest.raises(DomainError) as err:
        d.require()
    assert err.value.status_code == 409 and "send" in err.value.en and "done" in err.value.en


def test_a_step_that_stays_keeps_the_state_and_the_page_offers_what_is_possible():
    assert FLOW.target("sent", "note") == "sent"
    assert FLOW.available(S.SENT) == ["note", "finish"]
    assert FLOW.available("done") == []


def test_two_steps_with_one_name_are_refused():
    with pytest.raises(ValueError):
        Workflow("x", "x", [Step("a", {"s"}, "t", B), Step("a", {"t"}, "s", B)])


def test_a_refusal_about_a_field_names_it_in_a_422():
    d = refuse(B, "不能指定此单位为主责部门", "This unit cannot lead", 422, field="unit")
    err = d.error()
    assert err.status_code == 422
    assert err.to_dict()["detail"] == [{"field": "unit", "msg_zh": "不能指定此单位为主责部门",
                                        "msg_en": "This unit cannot lead"}]
