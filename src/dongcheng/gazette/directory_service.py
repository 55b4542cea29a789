"""The directory follows the gazette (SPEC §2.1, §2.7): an imported issue's 任免 and division-of-work notices become
proposed directory changes (``proposals.propose``), minus what the directory already holds; an administrator confirms
or rejects them line by line. Writes in the caller's transaction and never commits: one request's decisions stand or
fall together. Each decision is audited; a confirmed line is written through the directory service (audited there
too), so holder_of(post, on) and supervising_leader(unit, on) answer with it from its date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.core.errors import DomainError, FieldError, conflict, invalid, not_found
from dongcheng.core.time import utcnow
from dongcheng.directory import repository as directory_repository
from dongcheng.directory import service as directory
from dongcheng.directory.units import UnitIndex, UnitRow
from dongcheng.gazette import repository
from dongcheng.gazette.models import GazetteDirectoryChange, GazetteIssue
from dongcheng.gazette.notices import (
    is_appointment_notice,
    is_division_of_work,
    parse_appointment_notice,
    parse_division_of_work,
)
from dongcheng.gazette.notices_check import Difference, Directory, HeldAppointment, HeldLine, HeldSeat, compare
from dongcheng.gazette.proposals import KINDS, ProposedChange, UnplacedLine, propose
from dongcheng.gazette.rules import key
from dongcheng.reference.files import ReferenceData

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


def _proposed_row(issue: GazetteIssue, c: ProposedChange, **payload) -> GazetteDirectoryChange:
    return GazetteDirectoryChange(
        issue_id=issue.id, document_number=c.document, seq=c.seq, kind=c.kind, status="proposed", summary=c.summary,
        text=c.text, effective_on=c.effective_on, payload=c.payload() | payload, reason="", result={})


def propose_for_issue(session: Session, issue: GazetteIssue, documents) -> int:
    """Replace the issue's undecided proposals with what its text asks now; returns how many lines are listed."""
    changes, unplaced = propose(documents, units_index(session))
    decided = repository.decided_change_keys(session, issue.id)
    repository.delete_undecided_changes(session, issue.id)
    rows = [_proposed_row(issue, c) for c in changes
            if (c.document, c.kind, c.seq) not in decided and not _held(session, c)]
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
           actor: audit.Actor, first_record: bool = False) -> list[Decided]:
    """Confirm and reject lines of one issue, all or none: confirmed lines are written in date order (removals, then
    appointments, then portfolio lines of a day), so a division of work finds the seat its leader was appointed to.
    ``first_record``: only ``build_from_issue`` (see ``directory.remove_from_gazette``)."""
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
            change.result = _apply(session, change, actor, first_record)
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
                 target_type="gazette_directory_change", target_id=change.id,
                 basis=f"{change.document_number} 第{change.seq}项",  # the notice and its line
                 before={"status": "proposed"}, after={"status": status, "line": change.summary, "text": change.text,
                                                       "result": change.result})
    return Decided(change, status)


def _apply(session: Session, change: GazetteDirectoryChange, actor: audit.Actor, first_record: bool = False) -> dict:
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
            rank_note=p["rank_note"], post_text=p.get("post_text", ""))
        return {"tenure": tenure.id}
    if change.kind in ("remove", "remove_all"):
        ended = directory.remove_from_gazette(
            session, actor=actor, person_name=p["person"], effective_on=day, document=doc, text=change.text, unit=unit,
            title=p["title"], seq=change.seq, rank_note=p.get("rank_note", ""), earlier_unrecorded=first_record,
            post_text=p.get("post_text", ""))
        return {"tenures": [t.id for t in ended]}
    entry, moved = directory.assign_portfolio_line(session, actor=actor, person_name=p["person"],
                                                   relation=p["relation"], text=p["text"], unit=unit, effective_on=day,
                                                   document=doc, unit_kind=p.get("unit_kind"))
    return {"portfolio_entry": entry.id, "taken_from": moved}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None



# --- a fresh database: the directory built from its first issue's text ------------------------------------------


@dataclass(frozen=True)
class Built:
    seats: int
    confirmed: int  # 任免 and portfolio lines confirmed as the system, each audited with its notice and line
    placed_by_hand: int  # of them, lines naming a group or sector, placed by data/directory/leaders.yaml


def _refuse(zh: str, en: str) -> DomainError:
    return DomainError(f"无法由公报原文建立目录：{zh}", f"cannot build the directory from the gazette text: {en}", 422)


