"""Every rule the platform applies links to its clause in the gazette (SPEC §2.7).

``clause_url("东政发〔2022〕3号 §4.1.5", index)`` → ``/gazette/documents/东政发〔2022〕3号#s-4.1.5`` (percent-encoded);
the document page resolves a number to the newest issue that carries it, so the link does not depend on database
ids. The index (document number → its clause anchors) says what the gazette has: it is built from the issues
shipped in ``data/gazette/`` (what ``dongcheng serve`` imports) and from every issue imported in this process.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from dongcheng.core.basis import Basis
from dongcheng.gazette.clauses import anchor_for

_DOC = re.compile(r"[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号")
_REF = re.compile(r"§\s*\d{1,2}(?:\.\d{1,2}){0,3}(?:\s*[（(]\s*\d{1,2}\s*[)）])?"
                  r"|第[零〇一二三四五六七八九十百]{1,5}条"
                  r"|§\s*[一二三四五六七八九十]{1,3}(?:[（(][一二三四五六七八九十]{1,3}[)）])?")
_TOKEN = re.compile(f"(?P<doc>{_DOC.pattern})|(?P<ref>{_REF.pattern})")

_OTHER_SOURCE = re.compile(r"[A-Za-z]{2,}")  # a latin word (SPEC, GB/T …) names a source that is not the gazette
Index = Mapping[str, frozenset[str]]


def document_url(number: str) -> str:
    return f"/gazette/documents/{quote(number, safe='')}"


def _known_document(match: str, index: Index) -> tuple[int, str] | None:
    """The regex takes every Chinese character before 〔; the number is the longest known suffix (依据东政发… → 东政发…)."""
    bracket = match.index("〔")
    for start in range(bracket):
        if match[start:] in index:
            return start, match[start:]
    return None


def link_segments(text: str, index: Index) -> list[tuple[str, str | None]]:
    """The text cut into pieces, each with the URL it links to (None: plain text). A clause reference links into the
    document named before it; a reference the document does not number links to the document."""
    out: list[tuple[str, str | None]] = []
    pos, current = 0, None
    for m in _TOKEN.finditer(text):
        if m.group("doc"):
            known = _known_document(m.group(), index)
            if known is None:
                current = None
                continue
            offset, number = known
            current = number
            out += [(text[pos:m.start() + offset], None), (number, document_url(number))]
        elif current is not None and _OTHER_SOURCE.search(text[pos:m.start()]):
            current = None  # "东政办发〔2021〕18号；SPEC §2.1": a clause of another source, not of the gazette document
            continue
        elif current is not None:
            anchor = anchor_for(m.group(), index[current])
            out += [(text[pos:m.start()], None),
                    (m.group(), document_url(current) + (f"#{anchor}" if anchor else ""))]
        else:
            continue
        pos = m.end()
    out.append((text[pos:], None))
    return [(t, url) for t, url in out if t]


def clause_url(basis: str | Basis, index: Index) -> str | None:
    """The URL of the first clause a basis cites (or of its document when it cites none); None if the gazette does
    not have the document."""
    links = [url for _, url in link_segments(str(basis), index) if url]
    return next((u for u in links if "#" in u), links[0] if links else None)


class GazetteIndex:
    """Document number → clause anchors, per process: the shipped issues (parsed once) plus imported ones."""

    def __init__(self) -> None:
        self._docs: dict[str, frozenset[str]] = {}
        self._scanned: set[Path] = set()
        self._lock = threading.Lock()

    def register(self, number: str, anchors: frozenset[str] | set[str]) -> None:
        with self._lock:
            self._docs[number] = frozenset(anchors)

    def scan(self, directory: Path) -> Index:
        """Parse the ``*.txt`` issues of a directory once (a file that does not parse is skipped: its import will
        say why)."""
        from dongcheng.core.errors import DomainError
        from dongcheng.gazette.rules import parse_issue

        directory = Path(directory)
        with self._lock:
            if directory not in self._scanned:
                self._scanned.add(directory)
                for path in sorted(directory.glob("*.txt")) if directory.is_dir() else ():
                    try:
                        issue = parse_issue(path.read_text(encoding="utf-8-sig"))
                    except (DomainError, UnicodeDecodeError, OSError):
                        continue
                    for doc in issue.documents:
                        self._docs.setdefault(doc.number, frozenset(c.anchor for c in doc.clauses))
            return dict(self._docs)


INDEX = GazetteIndex()


def shipped_index(data_dir: Path) -> Index:
    return INDEX.scan(Path(data_dir) / "gazette")
