"""Institutions and credit rules (东政办发〔2021〕17号 四（二）, 三（一）2; GB 32100-2015), pure."""
from __future__ import annotations

from datetime import date

import pytest
import yaml

from dongcheng.core.config import REPO_ROOT
from dongcheng.supervision.institutions import files, rules

# Real 统一社会信用代码 as published by the organisations themselves (business licences / the national credit site).
REAL_CODES = {
    "914403001922038216": "华为技术有限公司",
    "91440300708461136T": "深圳市腾讯计算机系统有限公司",
    "91330100716105852F": "阿里巴巴（中国）有限公司",
    "91110108551385082Q": "北京小米科技有限责任公司",
    "121101014007822830": "北京市东城区供暖一中心",  # a 东城区 事业单位 (登记管理部门 1, 类别 2, 区划 110101)
}


def independent_check_digit(code17: str) -> str:
    """GB 32100-2015 §5 written again here, not imported: Wi = 3^(i−1) mod 31; C18 = 31 − (Σ Ci·Wi mod 31)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(ch) * pow(3, i, 31) for i, ch in enumerate(code17))
    return alphabet[(31 - total % 31) % 31]


@pytest.mark.parametrize("code", sorted(REAL_CODES))
def test_real_codes_pass_and_their_check_digit_is_recomputed_independently(code):
    assert independent_check_digit(code[:17]) == code[17]
    assert rules.uscc_check_digit(code[:17]) == code[17]
    assert rules.check_uscc(code).allowed


@pytest.mark.parametrize("code", sorted(REAL_CODES))
def test_every_wrong_check_digit_is_refused_naming_the_field(code):
    for ch in rules.USCC_CHARSET:
        if ch == code[17]:
            continue
        d = rules.check_uscc(code[:17] + ch, field="uscc")
        assert not d.allowed and d.status == 422 and d.field == "uscc"
        assert f"第18位应为 {code[17]}" in d.zh


def test_length_and_charset():
    assert rules.check_uscc("91110108551385082").zh == "统一社会信用代码应为18位"
    d = rules.check_uscc("91110108551385O82Q")  # the letter O is not in the GB 32100 set
    assert not d.allowed and "O" in d.zh
    assert tuple(pow(3, i, 31) for i in range(17)) == rules.USCC_WEIGHTS


def test_shipped_policy_is_the_guizhou_2019_reading_and_says_so():
    policy = files.default_policy()
    assert [t.points for t in policy.thresholds] == [12, 18, 24]
    assert policy.cycle_months == 12 and policy.status == "platform default"
    assert "贵州" in policy.source and "北京市记分标准未找到" in policy.source
    assert (policy.points_publication.min_months, policy.points_publication.max_months) == (3, 12)
    assert (policy.blacklist_publication.min_months, policy.blacklist_publication.max_months) == (6, 36)
    assert "527号" in policy.points_publication.source


def test_a_bad_policy_names_each_field():
    data = yaml.safe_load((REPO_ROOT / "data/supervision/credit_policy.yaml").read_text(encoding="utf-8"))
    data["points"]["thresholds"][1]["points"] = 10  # below the first: not increasing
    data["publication"]["points"]["min_months"] = 24  # longer than the longest
    del data["source"]
    policy, problems = rules.read_policy(data)
    assert policy is None
    fields = {f for f, _, _ in problems}
    assert {"points.thresholds[1].points", "publication.points.min_months", "source"} <= fields


def test_standing_reaches_the_highest_threshold():
    policy = files.default_policy()
    assert rules.standing("2022", [6, 5], policy).reached is None
    s = rules.standing("2022", [6, 6], policy)
    assert s.total == 12 and s.reached.points == 12 and s.next_threshold.points == 18
    assert rules.standing("2022", [12, 6], policy).reached.points == 18
    s = rules.standing("2022", [12, 12, 3], policy)
    assert s.reached.points == 24 and s.next_threshold is None


def test_cycles():
    assert rules.cycle_of(date(2022, 12, 31), 12) == ("2022", date(2022, 1, 1), date(2022, 12, 31))
    assert rules.cycle_of(date(2022, 7, 1), 6)[1:] == (date(2022, 7, 1), date(2022, 12, 31))
    assert rules.cycle_of(date(2023, 3, 1), 24)[1:] == (date(2022, 1, 1), date(2023, 12, 31))


def test_repair_only_after_the_shortest_period():
    period = files.default_policy().points_publication  # 3 months
    start = date(2022, 1, 31)
    refused = rules.may_remove_early(start, None, date(2022, 4, 29), period)
    assert not refused.allowed and refused.status == 409 and "2022-04-30" in refused.zh
    assert rules.may_remove_early(start, None, date(2022, 4, 30), period).allowed
    assert not rules.may_remove_early(start, date(2022, 5, 1), date(2022, 6, 1), period).allowed
    assert rules.published_until(start, period) == date(2023, 1, 30)
    assert rules.is_public(start, date(2023, 1, 30), None, date(2023, 1, 30))
    assert not rules.is_public(start, date(2023, 1, 30), None, date(2023, 1, 31))
    assert not rules.is_public(start, date(2023, 1, 30), date(2022, 5, 1), date(2022, 5, 1))


def test_blacklist_period_at_most_the_longest_publication():
    period = files.default_policy().blacklist_publication  # 36 months
    assert rules.check_blacklist_period(date(2022, 1, 1), date(2024, 12, 31), period).allowed
    d = rules.check_blacklist_period(date(2022, 1, 1), date(2025, 1, 1), period)
    assert not d.allowed and d.field == "end_on"
    assert rules.check_blacklist_period(date(2022, 1, 2), date(2022, 1, 1), period).field == "end_on"


def test_only_the_health_commission_supervises():
    assert rules.may_supervise("区卫生健康委", None).allowed
    assert rules.may_supervise("区卫生健康监督所", "区卫生健康委").allowed
    assert not rules.may_supervise("区城市管理委", None).allowed
