"""The district map page (/map): an SVG drawn on the server — the outline from data/boundaries/ and the schematic grid
of streets — and the same facts below it as cards. No script, no tiles, no network: it works offline."""
from __future__ import annotations

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep
from dongcheng.core.time import utcnow
from dongcheng.emergency.map import service, views
from dongcheng.emergency.warnings.enums import Level
from dongcheng.reference.boundary import district
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import local_time, render

router = APIRouter(include_in_schema=False)
OUTLINE_W = 160


@router.get("/map")
def map_page(request: Request, session: SessionDep, caller: PageUser):
    now = utcnow()
    data = service.map_data(session, caller, now)
    cells, elsewhere = views.grid(data["streets"], data["incidents"], data["warnings"])
    width, height = views.grid_size(len(cells))
    shape = district()
    path, outline_h = views.outline_path(shape, OUTLINE_W)
    return render(request, "map/map.html", {
        "active": "map", "cells": cells, "elsewhere": elsewhere, "width": width, "height": height,
        "outline": path, "outline_w": OUTLINE_W, "outline_h": outline_h, "source": shape.source,
        "district_level": views.district_level(data["warnings"], data["streets"]),
        "warnings": data["warnings"], "levels": views.LEVEL_ORDER, "Level": Level,
        "state_labels": views.STATE_LABELS, "state_of": views.incident_state, "bj": local_time, "now": now,
        "real_count": sum(len(c.incidents) for c in cells), "drill_count": sum(len(c.drills) for c in cells),
    })
