"""The dissemination rules (东政发〔2022〕3号 §3.2.8) and the CAP mapping. Pure: no database."""
from __future__ import annotations

import pytest

from dongcheng.emergency.warnings import dissemination_rules as rules
from dongcheng.emergency.warnings.enums import Action, Level, MsgType


class TestDissemination:
    def test_ordinary_subscriber_gets_their_channels(self):
        channels, _ = rules.delivery_channels(("手机短信", "手机客户端"), vulnerable=False, special_place=False,
                                              blind_spot=False)
        assert channels == ("手机短信", "手机客户端")

    @pytest.mark.parametrize("flag", ["vulnerable", "special_place", "blind_spot"])
    def test_targeted_groups_also_get_door_to_door(self, flag):
        flags = {"vulnerable": False, "special_place": False, "blind_spot": False, flag: True}
        channels, basis = rules.delivery_channels(("手机短信",), **flags)
        assert channels == ("手机短信", "组织人员逐户通知") and basis.clause == "§3.2.8"

    def test_backoff_grows_and_is_capped(self):
        assert [rules.retry_delay_seconds(n) for n in (1, 2, 3)] == [5, 10, 20]
        assert rules.retry_delay_seconds(30) == 600

    def test_coverage(self):
        assert rules.coverage_percent(0, 0) is None
        assert rules.coverage_percent(2, 3) == 66.67

    def test_messages(self):
        assert [rules.message_type(a) for a in (Action.PUBLISH, Action.CHANGE_LEVEL, Action.LIFT)] == \
            [MsgType.ALERT, MsgType.UPDATE, MsgType.CANCEL]


class TestCapProfile:
    def test_colours_map_to_decreasing_severity(self):
        order = ["Extreme", "Severe", "Moderate", "Minor"]
        got = [rules.cap_profile(lv)[0] for lv in (Level.RED, Level.ORANGE, Level.YELLOW, Level.BLUE)]
        assert got == order
        assert rules.cap_profile(Level.RED)[1] == "Immediate"


class TestRegistryInputs:
    def test_unknown_channels_groups_and_places_are_named(self):
        assert rules.known_channels(["手机短信", "飞鸽"], ["手机短信"]).field == "channels"
        assert rules.known_groups(["老", "壮"], ["老"]).field == "vulnerable_groups"
        assert rules.known_place("公园", ["学校"]).field == "special_place"
        assert rules.known_place(None, ["学校"]).allowed

    def test_an_unsubscribed_subscriber_is_not_changed(self):
        assert rules.may_unsubscribe(False).status == 409 and rules.may_change_subscriber(False).status == 409
        assert rules.may_unsubscribe(True).allowed
