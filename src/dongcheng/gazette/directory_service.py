"""The directory follows the gazette (SPEC §2.1, §2.7): an imported issue's 任免 and division-of-work notices become
proposed directory changes (``proposals.propose``), minus what the directory already holds; an administrator confirms
or rejects them line by line. Writes in the caller's transaction and never commits: one request's decisions stand or
fall together. Each decision is audited; a confirmed line is written through the directory service (audited there
too), so holder_of(post, on) and supervising_leader(unit, on) answer with it from its date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.core.errors import DomainError, FieldError, conflict, invalid, not_found
from dongcheng.core.time import utcnow
from dongcheng.directory import repository as directory_repository
from dongcheng.directory import service as directory
from dongcheng.directory.units import UnitIndex, UnitRow
from dongcheng.gazette import repository
from dongcheng.gazette.models import GazetteDirectoryChange, GazetteIssue
from dongcheng.gazette.proposals import KINDS, ProposedChange, UnplacedLine, propose

UNPLACED_SEQ = 1000  # unplaced lines sort after the proposals of their document


def units_index(session: Session) -> UnitIndex:
    return UnitIndex([UnitRow(u.name, u.full_name, u.kind, tuple(u.aliases or ()), None, u.clause, "", 0)
                      for u in directory.list_units(session)])


def _held(session: Session, change: ProposedChange) -> bool:
    """The directory already records this line (from the data files or an earlier confirmation)."""
    if change.kind == "appoint":
        return _has_tenure(session, change)
    if change.kind in ("remove", "remove_all"):
        return directory_repository.tenure_from(session, change.document, change.person, removed=True) is not None
    return directory_repository.portfolio_entry_like(session, change.document, change.relation, change.text) is not None


def _has_tenure(session: Session, change: ProposedChange) -> bool:
    person = directory_repository.person_by_name(session, change.person)
    if person is None:
        return False
    return any(t.appointed_by == change.document and (unit is not None and unit.name == change.unit)
               and post.title == change.title for post, t, unit in directory_repository.tenures_of(session, person))


def _unplaced_held(session: Session, line: UnplacedLine) -> bool:
    """A division-of-work line naming a group or sector (各街道办事处, 银行) the data files already hold as printed."""
    if not line.relation:
        return False
    text = line.text.partition(f" {line.relation}")[2]
    return directory_repository.portfolio_entry_like(session, line.document, line.relation, text) is not None


def propose_for_issue(session: Session, issue: GazetteIssue, documents) -> int:
    """Replace the issue's undecided proposals with what its text asks now; returns how many lines are listed."""
    changes, unplaced = propose(documents, units_index(session))
    decided = repository.decided_change_keys(session, issue.id)
    repository.delete_undecided_changes(session, issue.id)
    rows = []
    for c in changes:
        if (c.document, c.kind, c.seq) in decided or _held(session, c):
            continue
        rows.append(GazetteDirectoryChange(
            issue_id=issue.id, document_number=c.document, seq=c.seq, kind=c.kind, status="proposed", summary=c.summary,
            text=c.text, effective_on=c.effective_on, payload=c.payload(), reason="", result={}))
    lost = [line for line in unplaced if not _unplaced_held(session, line)]
    for n, line in enumerate(lost, UNPLACED_SEQ):
        rows.append(GazetteDirectoryChange(
            issue_id=issue.id, document_number=line.document, seq=n, kind="unplaced", status="unplaced",
            summary=line.text, text=line.text, effective_on=None, payload={}, reason=f"{line.zh} / {line.en}",
            result={}))
    session.add_all(rows)
    session.flush()
    return len(rows)


def list_changes(session: Session, issue_id: int) -> list[GazetteDirectoryChange]:
    if repository.issue_by_id(session, issue_id) is None:
        raise not_found("公报", "gazette issue", issue_id)
    return repository.directory_changes(session, issue_id)


@dataclass(frozen=True)
class Decided:
    change: GazetteDirectoryChange
    status: str


