"""A fresh `make run` shows what every page is for: the demo scenario (demo mode only) is a running exercise —
an incident whose 10-minute report comes due, one overdue, a published blue warning with subscribers — marked 演练
and never counted in real figures."""
from __future__ import annotations

from datetime import timedelta

from dongcheng.core.time import utcnow
from dongcheng.demo import ensure_demo_data


def test_the_scenario_runs_an_exercise_and_stays_out_of_real_figures(db, client, login):
    made = ensure_demo_data(db)
    assert made["incidents"] == 2 and made["warnings"] == 401  # 400 subscribers + the warning
    duty = login("duty")
    board = client.get("/incidents/board", headers=duty).text
    assert "正在进行的演练 2 起" in board  # the real board is empty and says where the exercise is
    drills = client.get("/incidents/board/rows?drill=1", headers=duty).text
    assert "【演练】居民楼燃气泄漏" in drills and "【演练】供水管线爆裂" in drills and "已超时" in drills
    period = {"start": (utcnow() - timedelta(hours=1)).isoformat(), "end": (utcnow() + timedelta(hours=1)).isoformat()}
    real = client.get("/api/accountability/reports", params=period, headers=duty).json()
    assert real["units"] == []  # never counted with real incidents
    drill = client.get("/api/accountability/reports", params={**period, "drill": "true"}, headers=duty).json()
    assert any(f["finding"] == "overdue" for u in drill["units"] for f in u["findings"])
    public = client.get("/api/public/warnings").json()
    assert [w["title"] for w in public] == ["【演练】暴雨蓝色预警"] and public[0]["level"] == "蓝色"
    assert not any(ensure_demo_data(db).values())  # idempotent: a restart adds nothing
