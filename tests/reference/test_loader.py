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
