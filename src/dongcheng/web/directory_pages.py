"""Directory pages: units, leaders with portfolios, people with posts over time."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
