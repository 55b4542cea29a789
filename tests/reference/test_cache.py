"""The reference data intake keeps in memory (reference/cache.py) follows every change of units, event types and
their lead departments — made by any path, in any process — and never outlives a change rolled back."""
from __future__ import annotations

from sqlalchemy import text, update

from dongcheng.directory.models import Unit
from dongcheng.reference import cache
from dongcheng.reference.models import EventType, EventTypeLead


def _token(db) -> str:
    return db.execute(cache.TOKEN).scalar_one()


def test_each_table_changed_by_plain_sql_gives_a_new_token(db):
    seen = {_token(db)}
    for sql in ("UPDATE units SET note = note || '.' WHERE name = '东四街道'",
                "UPDATE event_types SET clause = clause WHERE name = '燃气事故'",
                "UPDATE event_type_leads SET position = position WHERE id = (SELECT MIN(id) FROM event_type_leads)"):
        db.execute(text(sql))
        token = _token(db)
        assert token not in seen, sql
        seen.add(token)


def test_intake_sees_a_renamed_lead_department_at_once(client, login, db):
    duty = login("duty")
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": "2026-11-30T09:00:00+08:00", "title": "燃气泄漏", "source": "12345"}
    first = client.post("/api/incidents", json={**body, "received_at": None}, headers=duty)
    assert first.status_code == 201 and first.json()["lead_departments"] == ["区城市管理委"]
    db.execute(update(Unit).where(Unit.name == "区城市管理委").values(name="区城市管理委员会（改）"))
    db.commit()
    again = client.post("/api/incidents", json=body, headers=duty)
    assert again.status_code == 201, again.text
    assert again.json()["lead_departments"] == ["区城市管理委员会（改）"]
    assert again.json()["deadlines"][0]["responsible_unit"] == "区城市管理委员会（改）"


def test_a_new_lead_of_an_event_type_routes_the_next_intake(client, login, db):
    duty = login("duty")
    gas = db.query(EventType).filter_by(name="燃气事故").one()
    street = db.query(Unit).filter_by(name="东四街道").one()
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": "2026-11-30T09:00:00+08:00", "title": "燃气泄漏", "source": "12345"}
    assert client.post("/api/incidents", json=body, headers=duty).json()["lead_departments"] == ["区城市管理委"]
    db.add(EventTypeLead(event_type_id=gas.id, position=len(gas.leads) + 1, unit_id=street.id))
    db.commit()
    assert client.post("/api/incidents", json=body, headers=duty).json()["lead_departments"] == [
        "区城市管理委", "东四街道"]


def test_a_change_rolled_back_is_not_kept(db, connection):
    before = cache.current(db)
    savepoint = connection.begin_nested()
    db.execute(text("UPDATE units SET name = '临时名' WHERE name = '东四街道'"))
    during = cache.current(db)
    assert during.unit("临时名") is not None and during.unit("东四街道") is None
    savepoint.rollback()
    db.expire_all()
    after = cache.current(db)
    assert after.token == before.token and after.unit("东四街道") is not None and after.unit("临时名") is None


def test_names_resolve_as_the_directory_does(db):
    from dongcheng.directory.service import find_unit

    known = cache.current(db)
    for name in ("东四街道", "北京市东城区人民政府东四街道办事处", "王府井地区管理委员会", "区城市管理委", "不存在"):
        unit = find_unit(db, name)
        ref = known.unit(name)
        assert (ref.id if ref else None) == (unit.id if unit else None), name
    assert known.event_type("燃气事故").leads[0].name == "区城市管理委"


def _statements(db) -> list[str]:
    from sqlalchemy import event

    log: list[str] = []
    event.listen(db.get_bind(), "before_cursor_execute", lambda conn, cur, stmt, *a: log.append(stmt))
    return log


def test_the_token_read_with_the_callers_lookup_serves_the_rest_of_its_transaction(db, engine):
    """Every request reads the caller's token and the reference generation in one statement; intake's read of the
    reference data then costs no statement of its own (a round trip on PostgreSQL)."""
    import hashlib

    from dongcheng.auth import repository as auth
    from dongcheng.auth.service import issue_token
    from dongcheng.core.config import Settings

    token = issue_token(db, Settings(database_url=str(engine.url)), auth.user_by_username(db, "duty"))
    cache.current(db)  # kept in this process under the database's token
    found = auth.token_account(db, hashlib.sha256(token.encode()).hexdigest())
    log = _statements(db)
    known = cache.current(db)
    assert log == [], "reading the reference data read the token again"
    assert known.token == found.reference_token == _token(db)


def test_a_transaction_that_changes_a_unit_after_its_token_was_read_sees_its_change(db):
    cache.seen(db, _token(db))  # as the caller's token lookup leaves it
    street = db.query(Unit).filter_by(name="东四街道").one()
    street.name = "东四街道（改）"
    db.flush()
    assert cache.current(db).unit("东四街道（改）") is not None
    cache.seen(db, _token(db))
    db.execute(update(Unit).where(Unit.name == "东四街道（改）").values(name="东四街道（再改）"))
    assert cache.current(db).unit("东四街道（再改）") is not None
    cache.seen(db, _token(db))
    db.execute(text("UPDATE units SET name = '东四街道（三改）' WHERE name = '东四街道（再改）'"))
    assert cache.current(db).unit("东四街道（三改）") is not None
