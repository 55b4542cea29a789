"""Reference pages: event types with lead departments, the plans catalogue, the plan's lists."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
