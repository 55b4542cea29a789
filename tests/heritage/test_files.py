"""The loader refuses a heritage file that drifts from the notice, naming the file, the row (序号) and the field."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dongcheng.core.config import REPO_ROOT
from dongcheng.heritage.files import FILE, read_heritage
from dongcheng.reference.files import ReferenceDataError

SHIPPED = REPO_ROOT / "data" / FILE


@pytest.fixture
def shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_bytes())


def write(tmp_path: Path, doc: dict | str) -> Path:
    path = tmp_path / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, doc: dict | str) -> list[str]:
    with pytest.raises(ReferenceDataError) as refused:
        read_heritage(write(tmp_path, doc))
    assert str(refused.value).startswith("reference data refused / 参考数据校验未通过")
    return refused.value.problems


def test_the_shipped_file_is_accepted():
    data = read_heritage(REPO_ROOT / "data")
    assert (data.number, data.item_count, len(data.items), data.batches_to_date, data.items_to_date) == (7, 30, 30, 7, 225)
    assert str(data.approved_on) == "2022-01-11" and str(data.published_on) == "2022-02-01"
    assert data.approved_by == "区政府专题会" and len(data.sha256) == 64


def test_the_same_content_reads_the_same(tmp_path, shipped):
    assert read_heritage(write(tmp_path, shipped)).items == read_heritage(REPO_ROOT / "data").items


def test_a_missing_row_is_refused(tmp_path, shipped):
    del shipped["items"][29]
    assert problems(tmp_path, shipped) == [f"{FILE} items: 29 rows, batch.items says 30 / 项目数与公报不符"]


def test_the_count_is_the_gazettes(tmp_path, shipped):
    del shipped["items"][29]
    shipped["batch"]["items"] = 29
    assert problems(tmp_path, shipped) == [f"{FILE} batch.items: 29, the gazette has 30 / 与公报不符（公报为 30）"]


def test_a_gap_in_the_numbers_is_refused(tmp_path, shipped):
    shipped["items"][11]["seq"] = 13
    found = problems(tmp_path, shipped)
    assert found == [f"{FILE} row 12 (序号 13) seq: 13, expected 12 (序号 run 1, 2, 3 … without gaps) / 序号应为 12"]


def test_an_unknown_category_is_refused(tmp_path, shipped):
    shipped["items"][5]["category"] = "传统体育游艺 与杂技"
    shipped["items"][6]["category"] = "民俗"
    found = problems(tmp_path, shipped)
    assert len(found) == 2
    assert found[0].startswith(f"{FILE} row 6 (序号 6) category: '传统体育游艺 与杂技' is not one of the 7 categories")
    assert found[1].startswith(f"{FILE} row 7 (序号 7) category: '民俗' is not one of the 7 categories")


@pytest.mark.parametrize("field", ["name", "applicant"])
@pytest.mark.parametrize("value", ["", "   ", None])
def test_a_blank_name_or_applicant_is_refused(tmp_path, shipped, field, value):
    shipped["items"][16][field] = value
    assert problems(tmp_path, shipped) == [f"{FILE} row 17 (序号 17) {field}: missing or blank / 缺失或为空"]


def test_a_missing_field_is_refused(tmp_path, shipped):
    del shipped["items"][0]["applicant"]
    assert problems(tmp_path, shipped) == [f"{FILE} row 1 (序号 1) applicant: missing or blank / 缺失或为空"]


def test_a_cell_left_split_is_refused(tmp_path, shipped):
    shipped["items"][16]["applicant"] = "北京工美集团有限责任公司 王府井工美大厦"
    (found,) = problems(tmp_path, shipped)
    assert found.startswith(f"{FILE} row 17 (序号 17) applicant: “北京工美集团有限责任公司 王府井工美大厦” contains whitespace")


def test_a_misspelt_field_and_a_repeated_name_are_refused(tmp_path, shipped):
    shipped["items"][3]["aplicant"] = shipped["items"][3].pop("applicant")
    shipped["items"][4]["name"] = shipped["items"][3]["name"]
    found = problems(tmp_path, shipped)
    assert f"{FILE} row 4 (序号 4): unknown field(s) aplicant / 未知字段" in found
    assert f"{FILE} row 4 (序号 4) applicant: missing or blank / 缺失或为空" in found
    assert f"{FILE} row 5 (序号 5) name: “北京皮影” repeats row 4 / 项目名称重复" in found


def test_a_clause_must_cite_the_notice(tmp_path, shipped):
    shipped["items"][0]["clause"] = "东政发〔2022〕3号 §1"
    assert problems(tmp_path, shipped) == [
        f"{FILE} row 1 (序号 1) clause: “东政发〔2022〕3号 §1” does not cite 东政发〔2022〕2号 / 出处应为 东政发〔2022〕2号"]


def test_the_totals_and_dates_are_the_notices(tmp_path, shipped):
    shipped["to_date"]["items"] = 226
    shipped["batch"]["approved_on"] = "2022年1月11日"
    shipped["batch"]["published_on"] = shipped["batch"]["published_on"].replace(year=2021)
    found = problems(tmp_path, shipped)
    assert f"{FILE} to_date.items: 226, the gazette has 225 / 与公报不符（公报为 225）" in found
    assert f"{FILE} batch.approved_on: '2022年1月11日' is not a date (YYYY-MM-DD) / 应为日期" in found
    assert len(found) == 2


def test_published_before_approved_is_refused(tmp_path, shipped):
    shipped["batch"]["published_on"] = shipped["batch"]["approved_on"].replace(day=10)
    assert problems(tmp_path, shipped) == [
        f"{FILE} batch.published_on: 2022-01-10 is before approved_on 2022-01-11 / 公布早于审议"]


def test_a_missing_file_or_bad_yaml(tmp_path):
    with pytest.raises(ReferenceDataError, match="heritage/batch7.yaml: file missing"):
        read_heritage(tmp_path)
    assert problems(tmp_path, "items: [")[0].startswith(f"{FILE}: not valid YAML")
    assert problems(tmp_path, "- just a list")[0].startswith(f"{FILE}: expected a mapping")
    assert f"{FILE} items: missing or empty / 缺少项目" in problems(tmp_path, {"document": "东政发〔2022〕2号"})
