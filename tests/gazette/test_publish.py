"""The seed issue as it was printed (gazette/publish.py): rendered once for this module from what the suite's database
holds, then read back with poppler as a reader would see it — pdfinfo for the pages, pdftotext -layout page by page
for the 目录 and the folios, pdftotext -bbox for where the text sits on the page."""
from __future__ import annotations

import re
import subprocess
import time
from collections import defaultdict

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.gazette import publish
from dongcheng.gazette.models import GazetteDocument, GazetteIssue
from dongcheng.gazette.rules import DOC_NUMBER
from tests.gazette.conftest import NUMBERS

# Measured: cover, 目录, 110 numbered pages of documents, the colophon (WeasyPrint 70, Debian's Noto CJK and AR PL
# UKai). The fonts and the renderer are pinned by the Makefile and pyproject, so the figure is exact.
PAGES = 113
MM = 72 / 25.4  # PDF points per millimetre
FOLIO = re.compile(r"^\s*—\s*(\d{1,3})\s*—\s*$")


@pytest.fixture(scope="module")
def printed(engine, tmp_path_factory):
    """(Published, its file, every page's text) for the seed issue as `serve` provisioned it (one rendering)."""
    with Session(engine) as session:
        issue_id = session.scalar(select(GazetteIssue.id).where(GazetteIssue.year == 2022, GazetteIssue.number == 3))
        started = time.perf_counter()
        result = publish.publish(session, issue_id)
        print(f"\nseed issue: {result.pages} pages, rendered in {result.seconds:.1f} s "
              f"({time.perf_counter() - started:.1f} s with the query), {len(result.pdf) // 1024} KB")
    assert result.filename == "gazette-2022-03.pdf"
    path = tmp_path_factory.mktemp("gazette_pdf") / result.filename
    path.write_bytes(result.pdf)
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    pages = layout.stdout.split("\f")[:-1]  # pdftotext ends every page with a form feed
    return result, path, pages


def folios(pages: list[str]) -> dict[int, int]:
    """{printed page number: index of the PDF page} from the ``— N —`` line at each page's foot."""
    found = {}
    for index, text in enumerate(pages):
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and (m := FOLIO.match(lines[-1])):
            found[int(m.group(1))] = index
    return found


def contents(pages: list[str]) -> list[tuple[str, int]]:
    """(文号, page) of each 目录 entry, as printed on the 目录 page."""
    text = re.sub(r"\s+", "", pages[1])
    assert text.startswith("目录"), text[:40]
    return [(n, int(p)) for n, p in re.findall(rf"（({DOC_NUMBER})）[.·…]*(\d{{1,3}})", text)]


def test_the_pdf_is_a4_and_has_the_measured_pages(printed):
    result, path, pages = printed
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(PAGES) == str(result.pages) == str(len(pages))
    assert "595.276 x 841.89 pts (A4)" in info
    assert "北京市东城区人民政府公报 2022年第3期" in info  # the PDF's title
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    for face in ("Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC", "AR-PL-UKai-CN"):  # 宋 黑 楷
        assert re.search(rf"\+{face}\s.*\byes yes yes\b", fonts), (face, fonts)  # embedded, subset, with ToUnicode


def test_every_documents_number_is_on_the_page_its_contents_entry_names(printed):
    _, _, pages = printed
    cover = re.sub(r"\s+", "", pages[0])
    assert "北京市东城区人民政府" in cover and "第3期（总第43期）" in cover and "2022年2月11日" in cover
    assert "北京市东城区政务服务管理局主办" in cover
    entries = contents(pages)
    assert [n for n, _ in entries] == NUMBERS  # every document, in the issue's order
    at = folios(pages)
    assert at[1] == 2  # the cover and the 目录 carry no folio; the first document's page is page 1
    assert sorted(at) == list(range(1, max(at) + 1))  # every page after them numbered, none skipped
    assert [p for _, p in entries] == sorted(p for _, p in entries)
    for number, page in entries:
        assert page in at, (number, page)
        heading = [i for i, text in enumerate(pages) if number in (line.strip() for line in text.splitlines())]
        assert heading and heading[0] == at[page], (number, page, heading)  # it first stands alone on that page


