"""§4.3.5: the 区应急委 designates a 处置主责部门 — a district department or special HQ (§2.3), never any unit."""
from __future__ import annotations

import pytest

from .test_api import create


def designate(client, headers, incident_id: int, unit: str):
    return client.post(f"/api/incidents/{incident_id}/designate-lead", headers=headers,
                       json={"unit": unit, "reason": "类别未明，指定牵头部门"})


class TestWhoMayBeDesignated:
    @pytest.mark.parametrize("unit", ["市委", "东四街道", "区委值班室", "王府井地区", "区应急委", "区人大常委会",
                                      "区应急指挥中心"])
    def test_a_city_body_a_street_or_a_duty_room_is_refused_naming_unit(self, client, login, unit):
        duty = login("duty")
        inc = create(client, duty, event_type=None)
        r = designate(client, duty, inc["id"], unit)
        assert r.status_code == 422, r.text
        [detail] = r.json()["detail"]
        assert detail["field"] == "unit" and unit in detail["msg_zh"] and unit in detail["msg_en"]
        assert client.get(f"/api/incidents/{inc['id']}", headers=duty).json()["lead_departments"] == []

    @pytest.mark.parametrize("unit", ["区应急局", "区委宣传部", "东城公安分局", "区防汛应急指挥部", "区环卫中心"])
    def test_a_district_department_or_special_hq_is_accepted(self, client, login, unit):
        duty = login("duty")
        inc = create(client, duty, event_type=None)
        r = designate(client, duty, inc["id"], unit)
        assert r.status_code == 200, r.text
        assert r.json()["lead_departments"] == [unit]
