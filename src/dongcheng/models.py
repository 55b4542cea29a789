"""Every ORM model, imported in one place so Alembic and tests see the whole schema: the core's own table (the
outbox) and each registered module's ``models`` (dongcheng.modules)."""
from dongcheng import modules
from dongcheng.core import outbox  # noqa: F401 - the core's own table
from dongcheng.core.db import Base

modules.import_models()

__all__ = ["Base"]
