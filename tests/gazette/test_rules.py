"""The splitter against the real seed issue (2022年第3期), and against malformed text. Pure: no database."""
from __future__ import annotations

from datetime import date

import pytest

from dongcheng.core.errors import DomainError
from dongcheng.gazette import rules
from dongcheng.gazette.rules import key, parse_issue
from tests.gazette.conftest import NUMBERS


@pytest.fixture(scope="module")
def issue(seed_text):
    return parse_issue(seed_text)


class TestCover:
    def test_cover_data(self, issue):
        assert (issue.title, issue.year, issue.number, issue.total_number) == ("北京市东城区人民政府公报", 2022, 3, 43)
        assert issue.published_on == date(2022, 2, 11)
        assert issue.sponsor == "北京市东城区政务服务管理局主办"
        assert issue.label == "北京市东城区人民政府公报 2022年第3期（总第43期）"

    def test_colophon(self, issue):
        assert issue.colophon["编辑部门"] == "东城区政务服务管理局" and issue.colophon["邮编"] == "100005"

    def test_nothing_irregular_in_the_seed(self, issue):
        assert issue.notes == ()


class TestTableOfContents:
    def test_eleven_entries_in_order_with_pages(self, issue):
        assert [e.document_number for e in issue.toc] == NUMBERS
        assert [e.page for e in issue.toc] == [1, 5, 57, 71, 75, 77, 79, 81, 83, 91, 98]

    def test_the_entry_wrapped_over_two_tables_is_one_entry(self, issue):
        entry = issue.toc[2]  # "…（东政办发〔2021〕" | "17号) | 57"
        assert entry.document_number == "东政办发〔2021〕17号" and entry.page == 57
        assert entry.title == "北京市东城区人民政府办公室关于印发《东城区关于改革完善医疗卫生行业综合监管制度的实施方案》的通知"

    def test_half_width_brackets_are_made_full_width(self, issue):
        assert issue.toc[1].title.endswith("《东城区突发事件总体应急预案（2022年修订）》的通知")
        assert issue.toc[9].title == "关于印发《东城区聘用社会化管理服务专员工作实施方案（试行）》的通知"  # printed "(试行)"


