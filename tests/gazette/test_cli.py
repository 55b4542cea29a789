"""`dongcheng serve`'s preparation imports the shipped gazette; `dongcheng gazette import FILE` is idempotent."""
from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from dongcheng.core.config import REPO_ROOT, Settings
from dongcheng.core.db import make_engine
from tests.conftest import drop_database, fresh_database


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dongcheng.cli.main", *args], capture_output=True, text=True,
                          timeout=120)


def test_prepare_imports_the_gazette_and_the_cli_then_changes_nothing(tmp_path, capsys):
    from dongcheng.cli.main import _prepare

    url = fresh_database(tmp_path, "gazette_cli")
    try:
        _prepare(Settings(database_url=url, environment="test"), demo=False)
        out = capsys.readouterr().out
        assert "政府公报: 1 issue(s), 1 imported" in out
        assert "由公报原文建立目录: 9 seats, 194 lines confirmed (5 placed by data/directory/leaders.yaml)" in out
        r = run("gazette", "import", str(REPO_ROOT / "data" / "gazette" / "2022-03.txt"), "--database-url", url)
        assert r.returncode == 0, r.stderr
        assert "unchanged" in r.stdout and "documents / 文件 11" in r.stdout and "clauses / 条款 257" in r.stdout
        bad = tmp_path / "bad.txt"
        bad.write_text("北京市东城区人民政府公报\n第 4 期\n2022年3月1日\n", encoding="utf-8")
        r = run("gazette", "import", str(bad), "--database-url", url)
        assert r.returncode == 1 and "未找到目录" in r.stderr and "table of contents" in r.stderr
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM gazette_issues")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM audit_entries WHERE action LIKE 'gazette.%'")).scalar() == 1 + 194
            assert conn.execute(text("SELECT count(*) FROM audit_entries WHERE action = 'gazette.import'")).scalar() == 1
        engine.dispose()
    finally:
        from dongcheng.core.db import engine_for

        engine_for(url).dispose()  # _prepare's cached engine
        drop_database(url)
