"""The data files against the gazette: table §2.3.6 row by row, counts, and the loader's refusals."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dongcheng.core.config import REPO_ROOT
from dongcheng.reference.files import ReferenceDataError, read_reference

DATA = REPO_ROOT / "data"

# 东政发〔2022〕3号 §2.3.6 突发事件处置分工, copied from the gazette row by row: (序号, 事件类别, 处置主责部门).
TABLE_2_3_6 = [
    (1, "气象灾害", ["区应急局", "区城市管理委", "区住房城乡建设委", "东城交通支队", "区环卫中心", "区园林绿化局", "京诚集团"]),
    (2, "地震灾害", ["区应急局"]),
    (3, "突发林木有害生物事件", ["区园林绿化局"]),
    (4, "危险化学品事故", ["区应急局"]),
    (5, "建设工程施工突发事故", ["区住房城乡建设委"]),
    (6, "火灾事故", ["东城消防救援支队"]),
    (7, "道路交通事故", ["东城交通支队"]),
    (8, "路面突发事故", ["区城市管理委"]),
    (9, "供排水突发事故", ["区城市管理委"]),
    (10, "电力突发事故", ["区城市管理委"]),
    (11, "燃气事故", ["区城市管理委"]),
    (12, "供热事故", ["区城市管理委"]),
    (13, "地下管线突发事件", ["区城市管理委"]),
    (14, "通信网络突发事件", ["区科技和信息化局"]),
    (15, "信息安全事件", ["区委网信办"]),
    (16, "人防工程事故", ["区人防办"]),
    (17, "特种设备事故", ["区市场监管局"]),
    (18, "公共场所人群拥挤踩踏事件", ["东城公安分局"]),
    (19, "重污染天气", ["区生态环境局"]),
    (20, "突发环境事件", ["区生态环境局"]),
    (21, "重大传染病疫情", ["区卫生健康委"]),
    (22, "群体性不明原因疾病", ["区卫生健康委"]),
    (23, "动物疫情", ["区卫生健康委"]),
    (24, "食品安全事件", ["区市场监管局"]),
    (25, "药品安全事件", ["区市场监管局"]),
    (26, "疫苗安全事件", ["区市场监管局"]),
    (27, "群体访、聚集等事件", ["区委政法委"]),
    (28, "恐怖袭击事件", ["东城公安分局"]),
    (29, "刑事案件", ["东城公安分局"]),
    (30, "生活必需品供应事件", ["区商务局", "东城公安分局"]),
    (31, "涉众型金融类突发事件", ["区金融服务办", "东城公安分局"]),
    (32, "涉外突发事件", ["区政府外办", "东城公安分局"]),
    (33, "民族宗教群体性事件", ["区民族宗教办", "区委政法委"]),
    (34, "影响校园安全稳定事件", ["区委教育工委", "区委政法委"]),
    (35, "新闻舆论事件", ["区委宣传部"]),
    (36, "旅游突发事件", ["区文化和旅游局", "东城公安分局"]),
]
CATEGORY_OF_NO = {**{n: "自然灾害" for n in range(1, 4)}, **{n: "事故灾难" for n in range(4, 21)},
                  **{n: "公共卫生事件" for n in range(21, 27)}, **{n: "社会安全事件" for n in range(27, 37)}}


@pytest.fixture(scope="module")
def data():
    return read_reference(DATA)


class TestEventTypes:
    def test_the_36_rows_of_table_2_3_6(self, data):
        got = [(e.no, e.name, list(e.lead_departments)) for e in data.event_types]
        assert got == TABLE_2_3_6

    def test_categories_follow_the_table_groups(self, data):
        assert {e.no: e.category for e in data.event_types} == CATEGORY_OF_NO

    def test_full_names_keep_the_gazette_examples(self, data):
        first = data.event_types[0]
        assert first.full_name == "气象灾害（暴雨、大风、沙尘、高温、雷电、大雾、霾、暴雪、冰雹、道路结冰、电线结冰等）"

    def test_every_row_cites_the_table(self, data):
        assert {e.clause for e in data.event_types} == {"东政发〔2022〕3号 §2.3.6"}


class TestCounts:
    def test_units_by_kind(self, data):
        kinds = [u.kind for u in data.units]
        assert kinds.count("special_hq") == 20  # §2.3.1
        assert kinds.count("street") == 17 and kinds.count("key_area") == 1  # §2.4

    def test_lists(self, data):
        sizes = {}
        for item in data.lists:
            sizes[item.list_name] = sizes.get(item.list_name, 0) + 1
        assert sizes["working_groups"] == 9
        assert sizes["disposal_measures.natural_and_accident"] == 13
        assert sizes["disposal_measures.public_health"] == 10
        assert sizes["disposal_measures.social_security"] == 7
        assert sizes["warning_measures.blue_yellow"] == 4
        assert sizes["warning_measures.orange_red"] == 8
        assert sizes["warning_channels"] == 13

    def test_plans_catalogue(self, data):
        special = [p for p in data.plans if p.kind == "special"]
        assert len(special) == 37 and len(data.plans) - len(special) == 7
        assert ("东城区粮食供给应急预案", "区商务局") in {(p.name, p.lead) for p in special}

    def test_table_name_and_division_name_are_one_unit(self, data):
        unit = next(u for u in data.units if u.name == "区城市管理委")
        assert "区城市管理委员会" in unit.aliases


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _edit(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


class TestLoaderRefuses:
    def test_an_unknown_lead_department(self, tmp_path):
        data_dir = _copy_data(tmp_path)
        _edit(data_dir / "emergency/event_types.yaml",
              lambda d: d["event_types"][5].update(lead_departments=["区火星局"]))
        with pytest.raises(ReferenceDataError) as exc:
            read_reference(data_dir)
        assert any("区火星局" in p and "row 6" in p for p in exc.value.problems)

    def test_a_row_missing_from_the_table(self, tmp_path):
        data_dir = _copy_data(tmp_path)
        _edit(data_dir / "emergency/event_types.yaml", lambda d: d["event_types"].pop())
        with pytest.raises(ReferenceDataError) as exc:
            read_reference(data_dir)
        assert any("event types (§2.3.6) is 35" in p for p in exc.value.problems)

    def test_an_unknown_unit_in_the_division_of_work(self, tmp_path):
        data_dir = _copy_data(tmp_path)
        _edit(data_dir / "directory/leaders.yaml", lambda d: d["seats"][6]["supervises"].append("区不存在委员会"))
        with pytest.raises(ReferenceDataError) as exc:
            read_reference(data_dir)
        assert any("区不存在委员会" in p for p in exc.value.problems)

    def test_a_notice_whose_people_do_not_match_its_title(self, tmp_path):
        data_dir = _copy_data(tmp_path)
        _edit(data_dir / "directory/appointments.yaml", lambda d: d["notices"][0]["actions"].pop(0))
        with pytest.raises(ReferenceDataError) as exc:
            read_reference(data_dir)
        assert any("东政任〔2021〕21号: 6 people, the title says 7" in p for p in exc.value.problems)


def test_the_emergency_office_is_marked_once_in_the_data():
    from dongcheng.core.config import REPO_ROOT
    from dongcheng.reference.files import read_reference

    data = read_reference(REPO_ROOT / "data")
    seat = [u.name for u in data.units if "区应急办" in u.aliases]
    assert seat == ["区应急局"]  # 区应急办设在区应急局 (§2.2.1): the alias resolves to the seat
    assert {u.name for u in data.units if u.emergency_office} == {"区应急局", "区应急指挥中心", "区预警信息发布中心"}
