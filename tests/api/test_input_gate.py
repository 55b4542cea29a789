"""The input gate (api/input_gate.py): control characters refused like NUL, on every route, naming the field."""
from __future__ import annotations

from sqlalchemy import func, select

from dongcheng.emergency.incidents.models import Incident

INCIDENT = {"event_type": None, "street": "东四街道", "address": "东四北大街1号", "occurred_at": "2026-11-30T08:00:00+00:00",
            "source": "110", "title": "燃气泄漏", "description": "楼道有燃气味"}


def _named(r, field: str) -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert set(body["error"]) >= {"status", "msg_zh", "msg_en"} and body["error"]["status"] == 422
    assert body["detail"][0]["field"] == field, body
    assert "控制字符" in body["detail"][0]["msg_zh"] and "control" in body["detail"][0]["msg_en"]


def test_a_control_character_in_a_json_field_is_a_422_naming_it_and_saves_nothing(client, login, db):
    before = db.scalar(select(func.count()).select_from(Incident))
    _named(client.post("/api/incidents", headers=login("duty"), json={**INCIDENT, "title": "ctl\u0001char"}), "title")
    _named(client.post("/api/incidents", headers=login("duty"), json={**INCIDENT, "address": "退格\b"}), "address")
    assert db.scalar(select(func.count()).select_from(Incident)) == before


def test_a_control_character_in_a_query_parameter_or_a_form_field(client):
    _named(client.get("/api/heritage/items", params={"q": "京\x01剧"}), "q")
    r = client.post("/login", data={"username": "duty\x1f", "password": "x"})
    _named(r, "username")
    page = client.post("/login", data={"username": "duty\x1f", "password": "x"}, headers={"Accept": "text/html"})
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]


def test_tab_line_feed_and_carriage_return_still_pass(client, login):
    r = client.post("/api/incidents", headers=login("duty"),
                    json={**INCIDENT, "title": "燃气\t泄漏", "description": "第一行\r\n第二行\n第三行"})
    assert r.status_code == 201, r.text
    assert client.get("/api/heritage/items", params={"q": "京\t剧"}).status_code == 200
    assert client.post("/login", data={"username": "duty\r\n", "password": "x"}).status_code != 422


def test_a_backslash_b_written_as_text_is_not_a_control_character(client, login):
    r = client.post("/api/incidents", headers=login("duty"), json={**INCIDENT, "title": "路径 C:\\back\\front"})
    assert r.status_code == 201, r.text