class TestDocuments:
    def test_all_eleven_with_their_numbers_in_order(self, issue):
        assert [d.number for d in issue.documents] == NUMBERS
        assert [d.seq for d in issue.documents] == list(range(1, 12))

    def test_signing_dates(self, issue):
        assert [d.signed_on for d in issue.documents] == [
            date(2022, 2, 1), date(2022, 2, 1), date(2021, 12, 9), date(2021, 12, 24), date(2021, 12, 14),
            date(2021, 12, 31), date(2022, 1, 8), date(2022, 1, 19), date(2021, 11, 3), date(2021, 11, 27),
            date(2021, 11, 27)]

    def test_issuing_organs(self, issue):
        organs = [d.issuing_organ for d in issue.documents]
        assert organs == ["北京市东城区人民政府"] * 2 + ["北京市东城区人民政府办公室"] * 2 + ["北京市东城区人民政府"] * 4 \
            + ["北京市东城区人力资源和社会保障局"] * 3

    def test_recipients_and_disclosure(self, issue):
        docs = {d.number: d for d in issue.documents}
        plan = docs["东政发〔2022〕3号"]
        assert plan.recipients == "各街道办事处，区政府各委、办、局，各区属机构"
        assert plan.disclosure == "（此件公开发布）"  # printed "(此件公开发布)"
        assert docs["东政办发〔2021〕18号"].disclosure == "（此件公开发布）"  # printed full-width
        assert docs["东政任〔2021〕21号"].disclosure == ""
        assert docs["东人社发〔2021〕101号"].recipients.startswith("东城区科技和信息化局、东城区财政局")
        assert docs["东人社发〔2021〕111号"].recipients == "各街道办事处"

    def test_titles_are_the_table_of_contents_titles(self, issue):
        assert [d.title for d in issue.documents] == [e.title for e in issue.toc]

    def test_attachments(self, issue):
        docs = {d.number: d for d in issue.documents}
        assert docs["东人社发〔2021〕101号"].attachments == (
            "东城区创业孵化示范基地认定考评小组成员单位名称单",  # the list wraps "单" onto its own line
            "东城区创业孵化示范基地认定申报表", "原东城区创业带动就业工作领导小组认定的创业孵化示范基地名单",
            "东城区创业孵化示范基地基本情况季报表", "东城区创业孵化示范基地一次性奖补资金使用管理实施细则")
        assert docs["东人社发〔2021〕112号"].attachments == (  # 附件 1 is printed twice: listed once
            "××街道聘用社会化管理服务专员岗补资金申请表", "××街道关于聘用社会化管理服务专员岗补资金使用情况的自查报告（式样）")
        assert docs["东政任〔2022〕1号"].attachments == ()

    def test_every_body_is_non_empty(self, issue):
        assert all(d.body.strip() for d in issue.documents)
        assert min(len(d.body) for d in issue.documents) > 300

    def test_documents_tile_the_text_between_the_contents_and_the_colophon(self, issue, seed_text):
        lines = seed_text.split("\n")
        docs = issue.documents
        for a, b in zip(docs, docs[1:], strict=False):
            assert a.last_line + 1 == b.first_line, (a.number, b.number)
        before = [x for x in lines[:docs[0].first_line - 1] if x.strip()]
        assert before[-1].startswith("| 关于印发《东城区社会化管理服务专员岗位补贴资金")  # the last row of the 目录
        after = [x for x in lines[docs[-1].last_line:] if x.strip()]
        assert after[0].startswith("编辑部门") and len(after) == 5
        for d in docs:  # what each document holds is exactly its lines: header + body, nothing else, nothing lost
            region = key("".join(lines[d.first_line - 1:d.last_line]))
            assert key("".join(d.header_lines) + d.body) == region, d.number

    def test_no_document_swallowed_another(self, issue):
        for d in issue.documents:
            standalone = {key(x) for x in d.body.split("\n")}
            assert not standalone & (set(NUMBERS) - {d.number}), d.number
            assert d.header_lines[-2 if d.recipients else -1] == d.number

    def test_bodies_start_and_end_where_expected(self, issue):
        docs = {d.number: d for d in issue.documents}
        assert docs["东政发〔2022〕2号"].body.startswith("第七批东城区级非物质文化遗产代表性项目名录已经2022年1月11日")
        assert docs["东政发〔2022〕2号"].body.endswith("| 30 | | 足穴医椎疗法 | 北京奇星谷文化发展有限公司 |")
        assert docs["东政发〔2022〕3号"].body.endswith("8.4 东城区突发事件应急委员会组织体系框架图")
        assert docs["东政任〔2022〕2号"].body.endswith("2022年1月19日")
        assert docs["东人社发〔2021〕112号"].body.endswith("（联系人： 电话： ）")


class TestClauses:
    def test_the_plan_is_split_into_its_numbered_sections(self, issue):
        plan = issue.documents[1]
        numbers = [c.number for c in plan.clauses]
        assert [n for n in numbers if "." not in n] == ["1", "2", "3", "4", "5", "6", "7", "8"]
        for n in ("1.1.1", "2.3.6", "3.2.3", "3.2.8", "4.1.4", "4.1.5", "4.3.5", "4.8", "5.5.2", "6.8.3", "8.4"):
            assert n in numbers, n
        assert len(plan.clauses) == 179 and len(set(c.anchor for c in plan.clauses)) == 179

    def test_a_clause_holds_its_text(self, issue):
        c = {c.number: c for c in issue.documents[1].clauses}
        assert c["4.1.5"].anchor == "s-4.1.5" and c["4.1.5"].level == 3
        assert "最迟不晚于接报后 10 分钟" in c["4.1.5"].text and "每 30 分钟续报" in c["4.1.5"].text
        assert c["3.2.3"].heading == "预警发布和解除" and "红色预警信息由区政府主要领导批准" in c["3.2.3"].text
        assert "4.1.6" not in c["4.1.5"].text

    def test_the_plans_own_contents_are_not_clauses(self, issue):
        plan = issue.documents[1]
        first = plan.clauses[0]
        assert first.number == "1" and "以习近平新时代中国特色社会主义思想为指导" in first.text
        toc_line = plan.body.split("\n").index("目 录")
        assert first.line > toc_line

    def test_a_number_printed_twice_keeps_both_clauses(self, issue):
        twice = [c for c in issue.documents[1].clauses if c.number == "2.3.6"]
        assert [c.anchor for c in twice] == ["s-2.3.6", "s-2.3.6-2"]
        assert twice[0].heading == "突发事件处置分工" and twice[1].heading.startswith("处置主责部门应根据实际情况")

    def test_articles_and_sections(self, issue):
        docs = {d.number: d for d in issue.documents}
        articles = docs["东人社发〔2021〕101号"].clauses
        assert [c.anchor for c in articles] == [f"a-{n}" for n in range(1, 21)]
        assert articles[6].number == "第七条" and articles[6].heading.startswith("示范基地应当具备以下")
        sections = docs["东政办发〔2021〕17号"].clauses
        assert [c.number for c in sections][:5] == ["一", "二", "三", "三（一）", "三（二）"]
        assert sections[3].anchor == "c-3-1"
        assert docs["东政任〔2021〕21号"].clauses == ()


