"""Chinese full-text search, one mechanism for every module: a module writes its searchable pieces (a gazette
clause, an incident) into ``search_entries`` and asks ``find`` for the ones containing a phrase.

Chinese has no spaces between words, so a word index does not work; both engines index character trigrams:
SQLite an FTS5 table with the ``trigram`` tokenizer (external content: ``search_entries`` itself, kept in step by
triggers), PostgreSQL a GIN ``pg_trgm`` index on title and body (``ILIKE`` uses it). A phrase of one or two
characters is below a trigram, so it is matched by a plain scan of the scope (small: one module's entries). The
index only filters; ``rank`` orders the hits the same way on both engines, and ``snippet`` cuts the context.
The index objects are created by the migration ``l0a0search`` (they are not ORM tables: ``include_name`` keeps
them out of the models-vs-migrations comparison).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint, bindparam, delete, func, insert, literal, or_, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from dongcheng.core.db import Base, execute

FTS_TABLE = "search_fts"  # SQLite only (+ its shadow tables search_fts_data, _idx, _docsize, _config)
TRGM_INDEX = "ix_search_entries_trgm"  # PostgreSQL only
MAX_QUERY = 100  # characters of a search phrase


class SearchEntry(Base):
    """One searchable piece of a module: ``scope`` names the module's kind (``gazette``), ``ref`` its key there."""

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("scope", "ref", name="uq_search_entries_scope_ref"),
                      Index("ix_search_entries_scope_group", "scope", "group_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str] = mapped_column(String(80))
    group_key: Mapped[str] = mapped_column(String(80), default="")  # what is replaced together (an issue)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[int] = mapped_column(Integer, default=0)  # the module's own order, for ties


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """For Alembic's comparison of models and database: the index objects the migration made by hand are not
    tables of the models."""
    return not (type_ == "table" and name and name.startswith(FTS_TABLE)) and name != TRGM_INDEX


_DELETE_GROUP = delete(SearchEntry.__table__).where(SearchEntry.__table__.c.scope == bindparam("scope"),
                                                   SearchEntry.__table__.c.group_key == bindparam("group_key"))
INSERT_ENTRY = insert(SearchEntry.__table__)  # entries of a new record (scope, group_key, ref, title, body, sort_key)


def insert_from(scope: str, rows):
    """An INSERT of one entry of ``scope`` per row of ``rows`` (a select of ref, group_key, title, body, sort_key, in
    that order): for a new record whose entries are written in the same statement as the record itself
    (emergency/incidents/repository.py, PostgreSQL). A record's entries written again go through ``replace_group``."""
    return insert(SearchEntry.__table__).from_select(
        ["ref", "group_key", "title", "body", "sort_key", "scope"], rows.add_columns(literal(scope, String)))


def replace_group(session: Session, scope: str, group_key: str, entries: list[dict]) -> int:
    """Replace every entry of ``scope``/``group_key`` with ``entries`` (dicts of ref, title, body, sort_key)."""
    execute(session, _DELETE_GROUP, {"scope": scope, "group_key": group_key})  # pending rows flushed first
    if entries:
        execute(session, INSERT_ENTRY, [{"scope": scope, "group_key": group_key, **e} for e in entries])
    return len(entries)


def has_group(session: Session, scope: str, group_key: str) -> bool:
    return session.scalar(select(func.count()).select_from(SearchEntry)
                          .where(SearchEntry.scope == scope, SearchEntry.group_key == group_key)) > 0


def _escape_like(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find(session: Session, scope: str, q: str, *, limit: int = 500) -> list[SearchEntry]:
    """The entries of ``scope`` whose title or body contains ``q`` (case-insensitive), unranked."""
    if not q.strip():
        return []
    stmt = matching(session, scope, q, SearchEntry)
    return list(session.scalars(stmt.order_by(SearchEntry.sort_key, SearchEntry.id).limit(limit)))


def matching(session: Session, scope: str, q: str, *columns):
    """A ``select(*columns)`` of the entries of ``scope`` whose title or body contains ``q``: for a module to combine
    with its own filters (``Incident.id.in_(matching(session, "incident", q, SearchEntry.sort_key))``)."""
    q = q.strip()[:MAX_QUERY]
    stmt = select(*columns).where(SearchEntry.scope == scope)
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite" and len(q) >= 3:
        phrase = '"' + q.replace('"', '""') + '"'  # one FTS5 phrase: the query's own syntax is never read
        ids = select(text("rowid")).select_from(text(FTS_TABLE)).where(text(f"{FTS_TABLE} MATCH :phrase"))
        stmt = stmt.where(SearchEntry.id.in_(ids)).params(phrase=phrase)
    else:
        pattern = f"%{_escape_like(q)}%"
        if dialect == "postgresql":  # the GIN trigram index serves ILIKE on this expression
            stmt = stmt.where((SearchEntry.title + " " + SearchEntry.body).ilike(pattern, escape="\\"))
        else:
            stmt = stmt.where(or_(func.lower(SearchEntry.title).like(pattern.lower(), escape="\\"),
                                  func.lower(SearchEntry.body).like(pattern.lower(), escape="\\")))
    return stmt


def rank(q: str, title: str, body: str) -> float:
    """Occurrences of the phrase, a title hit counting three, shorter texts first among equals."""
    needle = re.compile(re.escape(q.strip()), re.IGNORECASE)
    hits = 3 * len(needle.findall(title)) + len(needle.findall(body))
    return hits + 1 / (1 + len(body) / 1000)


@dataclass(frozen=True)
class Snippet:
    text: str
    marks: tuple[tuple[int, int], ...]  # [start, end) of each hit in ``text``

    def parts(self) -> list[tuple[str, bool]]:
        """(piece, is_hit) in order, for a page to escape and mark."""
        out, at = [], 0
        for start, end in self.marks:
            out += [(self.text[at:start], False), (self.text[start:end], True)]
            at = end
        return [p for p in out + [(self.text[at:], False)] if p[0]]


def snippet(q: str, body: str, *, width: int = 40) -> Snippet:
    """About ``width`` characters either side of the first hit, every hit in the window marked."""
    needle = re.compile(re.escape(q.strip()), re.IGNORECASE) if q.strip() else None
    first = needle.search(body) if needle else None
    if first is None:
        return Snippet(body[: 2 * width] + ("…" if len(body) > 2 * width else ""), ())
    start, end = max(0, first.start() - width), min(len(body), first.end() + width)
    prefix = "…" if start else ""
    window = body[start:end].replace("\n", " ")
    marks = tuple((len(prefix) + m.start(), len(prefix) + m.end()) for m in needle.finditer(window))
    return Snippet(prefix + window + ("…" if end < len(body) else ""), marks)
