"""The gazette as JSON-ready dicts (schemas.py describes them); the pages use the same ones."""
from __future__ import annotations

from dongcheng.core.time import to_local
from dongcheng.gazette.links import document_url
from dongcheng.gazette.models import (
    GazetteClause,
    GazetteDirectoryChange,
    GazetteDocument,
    GazetteIssue,
    GazetteTocEntry,
)


def issue_label(issue: GazetteIssue) -> str:
    total = f"（总第{issue.total_number}期）" if issue.total_number else ""
    return f"{issue.title} {issue.year}年第{issue.number}期{total}"


def issue_url(issue_id: int) -> str:
    return f"/gazette/issues/{issue_id}"


def issue_summary(issue: GazetteIssue, documents: int) -> dict:
    return {"id": issue.id, "title": issue.title, "label": issue_label(issue), "year": issue.year,
            "number": issue.number, "total_number": issue.total_number, "published_on": issue.published_on,
            "sponsor": issue.sponsor, "documents": documents, "url": issue_url(issue.id)}


def toc_entry(entry: GazetteTocEntry) -> dict:
    return {"seq": entry.seq, "title": entry.title, "document_number": entry.document_number, "page": entry.page,
            "document_id": entry.document_id,
            "url": f"/gazette/documents/{entry.document_id}" if entry.document_id else None}


def issue_detail(issue: GazetteIssue) -> dict:
    """Needs ``issue.toc`` and ``issue.documents`` loaded (repository.issue_with_contents)."""
    return {**issue_summary(issue, len(issue.documents)), "colophon": dict(issue.colophon or {}),
            "source_name": issue.source_name, "source_sha256": issue.source_sha256,
            "imported_at": to_local(issue.imported_at), "toc": [toc_entry(e) for e in issue.toc]}


def issue_ref(issue: GazetteIssue) -> dict:
    return {"id": issue.id, "label": issue_label(issue), "url": issue_url(issue.id)}


def document_page_url(doc: GazetteDocument) -> str:
    return f"/gazette/documents/{doc.id}"


def clause_dict(doc: GazetteDocument, clause: GazetteClause) -> dict:
    return {"number": clause.number, "anchor": clause.anchor, "level": clause.level, "heading": clause.heading,
            "url": f"{document_url(doc.number)}#{clause.anchor}"}


def document_summary(doc: GazetteDocument) -> dict:
    """Needs ``doc.issue`` loaded."""
    return {"id": doc.id, "issue": issue_ref(doc.issue), "number": doc.number, "title": doc.title,
            "issuing_organ": doc.issuing_organ, "signed_on": doc.signed_on, "url": document_page_url(doc)}


def document_dict(doc: GazetteDocument) -> dict:
    """Needs ``doc.issue`` and ``doc.clauses`` loaded (repository.document)."""
    return {"id": doc.id, "issue": issue_ref(doc.issue), "seq": doc.seq, "number": doc.number,
            "issuing_organ": doc.issuing_organ, "title": doc.title, "recipients": doc.recipients,
            "signed_on": doc.signed_on, "disclosure": doc.disclosure, "attachments": list(doc.attachments or ()),
            "page": doc.page, "url": document_page_url(doc), "body": doc.body,
            "clauses": [clause_dict(doc, c) for c in doc.clauses]}


def cited_clause(clause: GazetteClause | None, item: str | None) -> str | None:
    """How a basis cites the clause: §4.1.5 · 第十二条 · 三（二）4."""
    if clause is None:
        return None
    number = f"§{clause.number}" if clause.number[:1].isdigit() else clause.number
    return f"{number}{item}" if item else number


def search_hit(hit) -> dict:
    """A service.SearchHit as JSON: where it is, its context with the hits marked, the URL of its clause."""
    doc, clause = hit.document, hit.clause
    url = f"/gazette/documents/{doc.id}" + (f"#{clause.anchor}" if clause else "")
    return {"document_number": doc.number, "document_title": doc.title, "clause": cited_clause(clause, hit.item),
            "anchor": clause.anchor if clause else None, "heading": clause.heading if clause else None,
            "snippet": hit.snippet.text, "marks": [list(m) for m in hit.snippet.marks], "url": url,
            "parts": hit.snippet.parts()}


def directory_change(change: GazetteDirectoryChange) -> dict:
    return {"id": change.id, "document_number": change.document_number, "seq": change.seq, "kind": change.kind,
            "status": change.status, "summary": change.summary, "text": change.text,
            "effective_on": change.effective_on, "reason": change.reason, "decided_by": change.decided_by,
            "decided_at": change.decided_at, "document_url": document_url(change.document_number)}


def directory_changes(issue_id: int, changes: list[GazetteDirectoryChange]) -> dict:
    return {"issue_id": issue_id, "proposed": sum(c.status == "proposed" for c in changes),
            "unplaced": sum(c.status == "unplaced" for c in changes), "changes": [directory_change(c) for c in changes]}
