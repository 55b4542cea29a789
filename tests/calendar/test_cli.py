"""``dongcheng calendar``: load a year's schedule from a YAML file, show the year; a bad file names each problem."""
from __future__ import annotations

import subprocess
import sys


def test_the_cli_loads_a_yaml_file_and_shows_the_year(tmp_path):
    from tests.conftest import drop_database, prepared_database

    url = prepared_database(tmp_path, "calendar")
    try:
        file = tmp_path / "2027.yaml"
        file.write_text("year: 2027\nsource: 国务院办公厅关于2027年部分节假日安排的通知（测试用）\nholidays:\n"
                        "  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\nworking_days: []\n", encoding="utf-8")
        run = [sys.executable, "-m", "dongcheng.cli.main", "calendar"]
        loaded = subprocess.run([*run, "load", str(file), "--database-url", url], capture_output=True, text=True,
                                timeout=120)
        assert loaded.returncode == 0, loaded.stderr
        assert "2027: 3 days loaded" in loaded.stdout
        shown = subprocess.run([*run, "show", "2027", "--database-url", url], capture_output=True, text=True,
                               timeout=120)
        assert "loaded" in shown.stdout and "2027-01-02 放假 元旦" in shown.stdout
        file.write_text("year: 2027\nsource: x\nholidays: []\n", encoding="utf-8")
        refused = subprocess.run([*run, "load", str(file), "--database-url", url], capture_output=True, text=True,
                                 timeout=120)
        assert refused.returncode == 1 and "source" in refused.stderr and "holidays" in refused.stderr
        assert "source: 太短 / String should have at least 4 characters" in refused.stderr  # core.validation's words
    finally:
        drop_database(url)
