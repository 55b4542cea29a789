"""The issue as it was printed: one PDF of the cover, the 目录, and every document — title, 文号, 主送, body with its
clause numbering, tables as tables, 落款 and 附注, what it issues and its 附件 — in GB/T 9704 typography, rendered by
WeasyPrint from what the database holds (SPEC §2.7).

- The 目录's page numbers are the PDF's own: CSS ``target-counter()`` names the page each document's title lands on,
  and the folio (``— 1 —``) starts at 1 on the first document's page, as the printed issue numbers its pages.
- Typography (GB/T 9704-2012): A4, 天头 37 mm, 订口 28 mm (left on odd pages, right on even ones), 版心 156 × 225 mm,
  22 lines of 28 characters of 3号 (16 pt) body text; titles in 2号 (22 pt); 一、 in 黑体, （一） in 楷体; page numbers
  in 4号 with a dash either side, 7 mm under the 版心, odd pages at the right and even ones at the left, one character
  in. Debian ships no simplified-Chinese 仿宋 or 小标宋: the body is set in Noto Serif CJK SC (宋体), titles in its
  bold, 黑体 is Noto Sans CJK SC (fonts-noto-cjk) and 楷体 is AR PL UKai CN (fonts-arphic-ukai).
- Cached: the PDF is kept per content hash (the HTML it is rendered from, which is everything the database says
  about the issue, and the renderer's version); a second request for an unchanged issue is served without
  rendering, and its ETag answers ``If-None-Match`` with a 304.

Not pure (it reads the database and renders): the faces (pages, cli) call it; the service never does.
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
from sqlalchemy.orm import Session

from dongcheng.gazette import clauses as layout_rules
from dongcheng.gazette import service
from dongcheng.gazette.models import GazetteDocument, GazetteIssue

TEMPLATE = "gazette/print/issue.html"
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                          autoescape=jinja2.select_autoescape(), trim_blocks=True, lstrip_blocks=True)
CACHED_ISSUES = 4  # PDFs kept in memory (the seed issue's is ~2 MB)

_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")
_FIGURE_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]*([0-9][0-9.%]*)[ \t\u00a0]+(?=[{_CJK}])")  # 下设 17 个
_FIGURE_AFTER = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[0-9])")  # 截至 2022
_CHECKBOX = re.compile(r"<input\s+type=[\"']?checkbox[\"']?\s*/?>", re.IGNORECASE)
_ANNEX = re.compile(r"^附\s*件\s*(\d{1,2})?$")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十]{1,3}[章节]\s*\S")
_CHAPTER_GAP = re.compile(r"^(第[一二三四五六七八九十]{1,3}[章节])\s*")
_NOT_A_TITLE = "。；，：;,:！？"
_DIGITS = re.compile(r"^\d{1,4}$")


# ------------------------------------------------------------------------------------------------ the print model


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    group: bool = False  # a row naming a group of the rows under it (自然灾害类)
    joined: bool = False  # blank under a filled cell: the printed table merged the two (项目类别)


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...] | None
    rows: tuple[tuple[Cell, ...], ...]
    width: int
    raw: tuple[tuple[str, ...], ...] = ()  # the body rows' texts


@dataclass(frozen=True)
class Part:
    """One block of a printed document."""

    kind: str  # title | annex | heading | clause | chapter | p | table | sign | note | toc
    text: str = ""
    number: str = ""  # a clause's number as printed
    style: str = ""  # heading style: hei (黑体) | kai (楷体) | bold | article
    anchor: str = ""
    new_page: bool = False
    lines: tuple[tuple[str, int], ...] = ()  # sign: (line, 0); toc: (line, level)
    table: Table | None = None


@dataclass(frozen=True)
class PrintedDocument:
    seq: int
    number: str
    title_lines: tuple[str, ...]
    issuing_organ: str
    recipients: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class PrintedIssue:
    title: str
    year: int
    number: int
    total_number: int | None
    published_on: str
    sponsor: str
    colophon: dict[str, str]
    toc: tuple[tuple[int, str, str], ...]  # (document seq, title, 文号)
    documents: tuple[PrintedDocument, ...] = field(default=())


def prose(text: str) -> str:
    """Body text: the extraction's spaces around figures inside a sentence removed (后 10 分钟 → 后10分钟); a number
    opening a line keeps its space (1 总则), and so do the blanks of a form (年 月 日)."""
    return _FIGURE_AFTER.sub("", _FIGURE_GAP.sub(r"\1", text.strip()))


def tidy(text: str) -> str:
    """A title or a table cell: the extraction's line-wrap spaces between Chinese characters removed too."""
    return prose(_CJK_GAP.sub("", text.strip()))


