from __future__ import annotations

from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.core.config import REPO_ROOT
from dongcheng.directory.models import Tenure, Unit
from dongcheng.reference.loader import load_reference
from dongcheng.reference.models import EventType


def test_loading_twice_changes_nothing(db):
    before = (db.scalar(select(func.count()).select_from(Unit)), db.scalar(select(func.count()).select_from(Tenure)))
    report = load_reference(db, REPO_ROOT / "data")
    assert not report.changed
    forced = load_reference(db, REPO_ROOT / "data", force=True)
    assert forced.changed
    after = (db.scalar(select(func.count()).select_from(Unit)), db.scalar(select(func.count()).select_from(Tenure)))
    assert before == after
    assert db.scalar(select(func.count()).select_from(EventType)) == 36


def test_a_load_is_audited(db):
    load_reference(db, REPO_ROOT / "data", force=True)
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "reference.load"
    assert "directory/units.yaml" in entry.after


def test_the_units_acting_as_the_emergency_office_come_from_the_units_file(db):
    """区应急办设在区应急局 (东政发〔2022〕3号 §2.2.1): the file marks it and its two centres, nothing else."""
    marked = set(db.scalars(select(Unit.name).where(Unit.emergency_office.is_(True))))
    assert marked == {"区应急局", "区应急指挥中心", "区预警信息发布中心"}
