"""The task file is refused — every problem named at once — when a 责任部门 name resolves to no unit, alias or group
of data/directory/units.yaml, or when the sections differ from the plan's; ``dongcheng reference check`` says so."""
from __future__ import annotations

import shutil

import pytest

from dongcheng.core.config import REPO_ROOT
from dongcheng.reference.files import ReferenceDataError
from dongcheng.supervision.tasks.files import read_tasks


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", target, ignore=shutil.ignore_patterns("gazette"))
    return target


def test_an_unknown_name_is_refused(data_dir):
    path = data_dir / "supervision" / "tasks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("区科信局", "区科委", 1), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        read_tasks(data_dir)
    assert any("“区科委”" in p and "三（二）9" in p for p in err.value.problems)


def test_a_name_known_only_as_an_alias_would_be_refused_without_it(data_dir):
    units = data_dir / "directory" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("aliases: [区医保局], ", "", 1), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        read_tasks(data_dir)
    assert sum("“区医保局”" in p for p in err.value.problems) == 5  # 三（一）4, 三（二）3, 四（一）, 四（二）, 四（四）


def test_a_missing_section_is_refused(data_dir):
    path = data_dir / "supervision" / "tasks.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - key: 五（三）")
    path.write_text(text[:start], encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        read_tasks(data_dir)
    assert any("differ from the plan's" in p for p in err.value.problems)
