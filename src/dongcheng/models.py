"""Every ORM model, imported in one place so Alembic and tests see the whole schema: the core's own tables (the
outbox, the search index, idempotency keys) and each registered module's ``models`` (dongcheng.modules)."""
from dongcheng import modules
from dongcheng.core import idempotency, outbox, search  # noqa: F401 - the core's own tables
from dongcheng.core.db import Base

modules.import_models()

__all__ = ["Base"]
