"""信息发布 rules from 东政发〔2022〕3号 §4.7.1, paragraph by paragraph (pure, no database)."""
from __future__ import annotations

import pytest

from dongcheng.emergency.statements import rules
from dongcheng.emergency.statements.rules import Speaker

LEAD = Speaker("department", is_lead_department=True)
PUBLICITY = Speaker("department", is_publicity_department=True)
OTHER_DEPARTMENT = Speaker("department")
LEADER = Speaker("leader")
DUTY = Speaker("duty_officer", is_emergency_office=True)


class TestTopics:
    @pytest.mark.parametrize(("text", "topics"), [
        ("东四北大街燃气泄漏已得到控制，周边道路恢复通行。", ()),
        ("事故造成2人死亡、5人受伤。", ("伤亡数字",)),
        ("3名被困群众已全部救出。", ("伤亡数字",)),
        ("初步查明，事故原因系施工挖断燃气管线。", ("事件原因",)),
        ("由于违规动火作业导致火灾。", ("事件原因",)),
        ("相关责任人已被公安机关控制，将依法追究责任。", ("责任追究",)),
        ("起火原因正在调查，1人受伤，将严肃追责。", ("事件原因", "伤亡数字", "责任追究")),
    ])
    def test_the_text_itself_shows_what_it_speaks_of(self, text, topics):
        assert rules.topics_in(text) == topics

    def test_declared_topics_count_even_when_the_text_hides_them(self):
        assert rules.restricted_topics(["责任追究"], "情况通报", "详见附件") == ("责任追究",)

    def test_topics_come_in_the_clauses_order_without_repeats(self):
        assert rules.restricted_topics(["伤亡数字", "事件原因"], "1人受伤", "") == ("事件原因", "伤亡数字")


class TestDrafting:
    @pytest.mark.parametrize("speaker", [LEAD, PUBLICITY, DUTY, LEADER])
    def test_the_lead_department_and_the_publicity_department_draft(self, speaker):
        """① 区委宣传部会同事件处置主责部门进行管理与协调."""
        assert rules.may_draft(speaker).allowed

    def test_an_uninvolved_department_does_not(self):
        decision = rules.may_draft(OTHER_DEPARTMENT)
        assert not decision.allowed and decision.basis.clause == "§4.7.1" and decision.zh


class TestRelease:
    def test_a_plain_notice_is_released_by_the_lead_department(self):
        """② 由承担突发事件处置的主责部门具体负责新闻发布工作."""
        decision = rules.may_release(LEAD, (), handed_over=False)
        assert decision.allowed and "主责部门具体负责新闻发布工作" in str(decision.basis)
        assert rules.may_release(PUBLICITY, (), handed_over=False).allowed

    @pytest.mark.parametrize("topic", rules.RESTRICTED_TOPICS)
    def test_cause_casualties_and_accountability_need_the_commands_approval(self, topic):
        """⑤ 未经相关应急指挥机构批准 … 不得擅自对外发布事件原因、伤亡数字、责任追究."""
        for speaker in (LEAD, PUBLICITY, DUTY, OTHER_DEPARTMENT):
            decision = rules.may_release(speaker, (topic,), handed_over=False)
            assert not decision.allowed and decision.status == 403 and topic in decision.zh
        assert rules.may_release(LEADER, (topic,), handed_over=False).allowed

    def test_after_handover_to_the_city_the_district_releases_nothing(self):
        """④ 信息发布与舆论引导工作随着指挥权一并移交给市级部门."""
        decision = rules.may_release(LEADER, (), handed_over=True)
        assert not decision.allowed and decision.status == 409 and "移交" in str(decision.basis)

    def test_an_uninvolved_department_releases_nothing(self):
        assert not rules.may_release(OTHER_DEPARTMENT, (), handed_over=False).allowed


def test_drafts_and_exercises_are_never_public():
    assert rules.is_public(released=True, drill=False)
    assert not rules.is_public(released=False, drill=False)
    assert not rules.is_public(released=True, drill=True)
