"""The access rules (SPEC §1) as Decisions: the role's scope, own unit, the demo password, an account's links."""
from __future__ import annotations

from types import SimpleNamespace

from dongcheng.auth import rules

BUREAU = SimpleNamespace(id=1, parent_id=None, name="区人力社保局")
CENTRE = SimpleNamespace(id=2, parent_id=1, name="区劳动服务管理中心")
OTHER = SimpleNamespace(id=3, parent_id=None, name="区城市管理委")


class TestMay:
    def test_a_role_missing_from_the_row_is_403_with_the_clause(self):
        d = rules.may("department", "users.manage")
        assert not d.allowed and d.status == 403 and str(d.basis) == "SPEC §1" and "部门用户" in d.zh and "users.manage" in d.en

    def test_own_unit_and_the_units_under_it(self):
        assert rules.may("clerk", "incubators.manage", BUREAU, BUREAU).allowed
        assert rules.may("clerk", "incubators.manage", BUREAU, CENTRE).allowed
        refused = rules.may("clerk", "incubators.manage", BUREAU, OTHER)
        assert not refused.allowed and refused.status == 403 and refused.zh == "只能办理本单位（区人力社保局）的事项"
        assert rules.may("clerk", "incubators.manage", None, OTHER).en == "You may act only for your own unit (none)"
        assert rules.may("clerk", "incubators.manage", None, None).allowed  # no unit asked about: the route only

    def test_any_scope_ignores_the_unit(self):
        assert rules.may("admin", "users.manage", None, OTHER).allowed


def test_the_demo_password_only_in_demo_mode():
    refused = rules.may_use_password(True, demo_mode=False)
    assert not refused.allowed and refused.status == 401 and refused.basis.clause == "§4"
    assert rules.may_use_password(True, demo_mode=True).allowed and rules.may_use_password(False, False).allowed


def test_an_account_names_each_missing_link():
    refused = rules.account_refusals(username="x", taken=True, role="leader", has_person=False, has_unit=False,
                                     password_length=12)
    assert [(d.field, d.status) for d in refused] == [("username", 422), ("person", 422)]
    assert [d.field for d in rules.account_refusals(username="x", taken=False, role="clerk", has_person=False,
                                                     has_unit=False, password_length=12)] == ["unit"]
    assert rules.account_refusals(username="x", taken=False, role="admin", has_person=False, has_unit=False,
                                   password_length=12) == []


def test_an_account_names_an_unknown_role_and_a_short_password():
    refused = rules.account_refusals(username="x", taken=False, role="wizard", has_person=False, has_unit=False,
                                     password_length=rules.PASSWORD_MIN_LENGTH - 1)
    assert [(d.field, d.status) for d in refused] == [("role", 422), ("password", 422)]
    assert "wizard" in refused[0].en and "duty_officer" in refused[0].en
    assert str(rules.PASSWORD_MIN_LENGTH) in refused[1].zh and str(rules.PASSWORD_MIN_LENGTH) in refused[1].en
    assert rules.password_refusal(rules.PASSWORD_MIN_LENGTH).allowed
    assert rules.role_refusal("admin").allowed and not rules.role_refusal("wizard").allowed


def test_an_unknown_role_has_no_permission():
    refused = rules.may("wizard", "incidents.read")
    assert not refused.allowed and refused.status == 403


class TestLeaderHoldsPost:
    def test_a_leader_with_no_post_today_is_refused_with_the_division_of_work(self):
        d = rules.leader_holds_post("leader", 0)
        assert not d.allowed and d.status == 403 and d.basis.document == "东政办发〔2021〕18号"
        assert "职务" in d.zh and "post" in d.en

    def test_a_leader_holding_a_post_and_every_other_role_are_not_asked(self):
        assert rules.leader_holds_post("leader", 1).allowed
        for role in ("duty_officer", "department", "clerk", "admin", "legacy"):
            assert rules.leader_holds_post(role, 0).allowed
