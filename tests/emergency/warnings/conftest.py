"""Helpers for the warning tests: a complete draft body and the walk through the approval chain."""
from __future__ import annotations

import pytest

BODY = {
    "level": "黄色",
    "event_type": "气象灾害",
    "title": "暴雨黄色预警",
    "starts_at": "2022-07-01T08:00:00+08:00",
    "expected_duration_hours": 12,
    "area_streets": ["东四街道", "景山街道"],
    "precautions": "预计未来12小时内东城区将出现暴雨，请注意防范。",
    "measures": "停止户外作业，远离低洼地带和地下空间。",
    "public": True,
}


@pytest.fixture
def as_(login):
    """as_("cgw") → cached bearer headers for that demo user."""
    cache: dict[str, dict] = {}

    def _as(username: str) -> dict:
        if username not in cache:
            cache[username] = login(username)
        return cache[username]

    return _as


@pytest.fixture
def draft(client, as_):
    def _draft(user: str = "cgw", **over) -> dict:
        r = client.post("/api/warnings", json={**BODY, **over}, headers=as_(user))
        assert r.status_code == 201, r.text
        return r.json()

    return _draft


@pytest.fixture
def step(client, as_):
    """step(id, "approve", "sun.yang") → the response (status not asserted)."""

    def _step(warning_id: int, action: str, user: str, json: dict | None = None):
        return client.post(f"/api/warnings/{warning_id}/{action}", json=json, headers=as_(user))

    return _step


@pytest.fixture
def published(draft, step):
    """A warning walked through to publication along its approval chain."""

    def _published(level: str = "黄色", user: str = "cgw", **over) -> dict:
        w = draft(user, level=level, **over)
        approver = {"红色": "mayor", "橙色": "sun.yang"}.get(level, user)
        publisher = "duty" if over.get("public", True) else user
        for action, who in (("submit", user), ("approve", approver), ("publish", publisher)):
            r = step(w["id"], action, who)
            assert r.status_code == 200, (action, who, r.text)
        return r.json()

    return _published
