"""Split a gazette issue, as plain text extracted from its PDF, into the issue's cover data, its table of contents
and its documents. Pure: text in, frozen dataclasses out (or a DomainError naming what is wrong, in Chinese and
English); no I/O.

What the extraction gives (北京市东城区人民政府公报 2022年第3期): the masthead, ``第 3 期 (总第 43 期)``, the date and
``…主办`` on the cover; ``目 录`` followed by Markdown-style table rows ``| title（文号） | page |`` (an entry may wrap
over two rows, even over two tables: ``…（东政办发〔2021〕`` + ``17号)``); then each document: its title (one to three
lines, sometimes with stray spaces), its number alone on a line, the recipients line ending in ``：``, the text, the
signing organ and date (``北京市东城区人民政府`` / ``2022年2月1日``), perhaps ``(此件公开发布)``, and what it issues;
the colophon (``编辑部门：…``) closes the issue. Full-width and half-width brackets are mixed throughout.

The table of contents is the authority: each of its entries must be found in the text, in order, with the same title;
a document runs from its title to the title of the next one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dongcheng.core.basis import Basis
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.gazette.clauses import Clause, split_clauses

BASIS = Basis("SPEC", "§2.7")  # the gazette kept in the platform: every import and reimport cites it
MAX_CHARS = 2_000_000  # one issue is ~50,000 characters; twenty times that is not a gazette
MAX_TITLE, MAX_NAME = 500, 100  # the columns' lengths (titles; masthead, sponsor, organ)
FIELD = "text"  # the API renames it to the field the text came in ("file" or "body")

_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "〔", "]": "〕", "［": "〔", "］": "〕", ":": "："})
DOC_NUMBER = r"[\u4e00-\u9fff]{1,12}[〔\[［]\d{4}[〕\]］]\d{1,4}号"
_DOC_NUMBER_LINE = re.compile(rf"^{DOC_NUMBER}$")
_TOC_NUMBER = re.compile(rf"[（(]\s*({DOC_NUMBER})\s*[)）]$")
_ISSUE_NUMBER = re.compile(r"第\s*(\d{1,3})\s*期\s*(?:[（(]\s*总第\s*(\d{1,5})\s*期\s*[)）])?")
_DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_YEAR_LINE = re.compile(r"^(\d{4})$")
_ORGAN_LINE = re.compile(r"^[\u4e00-\u9fff]{2,40}(?:政府|办公室|局|委员会|委|中心|办|部|院)$")
_DISCLOSURE = re.compile(r"^[（(]\s*(此件[^)）]{1,30})\s*[)）]$")
_ATTACHMENT_LIST = re.compile(r"^[-•·\s]*附\s*件\s*[:：]\s*(.*)$")
_ATTACHMENT_HEADING = re.compile(r"^附\s*件\s*(\d{1,2})?$")
_ITEM = re.compile(r"^(\d{1,2})\s*[.．、]\s*(.+)$")
_SPACE = re.compile(r"\s+")
_COLOPHON = re.compile(r"^编\s*辑\s*部\s*门\s*[:：]")


@dataclass(frozen=True)
class TocEntry:
    """One line of the issue's 目录: the title as printed (brackets made full-width), its 文号 and page."""

    seq: int
    title: str
    document_number: str
    page: int | None
    line: int = 0  # 1-based line of the source text where the entry's row (its last row, if wrapped) stands


@dataclass(frozen=True)
class ParsedDocument:
    seq: int
    number: str  # 文号, e.g. 东政发〔2022〕3号
    title: str
    issuing_organ: str
    recipients: str  # 主送, without the closing colon
    signed_on: date | None
    disclosure: str  # （此件公开发布） or ""
    body: str  # everything after the recipients line, blank-line runs collapsed
    attachments: tuple[str, ...]
    page: int | None
    first_line: int  # 1-based lines of the source text: title … last line before the next title
    last_line: int
    header_lines: tuple[str, ...]  # title line(s), number, recipients — what precedes ``body``
    clauses: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class ParsedIssue:
    title: str  # 北京市东城区人民政府公报
    year: int
    number: int  # 第 3 期
    total_number: int | None  # 总第 43 期
    published_on: date
    sponsor: str  # 北京市东城区政务服务管理局主办
    colophon: dict[str, str]
    toc: tuple[TocEntry, ...]
    documents: tuple[ParsedDocument, ...]
    notes: tuple[str, ...] = field(default=())  # tolerated irregularities, for the import report

    @property
    def label(self) -> str:
        total = f"（总第{self.total_number}期）" if self.total_number else ""
        return f"{self.title} {self.year}年第{self.number}期{total}"


