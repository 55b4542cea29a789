"""Every platform default in code is listed in the README's "Platform defaults" table, and every row of the table is a
default the code still has (issue 10, item 5): a figure the gazette does not give says so, in one place a reader finds."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from dongcheng.core.basis import PLATFORM_DEFAULT, platform_default

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "dongcheng"
CALL = re.compile(r"""platform_default\(\s*["']([a-z_]+)["']""")
ROW = re.compile(r"^\| `([a-z_]+)` \|")


def keys_in_code() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*")):
        if path.suffix in (".py", ".js", ".html") and path.is_file():
            for key in CALL.findall(path.read_text(encoding="utf-8")):
                found.setdefault(key, []).append(str(path.relative_to(SRC)))
    return found


def readme_table() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Platform defaults\n", 1)[1].split("\n## ", 1)[0]
    return [m.group(1) for line in section.splitlines() if (m := ROW.match(line))]


def test_the_helper_says_platform_default_and_names_the_key():
    assert platform_default("x_key", "因为") == "平台默认（platform default x_key）：因为"


def test_the_readme_has_one_table_of_them():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count("\n## Platform defaults\n") == 1
    rows = readme_table()
    assert rows and len(rows) == len(set(rows)), "a key listed twice"


def test_every_default_in_code_is_in_the_readme_and_every_row_is_in_code():
    code, table = keys_in_code(), set(readme_table())
    assert code, "no platform_default() call found in src/"
    assert set(code) - table == set(), f"in code, missing from README 'Platform defaults': {sorted(set(code) - table)}"
    assert table - set(code) == set(), f"in README, no longer in code: {sorted(table - set(code))}"


def _docstring_lines(source: str) -> set[int]:
    """The lines of every docstring (prose for the reader of the code, not a basis a user sees)."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


def test_nobody_writes_the_marker_by_hand():
    """A string saying "platform default" (or 平台默认) outside the helper would escape the table: use
    platform_default(). Docstrings may say it in prose."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "core" / "basis.py":
            continue
        source = path.read_text(encoding="utf-8")
        prose = _docstring_lines(source)
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        offenders += [f"{path.relative_to(SRC)}:{t.start[0]}" for t in tokens
                      if t.type == tokenize.STRING and t.start[0] not in prose
                      and (PLATFORM_DEFAULT in t.string.lower() or "平台默认" in t.string)]
    assert offenders == []


def test_a_default_reaches_the_basis_the_user_reads():
    """The incubator quarterly-report due day is the text's 按季度 plus the platform's 15 days: its basis says so."""
    from dongcheng.incubators import management_rules

    basis = str(management_rules.report_basis())
    assert basis.startswith("东人社发〔2021〕101号 第十一条（一）") and "platform default quarterly_report_grace" in basis
