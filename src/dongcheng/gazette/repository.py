"""Queries and writes of the gazette tables; loading is explicit (relationships are ``lazy="raise"``)."""
from __future__ import annotations

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session, selectinload

from dongcheng.gazette.models import (
    GazetteClause,
    GazetteDirectoryChange,
    GazetteDocument,
    GazetteIssue,
    GazetteTocEntry,
)


def issue_by_sha(session: Session, sha256: str) -> GazetteIssue | None:
    return session.scalar(select(GazetteIssue).where(GazetteIssue.source_sha256 == sha256))


def issue_by_number(session: Session, year: int, number: int) -> GazetteIssue | None:
    return session.scalar(select(GazetteIssue).where(GazetteIssue.year == year, GazetteIssue.number == number))


def issues_with_counts(session: Session) -> list[tuple[GazetteIssue, int]]:
    """Newest first, with the number of documents of each."""
    counts = (select(GazetteDocument.issue_id, func.count().label("n")).group_by(GazetteDocument.issue_id)
              .subquery())
    rows = session.execute(
        select(GazetteIssue, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.issue_id == GazetteIssue.id)
        .order_by(GazetteIssue.year.desc(), GazetteIssue.number.desc())
    )
    return [(issue, n) for issue, n in rows]


def issue_with_contents(session: Session, issue_id: int) -> GazetteIssue | None:
    return session.scalar(select(GazetteIssue).where(GazetteIssue.id == issue_id)
                          .options(selectinload(GazetteIssue.toc), selectinload(GazetteIssue.documents)))


def document(session: Session, document_id: int) -> GazetteDocument | None:
    return session.scalar(select(GazetteDocument).where(GazetteDocument.id == document_id)
                          .options(selectinload(GazetteDocument.issue), selectinload(GazetteDocument.clauses)))


def documents_by_number(session: Session, number: str) -> list[GazetteDocument]:
    """Every printing of a document number, newest issue first."""
    return list(session.scalars(
        select(GazetteDocument).join(GazetteIssue).where(GazetteDocument.number == number)
        .order_by(GazetteIssue.year.desc(), GazetteIssue.number.desc())
        .options(selectinload(GazetteDocument.issue), selectinload(GazetteDocument.clauses))
    ))


def documents_of(session: Session, issue_id: int) -> dict[str, GazetteDocument]:
    return {d.number: d for d in session.scalars(select(GazetteDocument).where(GazetteDocument.issue_id == issue_id))}


def clause_counts(session: Session, issue_id: int) -> tuple[int, int]:
    """(documents, clauses) of an issue."""
    docs = session.scalar(select(func.count()).select_from(GazetteDocument).where(GazetteDocument.issue_id == issue_id))
    clauses = session.scalar(select(func.count()).select_from(GazetteClause).join(GazetteDocument)
                             .where(GazetteDocument.issue_id == issue_id))
    return docs or 0, clauses or 0


def toc_entries(session: Session, issue_id: int) -> list[GazetteTocEntry]:
    return list(session.scalars(select(GazetteTocEntry).where(GazetteTocEntry.issue_id == issue_id)
                                .order_by(GazetteTocEntry.seq)))


def document_numbers(session: Session) -> set[str]:
    return set(session.scalars(select(GazetteDocument.number).distinct()))


# ------------------------------------------------------------------------------------------------- writing

_PG_LOCK_KEY = 0x44434757  # "DCGW": one gazette import at a time on PostgreSQL (SQLite writers queue anyway)


def lock_imports(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def delete_toc(session: Session, issue_id: int) -> None:
    session.execute(delete(GazetteTocEntry).where(GazetteTocEntry.issue_id == issue_id))


def park_documents(session: Session, issue_id: int) -> None:
    """Clear the documents' seq (to minus their id): they may change places, and (issue_id, seq) is unique. The
    UPDATE bypasses the identity map: the caller expires what it holds."""
    session.execute(update(GazetteDocument).where(GazetteDocument.issue_id == issue_id).values(seq=-GazetteDocument.id))


def delete_clauses(session: Session, document_ids: list[int]) -> None:
    session.execute(delete(GazetteClause).where(GazetteClause.document_id.in_(document_ids)))


def delete_documents(session: Session, document_ids: list[int]) -> None:
    session.execute(delete(GazetteDocument).where(GazetteDocument.id.in_(document_ids)))


def insert_clauses(session: Session, rows: list[dict]) -> None:
    """One executemany INSERT (ORM bulk insert: no per-row objects or RETURNING)."""
    if rows:
        session.execute(insert(GazetteClause), rows)


def insert_toc(session: Session, rows: list[dict]) -> None:
    session.execute(insert(GazetteTocEntry), rows)


def issue_contents_for_search(session: Session, issue_id: int) -> list[tuple[GazetteDocument, list[GazetteClause]]]:
    """Each document of the issue with its clauses, in order."""
    docs = list(session.scalars(select(GazetteDocument).where(GazetteDocument.issue_id == issue_id)
                                .order_by(GazetteDocument.seq)))
    by_doc: dict[int, list[GazetteClause]] = {d.id: [] for d in docs}
    for clause in session.scalars(select(GazetteClause).where(GazetteClause.document_id.in_(list(by_doc)))
                                  .order_by(GazetteClause.document_id, GazetteClause.seq)):
        by_doc[clause.document_id].append(clause)
    return [(d, by_doc[d.id]) for d in docs]


def documents_and_clauses(session: Session, document_ids: set[int], clause_ids: set[int]) -> tuple[
        dict[int, GazetteDocument], dict[int, GazetteClause]]:
    docs = {d.id: d for d in session.scalars(select(GazetteDocument).where(GazetteDocument.id.in_(document_ids)))}
    found = {c.id: c for c in session.scalars(select(GazetteClause).where(GazetteClause.id.in_(clause_ids)))}
    return docs, found


# ------------------------------------------------------------------------------------------------- directory changes


def issue_by_id(session: Session, issue_id: int) -> GazetteIssue | None:
    return session.get(GazetteIssue, issue_id)


def directory_changes(session: Session, issue_id: int) -> list[GazetteDirectoryChange]:
    return list(session.scalars(select(GazetteDirectoryChange).where(GazetteDirectoryChange.issue_id == issue_id)
                                .order_by(GazetteDirectoryChange.document_number, GazetteDirectoryChange.seq)))


def decided_change_keys(session: Session, issue_id: int) -> set[tuple[str, str, int]]:
    rows = session.execute(select(GazetteDirectoryChange.document_number, GazetteDirectoryChange.kind,
                                  GazetteDirectoryChange.seq)
                           .where(GazetteDirectoryChange.issue_id == issue_id,
                                  GazetteDirectoryChange.status.in_(("confirmed", "rejected"))))
    return {(d, k, s) for d, k, s in rows}


def delete_undecided_changes(session: Session, issue_id: int) -> None:
    session.execute(delete(GazetteDirectoryChange).where(
        GazetteDirectoryChange.issue_id == issue_id, GazetteDirectoryChange.status.in_(("proposed", "unplaced"))))