def malformed(zh: str, en: str) -> DomainError:
    """A 422 naming what is wrong with the gazette text."""
    return DomainError("公报文本格式有误", "The gazette text is malformed", 422, [FieldError(FIELD, zh, en)])


def key(text: str) -> str:
    """For comparing printed text: no whitespace, one kind of bracket."""
    return _SPACE.sub("", text).translate(_BRACKETS)


def tidy_title(text: str) -> str:
    """A title as the gazette means it: the extraction's stray spaces removed, brackets full-width (GB/T 9704)."""
    return key(text)


def parse_issue(text: str) -> ParsedIssue:
    """The whole issue: cover, table of contents, then every document the table lists, in its order."""
    lines = _lines(text)
    # 文号 lines, once: {line index: number}. A document's number stands alone on its line.
    numbered = {i: k for i, line in enumerate(lines)
                if line and len(line) < 40 and _DOC_NUMBER_LINE.match(k := key(line))}
    first_number = min(numbered, default=len(lines))
    toc_at = next((i for i, line in enumerate(lines[:first_number]) if key(line) == "目录"), None)
    if toc_at is None:  # (a document's own 目录, after its number, is not the issue's)
        raise malformed("未找到目录（“目 录”一行）", "no table of contents (a line '目 录') found")
    cover = _cover(lines[:toc_at])
    toc, body_from = _toc(lines, toc_at)
    numbers = [e.document_number for e in toc]
    if repeated := sorted({n for n in numbers if numbers.count(n) > 1}):
        at = {n: [str(e.line) for e in toc if e.document_number == n] for n in repeated}
        raise malformed("目录中文号重复：" + "；".join(f"{n}（第 {'、'.join(at[n])} 行）" for n in repeated),
                        "repeated document numbers in the table of contents: "
                        + "; ".join(f"{n} (lines {', '.join(at[n])})" for n in repeated))
    colophon_at = _colophon_start(lines, body_from)
    in_body = sorted(i for i in numbered if body_from <= i < colophon_at)
    printed = {n: [i + 1 for i in in_body if numbered[i] == n] for n in numbers}
    if twice := [n for n in numbers if len(printed[n]) > 1]:  # two documents under one number: which is it?
        raise malformed("正文中文号重复：" + "；".join(f"{n}（第 {'、'.join(map(str, printed[n]))} 行）" for n in twice),
                        "a document number printed twice in the text: "
                        + "; ".join(f"{n} (lines {', '.join(map(str, printed[n]))})" for n in twice))
    notes: list[str] = []
    starts: list[tuple[int, int]] = []  # (title start, number line) per entry
    cursor = body_from
    for entry in toc:
        number_at = next((i for i in in_body if i >= cursor and numbered[i] == entry.document_number), None)
        if number_at is None:
            raise malformed(f"目录第 {entry.seq} 项（{entry.document_number}，第 {entry.line} 行）在正文中未找到该文件",
                            f"table of contents entry {entry.seq} ({entry.document_number}, line {entry.line}): "
                            "the document is not found in the text")
        start = _title_start(lines, entry, number_at, floor=cursor, notes=notes)
        starts.append((start, number_at))
        cursor = number_at + 1
    if starts and any(lines[body_from:starts[0][0]]):
        notes.append(f"目录后、第一篇文件前有未归属的文字（第 {body_from + 1}–{starts[0][0]} 行）")
    taken = {n for _, n in starts}
    notes += [f"正文中有目录未列的文号行：{numbered[i]}" for i in in_body if i not in taken]
    documents = []
    for pos, (entry, (start, number_at)) in enumerate(zip(toc, starts, strict=True)):
        end = starts[pos + 1][0] if pos + 1 < len(starts) else colophon_at
        documents.append(_document(lines, entry, start, number_at, end))
    return ParsedIssue(
        title=cover["title"], year=cover["year"], number=cover["number"], total_number=cover["total"],
        published_on=cover["date"], sponsor=cover["sponsor"], colophon=_colophon(lines[colophon_at:]),
        toc=tuple(toc), documents=tuple(documents), notes=tuple(notes),
    )


