"""calendar/service.py: a loaded year is checked, stored as its exception days, audited, replaced whole, and read
back first by the calendar."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.audit.service import Actor
from dongcheng.calendar import repository, service
from dongcheng.calendar.schemas import ScheduleIn
from dongcheng.core.errors import DomainError

ADMIN = Actor("admin")
SOURCE = "国务院办公厅关于2027年部分节假日安排的通知（测试用）"


def schedule(**changes) -> ScheduleIn:
    body = {"year": 2027, "source": SOURCE,
            "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
                         {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"}],
            "working_days": ["2027-02-14", "2027-02-20"]}
    return ScheduleIn.model_validate({**body, **changes})


class TestLoadSchedule:
    def test_stores_only_the_exception_days_and_audits(self, db):
        assert service.load_schedule(db, schedule=schedule(), actor=ADMIN) == 3 + 8 + 2
        days = repository.loaded_days(db)
        assert [d.day for d in days] == sorted(d.day for d in days)
        assert {d.loaded_by for d in days} == {"admin"} and repository.source_of_year(db, 2027) == SOURCE
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "calendar.load"))
        assert entry.before is None and entry.after["make_up_days"] == 2

    def test_loading_again_replaces_the_year_and_records_what_it_replaced(self, db):
        service.load_schedule(db, schedule=schedule(), actor=ADMIN)
        service.load_schedule(db, schedule=schedule(source="第二次载入的通知（测试用）", working_days=[]), actor=ADMIN)
        assert not any(d.working for d in repository.loaded_days(db))
        entries = list(db.scalars(select(AuditEntry).where(AuditEntry.action == "calendar.load")
                                  .order_by(AuditEntry.id)))
        assert entries[-1].before == {"source": SOURCE}

    @pytest.mark.parametrize(("changes", "field"), [
        ({"holidays": [{"name": "元旦", "from": "2027-01-03", "to": "2027-01-01"}]}, "holidays.0.to"),
        ({"holidays": [{"name": "春节", "from": "2027-01-01", "to": "2027-01-20"}]}, "holidays.0.to"),  # > 15 days
        ({"holidays": [{"name": "元旦", "from": "2026-12-31", "to": "2027-01-01"}]}, "holidays.0"),
        ({"working_days": ["2027-02-15"]}, "working_days.0"),  # a Monday
        ({"working_days": ["2027-02-06"]}, "working_days.0"),  # both off and worked
        ({"working_days": ["2028-02-05"]}, "working_days.0"),
    ])
    def test_a_bad_schedule_names_the_field_and_stores_nothing(self, db, changes, field):
        with pytest.raises(DomainError) as refused:
            service.load_schedule(db, schedule=schedule(**changes), actor=ADMIN)
        assert refused.value.status_code == 422 and [f.field for f in refused.value.fields] == [field]
        assert repository.loaded_days(db) == []


def test_the_calendar_reads_a_loaded_year_first(db):
    assert service.working_days(db).coverage(2027) == "estimate"
    service.load_schedule(db, schedule=schedule(), actor=ADMIN)
    cal = service.working_days(db)
    assert cal.coverage(2027) == "loaded" and cal.day(date(2027, 2, 14)).name == "调休上班"
    assert not cal.is_working_day(date(2027, 2, 8)) and cal.is_working_day(date(2027, 3, 1))  # an ordinary Monday
    assert [d.name for d in cal.named_days(2027)][:3] == ["元旦"] * 3