def _error(text: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        parse_issue(text)
    err = caught.value
    assert err.status_code == 422 and err.fields and err.fields[0].field == "text"
    assert err.fields[0].zh and err.fields[0].en
    return err


class TestMalformed:
    def test_empty(self):
        assert "文本为空" in _error("  \n ").fields[0].zh

    def test_no_table_of_contents(self, seed_text):
        err = _error(seed_text.replace("目 录", "目次", 1))
        assert "未找到目录" in err.fields[0].zh and "table of contents" in err.fields[0].en

    def test_no_masthead(self, seed_text):
        err = _error(seed_text.replace("人民政府 公 报", "通 讯", 1).replace("北京市东城区人民政府公报\n", "\n", 1))
        assert "刊名" in err.fields[0].zh

    def test_no_issue_number(self, seed_text):
        assert "期号" in _error(seed_text.replace("第 3 期 (总第 43 期)", "", 1)).fields[0].zh

    def test_a_document_of_the_contents_missing_from_the_text(self, seed_text):
        err = _error(seed_text.replace("\n东政任〔2021〕22号\n", "\n\n", 1))
        assert "东政任〔2021〕22号" in err.fields[0].zh and "东政任〔2021〕22号" in err.fields[0].en
        assert "目录第 6 项" in err.fields[0].zh

    def test_an_entry_without_a_number(self, seed_text):
        err = _error(seed_text.replace("(东政任〔2021〕21号) | 75", "| 75", 1))
        assert "目录第 5 项（第 29 行）没有文号" in err.fields[0].zh

    def test_a_title_unlike_the_contents(self, seed_text):
        err = _error(seed_text.replace("关于刘羽等七名同志任免职的通知\n", "关于某某的决定\n", 1))
        assert "东政任〔2021〕21号" in err.fields[0].zh and "目录第 5 项（第 29 行）不一致" in err.fields[0].zh

    def test_a_title_printed_in_part_is_tolerated_with_a_note(self, seed_text):
        title = "关于刘羽等七名同志任免职的通知"
        issue = parse_issue(seed_text.replace(f"北京市东城区人民政府\n\n{title}", title, 1))
        assert [d.number for d in issue.documents] == NUMBERS
        assert issue.notes == ("东政任〔2021〕21号：正文标题与目录不完全一致",)

    def test_an_impossible_date(self, seed_text):
        assert "无效" in _error(seed_text.replace("2022年2月11日", "2022年2月31日", 1)).fields[0].zh

    def test_nul_characters(self, seed_text):
        assert "NUL" in _error(seed_text + "\x00").fields[0].en

    def test_repeated_numbers(self, seed_text):
        twice = seed_text.replace("(东政任〔2021〕22号) | 77", "(东政任〔2021〕21号) | 77", 1)
        assert "文号重复" in _error(twice).fields[0].zh

    def test_random_text_is_refused_not_crashed(self):
        for text in ("目录\n| a | b |\n", "公报\n目录\n|x|1|", "|||\n目 录\n| | 99999999 |", "第 1 期\n目录"):
            _error(text)


def test_key_and_tidy_title():
    assert key("(2022年修订) 》的 通知") == "（2022年修订）》的通知"
    printed = "东城区聘用社会化管理服务专员 工作实施方案(试行)"
    assert rules.tidy_title(printed) == "东城区聘用社会化管理服务专员工作实施方案（试行）"
