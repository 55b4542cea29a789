"""Path and query parameter types shared by every module's API and pages (HTTP-level: they use FastAPI's ``Path``)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Path

from dongcheng.core.types import MAX_ID

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="numeric id")]
"""A database id in a URL path: 1 … 2³¹−1 (a larger one is a 422 naming the path, not a database error)."""