def _cell(text: str) -> str:
    return tidy(_CHECKBOX.sub("☐", text))


def _heading_style(anchor: str, level: int) -> str:
    if anchor.startswith("a-"):
        return "article"
    return {1: "hei", 2: "kai"}.get(level, "bold")


def _titleish(text: str) -> bool:
    """A short line with no sentence punctuation: the title of what a notice issues, or of an attachment."""
    return len(text) <= 40 and not any(p in text for p in _NOT_A_TITLE) and not layout_rules._starts_numbered(text)


def build_table(rows: tuple[tuple[str, ...], ...]) -> Table:
    """The extraction's ``| a | b |`` rows as a table: its empty Markdown header dropped, a header row kept apart
    (printed again on every page the table runs over), a row with only its first cell filled spanning the table."""
    cells = [tuple(_cell(c) for c in row) for row in rows]
    while cells and not any(cells[0]):
        cells.pop(0)
    width = max((len(r) for r in cells), default=1)
    cells = [r + ("",) * (width - len(r)) for r in cells]
    head = None
    if (len(cells) > 1 and all(cells[0]) and not any(_DIGITS.match(c) for c in cells[0])
            and any(_DIGITS.match(r[0]) for r in cells[1:])):
        head, cells = cells[0], cells[1:]
    return Table(head, _body_rows(cells, width, head is not None), width, tuple(cells))


def _body_rows(cells: list[tuple[str, ...]], width: int, data_table: bool) -> tuple[tuple[Cell, ...], ...]:
    out: list[tuple[Cell, ...]] = []
    for row in cells:
        if data_table and width >= 3 and row[0] and not any(row[1:]):
            out.append((Cell(row[0], colspan=width, group=True),))
            continue
        above = out[-1] if out and not out[-1][0].group else None
        out.append(tuple(
            Cell(text, joined=bool(data_table and col and not text and row[0] and above is not None
                                   and (above[col].text or above[col].joined)))
            for col, text in enumerate(row)))
    return tuple(out)


def _continue_table(first: Table, rows: tuple[tuple[str, ...], ...]) -> Table | None:
    """The table the PDF split over a page break, joined again: the same width, and either no header or the
    first part's header repeated."""
    more = build_table(rows)
    if more.width != first.width or (more.head is not None and more.head != first.head):
        return None
    raw = first.raw + more.raw
    return Table(first.head, _body_rows(list(raw), first.width, first.head is not None), first.width, raw)


