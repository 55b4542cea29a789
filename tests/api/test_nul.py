"""No NUL character anywhere in the input: refused alike on both engines, before anything is read or saved."""
from __future__ import annotations

from sqlalchemy import func, select

from dongcheng.emergency.incidents.models import Incident


def test_a_nul_in_a_json_field_is_a_422_naming_the_body_and_saves_nothing(client, login, db):
    before = db.scalar(select(func.count()).select_from(Incident))
    r = client.post("/api/incidents", headers=login("duty"), json={
        "event_type": None, "street": "东四街道", "address": "东四北大街\u00001号", "occurred_at": "2026-11-30T08:00:00+00:00",
        "source": "110", "title": "燃气泄漏", "description": "楼道有燃气味"})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["field"] == "body" and "NUL" in r.json()["detail"][0]["msg_zh"]
    assert db.scalar(select(func.count()).select_from(Incident)) == before


def test_a_nul_in_a_query_or_a_form(client, login):
    assert client.get("/api/heritage/items", params={"q": "京\x00剧"}).status_code == 422
    r = client.post("/login", data={"username": "duty\x00", "password": "x"}, headers={"Accept": "text/html"})
    assert r.status_code == 422


def test_text_that_merely_mentions_percent_zero_zero_in_json_is_fine(client, login):
    r = client.post("/api/incidents", headers=login("duty"), json={
        "event_type": None, "street": "东四街道", "address": "东四北大街1号", "occurred_at": "2026-11-30T08:00:00+00:00",
        "source": "110", "title": "燃气浓度 100%00 读数异常", "description": "楼道有燃气味"})
    assert r.status_code != 422 or r.json()["detail"][0]["field"] != "body"
