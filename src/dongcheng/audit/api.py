"""Audit API: the latest entries and a walk of the log (who may read them: ``audit.read``)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from dongcheng.api.deps import SessionDep, require
from dongcheng.audit import checkpoints, repository
from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller

router = APIRouter(prefix="/api", tags=["admin"])

AuditReader = Annotated[Caller, Depends(require("audit.read"))]


@router.get("/audit", summary="Latest audit entries (newest first; seq null until the sequencer has chained them)")
def audit_entries(session: SessionDep, caller: AuditReader, limit: int = 50) -> list[dict]:
    limit = max(1, min(limit, 500))
    rows = repository.latest_entries(session, limit)
    return [{"id": e.id, "at": e.at, "actor": e.actor, "post": e.post, "unit": e.unit, "action": e.action,
             "target_type": e.target_type, "target_id": e.target_id, "basis": e.basis,
             # entries written before personal data was kept as digests are concealed as they are read
             "before": audit.conceal(e.target_type, e.target_id, e.before),
             "after": audit.conceal(e.target_type, e.target_id, e.after), "hash": e.hash,
             "seq": e.seq, "leaf_hash": e.leaf_hash, "key_id": e.key_id} for e in rows]


@router.get("/audit/verify", summary="Verify the log against its checkpoints; names the first broken entry")
def audit_verify(request: Request, session: SessionDep, caller: AuditReader) -> dict:
    path = checkpoints.default_path(request.app.state.settings)
    found = checkpoints.read(path) if path is not None else checkpoints.CheckpointFile()
    result = audit.verify(session, checkpoints=found.checkpoints)
    return {"ok": result.ok, "checked": result.checked, "first_broken_id": result.first_broken_id,
            "reason": result.reason, "broken_seq": result.broken_seq, "pending": result.pending,
            "checkpoints": result.checkpoints, "head_seq": result.head_seq}
