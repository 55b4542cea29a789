"""Reading 任免 and division-of-work text into proposed directory changes (pure, gazette/proposals.py): phrasings the
seed's four notices do not use, each in constructed text, and lines the reader cannot place — listed, never guessed."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from dongcheng.core.config import REPO_ROOT
from dongcheng.directory.units import UnitIndex
from dongcheng.gazette import notices
from dongcheng.gazette.proposals import propose
from dongcheng.reference.files import read_reference

INTRO = "经2022年4月1日北京市东城区人民政府第140次常务会议研究决定，现将张三等同志任免职事项通知如下：\n"
SIGNED = "\n北京市东城区人民政府\n2022年4月12日"


@pytest.fixture(scope="module")
def units() -> UnitIndex:
    return UnitIndex(read_reference(REPO_ROOT / "data").units)


def notice(items: str, title: str = "北京市东城区人民政府关于张三等同志任免职的通知"):
    return SimpleNamespace(number="东政任〔2022〕9号", title=title, body=INTRO + items + SIGNED,
                           signed_on=date(2022, 4, 12))


def read(items: str) -> list[tuple]:
    parsed = notices.parse_appointment_notice(notice(items))
    assert parsed.notes == (), parsed.notes
    return [(a.action, a.person, a.unit_text, a.title) for a in parsed.actions]


class TestPhrasings:
    def test_a_name_ending_in_wei(self):
        assert read("任命顾承为为北京市东城区人民政府副区长。") == [("任命", "顾承为", "北京市东城区人民政府", "副区长")]
        # and the ordinary one still cuts at the first 为
        assert read("任命刘羽为北京市东城区教育委员会副主任。") == [("任命", "刘羽", "北京市东城区教育委员会", "副主任")]

    def test_a_removal_naming_no_post(self, units):
        parsed = notices.parse_appointment_notice(notice("免去缪军职务。"))
        (act,) = parsed.actions
        assert (act.action, act.person, act.all_posts, act.post_text) == ("免去", "缪军", True, "")
        (change,), unplaced = propose([notice("免去缪军职务。")], units)
        assert (change.kind, change.summary, unplaced) == ("remove_all", "免去 缪军 的全部现任职务，2022年4月1日起", [])

    def test_x_ren_y(self):
        assert read("周敏任北京市东城区城市管理指挥中心主任。") == [
            ("任命", "周敏", "北京市东城区城市管理指挥中心", "主任")]

    def test_probation_printed_as_renzhi_shiyongqi_wei(self):
        parsed = notices.parse_appointment_notice(notice("任命林晓为北京市东城区应急管理局副局长（任职试用期为一年）。"))
        (act,) = parsed.actions
        assert (act.probation_months, act.probation_ends_on, act.notes) == (12, date(2023, 3, 31), ())

    def test_tongzhi_after_the_name(self):
        assert read("任命林晓同志为北京市东城区应急管理局副局长；免去王强同志的北京市东城区人民政府北新桥街道办事处副主任职务；"
                    "免去赵六同志职务。") == [
            ("任命", "林晓", "北京市东城区应急管理局", "副局长"),
            ("免去", "王强", "北京市东城区人民政府北新桥街道办事处", "副主任"), ("免去", "赵六", "", "")]

    def test_one_sentence_that_appoints_and_removes(self):
        items = "任命孟宪峰为北京市东城区人民政府安定门街道办事处主任，免去其北京市东城区住房和城乡建设委员会副主任职务。"
        assert read(items) == [
            ("任命", "孟宪峰", "北京市东城区人民政府安定门街道办事处", "主任"),
            ("免去", "孟宪峰", "北京市东城区住房和城乡建设委员会", "副主任")]

    def test_concurrent_titles_joined_by_a_pause_mark(self, units):
        items = "任命王品军为北京市东城区交通委员会主任（兼）、北京市东城区水务局局长（兼）。"
        assert read(items) == [("任命", "王品军", "北京市东城区交通委员会", "主任"),
                               ("任命", "王品军", "北京市东城区水务局", "局长")]
        changes, _ = propose([notice(items)], units)
        assert [(c.unit, c.title, c.concurrent) for c in changes] == [("区交通委员会", "主任", True), ("区水务局", "局长", True)]

    def test_a_secondment_with_its_term(self, units):
        (change,), _ = propose([notice("任命高远为北京市东城区生态环境局副局长（挂职一年，挂职期为2022年4月至2023年3月，"
                                       "到期自动免职）。")], units)
        assert (change.unit, change.secondment_ends_on, change.effective_on) == (
            "区生态环境局", date(2023, 3, 31), date(2022, 4, 1))


class TestUnplaced:
    def test_what_the_reader_cannot_place_is_listed_not_guessed(self, units):
        changes, unplaced = propose([notice(
            "任命张三为北京市东城区体育局副局长（见习）；调任李四至北京市东城区民政局；任命王五为北京市东城区月球办公室主任；"
            "任命赵六为北京市东城区体育局副局长。")], units)
        assert [c.summary for c in changes] == ["任命 赵六 为 区体育局副局长，2022年4月1日起"]
        assert [(u.text, u.zh) for u in unplaced] == [
            ("调任李四至北京市东城区民政局", "无法识别的任免行文：调任李四至北京市东城区民政局"),
            ("任命张三为北京市东城区体育局副局长（见习）", "无法识别的备注：（见习）"),
            ("任命王五为北京市东城区月球办公室主任", "单位“北京市东城区月球办公室”不在单位数据中"),
        ]

    def test_a_notice_without_its_decision_date(self, units):
        doc = SimpleNamespace(number="东政任〔2022〕9号", title="北京市东城区人民政府关于张三任职的通知",
                              body="现将任职事项通知如下：\n任命张三为北京市东城区体育局副局长。" + SIGNED, signed_on=None)
        changes, unplaced = propose([doc], units)
        assert changes == [] and "常务会议日期" in unplaced[0].zh
        assert unplaced[1].text.endswith("任命张三为北京市东城区体育局副局长")  # listed as printed, not read without a date


class TestDivisionOfWork:
    DOC = SimpleNamespace(
        number="东政办发〔2022〕5号", title="北京市东城区人民政府办公室关于调整区领导工作分工的通知", signed_on=date(2022, 4, 8),
        body="根据区政府领导成员变动情况，自2022年4月1日起，区领导工作分工调整如下：\n顾承为同志 负责城市管理方面工作。\n"
             "分管区城市管理委员会、区月球办公室。\n联系区消防救援支队。\n北京市东城区人民政府办公室\n2022年4月8日")

    def test_a_new_portfolio_from_the_date_printed(self, units):
        changes, unplaced = propose([self.DOC], units)
        assert [(c.relation, c.text, c.unit, c.effective_on) for c in changes] == [
            ("负责", "城市管理", None, date(2022, 4, 1)), ("分管", "区城市管理委员会", "区城市管理委", date(2022, 4, 1)),
            ("联系", "区消防救援支队", "东城消防救援支队", date(2022, 4, 1))]
        assert [(u.text, u.zh) for u in unplaced] == [("顾承为 分管区月球办公室", "单位“区月球办公室”不在单位数据中")]

    def test_the_signature_is_not_a_line_of_work(self):
        division = notices.parse_division_of_work(self.DOC)
        assert [leader.notes for leader in division.leaders] == [()]


class TestTheSeedAgainstItsTranscription:
    """The reader that builds directory changes, run over the seed, gives what data/directory/*.yaml transcribes: all
    63 任免 lines with every field, and 126 of the 131 portfolio lines; the other 5 name a group or sector (各街道办事处,
    银行, 证券公司, 保险公司, 民主党派) and are listed as unplaced — the transcription is where a person placed them."""

    def test_every_line(self, units, seed_text):
        from dongcheng.gazette.rules import key, parse_issue

        data = read_reference(REPO_ROOT / "data")
        changes, unplaced = propose(parse_issue(seed_text).documents, units)
        printed = sorted((c.document, c.seq, "任命" if c.kind == "appoint" else "免去", c.person, c.unit, c.title,
                          c.effective_on, c.concurrent, c.probation_ends_on, c.secondment_ends_on, c.rank_note)
                         for c in changes if c.kind != "portfolio")
        transcribed = sorted((a.document, a.seq, a.action, a.person, a.unit, a.title, a.decided_on, a.concurrent,
                              a.probation_ends_on, a.secondment_ends_on, a.rank_note) for a in data.appointments)
        assert printed == transcribed and len(printed) == 63
        holders = {s.code: s.holder for s in data.seats}
        lines = sorted((c.person, c.relation, c.text, c.unit) for c in changes if c.kind == "portfolio")
        placed_by_hand = {(u.text.split(" ")[0], u.relation, u.text.split(" ", 1)[1][len(u.relation):]) for u in unplaced}
        rows = sorted((holders[p.seat], p.relation, key(p.text), p.unit) for p in data.portfolio)
        assert lines == [r for r in rows if r[:3] not in placed_by_hand] and len(lines) == 126
        assert sorted(t for _, _, t in placed_by_hand) == ["保险公司", "各街道办事处", "民主党派", "证券公司", "银行"]