def _lines(text: str) -> list[str]:
    if not isinstance(text, str) or not text.strip():
        raise malformed("文本为空", "the text is empty")
    if len(text) > MAX_CHARS:
        raise malformed(f"文本过长（超过 {MAX_CHARS:,} 字）", f"the text is too long (over {MAX_CHARS:,} characters)")
    if "\x00" in text:
        raise malformed("文本含有空字符（NUL），不是纯文本", "the text contains NUL characters: not plain text")
    return [line.strip() for line in text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _cover(head: list[str]) -> dict:
    """刊名, 年份, 期号 (总期号), 出版日期, 主办 — all before the 目录."""
    keyed = [key(line) for line in head]
    title = next((k for k in keyed if k.endswith("公报") and "人民政府" in k and len(k) <= MAX_NAME), None)
    if title is None:
        raise malformed("封面未找到刊名（“…人民政府公报”）", "masthead ('…人民政府公报') not found before the table of contents")
    issue = next((m for line in head if (m := _ISSUE_NUMBER.search(line))), None)
    if issue is None:
        raise malformed("封面未找到期号（“第 N 期”）", "issue number ('第 N 期') not found on the cover")
    dated = next((m for line in head if (m := _DATE_LINE.match(line))), None)
    if dated is None:
        raise malformed("封面未找到出版日期（“YYYY年M月D日”）", "issue date ('YYYY年M月D日') not found on the cover")
    published_on = _date(dated, "封面日期", "cover date")
    years = {int(m.group(1)) for line in head if (m := _YEAR_LINE.match(line))}
    if years and years != {published_on.year}:
        raise malformed(f"封面年份 {sorted(years)} 与出版日期 {published_on} 不符",
                        f"cover year {sorted(years)} differs from the issue date {published_on}")
    sponsor = next((k for k in keyed if k.endswith("主办") and len(k) <= MAX_NAME), "")
    return {"title": title, "number": int(issue.group(1)), "total": int(issue.group(2)) if issue.group(2) else None,
            "date": published_on, "year": published_on.year, "sponsor": sponsor}


def _date(m: re.Match, zh: str, en: str) -> date:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise malformed(f"{zh}无效：{m.group(0)}", f"invalid {en}: {m.group(0)}") from exc


def _toc(lines: list[str], toc_at: int) -> tuple[list[TocEntry], int]:
    """Table rows after 目录 up to the first line that is neither a row nor blank. A row without a page number
    continues into the next row (the PDF wrapped it)."""
    entries: list[TocEntry] = []
    pending = ""
    i = toc_at + 1
    while i < len(lines) and (not lines[i] or lines[i].startswith("|")):
        cells = [c.strip() for c in lines[i].strip("|").split("|")] if lines[i] else []
        i += 1
        if not cells or all(re.fullmatch(r":?-*:?", c) for c in cells):
            continue  # blank line or |---|---| separator
        text, page = " ".join(c for c in cells[:-1] if c), cells[-1]
        if not re.fullmatch(r"[0-9]{1,5}", page):  # an empty header row, or the first half of a wrapped entry
            text = " ".join(c for c in cells if c)
            pending += text
            continue
        entries.append(_toc_entry(len(entries) + 1, pending + text, int(page), i))
        pending = ""
    if pending:
        entries.append(_toc_entry(len(entries) + 1, pending, None, i))
    if not entries:
        raise malformed("目录为空（未找到“| 标题（文号） | 页码 |”行）",
                        "the table of contents is empty (no '| title (number) | page |' rows)")
    return entries, i


def _toc_entry(seq: int, text: str, page: int | None, line: int) -> TocEntry:
    joined = key(text)
    if len(joined) > MAX_TITLE:
        raise malformed(f"目录第 {seq} 项（第 {line} 行）过长（超过 {MAX_TITLE} 字）：{joined[:40]}…",
                        f"table of contents entry {seq} (line {line}) is too long (over {MAX_TITLE} characters)")
    m = _TOC_NUMBER.search(joined)
    if m is None:
        raise malformed(f"目录第 {seq} 项（第 {line} 行）没有文号：{joined[:60]}",
                        f"table of contents entry {seq} (line {line}) has no document number: {joined[:60]}")
    return TocEntry(seq=seq, title=joined[:m.start()], document_number=key(m.group(1)), page=page, line=line)


def _colophon_start(lines: list[str], floor: int) -> int:
    for i in range(len(lines) - 1, floor - 1, -1):
        if _COLOPHON.match(lines[i]):
            return i
    return len(lines)


def _colophon(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        name, sep, value = line.partition("：") if "：" in line else line.partition(":")
        if sep and key(name):
            out[key(name)] = value.strip()
    return out


def _title_start(lines: list[str], entry: TocEntry, number_at: int, *, floor: int, notes: list[str]) -> int:
    """The title is the non-blank lines just above the number whose text, joined, is the entry's title."""
    want = key(entry.title)
    taken = ""
    for i in range(number_at - 1, floor - 1, -1):
        if not lines[i]:
            continue
        taken = key(lines[i]) + taken
        if taken == want:
            return i
        if len(taken) > len(want):
            break
    # Tolerated: a title printed differently from the TOC. Take the lines that are pieces of the TOC title.
    taken, start = "", None
    for i in range(number_at - 1, floor - 1, -1):
        if not lines[i]:
            continue
        if key(lines[i]) in want and len(key(lines[i]) + taken) <= len(want):
            taken, start = key(lines[i]) + taken, i
        else:
            break
    if start is not None and len(taken) >= 0.6 * len(want):
        notes.append(f"{entry.document_number}：正文标题与目录不完全一致")
        return start
    raise malformed(f"第 {number_at + 1} 行文号 {entry.document_number} 前的标题与目录第 {entry.seq} 项"
                    f"（第 {entry.line} 行）不一致",
                    f"the title above {entry.document_number} (line {number_at + 1}) does not match table of contents "
                    f"entry {entry.seq} (line {entry.line})")


def _document(lines: list[str], entry: TocEntry, start: int, number_at: int, end: int) -> ParsedDocument:
    header = [line for line in lines[start:number_at + 1] if line]
    after = number_at + 1
    while after < end and not lines[after]:
        after += 1
    recipients = ""
    if after < end and lines[after].endswith(("：", ":")) and len(lines[after]) <= 300:
        recipients = lines[after].rstrip("：:").strip()
        header.append(lines[after])
        after += 1
    body_lines = _collapse(lines[after:end])
    if not any(body_lines):
        raise malformed(f"{entry.document_number}《{entry.title}》正文为空",
                        f"{entry.document_number} ({entry.title}) has no text")
    organ, signed_on, disclosure = _signature(body_lines, entry)
    body = "\n".join(body_lines)
    return ParsedDocument(
        seq=entry.seq, number=entry.document_number, title=entry.title, issuing_organ=organ, recipients=recipients,
        signed_on=signed_on, disclosure=disclosure, body=body, attachments=_attachments(body_lines),
        page=entry.page, first_line=start + 1, last_line=end, header_lines=tuple(header), clauses=split_clauses(body),
    )


def _collapse(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _signature(body: list[str], entry: TocEntry) -> tuple[str, date | None, str]:
    """落款: the first date line right under an organ's name; then perhaps （此件公开发布）."""
    filled = [(i, line) for i, line in enumerate(body) if line]
    for pos, (_, line) in enumerate(filled):
        m = _DATE_LINE.match(line)
        if m and pos > 0 and _ORGAN_LINE.match(filled[pos - 1][1]):
            signed_on = _date(m, f"{entry.document_number}的成文日期", f"signing date of {entry.document_number}")
            note = filled[pos + 1][1] if pos + 1 < len(filled) else ""
            d = _DISCLOSURE.match(note)
            return filled[pos - 1][1], signed_on, f"（{d.group(1)}）" if d else ""
    organ = entry.title.partition("关于")[0]  # 北京市东城区人民政府关于… → the organ in the title
    return organ[:MAX_NAME], None, ""


def _attachments(body: list[str]) -> tuple[str, ...]:
    """附件：1. … 2. … (a list; a line without a number continues the item above), and 附件 N headings (title on
    the next line). Repeats (a form printed twice) are listed once."""
    out: list[str] = []
    i = 0
    while i < len(body):
        line = body[i]
        listed = _ATTACHMENT_LIST.match(line)
        heading = _ATTACHMENT_HEADING.match(line)
        if listed:
            items = [listed.group(1)] if listed.group(1) else []
            i += 1
            while i < len(body) and body[i]:
                if _ITEM.match(body[i]) or not items:
                    items.append(body[i])
                else:
                    items[-1] += body[i]
                i += 1
            out += [tidy_title(m.group(2) if (m := _ITEM.match(item)) else item) for item in items]
            continue
        if heading:
            title = next((x for x in body[i + 1:i + 4] if x), "")
            if title:
                out.append(tidy_title(title))
        i += 1
    return tuple(dict.fromkeys(t for t in out if t))
