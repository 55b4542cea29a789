"""Requisition (征用, 东政发〔2022〕3号 §6.4.5: 以政府名义向单位和个人征用…) with return and compensation
(《中华人民共和国突发事件应对法》第十二条: 及时返还；财产被征用或者征用后毁损、灭失的，应当给予补偿)."""
from __future__ import annotations

from dongcheng.emergency.preparedness import requisition_rules
from tests.emergency.preparedness.helpers import incident, ok

API = "/api/preparedness/requisitions"
BODY = {"owner_name": "北京某建筑公司", "owner_contact": "13600000000", "kind": "设备", "description": "挖掘机",
        "quantity": 1}


def test_kinds_as_printed_in_6_4_5():
    assert requisition_rules.KINDS == ("设备", "设施", "场地", "交通工具", "其他物资")
    assert "第十二条" in str(requisition_rules.COMPENSATION)


def test_requisition_return_and_compensation(client, login):
    duty, cgw, mayor = login("duty"), login("cgw"), login("mayor")
    inc = incident(client, duty)
    assert client.post(API, json={**BODY, "incident_id": inc["id"]}, headers=cgw).status_code == 403
    r = client.post(API, json={**BODY, "incident_id": inc["id"]}, headers=duty)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "decided_by"
    r = client.post(API, json={**BODY, "kind": "飞机", "decided_by": "周金星"}, headers=duty)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "kind"
    req = ok(client.post(API, json={**BODY, "incident_id": inc["id"], "decided_by": "周金星"}, headers=duty), 201)
    assert req["decided_by"] == "周金星（区长）" and req["status"] == "requisitioned" and "§6.4.5" in req["basis"]
    assert ok(client.get(API, headers=cgw))[0]["owner_contact"] != "13600000000"  # personal data
    # compensation before the return only for lost property
    r = client.post(f"{API}/{req['id']}/compensate", json={"amount_yuan": 100}, headers=duty)
    assert r.status_code == 409
    r = client.post(f"{API}/{req['id']}/return", json={"condition": "灭失"}, headers=duty)
    assert r.status_code == 409
    req = ok(client.post(f"{API}/{req['id']}/return", json={"condition": "毁损", "note": "铲斗损坏"}, headers=duty))
    assert req["status"] == "returned" and req["condition"] == "毁损"
    r = client.post(f"{API}/{req['id']}/compensate", json={"amount_yuan": 0}, headers=duty)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "amount_yuan"
    req = ok(client.post(f"{API}/{req['id']}/compensate", json={"amount_yuan": 12000.5}, headers=mayor))
    assert req["status"] == "compensated" and req["compensation_yuan"] == 12000.5
    assert client.post(f"{API}/{req['id']}/compensate", json={"amount_yuan": 1}, headers=duty).status_code == 409


def test_lost_property_is_compensated_directly(client, login):
    mayor = login("mayor")
    req = ok(client.post(API, json={**BODY, "kind": "交通工具", "description": "货车"}, headers=mayor), 201)
    assert req["decided_by"].startswith("周金星")
    req = ok(client.post(f"{API}/{req['id']}/compensate", json={"amount_yuan": 80000, "condition": "灭失"},
                         headers=mayor))
    assert req["status"] == "compensated" and req["condition"] == "灭失"
