"""An internal warning (§3.2.3(3): 仅在行业内部发布) answers 404 to a unit that cannot see it — on every step, not
only on reading — so no refusal tells an outsider that it exists, its level or who approves it (ISSUE9 §11)."""
from __future__ import annotations

import pytest

STEPS = [("submit", "street.dongsi", None), ("approve", "li.yan", None),
         ("return", "li.yan", {"reason": "请补充"}), ("publish", "street.dongsi", None),
         ("lift", "street.dongsi", {"reason": "解除"}), ("change-level", "li.yan", {"level": "红色", "reason": "加大"})]


@pytest.fixture
def internal(draft, step):
    """An internal orange warning of 区城市管理委 for 景山街道, submitted (东四街道 and 李妍 are not concerned; 孙扬 approves)."""
    w = draft(level="橙色", public=False, area_streets=["景山街道"])
    assert step(w["id"], "submit", "cgw").status_code == 200
    return w


@pytest.mark.parametrize("action, who, body", STEPS)
def test_every_step_on_an_unseen_internal_warning_is_404(client, internal, step, as_, action, who, body):
    assert client.get(f"/api/warnings/{internal['id']}", headers=as_(who)).status_code == 404
    r = step(internal["id"], action, who, body)
    assert r.status_code == 404, r.text
    assert "橙色" not in r.text and "预警" in r.json()["error"]["msg_zh"]


def test_editing_it_is_404_too(client, draft, as_):
    w = draft(level="橙色", public=False, area_streets=["景山街道"])
    r = client.patch(f"/api/warnings/{w['id']}", json={"title": "改"}, headers=as_("street.dongsi"))
    assert r.status_code == 404 and "橙色" not in r.text


def test_who_can_see_it_still_gets_the_403_with_its_reason(internal, step):
    r = step(internal["id"], "publish", "duty")  # the 区应急办 manages every warning (§3.2.1): it sees the refusal
    assert r.status_code in (403, 409) and r.status_code != 404


def test_a_public_draft_of_another_unit_keeps_the_403_of_the_contract(draft, step):
    w = draft(level="黄色", area_streets=["景山街道"])
    assert step(w["id"], "submit", "street.dongsi").status_code == 403  # SPEC §4: 403 for a caller without authority
