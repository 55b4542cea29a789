"""Clause anchors, basis → URL, the basis_link filter and the reading layout. Pure (the filter reads data/)."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from dongcheng.core.basis import Basis
from dongcheng.gazette.clauses import anchor_for, chinese_number, layout
from dongcheng.gazette.filters import render_links
from dongcheng.gazette.links import clause_url, document_url, link_segments, shipped_index
from dongcheng.gazette.rules import parse_issue
from dongcheng.web.templating import templates

PLAN = "东政发〔2022〕3号"
PLAN_URL = f"/gazette/documents/{quote(PLAN, safe='')}"
INDEX = {PLAN: frozenset({"s-3", "s-3.2", "s-3.2.3", "s-4.1.5", "s-4.1.9", "s-2.3.6", "s-2.3.6-2"}),
         "东人社发〔2021〕101号": frozenset({"a-7", "a-10"}), "东政办发〔2021〕17号": frozenset({"c-3", "c-3-1"})}


@pytest.mark.parametrize(("reference", "anchor"), [
    ("§4.1.5", "s-4.1.5"), ("4.1.5", "s-4.1.5"), ("§3.2.3(2)", "s-3.2.3"), ("§3.2.3（2）", "s-3.2.3"),
    ("§4.1.9.9", "s-4.1.9"), ("§3.2.9", "s-3.2"), ("§9.9", None), ("§2.3.6", "s-2.3.6"),
])
def test_decimal_references(reference, anchor):
    assert anchor_for(reference, INDEX[PLAN]) == anchor


def test_articles_and_sections():
    assert anchor_for("第七条", INDEX["东人社发〔2021〕101号"]) == "a-7"
    assert anchor_for("第十条", INDEX["东人社发〔2021〕101号"]) == "a-10"
    assert anchor_for("第八条", INDEX["东人社发〔2021〕101号"]) is None
    assert anchor_for("三（一）", INDEX["东政办发〔2021〕17号"]) == "c-3-1"
    assert anchor_for("§三", INDEX["东政办发〔2021〕17号"]) == "c-3"


def test_chinese_numbers():
    assert [chinese_number(x) for x in ("一", "十", "十二", "二十", "二十三", "一百零三", "甲")] == [1, 10, 12, 20, 23, 103, None]


class TestClauseUrl:
    def test_a_basis_with_a_clause(self):
        assert clause_url(f"{PLAN} §4.1.5", INDEX) == f"{PLAN_URL}#s-4.1.5"
        assert clause_url(Basis(PLAN, "§3.2.3(2)", "红色预警信息由区政府主要领导（区长）批准"), INDEX) == f"{PLAN_URL}#s-3.2.3"

    def test_a_document_without_a_clause_links_to_the_document(self):
        assert clause_url(PLAN, INDEX) == PLAN_URL == document_url(PLAN)

    def test_what_the_gazette_does_not_have_is_not_linked(self):
        assert clause_url("东政发〔2016〕46号 §1", INDEX) is None
        assert clause_url("§4.1.5", INDEX) is None  # no document named
        assert clause_url("SPEC §2.7", INDEX) is None

    def test_several_clauses_each_link(self):
        index = {**INDEX, PLAN: INDEX[PLAN] | {"s-4.3.4"}}
        segments = link_segments(f"{PLAN} §4.3.4, §4.3.6; 东人社发〔2021〕101号 第七条", index)
        assert segments == [(PLAN, PLAN_URL), (" ", None), ("§4.3.4", f"{PLAN_URL}#s-4.3.4"), (", ", None),
                            ("§4.3.6", PLAN_URL), ("; ", None),
                            ("东人社发〔2021〕101号", document_url("东人社发〔2021〕101号")), (" ", None),
                            ("第七条", document_url("东人社发〔2021〕101号") + "#a-7")]

    def test_a_clause_of_another_source_after_a_gazette_document_is_not_linked_to_it(self):
        """The directory's basis reads "东政办发〔2021〕18号 …（SPEC §2.1 …）": §2.1 is the SPEC's, not the notice's."""
        segments = link_segments(f"{PLAN} §4.1.5；SPEC §2.1 分管 > 协助分管", INDEX)
        assert ("§4.1.5", f"{PLAN_URL}#s-4.1.5") in segments
        assert [url for text, url in segments if "2.1" in text] == [None]

    def test_text_before_a_number_is_not_taken_for_it(self):
        assert link_segments(f"依据{PLAN}§4.1.5", INDEX)[:2] == [("依据", None), (PLAN, PLAN_URL)]

    def test_the_text_is_unchanged_and_escaped(self):
        html = str(render_links(f"<b>{PLAN} §3.2.3(2)（说明）", INDEX))
        assert html.startswith("&lt;b&gt;") and f'href="{PLAN_URL}#s-3.2.3">§3.2.3(2)</a>（说明）' in html


