"""Import a gazette issue and read it back. Writes in the caller's transaction and never commits; every import that
changes something writes one audit entry.

Idempotent: the same file (same sha256) imports once; a later import of it changes nothing and writes nothing. A
different text of the same issue (year + number: a corrected extraction) replaces the issue's contents in place,
keeping the ids of the documents it still has, and is audited with the old and new sha256.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.core import search as fulltext
from dongcheng.core.errors import DomainError, invalid, not_found
from dongcheng.core.types import MAX_ID
from dongcheng.gazette import clauses as layout
from dongcheng.gazette import directory_service as directory_changes
from dongcheng.gazette import links, repository, rules
from dongcheng.gazette.models import GazetteClause, GazetteDocument, GazetteIssue


@dataclass
class ImportResult:
    issue: GazetteIssue
    created: bool = False
    replaced: bool = False
    documents: int = 0
    clauses: int = 0
    toc_entries: int = 0
    notes: list[str] = field(default_factory=list)
    directory_changes: int = 0  # lines proposed to (or unplaced for) the directory, for an administrator to decide

    @property
    def changed(self) -> bool:
        return self.created or self.replaced


def decode(data: bytes) -> str:
    """The file as text: UTF-8 (a BOM is allowed); anything else is refused with a 422 naming the field."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise rules.malformed("文件不是 UTF-8 编码的纯文本", f"the file is not UTF-8 plain text ({exc.reason})") from exc


def import_issue(session: Session, *, data: bytes | str, source_name: str = "",
                 actor: audit.Actor = audit.SYSTEM) -> ImportResult:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    sha256 = hashlib.sha256(raw).hexdigest()
    repository.lock_imports(session)
    existing = repository.issue_by_sha(session, sha256)
    if existing is not None:
        if not fulltext.has_group(session, SEARCH_SCOPE, _group(existing.id)):  # imported before search existed
            index_issue(session, existing.id)
        docs, clauses = repository.clause_counts(session, existing.id)
        return ImportResult(existing, documents=docs, clauses=clauses,
                            toc_entries=len(repository.toc_entries(session, existing.id)))
    parsed = rules.parse_issue(data if isinstance(data, str) else decode(raw))
    issue = repository.issue_by_number(session, parsed.year, parsed.number)
    before = {"sha256": issue.source_sha256, "source": issue.source_name} if issue else None
    if issue is None:
        issue = GazetteIssue(year=parsed.year, number=parsed.number)
        session.add(issue)
    issue.title, issue.total_number, issue.published_on = parsed.title, parsed.total_number, parsed.published_on
    issue.sponsor, issue.colophon = parsed.sponsor, dict(parsed.colophon)
    issue.source_name, issue.source_sha256, issue.source_chars = source_name[:200], sha256, len(raw)
    issue.imported_by = actor.username
    session.flush()
    clauses = _write_contents(session, issue, parsed)
    index_issue(session, issue.id)
    proposed = directory_changes.propose_for_issue(session, issue, parsed.documents)
    result = ImportResult(issue, created=before is None, replaced=before is not None, documents=len(parsed.documents),
                          clauses=clauses, toc_entries=len(parsed.toc), notes=list(parsed.notes),
                          directory_changes=proposed)
    audit.record(session, actor=actor, action="gazette.import" if before is None else "gazette.reimport",
                 target_type="gazette_issue", target_id=issue.id, basis=rules.BASIS, before=before,
                 after={"issue": parsed.label, "sha256": sha256, "source": source_name, "documents": result.documents,
                        "clauses": clauses, "notes": result.notes, "directory_changes": proposed})
    for doc in parsed.documents:
        links.INDEX.register(doc.number, {c.anchor for c in doc.clauses})
    return result


def _write_contents(session: Session, issue: GazetteIssue, parsed: rules.ParsedIssue) -> int:
    """Documents upserted by number (ids kept), their clauses and the 目录 rewritten. Returns the clause count."""
    repository.delete_toc(session, issue.id)
    old = repository.documents_of(session, issue.id)
    if old:  # clear seq first: documents may change places, and (issue_id, seq) is unique
        repository.park_documents(session, issue.id)
        repository.delete_clauses(session, [d.id for d in old.values()])
        gone = [old.pop(n).id for n in set(old) - {d.number for d in parsed.documents}]
        repository.delete_documents(session, gone)
        session.expire_all()  # the UPDATE above bypassed the identity map
    rows: dict[str, GazetteDocument] = {}
    for d in parsed.documents:
        row = old.get(d.number) or GazetteDocument(issue_id=issue.id, number=d.number)
        row.seq, row.title, row.issuing_organ, row.recipients = d.seq, d.title, d.issuing_organ, d.recipients
        row.signed_on, row.disclosure, row.body, row.attachments = d.signed_on, d.disclosure, d.body, list(d.attachments)
        row.page = d.page
        session.add(row)
        rows[d.number] = row
    session.flush()
    # Clauses and 目录 entries as two executemany INSERTs.
    clauses = [{"document_id": rows[d.number].id, "seq": seq, "number": c.number, "anchor": c.anchor,
                "level": c.level, "heading": c.heading, "text": c.text}
               for d in parsed.documents for seq, c in enumerate(d.clauses, 1)]
    repository.insert_clauses(session, clauses)
    repository.insert_toc(session, [
        {"issue_id": issue.id, "seq": e.seq, "title": e.title, "document_number": e.document_number, "page": e.page,
         "document_id": rows[e.document_number].id} for e in parsed.toc])
    return sum(len(d.clauses) for d in parsed.documents)