def document_parts(doc: GazetteDocument) -> tuple[Part, ...]:
    """The body as printed blocks, from the same layout the document page uses (clauses.layout)."""
    found = layout_rules.split_clauses(doc.body)
    signed = f"{doc.signed_on.year}年{doc.signed_on.month}月{doc.signed_on.day}日" if doc.signed_on else ""
    signature = tuple(x for x in (doc.issuing_organ, signed, doc.disclosure) if x) if signed else ()
    blocks = layout_rules.layout(doc.body, found, signature)
    out: list[Part] = []
    expect_title = False  # after the 落款 or an 附件 N heading comes the title of what the notice issues
    for b in blocks:
        if b.kind == "sign":
            if doc.disclosure and layout_rules._same(b.text, doc.disclosure):
                out.append(Part("note", text=doc.disclosure))
            elif out and out[-1].kind == "sign":
                out[-1] = replace(out[-1], lines=out[-1].lines + ((prose(b.text), 0),))
            else:
                out.append(Part("sign", lines=((prose(b.text), 0),)))
            expect_title = True
            continue
        if b.kind == "table":
            if out and out[-1].kind == "table" and (more := _continue_table(out[-1].table, b.rows)):
                out[-1] = replace(out[-1], table=more)
            else:
                out.append(Part("table", table=build_table(b.rows)))
            expect_title = False
            continue
        if b.kind == "toc":
            out.append(Part("toc", text="目录", lines=tuple(
                (text.strip(), text.split(" ")[0].count(".") + 1 if anchor else 1) for text, anchor in b.rows)))
            expect_title = False
            continue
        if b.anchor:
            kind = "heading" if b.kind == "heading" else "clause"
            out.append(Part(kind, text=prose(b.text), number=b.number, style=_heading_style(b.anchor, b.level),
                            anchor=b.anchor))
            expect_title = False
            continue
        text = b.text.strip()
        if m := _ANNEX.match(text):
            out.append(Part("annex", text=f"附件{m.group(1) or ''}", new_page=True))
            expect_title = True
        elif _CHAPTER.match(text):  # 第一章　总则
            out.append(Part("chapter", text=_CHAPTER_GAP.sub("\\1\u3000", tidy(text), count=1)))
            expect_title = False
        elif expect_title and _titleish(text):
            new_page = not (out and out[-1].kind in ("title", "annex"))
            out.append(Part("title", text=tidy(text), new_page=new_page, lines=tuple((x, 0) for x in balanced(tidy(text)))))
        else:
            out.append(Part("p", text=prose(text)))
            expect_title = False
    return tuple(out)


