"""三（二）4 as rules: what keeps each promise, met on the milestone's day and missed the day after, coverage."""
from __future__ import annotations

from datetime import date

from dongcheng.supervision.network import rules
from dongcheng.supervision.network.rules import Record

SIGNED = date(2021, 12, 9)
DUE_2021 = date(2021, 12, 31)


def test_built_on_the_last_day_of_2021_is_met_and_the_next_day_is_not():
    on_time = rules.reached_on("planned", "new_built", [Record("new_built", DUE_2021)], SIGNED)
    assert rules.outcome(on_time, DUE_2021, date(2022, 1, 1)) == "met"
    late = rules.reached_on("planned", "new_built", [Record("new_built", date(2022, 1, 1))], SIGNED)
    assert rules.outcome(late, DUE_2021, date(2022, 6, 1)) == "missed"  # built, but after the promised day


def test_nothing_recorded_is_pending_until_the_day_then_missed():
    assert rules.outcome(None, DUE_2021, DUE_2021) == "pending"
    assert rules.outcome(None, DUE_2021, date(2022, 1, 1)) == "missed"


def test_what_keeps_each_promise():
    assert rules.reached_on("existing", "existing", [], SIGNED) == SIGNED  # 现有: counted from the plan
    assert rules.reached_on("existing", "upgraded", [], SIGNED) is None  # 北新桥 must be upgraded, not just exist
    assert rules.reached_on("existing", "upgraded", [Record("upgraded", date(2021, 11, 1))], SIGNED) == date(2021, 11, 1)
    assert rules.reached_on("planned", "site_selected", [Record("new_built", date(2022, 5, 1))], SIGNED) == \
        date(2022, 5, 1)  # built implies a site
    assert rules.reached_on("planned", "new_built", [Record("site_selected", date(2021, 5, 1))], SIGNED) is None
    assert rules.reached_on("planned", "started", [Record("started", date(2022, 12, 31))], SIGNED) == date(2022, 12, 31)


def test_the_current_state_is_the_latest_day():
    records = [Record("site_selected", date(2022, 3, 1)), Record("new_built", date(2022, 9, 1)),
               Record("planned", date(2022, 1, 1))]
    assert rules.current_state("planned", records) == "new_built"
    assert rules.current_state("existing", []) == "existing"


def test_states_by_kind_and_no_future_day():
    today = date(2022, 6, 1)
    assert rules.may_record("new_built", "station", today, today).allowed
    refused = rules.may_record("started", "station", today, today)
    assert (refused.status, refused.field) == (422, "state")
    assert rules.may_record("started", "centre", today, today).allowed
    future = rules.may_record("site_selected", "station", date(2022, 6, 2), today)
    assert (future.status, future.field) == (422, "on")


def test_who_records():
    assert rules.may_record_for("区卫生健康委", "东四街道", "区卫生健康委").allowed
    assert rules.may_record_for("东四街道", "东四街道", "区卫生健康委").allowed
    assert rules.may_record_for("景山街道", "东四街道", "区卫生健康委").status == 403
    assert rules.may_record_for("东四街道", None, "区卫生健康委").status == 403  # the centre: the commission only


def test_coverage_names_the_streets_without_and_the_street_listed_twice():
    cov = rules.coverage(["东四街道", "前门街道", "天坛街道"],
                         [("s08", "东四街道"), ("s09", "前门街道"), ("s13", "前门街道"), ("s05", None)])
    assert [(c.street, c.stations, c.listed, c.planned) for c in cov] == [
        ("东四街道", ("s08",), 1, True), ("前门街道", ("s09", "s13"), 2, True), ("天坛街道", (), 0, False)]