def test_documents_print_their_parts(printed, engine):
    _, _, pages = printed
    text = "\n".join(pages)
    lines = [line.strip() for line in text.splitlines()]
    squeezed = re.sub(r"\s+", "", text)
    with Session(engine) as session:
        docs = list(session.scalars(select(GazetteDocument).join(GazetteIssue).where(GazetteIssue.year == 2022,
                                                                                   GazetteIssue.number == 3)))
    assert len(docs) == 11
    for doc in docs:
        assert doc.recipients.replace(" ", "") + "：" in squeezed, doc.number  # 主送
        assert doc.issuing_organ in squeezed, doc.number  # 发文机关 (落款, or the title)
        if doc.signed_on:  # 落款: the date under the organ
            day = f"{doc.signed_on.year}年{doc.signed_on.month}月{doc.signed_on.day}日"
            assert f"{doc.issuing_organ}{day}" in squeezed, doc.number
    assert squeezed.count("（此件公开发布）") == sum(1 for d in docs if d.disclosure) == 4  # 附注
    # clause numbering as printed: decimal sections, articles, 一、/（一）
    starts = [re.sub(r"\s+", "", line) for line in lines]
    for start in ("4.1.5对于暂时无法判明等级", "2.3.6突发事件处置分工", "第七条示范基地", "一、指导思想",
                  "（一）构建多元化监管机制", "第一章总则"):
        assert any(line.startswith(start) for line in starts), start
    assert "后10分钟" in squeezed and "后 10 分钟" not in text  # the extraction's spaces around figures are gone


def test_tables_are_tables(printed):
    _, _, pages = printed
    rows = [re.split(r"\s{2,}", line.strip()) for page in pages for line in page.splitlines()]
    # the heritage list: four columns on one line, its 30 rows, the header again on the page it runs over to
    assert ["1", "传统音乐", "京袭吴门古琴艺术", "北京翰明正元文化发展有限公司"] in rows
    assert ["30", "足穴医椎疗法", "北京奇星谷文化发展有限公司"] in rows  # 项目类别 merged with the cell above
    heritage = [i for i, page in enumerate(pages) if re.search(r"序号\s+项目类别\s+项目名称\s+申报单位", page)]
    assert len(heritage) == 2 and heritage[1] == heritage[0] + 1
    # §2.3.6: a category row across the table, rows of three columns
    assert ["事故灾难类"] in rows and ["17", "特种设备事故", "区市场监管局"] in rows
    assert ["36", "旅游突发事件", "区文化和旅游局、东城公安分局"] in rows
    # §8.3: the catalogue, split over a page break in the extraction, printed whole
    assert ["10", "东城区金融突发事件应急预案", "区金融服务办"] in rows
    assert ["7", "东城区突发事件秩序管控预案", "东城公安分局"] in rows


def test_the_text_keeps_to_the_type_area_of_gb_t_9704(printed):
    """版心 156 × 225 mm under a 37 mm 天头, the 28 mm 订口 at the left of odd pages and the right of even ones; the
    folio 7 mm under it; a page of running text is 22 lines of 28 characters."""
    _, path, pages = printed
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    boxes = re.findall(r"<page [^>]*>(.*?)</page>", bbox, re.S)
    at = {index: folio for folio, index in folios(pages).items()}
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    full_pages = widths = 0
    for index, body in enumerate(boxes):
        if index not in at:
            continue
        left = 28 if at[index] % 2 else 26
        lines: dict[int, str] = defaultdict(str)
        for x0, y0, x1, y1, text in ((float(a), float(b), float(c), float(d), t) for a, b, c, d, t in word.findall(body)):
            if y0 > 262 * MM:  # under the 版心: only the folio, its dashes 7 mm down
                assert re.fullmatch(r"[—\d]+", text) and abs((y0 + y1) / 2 - 269 * MM) < MM, (at[index], text, y0 / MM)
                continue
            assert left * MM - 1 <= x0 and x1 <= (left + 156) * MM + 1, (at[index], text, x0 / MM, x1 / MM)
            assert y0 >= 37 * MM - 1, (at[index], text, y0 / MM)
            lines[round(y0)] += text
        if len(lines) == 22:
            full_pages += 1
            widths = max(widths, *(sum(0.5 if ch.isascii() else 1 for ch in line) for line in lines.values()))
    assert full_pages >= 40 and widths == 28  # measured: 43 full pages of running text