TITLE_CHARS = 20  # 2号 (22 pt) characters on the 156 mm line
_BREAK_AFTER = "的》）、和与及"
_NO_LINE_START = "》）〕、，。：；”’"
_NO_LINE_END = "《（〔“‘"


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def balanced(text: str, per_line: int = TITLE_CHARS) -> tuple[str, ...]:
    """A title over lines of near-equal length (GB/T 9704: 排列对称, 梯形或菱形), breaking after 的, 》, ）, 、 or
    before 《, （ where one is within four characters of the middle, never before closing or after opening
    punctuation. Without a dictionary it cannot know words: elsewhere it may break one (医疗卫 / 生)."""
    lines: list[str] = []
    rest = text
    while _width(rest) > per_line:
        n = -(-int(_width(rest) * 2) // (per_line * 2))
        target = _width(rest) / n
        best: tuple[float, int] | None = None
        for pos in range(1, len(rest)):
            head = _width(rest[:pos])
            if head > per_line:
                break
            if head < target - 4 or rest[pos] in _NO_LINE_START or rest[pos - 1] in _NO_LINE_END:
                continue
            score = abs(head - target) - (4 if rest[pos - 1] in _BREAK_AFTER or rest[pos] in "《（" else 0)
            if best is None or score < best[0]:
                best = (score, pos)
        pos = best[1] if best else max(1, int(target))
        lines.append(rest[:pos])
        rest = rest[pos:]
    return (*lines, rest) if rest else tuple(lines)


def title_lines(doc: GazetteDocument) -> tuple[str, ...]:
    """北京市东城区人民政府 / 关于…的通知: a title that opens with its organ breaks after it, as the gazette prints it;
    the rest is balanced over its lines."""
    title = tidy(doc.title)
    organ = tidy(doc.issuing_organ or "")
    if organ and title.startswith(organ + "关于"):
        return organ, *balanced(title[len(organ):])
    return balanced(title)


def printed_issue(issue: GazetteIssue) -> PrintedIssue:
    """Needs ``issue.toc`` and ``issue.documents`` loaded (service.get_issue)."""
    by_number = {d.number: d for d in issue.documents}
    docs = tuple(PrintedDocument(
        seq=d.seq, number=d.number, title_lines=title_lines(d), issuing_organ=d.issuing_organ,
        recipients=prose(d.recipients), parts=document_parts(d)) for d in issue.documents)
    toc = tuple((by_number[e.document_number].seq, tidy(e.title), e.document_number)
                for e in issue.toc if e.document_number in by_number)
    day = issue.published_on
    return PrintedIssue(
        title=issue.title, year=issue.year, number=issue.number, total_number=issue.total_number,
        published_on=f"{day.year}年{day.month}月{day.day}日", sponsor=issue.sponsor,
        colophon=dict(issue.colophon or {}), toc=toc, documents=docs)


def issue_html(issue: GazetteIssue) -> str:
    """The HTML the PDF is rendered from (no database ids in it: the same contents give the same bytes)."""
    return _ENV.get_template(TEMPLATE).render(issue=printed_issue(issue))


# ------------------------------------------------------------------------------------------------ rendering


@dataclass(frozen=True)
class Published:
    pdf: bytes
    etag: str  # the content hash, quoted for the ETag header
    pages: int
    seconds: float  # rendering time (0 when it came from the cache)
    cached: bool
    filename: str  # 东城区政府公报-2022年第3期.pdf


_CACHE: OrderedDict[str, tuple[bytes, int]] = OrderedDict()
_LOCK = threading.Lock()  # one rendering at a time: it takes seconds of CPU and ~0.5 GB
_CACHE_LOCK = threading.Lock()  # the cache itself, held for microseconds
renders = 0  # how many times this process has rendered a PDF (the tests watch it)


def content_key(html: str) -> str:
    import weasyprint

    return hashlib.sha256(f"weasyprint {weasyprint.__version__}\n{html}".encode()).hexdigest()


def etag_of(key: str) -> str:
    return f'"{key[:40]}"'


def filename_of(issue: GazetteIssue) -> str:
    return f"gazette-{issue.year}-{issue.number:02d}.pdf"


def prepare(session: Session, issue_id: int) -> tuple[GazetteIssue, str, str]:
    """(issue, html, content key): what a request needs to answer If-None-Match without rendering."""
    issue = service.get_issue(session, issue_id)
    html = issue_html(issue)
    return issue, html, content_key(html)


def publish(session: Session, issue_id: int, *, on_page: Callable[[int], None] | None = None) -> Published:
    """The issue's PDF: from the cache when its contents are unchanged, else rendered (``on_page(n)`` as WeasyPrint
    lays out page n). 404 for an unknown issue."""
    issue, html, key = prepare(session, issue_id)
    return publish_html(html, key, filename_of(issue), on_page=on_page)


def publish_html(html: str, key: str, filename: str, *,
                 on_page: Callable[[int], None] | None = None) -> Published:
    hit = _cached(key)
    if hit is None:
        with _LOCK:
            hit = _cached(key)  # another request may have rendered it while this one waited
            if hit is None:
                started = time.perf_counter()
                pdf, pages = render(html, on_page=on_page)
                seconds = time.perf_counter() - started
                with _CACHE_LOCK:
                    _CACHE[key] = (pdf, pages)
                    while len(_CACHE) > CACHED_ISSUES:
                        _CACHE.popitem(last=False)
                return Published(pdf, etag_of(key), pages, seconds, False, filename)
    pdf, pages = hit
    return Published(pdf, etag_of(key), pages, 0.0, True, filename)


def _cached(key: str) -> tuple[bytes, int] | None:
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
        return hit


class _PageProgress(logging.Handler):
    """WeasyPrint logs ``Step 5 - Creating layout - Page N`` as it lays out each page."""

    _PAGE = re.compile(r"Creating layout - Page (\d+)")

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.on_page = on_page

    def emit(self, record: logging.LogRecord) -> None:
        if m := self._PAGE.search(record.getMessage()):
            self.on_page(int(m.group(1)))


def render(html: str, *, on_page: Callable[[int], None] | None = None) -> tuple[bytes, int]:
    """The PDF and its page count. Fonts come from fontconfig (Debian's packages); nothing is fetched."""
    global renders
    import weasyprint
    from weasyprint.logger import PROGRESS_LOGGER

    handler = _PageProgress(on_page) if on_page else None
    level = PROGRESS_LOGGER.level
    if handler:
        PROGRESS_LOGGER.addHandler(handler)
        PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_no_fetch).render()
        pdf = document.write_pdf()
    finally:
        if handler:
            PROGRESS_LOGGER.removeHandler(handler)
            PROGRESS_LOGGER.setLevel(level)
    renders += 1
    return pdf, len(document.pages)


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the printed gazette fetches nothing ({url[:80]})")
