from tests.reference.test_files import CATEGORY_OF_NO, TABLE_2_3_6


def test_event_types_are_table_2_3_6_exactly(client):
    rows = client.get("/api/reference/event-types").json()
    assert [(r["no"], r["name"], r["lead_departments"]) for r in rows] == TABLE_2_3_6
    assert all(r["category"] == CATEGORY_OF_NO[r["no"]] for r in rows)
    assert {r["basis"] for r in rows} == {"东政发〔2022〕3号 §2.3.6"}


def test_plans_catalogue(client):
    plans = client.get("/api/reference/plans").json()
    assert len(plans) == 44
    assert plans[0] == {"kind": "special", "category": "自然灾害", "seq": 1, "name": "东城区防汛应急预案",
                        "lead_department": "区应急局", "basis": "东政发〔2022〕3号 §8.3.1(1)"}


def test_lists(client):
    groups = client.get("/api/reference/lists/working_groups").json()
    assert [g["text"] for g in groups][:2] == ["综合协调组", "专业处置组"] and len(groups) == 9
    assert client.get("/api/reference/lists/nope").status_code == 404
