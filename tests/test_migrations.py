"""The migrations and the models describe the same schema (no create_all anywhere), with one head; and a database
migrated with a revision as it first landed reaches the same schema as a fresh one."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from dongcheng.core import migrate
from dongcheng.core.db import make_engine
from dongcheng.core.migrate import alembic_config
from dongcheng.core.search import include_name
from dongcheng.models import Base
from tests.conftest import drop_database, fresh_database

FIXTURES = Path(__file__).parent / "migrations" / "fixtures"


def test_models_match_the_migrated_database(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": include_name}), Base.metadata)
    assert diff == []


def test_one_head(database_url):
    assert len(ScriptDirectory.from_config(alembic_config(database_url)).get_heads()) == 1


def schema(engine) -> dict[str, dict]:
    """Every table: its columns (type, nullable), indexes, unique constraints, foreign keys and primary key."""
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": {c["name"]: (str(c["type"]), c["nullable"]) for c in insp.get_columns(table)},
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)),
            "foreign_keys": sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"],
                                    tuple(f["referred_columns"])) for f in insp.get_foreign_keys(table)),
            "primary_key": tuple(insp.get_pk_constraint(table)["constrained_columns"]),
        }
    return out


def run_revision_file(database_url: str, path: Path) -> None:
    """Run the ``upgrade()`` of a migration file as it stood then (not the one in migrations/versions/ today)."""
    spec = importlib.util.spec_from_file_location(f"landed_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    engine = make_engine(database_url)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()
    engine.dispose()


def test_a_database_at_the_commissioners_revision_as_first_landed_reaches_the_same_schema(engine, tmp_path):
    """j0a0commissioners was edited after it landed (the fund-application table was added to it): a database that
    ran the first text is stamped j0a0commissioners without that table. k2a0fundfix brings it to the same schema as
    a fresh database."""
    url = fresh_database(tmp_path, "early")
    try:
        migrate.upgrade(url, "h8a0incubators")
        run_revision_file(url, FIXTURES / "j0a0commissioners_as_first_landed.py")
        command.stamp(alembic_config(url), "j0a0commissioners")
        early = make_engine(url)
        assert "commissioner_fund_applications" not in inspect(early).get_table_names()  # the defect, reproduced
        migrate.upgrade(url)
        assert schema(early) == schema(engine)
        with early.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn, opts={"include_name": include_name}), Base.metadata) == []
        early.dispose()
    finally:
        drop_database(url)
