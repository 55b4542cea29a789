"""The command line from a user's seat: audit verify, backup → restore round trip, reference check."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import MetaData, select, text

from dongcheng.core.db import make_engine
from tests.conftest import drop_database, prepared_database


def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dongcheng.cli.main", *args], capture_output=True, text=True,
                          timeout=120, input=input)


@pytest.fixture
def database(tmp_path):
    url = prepared_database(tmp_path, "cli")
    yield url
    drop_database(url)


def snapshot(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        data = {name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
                for name, table in meta.tables.items() if name != "alembic_version"}
    engine.dispose()
    return data


def test_audit_verify_passes_then_names_the_edited_entry(database):
    ok = run("audit", "verify", "--database-url", database)
    assert ok.returncode == 0 and "审计链完整" in ok.stdout
    engine = make_engine(database)
    with engine.begin() as conn:
        target = conn.execute(text("SELECT min(id) FROM audit_entries WHERE action = 'users.create'")).scalar()
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_entries_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
        conn.execute(text("UPDATE audit_entries SET after = :a WHERE id = :id"), {"a": '{"role": "admin"}', "id": target})
    engine.dispose()
    broken = run("audit", "verify", "--database-url", database)
    assert broken.returncode == 1 and f"entry {target}" in broken.stderr


def test_backup_and_restore_round_trip_every_table(database, tmp_path):
    before = snapshot(database)
    assert before["units"] and before["users"] and before["audit_entries"]
    backup_file = tmp_path / "backup.bin"
    r = run("backup", "--database-url", database, "-o", str(backup_file))
    assert r.returncode == 0, r.stderr
    engine = make_engine(database)
    with engine.begin() as conn:  # damage after the backup
        conn.execute(text("DELETE FROM api_tokens"))
        conn.execute(text("UPDATE units SET note = 'damaged'"))
    engine.dispose()
    refused = run("restore", str(backup_file), "--database-url", database)
    assert refused.returncode == 1 and "--execute" in refused.stdout
    r = run("restore", str(backup_file), "--database-url", database, "--execute")
    assert r.returncode == 0, r.stderr
    assert snapshot(database) == before


def test_reference_check():
    r = run("reference", "check")
    assert r.returncode == 0 and "36 event types" in r.stdout


@pytest.fixture(scope="module")
def users_database(tmp_path_factory):
    url = prepared_database(tmp_path_factory.mktemp("cli_users"), "cli_users")
    yield url
    drop_database(url)


def user_row(url: str, username: str):
    engine = make_engine(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT role, is_active FROM users WHERE username = :u"), {"u": username}).first()
    engine.dispose()
    return row


class TestUsersCreate:
    def test_an_unknown_role_is_refused_and_creates_nothing(self, users_database):
        r = run("users", "create", "merlin", "wizard", "--database-url", users_database,
                input="long-enough-1\nlong-enough-1\n")
        assert r.returncode == 1
        errors = [line for line in r.stderr.splitlines() if "wizard" in line]  # (getpass warns on a piped stdin)
        assert len(errors) == 1 and "角色" in errors[0] and "role" in errors[0]
        assert user_row(users_database, "merlin") is None

    def test_a_short_password_is_refused_and_creates_nothing(self, users_database):
        r = run("users", "create", "shorty", "admin", "--database-url", users_database, input="short\nshort\n")
        assert r.returncode == 1
        errors = [line for line in r.stderr.splitlines() if "密码" in line]
        assert len(errors) == 1 and "10" in errors[0] and "password" in errors[0]
        assert user_row(users_database, "shorty") is None

    def test_a_person_the_directory_does_not_know_is_refused_and_creates_nothing(self, users_database):
        """Before, a mistyped --person created an account linked to nobody."""
        r = run("users", "create", "ghost", "leader", "--person", "无此人", "--database-url", users_database,
                input="long-enough-1\nlong-enough-1\n")
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert "无此人" in r.stderr and "person" in r.stderr
        assert user_row(users_database, "ghost") is None

    def test_a_valid_user_is_created(self, users_database):
        r = run("users", "create", "keeper", "admin", "--database-url", users_database,
                input="long-enough-1\nlong-enough-1\n")
        assert r.returncode == 0, r.stderr
        assert tuple(user_row(users_database, "keeper")) == ("admin", True)


class TestUsersLifecycle:
    def test_list_shows_each_user_and_their_state(self, users_database):
        r = run("users", "list", "--database-url", users_database)
        assert r.returncode == 0, r.stderr
        duty = next(line for line in r.stdout.splitlines() if line.split()[:1] == ["duty"])
        assert "duty_officer" in duty and "active" in duty

    def test_reset_password_is_prompted_and_policy_checked(self, users_database):
        short = run("users", "reset-password", "clerk.rsj", "--database-url", users_database, input="short\nshort\n")
        assert short.returncode == 1 and any("密码" in line and "password" in line for line in short.stderr.splitlines())
        r = run("users", "reset-password", "clerk.rsj", "--database-url", users_database,
                input="a-new-password-1\na-new-password-1\n")
        assert r.returncode == 0, r.stderr
        engine = make_engine(users_database)
        with engine.connect() as conn:
            n = conn.execute(text("SELECT count(*) FROM audit_entries WHERE action = 'users.reset_password'")).scalar()
        engine.dispose()
        assert n == 1

    def test_deactivate_then_list_shows_inactive(self, users_database):
        r = run("users", "deactivate", "cgw", "--database-url", users_database)
        assert r.returncode == 0, r.stderr
        assert tuple(user_row(users_database, "cgw"))[1] in (False, 0)
        again = run("users", "deactivate", "cgw", "--database-url", users_database)
        assert again.returncode == 1
        missing = run("users", "deactivate", "nobody", "--database-url", users_database)
        assert missing.returncode == 1 and "nobody" in missing.stderr
        listed = run("users", "list", "--database-url", users_database)
        assert "inactive" in next(line for line in listed.stdout.splitlines() if line.split()[:1] == ["cgw"])


class TestErrorsInOneLine:
    """A mistyped path or a missing file ends the command with one line (zh / en) and exit 2 — never a traceback,
    and never an empty SQLite file where the user mistyped its name."""

    @pytest.mark.parametrize("command", [("audit", "verify"), ("users", "list"), ("backup",), ("db", "current"),
                                         ("calendar", "show", "2026"), ("worker", "--once"),
                                         ("worker", "seed-subscribers", "10")])
    def test_a_mistyped_sqlite_path_is_named_and_never_created(self, tmp_path, command):
        typo = tmp_path / "dongchegn.db"
        r = run(*command, "--database-url", f"sqlite:///{typo}")
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
        assert "数据库文件不存在" in r.stderr and str(typo) in r.stderr
        assert not typo.exists()

    def test_an_unreachable_postgresql_is_one_line(self):
        r = run("users", "list", "--database-url", "postgresql://postgres@127.0.0.1:1/nowhere")
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "无法打开数据库" in r.stderr

    def test_restoring_a_missing_file_names_it(self, database, tmp_path):
        missing = tmp_path / "no-such-backup.sqlite3"
        r = run("restore", str(missing), "--database-url", database, "--execute")
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert "文件不存在" in r.stderr and str(missing) in r.stderr


def test_long_steps_show_their_progress(database, tmp_path):
    """Seeding, backup and audit verify draw a progress bar on stderr (rich); piped, it prints its final state."""
    seeded = run("worker", "seed-subscribers", "2000", "--database-url", database)
    assert seeded.returncode == 0, seeded.stderr
    assert "生成订阅者" in seeded.stderr and "2000/2000" in seeded.stderr
    verified = run("audit", "verify", "--database-url", database)
    assert verified.returncode == 0, verified.stderr
    total = verified.stdout.split("审计链完整: ")[1].split()[0]
    assert "校验" in verified.stderr and f"{total}/{total}" in verified.stderr
    backed = run("backup", "--database-url", database, "-o", str(tmp_path / "b.bin"))
    assert backed.returncode == 0 and "备份" in backed.stderr
