"""``dongcheng supervision-credit load-policy``: an administrator loads the Beijing table from a file; a bad file is
refused naming each field and loads nothing."""
from __future__ import annotations

import pytest
import yaml
from sqlalchemy import text

from dongcheng.core.config import REPO_ROOT
from dongcheng.core.db import make_engine
from tests.conftest import drop_database, prepared_database
from tests.test_cli import run


@pytest.fixture
def database(tmp_path):
    url = prepared_database(tmp_path, "credit_cli", demo=False)
    yield url
    drop_database(url)


def policies(url: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = [r[0] for r in conn.execute(text("SELECT source FROM supervision_credit_policies"))]
    engine.dispose()
    return rows


def test_load_policy_from_a_file(database, tmp_path):
    data = yaml.safe_load((REPO_ROOT / "data/supervision/credit_policy.yaml").read_text(encoding="utf-8"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**data, "points": {**data["points"], "cycle_months": 0}}, allow_unicode=True),
                   encoding="utf-8")
    r = run("supervision-credit", "load-policy", str(bad), "--database-url", database)
    assert r.returncode == 1 and "policy.points.cycle_months" in r.stderr
    assert policies(database) == []
    good = tmp_path / "beijing.yaml"
    good.write_text(yaml.safe_dump({**data, "source": "北京市医疗机构不良执业行为记分（测试）"}, allow_unicode=True),
                    encoding="utf-8")
    r = run("supervision-credit", "load-policy", str(good), "--database-url", database)
    assert r.returncode == 0, r.stderr
    assert policies(database) == ["北京市医疗机构不良执业行为记分（测试）"]