SEARCH_SCOPE = "gazette"


def _group(issue_id: int) -> str:
    return f"issue:{issue_id}"


def index_issue(session: Session, issue_id: int) -> int:
    """Write the issue's clauses (and each document's title, its whole text when it has no clauses) into the
    full-text index (core/search.py), replacing what was there; returns the entries written."""
    entries = []
    for doc in repository.issue_contents_for_search(session, issue_id):
        document, doc_clauses = doc
        entries.append({"ref": f"d:{document.id}", "title": layout.search_text(f"{document.number} {document.title}"),
                        "body": "" if doc_clauses else layout.search_text(document.body),
                        "sort_key": document.seq * 10_000})
        entries += [{"ref": f"c:{c.id}", "title": layout.search_text(f"{document.number} {c.number} {c.heading}"),
                     "body": layout.search_text(c.text), "sort_key": document.seq * 10_000 + c.seq}
                    for c in doc_clauses]
    return fulltext.replace_group(session, SEARCH_SCOPE, _group(issue_id), entries)


@dataclass(frozen=True)
class SearchHit:
    document: GazetteDocument
    clause: GazetteClause | None
    item: str | None  # the numbered item of the clause the hit falls in (三（二）4)
    snippet: fulltext.Snippet
    score: float


def search(session: Session, q: str, *, limit: int = 50) -> tuple[list[SearchHit], int]:
    """Documents and clauses containing ``q`` (spaces between Chinese and figures ignored, as the index does),
    best first; (the first ``limit`` hits, how many there are)."""
    phrase = layout.search_text(q.strip())
    if not phrase:
        raise invalid("q", "请输入要检索的文字", "type something to search for")
    if len(phrase) > fulltext.MAX_QUERY:
        raise invalid("q", f"检索词不能超过 {fulltext.MAX_QUERY} 个字符", f"at most {fulltext.MAX_QUERY} characters")
    entries = fulltext.find(session, SEARCH_SCOPE, phrase)
    ids = {kind: {int(e.ref[2:]) for e in entries if e.ref[0] == kind} for kind in "dc"}
    docs, found = repository.documents_and_clauses(session, ids["d"], ids["c"])
    docs.update(repository.documents_and_clauses(session, {c.document_id for c in found.values()}, set())[0])
    hits = []
    for e in entries:
        clause = found.get(int(e.ref[2:])) if e.ref[0] == "c" else None
        document = docs.get(clause.document_id if clause else int(e.ref[2:]))
        if document is None:
            continue
        text = e.body or e.title
        cut = fulltext.snippet(phrase, text)
        where = re.search(re.escape(phrase), text, re.IGNORECASE)
        item = (layout.item_at(text, where.start())  # items (1. 2. …) number the parts of a 三（二） section
                if clause is not None and clause.anchor.startswith("c-") and where else None)
        hits.append(SearchHit(document, clause, item, cut, fulltext.rank(phrase, e.title, e.body)))
    hits.sort(key=lambda h: -h.score)
    return hits[:limit], len(hits)


def import_directory(session: Session, directory: Path, *, actor: audit.Actor = audit.SYSTEM) -> list[ImportResult]:
    """Every ``*.txt`` issue of a directory (``data/gazette/``), in name order; a missing directory imports none."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return [import_issue(session, data=path.read_bytes(), source_name=path.name, actor=actor)
            for path in sorted(directory.glob("*.txt"))]


# ------------------------------------------------------------------------------------------------- reading


def list_issues(session: Session) -> list[tuple[GazetteIssue, int]]:
    return repository.issues_with_counts(session)


def get_issue(session: Session, issue_id: int) -> GazetteIssue:
    issue = repository.issue_with_contents(session, issue_id)
    if issue is None:
        raise not_found("公报", "gazette issue", issue_id)
    return issue


def get_document(session: Session, document_id: int) -> GazetteDocument:
    doc = repository.document(session, document_id)
    if doc is None:
        raise not_found("公报文件", "gazette document", document_id)
    return doc


def find_document(session: Session, key: str) -> GazetteDocument:
    """A page's ``{key}``: a numeric id, or a document number (the newest issue that printed it)."""
    key = key.strip()
    if key.isascii() and key.isdigit():
        if not 1 <= int(key) <= MAX_ID:
            raise not_found("公报文件", "gazette document", key)
        return get_document(session, int(key))
    found = repository.documents_by_number(session, rules.key(key))
    if not found:
        raise not_found("公报文件", "gazette document", key)
    return found[0]


def documents_numbered(session: Session, number: str) -> list[GazetteDocument]:
    return repository.documents_by_number(session, rules.key(number))


def resolve_basis(session: Session, basis: str) -> tuple[GazetteDocument, GazetteClause | None, str]:
    """A basis (``东政发〔2022〕3号 §4.1.5``) → its document, the clause it cites (None if it cites none the document
    numbers) and the page URL. 404 when the gazette does not have the document."""
    index = {number: frozenset() for number in repository.document_numbers(session)}
    cited = [t for t, url in links.link_segments(basis, index) if url and t in index]
    if not cited:
        raise DomainError(f"公报中未找到依据所引文件：{basis[:80]}", f"the gazette has no document cited by: {basis[:80]}",
                          404)
    doc = repository.documents_by_number(session, cited[0])[0]
    index[doc.number] = frozenset(c.anchor for c in doc.clauses)
    url = links.clause_url(basis, index) or links.document_url(doc.number)
    anchor = url.partition("#")[2]
    return doc, next((c for c in doc.clauses if c.anchor == anchor), None), url
