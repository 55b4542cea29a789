"""Loading data/heritage/ (as dongcheng serve does through dongcheng.provision): once per content, audited, upserts
that keep item ids; batches 1–6 are numbered rows the notice only counts."""
from __future__ import annotations

import hashlib
import shutil

import pytest
import yaml
from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.core.config import REPO_ROOT
from dongcheng.heritage.files import FILE
from dongcheng.heritage.loader import load_heritage
from dongcheng.heritage.models import HeritageBatch, HeritageItem
from dongcheng.reference.files import ReferenceDataError
from dongcheng.reference.models import DataVersion

DATA = REPO_ROOT / "data"


def ids(db) -> dict[int, int]:
    return dict(db.execute(select(HeritageItem.seq, HeritageItem.id)).all())


def test_the_suite_database_is_provisioned(db):
    batches = list(db.scalars(select(HeritageBatch).order_by(HeritageBatch.number)))
    assert [b.number for b in batches] == [1, 2, 3, 4, 5, 6, 7]
    seventh = batches[-1]
    assert (seventh.item_count, seventh.batches_to_date, seventh.items_to_date) == (30, 7, 225)
    assert (str(seventh.approved_on), seventh.approved_by, str(seventh.published_on)) == (
        "2022-01-11", "区政府专题会", "2022-02-01")
    assert seventh.document == "东政发〔2022〕2号" and seventh.year == 2022
    assert batches[0].year == 2007 and all(b.item_count is None and not b.document for b in batches[:6])
    assert db.scalar(select(func.count()).select_from(HeritageItem)) == 30
    assert db.get(DataVersion, FILE).sha256 == hashlib.sha256((DATA / FILE).read_bytes()).hexdigest()


def test_loading_again_changes_nothing_and_force_keeps_ids(db):
    before, audits = ids(db), db.scalar(select(func.count()).select_from(AuditEntry))
    assert not load_heritage(db, DATA).changed
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == audits
    forced = load_heritage(db, DATA, force=True)
    assert forced.changed_files == [FILE] and forced.counts == {"heritage_batches": 7, "heritage_items": 30}
    assert ids(db) == before
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.target_type, entry.target_id, entry.basis) == (
        "heritage.load", "heritage_batch", "7", "东政发〔2022〕2号")
    assert entry.after["items"] == 30 and entry.after["items_to_date"] == 225


def test_a_corrected_file_updates_in_place(db, tmp_path):
    before = ids(db)
    doc = yaml.safe_load((DATA / FILE).read_bytes())
    doc["items"][16]["applicant"] = "北京工美集团有限责任公司"
    (tmp_path / "heritage").mkdir()
    (tmp_path / FILE).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    report = load_heritage(db, tmp_path)
    assert report.changed
    assert ids(db) == before
    assert db.get(HeritageItem, before[17]).applicant == "北京工美集团有限责任公司"
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.before[FILE] != entry.after[FILE]


def test_a_row_the_file_no_longer_has_is_removed(db, tmp_path):
    """(Only through a file the validator accepts: here, one whose expected count is patched for the test.)"""
    from dongcheng.heritage import files

    doc = yaml.safe_load((DATA / FILE).read_bytes())
    del doc["items"][29]
    doc["batch"]["items"] = 29
    (tmp_path / "heritage").mkdir()
    (tmp_path / FILE).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(files.EXPECTED, "batch.items", 29)
        load_heritage(db, tmp_path)
    assert sorted(ids(db)) == list(range(1, 30))


def test_a_bad_file_loads_nothing(db, tmp_path):
    shutil.copytree(DATA / "heritage", tmp_path / "heritage")
    text = (tmp_path / FILE).read_text(encoding="utf-8").replace('category: "曲艺"', 'category: "说唱"')
    (tmp_path / FILE).write_text(text, encoding="utf-8")
    before = ids(db)
    with pytest.raises(ReferenceDataError, match=r"row 5 \(序号 5\) category: '说唱'"):
        load_heritage(db, tmp_path)
    assert ids(db) == before
