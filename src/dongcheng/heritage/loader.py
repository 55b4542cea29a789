"""Write data/heritage/ into the database, as the reference loader does for data/: only when the file's content
(sha256, in ``data_versions``) changed, upserting by natural key — batch by number, item by (batch, 序号) — so item
ids stay stable; audited; in the caller's transaction, never committed here.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.heritage.files import BatchData, read_heritage
from dongcheng.heritage.models import HeritageBatch, HeritageItem
from dongcheng.reference.loader import LoadReport
from dongcheng.reference.models import DataVersion

EARLIER_NOTE = "本批项目未刊于本期公报；东政发〔2022〕2号只载明自2007年推出第一个区级名录以来共产生七批名录、225个项目"


def load_heritage(session: Session, data_dir: Path, *, actor: audit.Actor = audit.SYSTEM,
                  force: bool = False) -> LoadReport:
    data = read_heritage(data_dir)
    loaded = session.get(DataVersion, data.file)
    before = loaded.sha256 if loaded else None
    if before == data.sha256 and not force:
        return LoadReport()
    batches = _load_batches(session, data)
    _load_items(session, batches[data.number], data)
    session.merge(DataVersion(name=data.file, sha256=data.sha256))
    report = LoadReport(changed_files=[data.file],
                        counts={"heritage_batches": len(batches), "heritage_items": len(data.items)})
    audit.record(session, actor=actor, action="heritage.load", target_type="heritage_batch", target_id=data.number,
                 basis=data.clause, before={data.file: before},
                 after={data.file: data.sha256, "items": len(data.items), "batches_to_date": data.batches_to_date,
                        "items_to_date": data.items_to_date})
    session.flush()
    return report


def _load_batches(session: Session, data: BatchData) -> dict[int, HeritageBatch]:
    """The listed batch in full; the batches before it, which the notice only counts, as numbered rows."""
    existing = {b.number: b for b in session.scalars(select(HeritageBatch))}
    for number in range(1, data.batches_to_date + 1):
        batch = existing.get(number) or HeritageBatch(number=number)
        if number == data.number:
            batch.year, batch.document, batch.title = data.published_on.year, data.document, data.title
            batch.approved_on, batch.approved_by, batch.published_on = data.approved_on, data.approved_by, data.published_on
            batch.item_count, batch.clause, batch.note = data.item_count, data.clause, ""
            batch.batches_to_date, batch.items_to_date = data.batches_to_date, data.items_to_date
        elif batch.id is None or not batch.document:  # a batch some other file describes is left alone
            batch.year = data.first_year if number == 1 else None
            batch.clause, batch.note = data.to_date_clause, EARLIER_NOTE
        if batch.id is None:
            session.add(batch)
        existing[number] = batch
    session.flush()
    return existing


def _load_items(session: Session, batch: HeritageBatch, data: BatchData) -> None:
    existing = {i.seq: i for i in session.scalars(select(HeritageItem).where(HeritageItem.batch_id == batch.id))}
    for row in data.items:
        item = existing.pop(row.seq, None) or HeritageItem(batch_id=batch.id, seq=row.seq)
        item.category, item.name, item.applicant, item.clause = row.category, row.name, row.applicant, row.clause
        session.add(item)
    if existing:  # rows a corrected file no longer has
        session.execute(delete(HeritageItem).where(HeritageItem.id.in_([i.id for i in existing.values()])))
    session.flush()
