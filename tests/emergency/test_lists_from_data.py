"""Facts once: the §4.4.1 working groups, the §4.5 measure lists and the §4.1.8 report elements are read from
data/emergency/lists.yaml (loaded into the reference tables); no copy of them lives in the code."""
from __future__ import annotations

import typing

from dongcheng.emergency.checklists import repository as checklists
from dongcheng.emergency.checklists.schemas import ListKey
from dongcheng.emergency.command_posts import repository as command_posts
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.incidents.schemas import REPORT_ELEMENT_KEYS, ReportIn

from .reference_lists import measure_lists, report_elements, working_groups


def test_the_services_read_the_lists_of_lists_yaml(db):
    assert command_posts.working_group_names(db) == working_groups()
    assert working_groups()[0] == "综合协调组" and len(working_groups()) == 9
    assert checklists.measure_lists(db) == measure_lists()
    assert [(m.key, m.clause) for m in measure_lists().values()] == [
        ("natural_and_accident", "§4.5.1"), ("public_health", "§4.5.2"), ("social_security", "§4.5.3")]
    assert incidents.report_elements(db) == report_elements()
    assert [zh for _, zh in report_elements()] == ["时间", "地点", "信息来源", "事件性质", "危害程度", "发展趋势",
                                                   "已采取的措施"]


def test_the_api_names_what_the_data_lists():
    """The request bodies name the same keys (they are the public contract, so they are written in the schema)."""
    assert set(typing.get_args(ListKey)) == set(measure_lists())
    assert tuple(key for key, _ in report_elements()) == REPORT_ELEMENT_KEYS
    assert set(REPORT_ELEMENT_KEYS) <= set(ReportIn.model_fields)


def test_the_emergency_office_seat_is_the_flagged_unit_without_a_flagged_parent(db):
    assert incidents.emergency_office_seat(db).name == "区应急局"