def decide(session: Session, issue_id: int, *, confirm: list[int], reject: list[int],
           actor: audit.Actor) -> list[Decided]:
    """Confirm and reject lines of one issue, all or none: confirmed lines are written in date order (removals, then
    appointments, then portfolio lines of a day), so a division of work finds the seat its leader was appointed to."""
    if set(confirm) & set(reject):
        raise invalid("confirm", "同一行不能既确认又驳回", "a line cannot be both confirmed and rejected")
    if not confirm and not reject:
        raise invalid("confirm", "请选择要确认或驳回的行", "choose lines to confirm or reject")
    by_id = {c.id: c for c in list_changes(session, issue_id)}
    for field, ids in (("confirm", confirm), ("reject", reject)):
        for change_id in ids:
            change = by_id.get(change_id)
            if change is None:
                raise invalid(field, f"本期公报没有第 {change_id} 行拟议变更", f"this issue has no proposed line {change_id}")
            if change.status == "unplaced" and field == "confirm":
                raise invalid(field, f"第 {change_id} 行未能识别，不能确认：{change.text}",
                              f"line {change_id} was not placed and cannot be confirmed: {change.text}")
            if change.status in ("confirmed", "rejected"):
                raise conflict(f"第 {change_id} 行已{'确认' if change.status == 'confirmed' else '驳回'}",
                               f"line {change_id} is already {change.status}")
    out: list[Decided] = []
    order = sorted((by_id[i] for i in confirm), key=lambda c: (c.effective_on or date.min, KINDS.index(c.kind), c.id))
    for change in order:
        try:
            change.result = _apply(session, change, actor)
        except DomainError as exc:
            reason = exc.fields[0] if exc.fields else FieldError("confirm", exc.zh, exc.en)
            raise DomainError(exc.zh, exc.en, exc.status_code, [FieldError(
                "confirm", f"第 {change.id} 行（{change.summary}）：{reason.zh}",
                f"line {change.id} ({change.text}): {reason.en}")]) from exc
        out.append(_mark(session, change, "confirmed", actor))
    out += [_mark(session, by_id[i], "rejected", actor) for i in reject]
    return out


def _mark(session: Session, change: GazetteDirectoryChange, status: str, actor: audit.Actor) -> Decided:
    change.status, change.decided_by, change.decided_at = status, actor.username, utcnow()
    session.flush()
    audit.record(session, actor=actor, action=f"gazette.directory_change.{status.removesuffix('ed')}",
                 target_type="gazette_directory_change", target_id=change.id, basis=change.document_number,
                 before={"status": "proposed"}, after={"status": status, "line": change.summary, "text": change.text,
                                                       "result": change.result})
    return Decided(change, status)


def _apply(session: Session, change: GazetteDirectoryChange, actor: audit.Actor) -> dict:
    p = change.payload
    day = date.fromisoformat(p["effective_on"])
    unit = directory.find_unit(session, p["unit"]) if p.get("unit") else None
    if p.get("unit") and unit is None:
        raise invalid("unit", f"单位“{p['unit']}”不在目录中", f"unit {p['unit']!r} is not in the directory")
    doc = change.document_number
    if change.kind == "appoint":
        tenure = directory.appoint_from_gazette(
            session, actor=actor, person_name=p["person"], unit=unit, title=p["title"], effective_on=day, document=doc,
            seq=change.seq, text=change.text, concurrent=p["concurrent"],
            probation_ends_on=_day(p["probation_ends_on"]), secondment_ends_on=_day(p["secondment_ends_on"]),
            rank_note=p["rank_note"])
        return {"tenure": tenure.id}
    if change.kind in ("remove", "remove_all"):
        ended = directory.remove_from_gazette(session, actor=actor, person_name=p["person"], effective_on=day,
                                              document=doc, text=change.text, unit=unit, title=p["title"])
        return {"tenures": [t.id for t in ended]}
    entry, moved = directory.assign_portfolio_line(session, actor=actor, person_name=p["person"],
                                                   relation=p["relation"], text=p["text"], unit=unit, effective_on=day,
                                                   document=doc)
    return {"portfolio_entry": entry.id, "taken_from": moved}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None

