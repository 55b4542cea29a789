"""The heritage list as JSON-ready dicts (schemas.py describes them); the page uses the same ones."""
from __future__ import annotations

from dongcheng.gazette.links import document_url
from dongcheng.heritage import rules
from dongcheng.heritage.models import HeritageBatch, HeritageItem

NUMERALS = "零一二三四五六七八九十"


def batch_label(number: int) -> str:
    """7 → 第七批, as the notice writes it."""
    return f"第{NUMERALS[number]}批" if 0 < number <= 10 else f"第{number}批"


def batch_dict(batch: HeritageBatch, listed: int) -> dict:
    return {"number": batch.number, "label": batch_label(batch.number), "year": batch.year,
            "document": batch.document or None, "title": batch.title or None, "approved_on": batch.approved_on,
            "approved_by": batch.approved_by or None, "published_on": batch.published_on, "items": batch.item_count,
            "listed_items": listed, "basis": batch.clause, "note": batch.note}


def batches_dict(summary: rules.Summary) -> dict:
    return {"total_batches": summary.total_batches, "total_items": summary.total_items,
            "first_year": summary.first_year, "listed_items": summary.listed_items,
            "categories": list(rules.CATEGORIES), "basis": summary.basis,
            "batches": [batch_dict(b, n) for b, n in summary.batches]}


def item_dict(item: HeritageItem) -> dict:
    """Needs ``item.batch`` loaded (repository)."""
    return {"id": item.id, "batch": item.batch.number, "seq": item.seq, "category": item.category, "name": item.name,
            "applicant": item.applicant, "basis": item.clause,
            "basis_url": document_url(item.batch.document or rules.DOCUMENT), "url": f"/api/heritage/items/{item.id}"}


def earlier_batches(summary: dict) -> dict | None:
    """The batches the gazette only counts, as one line of the page: 第一批至第六批, since 2007, and how many items
    they hold together (the notice's total less the items of the batches it describes)."""
    counted = [b for b in summary["batches"] if b["items"] is None]
    if not counted or summary["total_items"] is None:
        return None
    described = sum(b["items"] for b in summary["batches"] if b["items"] is not None)
    return {"first": counted[0]["label"], "last": counted[-1]["label"], "first_year": summary["first_year"],
            "items": summary["total_items"] - described, "note": counted[0]["note"]}