def build_from_issue(session: Session, issue: GazetteIssue, data: ReferenceData,
                     actor: audit.Actor = audit.SYSTEM) -> Built:
    """The directory of a fresh database from the issue's own text (SPEC §2.7): the division of work's leaders take
    their seats (the seat codes, platform identifiers, from ``data.seats`` matched by post and name — refused if one
    does not match), then every 任免 and portfolio line the reader proposes is confirmed as ``actor`` through
    ``decide`` — the path of an administrator's confirmation, audited with the notice's 文号 and line. The lines the
    reader cannot place are refused unless ``data.not_a_unit`` places them (a group or sector: 各街道办事处, 银行).
    The caller checks the result against the transcription (``cross_check``)."""
    documents = sorted(repository.documents_of(session, issue.id).values(), key=lambda d: d.seq)
    changes, unplaced = propose(documents, units_index(session))
    divisions = [d for d in documents if is_division_of_work(d)]
    codes = {(s.post, s.holder): s for s in data.seats}
    matched, unmatched = [], []
    for division in divisions:
        for order, leader in enumerate(parse_division_of_work(division).leaders, 1):
            seat = codes.pop((leader.post, leader.name), None)
            (matched if seat else unmatched).append((division.number, order, leader, seat))
    if unmatched or codes:
        text = "、".join(f"{n} 的 {leader.name}（{leader.post}）" for n, _, leader, _ in unmatched)
        left = "、".join(f"{s.holder}（{s.post}，{s.code}）" for s in codes.values())
        raise _refuse("；".join(x for x in (text and f"{text}在 data/directory/leaders.yaml 中没有席位代码",
                                            left and f"leaders.yaml 的席位 {left} 不在公报分工中") if x),
                      "; ".join(x for x in (text and f"no seat code in leaders.yaml for {text}",
                                            left and f"seats of leaders.yaml not in the division of work: {left}") if x))
    for number, order, leader, seat in matched:
        directory.open_leader_seat(session, actor=actor, code=seat.code, title=leader.post, person_name=leader.name,
                                   document=number, sort_order=order)
    by_hand = {(data.division_of_work, next(s.holder for s in data.seats if s.code == p.seat), p.relation, key(p.text)):
               p.unit_kind for p in data.not_a_unit}
    placed: list[tuple[ProposedChange, str | None]] = []
    for line in unplaced:
        person, _, target = line.text.partition(f" {line.relation}")
        where = (line.document, person, line.relation, key(target))
        day = next((c.effective_on for c in changes if c.document == line.document and c.kind == "portfolio"), None)
        if not line.relation or where not in by_hand or day is None:
            raise _refuse(f"{line.document}：{line.text}（{line.zh}）", f"{line.document}: {line.text} ({line.en})")
        leader_post = next(s.post for s in data.seats if s.holder == person)
        placed.append((ProposedChange(line.document, line.seq, "portfolio", person, day, key(target),
                                      relation=line.relation, leader_post=leader_post), by_hand[where]))
    repository.delete_undecided_changes(session, issue.id)
    rows = [_proposed_row(issue, c) for c in changes] + [_proposed_row(issue, c, unit_kind=k) for c, k in placed]
    rows.sort(key=lambda r: (r.effective_on, r.document_number, r.seq))  # the order decide() applies a day's lines in
    session.add_all(rows)
    session.flush()
    decided = decide(session, issue.id, confirm=[r.id for r in rows], reject=[], actor=actor, first_record=True)
    return Built(len(matched), len(decided), len(placed))


def cross_check(session: Session, issue: GazetteIssue, transcription: Directory) -> list[Difference]:
    """The directory in the database against the issue's text, and the transcription against the same text: both
    empty means the directory built from the text is the one data/directory/*.yaml describes."""
    documents = sorted(repository.documents_of(session, issue.id).values(), key=lambda d: d.seq)
    found = [parse_appointment_notice(d) for d in documents if is_appointment_notice(d)]
    divisions = [parse_division_of_work(d) for d in documents if is_division_of_work(d)]
    division = divisions[-1] if divisions else None
    held = directory_in_database(session, division.number if division else None)
    return compare(found, division, held) + compare(found, division, transcription)


def directory_in_database(session: Session, division_number: str | None) -> Directory:
    """The directory as the database holds it, in the comparison's shape: leader seats (holder per the division of
    work), their portfolio lines, and every unit-post tenure as its 任命 and its 免去."""
    units = directory_repository.list_units(session)
    names = {u.id: u.name for u in units}
    people, posts, tenures, entries = directory_repository.everything(session)
    seats = []
    for post in sorted((p for p in posts.values() if p.kind == "leader"), key=lambda p: (p.sort_order, p.id)):
        held = [t for t in tenures if t.post_id == post.id]
        holder = (next((t for t in held if t.appointed_by == division_number), None)
                  or next((t for t in held if t.ends_on is None), None))
        seats.append(HeldSeat(people[holder.person_id] if holder else "", post.title, tuple(
            HeldLine(e.relation, e.text, names.get(e.unit_id)) for e in entries if e.post_id == post.id)))
    appointments = []
    for t in tenures:
        post = posts[t.post_id]
        if post.kind != "unit":
            continue
        person, unit = people[t.person_id], names.get(post.unit_id, "")
        if t.appointed_by:
            appointments.append(HeldAppointment(
                t.appointed_by, _seq(t.source_key, t.appointed_by), "任命", person, unit, post.title, t.starts_on,
                concurrent=t.concurrent, probation_ends_on=t.probation_ends_on,
                secondment_ends_on=t.secondment_ends_on, rank_note=t.rank_note, text=t.appointed_text))
        automatic = (t.secondment_ends_on is not None and t.removed_by == t.appointed_by
                     and t.ends_on == t.secondment_ends_on + timedelta(days=1))  # 挂职 … 到期自动免职
        if t.removed_by and not automatic:
            appointments.append(HeldAppointment(
                t.removed_by, None if t.appointed_by else _seq(t.source_key, t.removed_by), "免去", person, unit,
                post.title, t.ends_on, text=t.removed_text))
    unit_rows = tuple(UnitRow(u.name, u.full_name, u.kind, tuple(u.aliases or ()), names.get(u.parent_id), u.clause,
                              u.note, u.sort_order) for u in units)
    return Directory(unit_rows, tuple(seats), tuple(appointments))


def _seq(source_key: str | None, document: str) -> int | None:
    """``东政任〔2021〕21号#7`` → 7 when the key is that document's."""
    prefix = f"{document}#"
    if source_key and source_key.startswith(prefix) and source_key[len(prefix):].isdigit():
        return int(source_key[len(prefix):])
    return None
