"""Audit API: the latest entries and a walk of the hash chain (who may read them: ``audit.read``)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from dongcheng.api.deps import SessionDep, require
from dongcheng.audit import repository
from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller

router = APIRouter(prefix="/api", tags=["admin"])

AuditReader = Annotated[Caller, Depends(require("audit.read"))]


@router.get("/audit", summary="Latest audit entries (newest first)")
def audit_entries(session: SessionDep, caller: AuditReader, limit: int = 50) -> list[dict]:
    limit = max(1, min(limit, 500))
    rows = repository.latest_entries(session, limit)
    return [{"id": e.id, "at": e.at, "actor": e.actor, "post": e.post, "unit": e.unit, "action": e.action,
             "target_type": e.target_type, "target_id": e.target_id, "basis": e.basis,
             # entries written before personal data was kept as digests are concealed as they are read
             "before": audit.conceal(e.target_type, e.target_id, e.before),
             "after": audit.conceal(e.target_type, e.target_id, e.after), "hash": e.hash} for e in rows]


@router.get("/audit/verify", summary="Verify the hash chain; names the first broken entry")
def audit_verify(session: SessionDep, caller: AuditReader) -> dict:
    result = audit.verify(session)
    return {"ok": result.ok, "checked": result.checked, "first_broken_id": result.first_broken_id,
            "reason": result.reason}
