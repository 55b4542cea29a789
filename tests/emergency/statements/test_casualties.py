"""伤亡数字 in a statement (东政发〔2022〕3号 §4.7.1 ⑤): 未经相关应急指挥机构批准 … 不得擅自对外发布事件原因、伤亡数字、
责任追究. The forms below are how official reports and news print casualty figures; every one of them holds the
statement for a leader's approval, and the drafter is shown the phrase that did it. Pure, no database."""
from __future__ import annotations

import time

import pytest

from dongcheng.emergency.statements import rules

CASUALTIES = rules.CASUALTIES

# form → (text as printed, the phrase the drafter is shown)
HELD = [
    # Arabic and Chinese numerals, full-width digits, spaces
    ("事故造成2人死亡。", "2人死亡"),
    ("事故造成三人死亡。", "三人死亡"),
    ("十二人受伤，均已送医。", "十二人受伤"),
    ("事故造成２人死亡。", "２人死亡"),
    ("1 人 受伤", "1 人 受伤"),
    ("二十多名群众被困。", "二十多名群众被困"),
    # a severity or manner word between the count and 伤
    ("2人重伤、3人轻伤。", "2人重伤"),
    ("一名路人轻微伤。", "一名路人轻微伤"),
    ("3名工人被砸伤。", "3名工人被砸伤"),
    ("几名学生被烫伤。", "几名学生被烫伤"),
    ("数人被烧伤。", "数人被烧伤"),
    ("造成两人伤。", "两人伤"),
    # the compact N死N伤
    ("事故致1死3伤。", "1死3伤"),
    ("造成一死两伤。", "一死两伤"),
    ("２死３伤", "２死３伤"),
    # approximate counts
    ("10余人受伤。", "10余人受伤"),
    ("多名群众受伤。", "多名群众受伤"),
    ("若干人轻伤。", "若干人轻伤"),
    ("伤亡20余人。", "伤亡20余人"),
    # death written without 死亡
    ("1人遇难。", "1人遇难"),
    ("2名游客罹难。", "2名游客罹难"),
    ("司机当场身亡。", "身亡"),
    ("1名工人殒命。", "1名工人殒命"),
    ("1名老人不幸离世。", "1名老人不幸离世"),
    ("1人经抢救无效。", "1人经抢救无效"),
    ("现场发现1人无生命体征。", "1人无生命体征"),
    ("死伤者众。", "死伤"),
    # the injured, the missing, the trapped, the poisoned, the hospitalised
    ("伤者已送医救治。", "伤者"),
    ("现场有2名伤员。", "2名伤员"),
    ("另有3人失联。", "3人失联"),
    ("2人下落不明。", "2人下落不明"),
    ("被困人员已全部救出。", "被困"),
    ("致4人中毒。", "4人中毒"),
    ("5人送医观察。", "5人送医"),
    # "no one was hurt" is a casualty figure too (zero): held, erring on the side of approval
    ("现场无人员伤亡。", "无人员伤亡"),
    ("未造成人员伤亡。", "未造成人员伤亡"),
    ("暂无人员伤亡报告。", "暂无人员伤亡"),
    ("无人受伤。", "无人受伤"),
]

NOT_HELD = [
    "东四北大街燃气泄漏已得到控制，周边道路恢复通行。",
    "现场已疏散群众200余人，交通管制解除。",
    "区应急局出动救援人员30名、车辆5辆。",
    "5名志愿者参与疏导交通。",
    "市民1人拨打12345反映情况。",
    "清理卫生死角3处，设备有轻微损坏。",
    "3人负责清理死胡同积水。",
    "建立一人一档台账。",
    "众多市民伤心不已。",
    "请市民注意防寒保暖，避免前往施工区域。",
]


class TestCasualtyForms:
    @pytest.mark.parametrize(("text", "phrase"), HELD)
    def test_a_casualty_figure_holds_the_statement_and_names_its_phrase(self, text, phrase):
        assert rules.topics_in(text) == (CASUALTIES,)
        assert rules.phrases_in(text)[CASUALTIES][0] == phrase
        assert rules.restricted_topics([], "情况通报", text) == (CASUALTIES,)

    @pytest.mark.parametrize("text", NOT_HELD)
    def test_a_plain_notice_is_not_held(self, text):
        assert rules.topics_in(text) == ()
        assert rules.phrases_in(text) == {}

    @pytest.mark.parametrize(("name", "pattern", "example"), rules.CASUALTY_FORMS, ids=[f[0] for f in rules.CASUALTY_FORMS])
    def test_every_form_in_the_table_catches_its_own_example(self, name, pattern, example):
        assert CASUALTIES in rules.topics_in(example), name

    def test_every_phrase_is_shown_once_and_only_a_few(self):
        text = "；".join(f"{n}人受伤" for n in range(1, 20)) + "；1人受伤"
        phrases = rules.phrases_in(text)[CASUALTIES]
        assert phrases == ("1人受伤", "2人受伤", "3人受伤", "4人受伤", "5人受伤")
        assert len(phrases) == rules.MAX_PHRASES


class TestHeldBecause:
    def test_the_reasons_name_each_topic_with_its_phrases_or_the_drafters_declaration(self):
        reasons = rules.held_because(["责任追究"], "燃气爆炸情况通报", "事故致1死3伤，起火原因正在调查。")
        assert reasons == [
            {"topic": "事件原因", "source": "text", "phrases": ["原因"]},
            {"topic": "伤亡数字", "source": "text", "phrases": ["1死3伤"]},
            {"topic": "责任追究", "source": "drafter", "phrases": []},
        ]

    def test_a_plain_notice_has_no_reason_to_wait(self):
        assert rules.held_because([], "处置情况", "周边道路恢复通行。") == []


# Inputs that make a backtracking regex go quadratic: long runs of what a count, a gap or a keyword is made of.
ADVERSARIAL = ["1", "一", "1人", "一名", "多名群众", "数", "无人员", "死亡", "由于", "追究", "1 ", "２", "1死"]


def _cpu(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(repeat):
            rules.phrases_in(text)
            rules.topics_in(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_scanning_grows_linearly_with_the_body(unit):
    """A 20,000-character body (the schema's maximum) costs about ten times a 2,000-character one, not a hundred."""
    short, long = ((unit * (n // len(unit) + 1))[:n] for n in (2_000, 20_000))
    ratio = _cpu(long, 2) / max(_cpu(short, 20) / 10, 1e-6)
    assert ratio < 30, f"{unit!r}: 10× the text cost {ratio:.0f}× the CPU"
