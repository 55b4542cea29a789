"""Working days through the API: it counts them, an admin loads a year the package does not cover, the load is
checked field by field, audited, and replaces the year whole."""
from __future__ import annotations

from sqlalchemy import select

from dongcheng.audit.models import AuditEntry

# A schedule shaped like the State Council's notice; the dates are a test's, not a transcription.
SCHEDULE = {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
            "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
                         {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"}],
            "working_days": ["2027-02-14", "2027-02-20"]}


def span(client, start: str, days: int) -> dict:
    r = client.get("/api/calendar/working-days", params={"start": start, "days": days})
    assert r.status_code == 200, r.text
    return r.json()


class TestCounting:
    def test_over_national_day_2026(self, client):
        body = span(client, "2026-09-30", 1)
        assert body["end"] == "2026-10-08" and body["provisional"] is False and "SPEC §3" in body["basis"]

    def test_into_an_unpublished_year_is_provisional(self, client):
        body = span(client, "2026-12-28", 5)
        assert body["end"] == "2027-01-05" and body["provisional"] is True

    def test_bad_input_names_the_field(self, client):
        r = client.get("/api/calendar/working-days", params={"start": "下周一", "days": -2})
        assert r.status_code == 422 and {d["field"] for d in r.json()["detail"]} == {"start", "days"}


class TestLoading:
    def test_an_admin_loads_2027_and_the_answer_is_no_longer_provisional(self, client, login, db):
        assert client.get("/api/calendar/years/2027").json()["coverage"] == "estimate"
        r = client.post("/api/calendar/years", json=SCHEDULE, headers=login("admin"))
        assert r.status_code == 201, r.text
        assert r.json()["days"] == 3 + 8 + 2
        year = client.get("/api/calendar/years/2027").json()
        assert year["coverage"] == "loaded" and year["provisional"] is False and "测试用" in year["source"]
        assert {"date": "2027-02-14", "working": True, "name": "调休上班"} in year["days"]
        body = span(client, "2027-02-05", 1)  # Friday before 春节 → the make-up Sunday 14 February
        assert body["end"] == "2027-02-14" and body["provisional"] is False
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "calendar.load"))
        assert entry.target_id == "2027" and entry.after == {"days_off": 11, "make_up_days": 2,
                                                             "package_covers_year": False}

    def test_loading_again_replaces_the_year(self, client, login):
        admin = login("admin")
        client.post("/api/calendar/years", json=SCHEDULE, headers=admin)
        smaller = {**SCHEDULE, "holidays": SCHEDULE["holidays"][:1], "working_days": []}
        assert client.post("/api/calendar/years", json=smaller, headers=admin).json()["days"] == 3
        names = {d["name"] for d in client.get("/api/calendar/years/2027").json()["days"]}
        assert names == {"元旦"}

    def test_a_bad_schedule_names_each_problem_and_loads_nothing(self, client, login):
        bad = {**SCHEDULE, "holidays": [{"name": "元旦", "from": "2027-01-03", "to": "2027-01-01"},
                                        {"name": "春节", "from": "2028-02-06", "to": "2028-02-07"}],
               "working_days": ["2027-02-15"]}
        r = client.post("/api/calendar/years", json=bad, headers=login("admin"))
        assert r.status_code == 422
        assert {d["field"] for d in r.json()["detail"]} == {"holidays.0.to", "holidays.1", "working_days.0"}
        assert client.get("/api/calendar/years/2027").json()["coverage"] == "estimate"

    def test_only_an_admin_loads(self, client, login):
        for user in ("duty", "mayor", "cgw"):
            assert client.post("/api/calendar/years", json=SCHEDULE, headers=login(user)).status_code == 403
        assert client.post("/api/calendar/years", json=SCHEDULE).status_code == 401

    def test_a_year_out_of_range_is_422(self, client):
        r = client.get("/api/calendar/years/1900")
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "year"

