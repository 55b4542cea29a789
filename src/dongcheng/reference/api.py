from __future__ import annotations

from fastapi import APIRouter

from dongcheng.api.deps import SessionDep
from dongcheng.reference import service

router = APIRouter(prefix="/api/reference", tags=["reference"])


@router.get("/event-types", summary="Table §2.3.6: the 36 event types with lead departments, in order")
def event_types(session: SessionDep) -> list[dict]:
    return [service.event_type_dict(et) for et in service.list_event_types(session)]


@router.get("/plans", summary="§8.3: 37 special plans + 7 support plans with lead drafting departments")
def plans(session: SessionDep) -> list[dict]:
    return [service.plan_dict(p) for p in service.list_plans(session)]


@router.get("/lists", summary="Names of the ordered reference lists")
def lists(session: SessionDep) -> list[str]:
    return service.list_names(session)


@router.get("/lists/{list_name}", summary="One ordered list (measures, working groups, channels …)")
def list_items(list_name: str, session: SessionDep) -> list[dict]:
    return [{"seq": i.seq, "text": i.text, "basis": i.clause, **(i.attrs or {})}
            for i in service.list_items(session, list_name)]
