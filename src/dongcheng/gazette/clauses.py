"""Clauses of a document and their anchors, and the reading layout of a body. Pure: text in, dataclasses out.

Three numbering styles occur in the gazette, one per document:
- decimal, as in the emergency plan 东政发〔2022〕3号: ``4`` · ``4.1`` · ``4.1.5`` → anchors ``s-4``, ``s-4.1``,
  ``s-4.1.5`` (cited as ``东政发〔2022〕3号 §4.1.5``);
- articles, as in the 东人社发 measures: ``第七条`` → ``a-7`` (cited as ``东人社发〔2021〕101号 第七条``);
- sections, as in the 东政办发〔2021〕17号 plan: ``三、`` and ``（一）`` under it → ``c-3``, ``c-3-1``.

A numbered line is a clause only if it follows the one before (next sibling, first child, or next sibling of an
ancestor; a skipped number is tolerated), so stray numbers in the text are never taken for clauses. A document's
own table of contents (``目 录`` … up to the second occurrence of its first heading) is not a clause list. A
number printed twice (the plan has two §2.3.6) keeps its number; the second anchor gets ``-2``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(?:\s+|(?=[\u4e00-\u9fff“《（(]))(\S.*)$|^(\d{1,2})\s+(\S.*)$")
_ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百]{1,5})条(?:\s+|(?=\S))(.*)$")
_SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})、\s*(.*)$")
_SUBSECTION = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[)）]\s*(.*)$")
_REF_DECIMAL = re.compile(r"^§?\s*(\d{1,2}(?:\.\d{1,2}){0,3})(?:\s*[（(]\s*\d{1,2}\s*[)）])?")
_REF_ARTICLE = re.compile(r"^§?\s*第([零〇一二三四五六七八九十百]{1,5})条")
_REF_SECTION = re.compile(r"^§?\s*([一二三四五六七八九十]{1,3})(?:、)?\s*(?:[（(]([一二三四五六七八九十]{1,3})[)）])?")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_END = "。；：！？”）)"  # a paragraph ending in one of these is complete


@dataclass(frozen=True)
class Clause:
    number: str  # as cited: 4.1.5 | 第七条 | 三（一）
    anchor: str  # s-4.1.5 | a-7 | c-3-1
    level: int
    heading: str  # the numbered line without its number
    text: str  # the numbered line and what follows it, up to the next clause
    line: int  # index of the numbered line in the body's lines


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103 (enough for articles and sections)."""
    if not text or any(ch not in _DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


def _follows(prev: tuple[int, ...] | None, cur: tuple[int, ...]) -> bool:
    if prev is None:
        return all(x == 1 for x in cur)
    if cur == prev or cur == prev + (1,):
        return True
    for depth in range(1, len(prev) + 1):  # next sibling at this depth (one skipped number tolerated)
        if len(cur) == depth and cur[:-1] == prev[:depth - 1] and 1 <= cur[-1] - prev[depth - 1] <= 2:
            return True
    return False


def _toc_end(lines: list[str]) -> int:
    """Where the document's own 目录 ends (the second time its first heading is printed), or 0 if it has none."""
    toc = next((i for i, line in enumerate(lines) if re.sub(r"\s+", "", line) == "目录"), None)
    if toc is None:
        return 0
    first = next((i for i in range(toc + 1, len(lines)) if lines[i] and _DECIMAL.match(lines[i])), None)
    if first is None:
        return 0
    again = next((i for i in range(first + 1, len(lines)) if lines[i] == lines[first]), None)
    return again if again is not None else 0


def _decimal(lines: list[str]) -> list[tuple[int, str, str, int, tuple]]:
    found: list[tuple[int, str, str, int, tuple]] = []
    prev: tuple[int, ...] | None = None
    for i in range(_toc_end(lines), len(lines)):
        m = _DECIMAL.match(lines[i])
        if not m:
            continue
        number, heading = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        cur = tuple(int(x) for x in number.split("."))
        if _follows(prev, cur):
            found.append((i, number, heading, len(cur), cur))
            prev = cur
    return found


def _articles(lines: list[str]) -> list[tuple[int, str, str, int, tuple]]:
    found: list[tuple[int, str, str, int, tuple]] = []
    prev = 0
    for i, line in enumerate(lines):
        m = _ARTICLE.match(line)
        n = chinese_number(m.group(1)) if m else None
        if n is not None and 1 <= n - prev <= 2:
            found.append((i, f"第{m.group(1)}条", m.group(2), 1, (n,)))
            prev = n
    return found


def _sections(lines: list[str]) -> list[tuple[int, str, str, int, tuple]]:
    found: list[tuple[int, str, str, int, tuple]] = []
    top, sub = 0, 0
    for i, line in enumerate(lines):
        if (m := _SECTION.match(line)) and (n := chinese_number(m.group(1))) and 1 <= n - top <= 2:
            top, sub = n, 0
            found.append((i, m.group(1), m.group(2), 1, (n,)))
        elif top and (m := _SUBSECTION.match(line)) and (n := chinese_number(m.group(1))) and 1 <= n - sub <= 2:
            sub = n
            parent = next(f[1] for f in reversed(found) if f[3] == 1)
            found.append((i, f"{parent}（{m.group(1)}）", m.group(2), 2, (top, n)))
    return found


def _anchor(style: str, key: tuple[int, ...]) -> str:
    return {"decimal": "s-", "article": "a-", "section": "c-"}[style] + \
        ("." if style == "decimal" else "-").join(str(x) for x in key)


def split_clauses(body: str) -> tuple[Clause, ...]:
    """The document's clauses in order, in the first style that finds at least two (decimal, articles, sections)."""
    lines = body.split("\n")
    for style, finder in (("decimal", _decimal), ("article", _articles), ("section", _sections)):
        found = finder(lines)
        if len(found) >= 2:
            return _clauses(lines, found, style)
    return ()


def _clauses(lines: list[str], found: list[tuple[int, str, str, int, tuple]], style: str) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    seen: dict[str, int] = {}
    for pos, (i, number, heading, level, k) in enumerate(found):
        end = found[pos + 1][0] if pos + 1 < len(found) else len(lines)
        anchor = _anchor(style, k)
        seen[anchor] = seen.get(anchor, 0) + 1
        if seen[anchor] > 1:
            anchor = f"{anchor}-{seen[anchor]}"
        text = "\n".join(line for line in lines[i:end] if line)
        clauses.append(Clause(number=number, anchor=anchor, level=level, heading=heading.strip(), text=text, line=i))
    return tuple(clauses)


def anchor_for(reference: str, anchors: set[str] | frozenset[str]) -> str | None:
    """``§4.1.5`` → ``s-4.1.5``; ``§3.2.3(2)`` → ``s-3.2.3`` (items inside a clause have no anchor of their own);
    ``§4.1.9.9`` → the deepest printed ancestor; ``第七条`` → ``a-7``; ``三（一）`` → ``c-3-1``. None if the document
    has no such clause."""
    ref = reference.strip()
    if m := _REF_DECIMAL.match(ref):
        parts = m.group(1).split(".")
        for depth in range(len(parts), 0, -1):
            if (a := "s-" + ".".join(str(int(p)) for p in parts[:depth])) in anchors:
                return a
        return None
    if (m := _REF_ARTICLE.match(ref)) and (n := chinese_number(m.group(1))):
        return f"a-{n}" if f"a-{n}" in anchors else None
    if (m := _REF_SECTION.match(ref)) and (top := chinese_number(m.group(1))):
        sub = chinese_number(m.group(2)) if m.group(2) else None
        for a in ([f"c-{top}-{sub}"] if sub else []) + [f"c-{top}"]:
            if a in anchors:
                return a
    return None


# ---------------------------------------------------------------------------------------------- reading layout


@dataclass(frozen=True)
class Block:
    kind: str  # p | heading | table | sign | toc
    text: str = ""
    anchor: str = ""
    number: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


def printed_number(clause: Clause) -> str:
    """The number as the document prints it: 4.1.5 · 第七条 · 三、 · （一）."""
    if clause.anchor.startswith("c-"):
        return f"{clause.number}、" if clause.level == 1 else clause.number[clause.number.index("（"):]
    return clause.number


def _same(a: str, b: str) -> bool:
    table = str.maketrans("()", "（）")
    return re.sub(r"\s+", "", a).translate(table) == re.sub(r"\s+", "", b).translate(table)


def _is_heading(clause: Clause) -> bool:
    return len(clause.heading) <= 30 and not any(p in clause.heading for p in "。；，")


def layout(body: str, clauses: tuple[Clause, ...], signature: tuple[str, ...] = ()) -> list[Block]:
    """The body as blocks for the page: clause headings and numbered paragraphs with their anchors, tables from the
    extraction's ``| a | b |`` rows, the 落款 lines (``signature``: organ, date, disclosure, in order), the document's
    own 目录 (rows of (line, anchor)), and paragraphs; a paragraph the PDF broke at a page end is joined to its
    continuation."""
    lines = body.split("\n")
    at = {c.line: c for c in clauses}
    toc_end = _toc_end(lines) if clauses and clauses[0].anchor.startswith("s-") else 0
    toc_start = next((i for i, line in enumerate(lines) if re.sub(r"\s+", "", line) == "目录"), 0) if toc_end else 0
    sign = list(signature)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if toc_end and toc_start <= i < toc_end:
            anchors = {c.anchor for c in clauses}
            entries = []
            for x in (x for x in lines[toc_start + 1:toc_end] if x):
                m = _DECIMAL.match(x)
                number = (m.group(1) or m.group(3)) if m else ""
                entries.append((x, f"s-{number}" if f"s-{number}" in anchors else ""))
            blocks.append(Block("toc", text="目录", rows=tuple(entries)))
            i = toc_end
            continue
        if line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = tuple(c.strip() for c in lines[i].strip().strip("|").split("|"))
                if not all(re.fullmatch(r":?-*:?", c) for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(Block("table", rows=tuple(rows)))
            continue
        if i in at:
            c = at[i]
            kind = "heading" if _is_heading(c) else "p"
            blocks.append(Block(kind, text=c.heading, anchor=c.anchor, number=printed_number(c), level=c.level))
        elif sign and _same(line, sign[0]):
            sign.pop(0)
            blocks.append(Block("sign", text=line))
        elif (blocks and blocks[-1].kind == "p" and len(blocks[-1].text) >= 30 and blocks[-1].text[-1] not in _END
              and not _starts_numbered(line)):
            blocks[-1] = replace(blocks[-1], text=blocks[-1].text + line)
        else:
            blocks.append(Block("p", text=line))
        i += 1
    return blocks


def _starts_numbered(line: str) -> bool:
    return bool(_DECIMAL.match(line) or _ARTICLE.match(line) or _SECTION.match(line) or _SUBSECTION.match(line)
                or re.match(r"^[（(]\d{1,2}[)）]|^\d{1,2}[.．、]|^附\s*件", line))


# --- search (core/search.py indexes what these give) ----------------------------------------------------------

_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# Text extracted from the PDF puts spaces between Chinese and figures (后 10 分钟); a reader types 10分钟.
_LOOSE_SPACE = re.compile(rf"(?<=[{_CJK}0-9])[ \t\u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u00a0]+(?=[0-9])")
_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.．、](?!\d)", re.MULTILINE)  # 4. — not 4.1.5


def search_text(text: str) -> str:
    """The text as it is indexed and searched: the PDF's spaces between Chinese characters and figures removed."""
    return _LOOSE_SPACE.sub("", text)


def item_at(text: str, position: int) -> str | None:
    """The numbered item (``4.`` at a line's start) a position of a clause's text falls in: 三（二） item 4 is cited
    三（二）4."""
    found = None
    for match in _ITEM.finditer(text, 0, position + 1):
        found = match.group(1)
    return found