def test_the_pdf_is_public_and_rendered_once_per_content(client, imported, printed):
    result, _, _ = printed
    renders = publish.renders
    url = f"/gazette/issues/{imported.issue.id}.pdf"
    r = client.get(url)  # no login: the gazette is public
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'inline; filename="gazette-2022-03.pdf"'
    assert r.content == result.pdf  # the same text imported again: the same contents, the same PDF
    assert publish.renders == renders  # served from the cache, not rendered again
    again = client.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    page = client.get(f"/gazette/issues/{imported.issue.id}", headers={"Accept": "text/html"}).text
    assert f'href="/gazette/issues/{imported.issue.id}.pdf"' in page
    assert client.get("/gazette/issues/999999.pdf").status_code == 404


def test_cli_publish_writes_the_pdf_and_refuses_in_one_line(printed, database_url, tmp_path):
    from typer.testing import CliRunner

    from dongcheng.cli.main import app

    result, _, _ = printed
    out = tmp_path / "issue.pdf"
    run = CliRunner().invoke(app, ["gazette", "publish", "2022-3", "--out", str(out), "--database-url", database_url])
    assert run.exit_code == 0, run.output
    assert f"2022年第3期: {PAGES} pages / 页" in run.output and out.read_bytes() == result.pdf
    missing = CliRunner().invoke(app, ["gazette", "publish", "2022-9", "--out", str(out), "--database-url", database_url])
    assert missing.exit_code == 1 and "未找到公报：2022-9" in missing.output and "Traceback" not in missing.output
    nowhere = CliRunner().invoke(app, ["gazette", "publish", "2022-3", "--out", str(tmp_path / "no" / "x.pdf"),
                                       "--database-url", database_url])
    assert nowhere.exit_code == 2 and "no such folder" in nowhere.output


def test_tables_split_by_the_extraction_print_whole(db, imported):
    """The heritage list, §2.3.6 and the §8.3 catalogue were each cut by the PDF's page breaks into pieces: printed,
    each is one table with one header (repeated by the renderer on every page it runs over)."""
    from dongcheng.gazette import service

    docs = {d.number: d for d in service.get_issue(db, imported.issue.id).documents}

    def tables(number):
        return [p.table for p in publish.document_parts(docs[number]) if p.kind == "table"]

    [heritage] = tables("东政发〔2022〕2号")
    assert heritage.head == ("序号", "项目类别", "项目名称", "申报单位")
    assert [r[0].text for r in heritage.rows] == [str(n) for n in range(1, 31)]
    assert heritage.rows[2][1].joined and not heritage.rows[4][1].joined  # 评剧 under 传统戏剧; 曲艺 its own
    events, *catalogue = tables("东政发〔2022〕3号")
    assert events.head == ("序号", "事件类别", "处置主责部门")
    assert [r[0].text for r in events.rows if r[0].group] == ["自然灾害类", "事故灾难类", "公共卫生类", "社会安全类"]
    assert [r[0].text for r in events.rows if not r[0].group] == [str(n) for n in range(1, 37)]
    assert [len(t.rows) for t in catalogue] == [5, 18, 4, 10, 7]  # §8.3.1 (1)–(4), §8.3.2
    assert {t.head for t in catalogue} == {("序号", "名称", "牵头编制部门")}
    forms = tables("东人社发〔2021〕112号")  # the application form, printed twice: boxes to fill, no header
    assert len(forms) == 2 and all(t.head is None and t.width == 6 for t in forms)
    assert "同一用途是否享受其他类型财政奖补资金： ☐ 是 / ☐ 否" in [r[0].text for r in forms[0].rows]