class TestFilter:
    def test_the_filter_links_what_the_shipped_gazette_has(self):
        out = templates.env.from_string("{{ b | basis_link }}").render(b=f"{PLAN} §3.2.3(2)（红色预警信息）")
        assert f'<a class="basis-link" href="{PLAN_URL}">{PLAN}</a>' in out
        assert f'<a class="basis-link" href="{PLAN_URL}#s-3.2.3">§3.2.3(2)</a>（红色预警信息）' in out

    def test_none_and_unknown_stay_plain(self):
        tpl = templates.env.from_string("[{{ b | basis_link }}]")
        assert tpl.render(b=None) == "[]"
        assert tpl.render(b="SPEC §1 <x>") == "[SPEC §1 &lt;x&gt;]"

    def test_the_shipped_index_has_every_document(self):
        from dongcheng.core.config import REPO_ROOT
        index = shipped_index(REPO_ROOT / "data")
        assert "s-4.1.5" in index[PLAN] and "a-7" in index["东人社发〔2021〕101号"] and "东政任〔2022〕2号" in index


class TestLayout:
    @pytest.fixture(scope="class")
    def docs(self, seed_text):
        return {d.number: d for d in parse_issue(seed_text).documents}

    def test_clauses_become_anchored_blocks(self, docs):
        plan = docs[PLAN]
        blocks = layout(plan.body, plan.clauses, ("北京市东城区人民政府", "2022年2月1日", "（此件公开发布）"))
        by_anchor = {b.anchor: b for b in blocks if b.anchor}
        assert by_anchor["s-4.1"].kind == "heading" and by_anchor["s-4.1"].text == "信息报送"
        assert by_anchor["s-4.1.5"].kind == "p" and by_anchor["s-4.1.5"].number == "4.1.5"
        assert "区政府值班室和区应急办报告" in by_anchor["s-4.1.5"].text  # the page break inside 值|班室 is joined
        assert [b.text for b in blocks if b.kind == "sign"] == ["北京市东城区人民政府", "2022年2月1日", "(此件公开发布)"]
        toc = next(b for b in blocks if b.kind == "toc")
        assert ("4.1 信息报送", "s-4.1") in toc.rows and len(toc.rows) == 50

    def test_tables_and_page_breaks(self, docs):
        d = docs["东政发〔2022〕2号"]
        blocks = layout(d.body, d.clauses)
        assert any("认真做好我区非物质文化遗产的保护" in b.text for b in blocks)
        tables = [b for b in blocks if b.kind == "table"]
        assert len(tables) == 2 and tables[0].rows[0] == ("序号", "项目类别", "项目名称", "申报单位")
        assert sum(len(t.rows) for t in tables) == 32  # 30 items + a header row on each page

    def test_sections_print_their_own_numbers(self, docs):
        d = docs["东政办发〔2021〕17号"]
        numbers = [b.number for b in layout(d.body, d.clauses) if b.anchor]
        assert numbers[:5] == ["一、", "二、", "三、", "（一）", "（二）"]
