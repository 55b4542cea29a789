"""Intake writes a new incident's rows in as few statements as the engine allows (issue 11): on PostgreSQL, where each
statement is a round trip to the server, the incident, its lead departments, its deadlines, the level proposal and its
search entry go in one statement of data-modifying CTEs; the audit entry (whose leaf hash needs the incident's id)
in a second. What that one statement wrote is what the separate statements wrote: each deadline keeps its own id."""
from __future__ import annotations

from sqlalchemy import select

from dongcheng.emergency.incidents.models import Deadline

from .test_api import create
from .test_read_requests import statements


def test_intake_statements_by_engine(client, login, connection):
    duty = login("duty")
    create(client, duty, title="先接一起")  # the reference cache filled, the token seen once
    with statements(connection) as seen:
        create(client, duty, grade="较大", title="燃气泄漏（较大）")  # 续报 slots: many deadlines, one statement
    if connection.dialect.name == "postgresql":
        # the token lookup, the rows (WITH … INSERT …), the audit entry, the worker's 续报 top-up job (较大 only)
        assert [s for s in seen if s not in ("SAVEPOINT", "RELEASE")] == ["SELECT", "WITH", "INSERT", "INSERT"], seen
    else:
        assert seen.count("WITH") == 0 and seen.count("INSERT") >= 6, seen


def test_the_one_statement_rows_are_the_incidents_own(client, login, db):
    duty = login("duty")
    made = create(client, duty, grade="较大", title="东四燃气（较大）", description="三单元楼道燃气味浓")
    rows = {(d.kind, d.seq): d.id for d in db.scalars(select(Deadline).where(Deadline.incident_id == made["id"]))}
    answered = {(d["kind"], d["seq"]): d["id"] for d in made["deadlines"]}
    assert len(answered) >= 3 and answered == rows  # 初报, 详报 and the 续报 run: each id is its own row's
    assert [lead["unit"] for lead in made["leads"]] == ["区城市管理委"]
    found = client.get("/api/incidents", params={"q": "三单元楼道"}, headers=duty).json()
    assert [i["id"] for i in found] == [made["id"]]  # its search entry was written with it
