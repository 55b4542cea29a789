"""Where the directory differs from the gazette (SPEC §2.1, §2.7): the 任免 notices and the division of work as
read by ``gazette.notices``, against what the directory holds — the data files of data/directory/ or the database, both
brought to one shape (``Directory``). Pure; every difference in plain words, Chinese and English.

Units are compared by their canonical name (any printed form resolves through the units data: ``区城市管理委员会``,
``北京市东城区城市管理委员会`` → ``区城市管理委``); a 分管 line names a co-located organ in brackets
(``区城市管理委员会（…、区水务局）``), which the units data must make an alias of it or place in it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from dongcheng.directory.units import UnitIndex, UnitRow
from dongcheng.gazette.notices import (
    UNIT_RELATIONS,
    AppointmentNotice,
    DivisionOfWork,
    LeaderPortfolio,
    NoticeAction,
    split_outside_brackets,
    strip_remarks,
)
from dongcheng.gazette.rules import key
from dongcheng.reference.files import RELATIONS, ReferenceData

# --- what the directory holds, in one shape for the data files and the database -----------------------------------

@dataclass(frozen=True)
class HeldLine:
    relation: str
    text: str
    unit: str | None  # canonical unit name; None for a domain, a group (各街道办事处) or a sector (银行)


@dataclass(frozen=True)
class HeldSeat:
    holder: str
    post: str
    lines: tuple[HeldLine, ...]


@dataclass(frozen=True)
class HeldAppointment:
    """A 任命 or 免去 as the directory records it; None where that side does not record the field."""

    document: str
    seq: int | None
    action: str
    person: str
    unit: str
    title: str
    decided_on: date | None
    issued_on: date | None = None
    concurrent: bool | None = None
    probation_ends_on: date | None = None
    secondment_ends_on: date | None = None
    rank_note: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Directory:
    units: tuple[UnitRow, ...]
    seats: tuple[HeldSeat, ...]
    appointments: tuple[HeldAppointment, ...]


def directory_from_reference(data: ReferenceData) -> Directory:
    """The hand transcription in data/directory/*.yaml, as read (and validated) by reference.files."""
    seats = tuple(HeldSeat(s.holder, s.post, tuple(HeldLine(p.relation, p.text, p.unit) for p in data.portfolio
                                                  if p.seat == s.code)) for s in data.seats)
    appointments = tuple(HeldAppointment(
        a.document, a.seq, a.action, a.person, a.unit, a.title, a.decided_on, a.issued_on, a.concurrent,
        a.probation_ends_on, a.secondment_ends_on, a.rank_note, a.text) for a in data.appointments)
    return Directory(data.units, seats, appointments)


# --- the comparison --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Proposal:
    """A gazette line the directory lacks, with what recording it needs."""

    document: str
    decided_on: date | None
    action: NoticeAction
    unit: str | None  # canonical, when the units data knows it


@dataclass(frozen=True)
class Difference:
    document: str
    subject: str  # 刘羽 北京市东城区教育委员会副主任 / 孙扬 分管
    zh: str
    en: str
    kind: str = "differs"  # missing | extra | differs | unreadable | unknown_unit
    person: str = ""
    post: str = ""  # canonical unit + title, for 任免 lines
    proposal: Proposal | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.document} {self.subject}：{self.zh} / {self.en}"


def compare(notices: Sequence[AppointmentNotice], division: DivisionOfWork | None,
            directory: Directory) -> list[Difference]:
    """Everything the gazette says that the directory does not hold the same way; empty when they agree."""
    index = UnitIndex(directory.units)
    out = compare_appointments(notices, directory, index)
    if division is not None:
        out += compare_division(division, directory, index)
    return out


def compare_appointments(notices: Sequence[AppointmentNotice], directory: Directory,
                         index: UnitIndex | None = None) -> list[Difference]:
    index = index or UnitIndex(directory.units)
    numbers = {n.number for n in notices}
    pool: dict[tuple, list[HeldAppointment]] = defaultdict(list)
    for held in directory.appointments:
        if held.document in numbers:  # rows citing a notice not in this gazette are not checked here
            pool[(held.document, held.action, held.person, held.unit, held.title)].append(held)
    out: list[Difference] = []
    for notice in notices:
        out += [Difference(notice.number, "通知", note, "the notice could not be read with certainty", "unreadable")
                for note in notice.notes]
        for act in notice.actions:
            subject = f"{act.action} {act.person} {act.post_text}"
            out += [Difference(notice.number, subject, note, "this line could not be read with certainty", "unreadable")
                    for note in act.notes]
            unit = index.resolve(act.unit_text)
            if unit is None:
                out.append(Difference(notice.number, subject, f"单位“{act.unit_text}”不在单位数据中",
                                      f"unit {act.unit_text!r} is not in the units data", "unknown_unit"))
            matches = pool.get((notice.number, act.action, act.person, unit or act.unit_text, act.title))
            if matches:
                out += _appointment_fields(notice, act, matches.pop(0), subject)
            else:
                out.append(Difference(notice.number, subject, "目录缺少此项任免", "the directory lacks this line",
                                      "missing", act.person, f"{unit or act.unit_text}{act.title}",
                                      Proposal(notice.number, notice.decided_on, act, unit)))
    for rest in pool.values():
        out += [Difference(h.document, f"{h.action} {h.person} {h.unit}{h.title}", "公报中没有此项任免",
                           "the directory has a line the gazette does not print", "extra", h.person,
                           f"{h.unit}{h.title}") for h in rest]
    return out


def _appointment_fields(notice: AppointmentNotice, act: NoticeAction, held: HeldAppointment,
                        subject: str) -> list[Difference]:
    checks = [
        ("日期", "date (常务会议)", notice.decided_on, held.decided_on),
        ("成文日期", "signing date", notice.signed_on, held.issued_on),
        ("兼任", "concurrent (兼)", act.concurrent, held.concurrent),
        ("试用期截止日", "end of probation", act.probation_ends_on, held.probation_ends_on),
        ("挂职截止日", "end of secondment", act.secondment_ends_on, held.secondment_ends_on),
        ("职级备注", "rank note", act.rank_note, held.rank_note),
        ("行文", "text", key(act.text), None if held.text is None else key(held.text)),
        ("顺序", "order in the notice", act.seq, held.seq),
    ]
    return [Difference(notice.number, subject, f"{zh}不同：公报为 {_shown(printed, '无')}，目录为 {_shown(recorded, '无')}",
                       f"different {en}: gazette {_shown(printed, '-')}, directory {_shown(recorded, '-')}",
                       person=act.person)
            for zh, en, printed, recorded in checks if recorded is not None and printed != recorded]


def _shown(value, empty: str) -> str:
    if isinstance(value, bool):
        return "兼" if value else empty
    return str(value) if value not in (None, "") else empty


def compare_division(division: DivisionOfWork, directory: Directory, index: UnitIndex | None = None) -> list[Difference]:
    index = index or UnitIndex(directory.units)
    parents = {u.name: u.parent for u in directory.units}
    seats = {s.holder: s for s in directory.seats}
    doc, out = division.number, []
    for leader in division.leaders:
        out += [Difference(doc, leader.name, note, "this line could not be read", "unreadable") for note in leader.notes]
        out += _bracketed_units(doc, leader, index, parents)
        seat = seats.pop(leader.name, None)
        if seat is None:
            out.append(Difference(doc, leader.name, f"目录中没有{leader.name}的{leader.post}职位",
                                  f"the directory has no seat held by {leader.name}", "missing"))
            continue
        if seat.post != leader.post:
            out.append(Difference(doc, leader.name, f"职务不同：公报为{leader.post}，目录为{seat.post}",
                                  f"different post: gazette {leader.post}, directory {seat.post}"))
        printed = leader.lines()
        for _, relation in RELATIONS:
            ours = [(_target(t, relation, index), key(t)) for r, t in printed if r == relation]
            theirs = [(h.unit or key(h.text), key(h.text)) for h in seat.lines if h.relation == relation]
            out += _compare_lines(doc, f"{leader.name} {relation}", ours, theirs)
            if relation in UNIT_RELATIONS:  # unresolved is fine only for a group or sector the directory also holds
                plain = {key(h.text) for h in seat.lines if h.relation == relation and h.unit is None}
                out += [Difference(doc, f"{leader.name} {relation}", f"单位“{t}”不在单位数据中",
                                   f"unit {t!r} is not in the units data", "unknown_unit")
                        for r, t in printed if r == relation and index.resolve(t) is None and key(t) not in plain]
    out += [Difference(doc, s.holder, f"公报分工中没有{s.holder}（{s.post}）",
                       f"{s.holder} ({s.post}) is not in the division of work", "extra") for s in seats.values()]
    return out


def _target(text: str, relation: str, index: UnitIndex) -> str:
    return (index.resolve(text) or key(text)) if relation in UNIT_RELATIONS else key(text)


def _compare_lines(doc: str, subject: str, ours: list[tuple[str, str]], theirs: list[tuple[str, str]]) -> list[Difference]:
    if [t for t, _ in ours] == [t for t, _ in theirs]:
        return [Difference(doc, subject, f"写法不同：公报为“{a}”，目录为“{b}”", f"printed differently: {a!r} vs {b!r}")
                for (_, a), (_, b) in zip(ours, theirs, strict=True) if a != b]
    lacking = _minus([t for t, _ in ours], [t for t, _ in theirs])
    extra = _minus([t for t, _ in theirs], [t for t, _ in ours])
    if not lacking and not extra:
        return [Difference(doc, subject, "所列单位相同但顺序不同", "same entries in a different order")]
    zh = "；".join(x for x in (lacking and f"目录缺少 {'、'.join(lacking)}", extra and f"公报未列 {'、'.join(extra)}") if x)
    en = "; ".join(x for x in (lacking and f"the directory lacks {', '.join(lacking)}",
                               extra and f"the gazette does not list {', '.join(extra)}") if x)
    return [Difference(doc, subject, f"列表不同：{zh}", f"different list: {en}")]


def _minus(a: Iterable[str], b: Iterable[str]) -> list[str]:
    rest = list(b)
    out = []
    for x in a:
        if x in rest:
            rest.remove(x)
        else:
            out.append(x)
    return out


def _bracketed_units(doc: str, leader: LeaderPortfolio, index: UnitIndex,
                     parents: dict[str, str | None]) -> list[Difference]:
    """``区城市管理委员会（区交通委员会、区水务局）``: each unit in the bracket must be the same organ (an alias) or sit in
    it (a parent in the units data), or supervising_leader() would not find its leader."""
    out = []
    for relation, items in (("分管", leader.supervises), ("协助分管", leader.assists_supervision),
                            ("联系", leader.liaises_with)):
        for item in items:
            main, remarks = strip_remarks(item)
            host = index.resolve(main)
            for inner in (name for remark in remarks for name in split_outside_brackets(remark, "、")):
                unit = index.resolve(inner)
                chain, cursor = set(), unit
                while cursor and cursor not in chain:
                    chain.add(cursor)
                    cursor = parents.get(cursor)
                if host and unit and host in chain:
                    continue
                out.append(Difference(
                    doc, f"{leader.name} {relation}", f"“{inner}”（印于“{main}”括号内）在单位数据中既非其别名也不隶属于它",
                    f"{inner!r} (printed in the bracket of {main!r}) is neither an alias of it nor placed in it in the "
                    "units data", "unknown_unit"))
    return out


def plan_apply(differences: Sequence[Difference]) -> tuple[list[Proposal], list[tuple[Proposal, str]]]:
    """The missing 任免 lines record_appointment() can record as printed, in decision order, and those it must refuse,
    each with its reason."""
    extra = {(d.document, x) for d in differences if d.kind == "extra" for x in (d.person, d.post)}
    ready, refused = [], []
    for d in differences:
        if d.kind == "missing" and d.proposal is not None:
            reason = _refusal(d, d.proposal, extra)
            if reason:
                refused.append((d.proposal, reason))
            else:
                ready.append(d.proposal)
    ready.sort(key=lambda p: (p.decided_on, p.document, p.action.seq))
    return ready, refused


def _refusal(d: Difference, p: Proposal, extra: set[tuple[str, str]]) -> str | None:
    act = p.action
    if p.unit is None:
        return "单位无法识别 / unit not recognised"
    if not act.title:
        return "职务名称不明 / post title not recognised"
    if act.notes:
        return f"行文有疑义 / doubtful reading: {'; '.join(act.notes)}"
    if p.decided_on is None:
        return "无常务会议日期 / no decision date"
    if act.secondment_ends_on or act.auto_removal:
        return "挂职期限须由参考数据录入 / record_appointment has no field for a 挂职 term"
    if act.action == "任命" and act.rank_note:
        return "职级备注无处记录 / record_appointment has no field for the rank note"
    if {(p.document, act.person), (p.document, d.post)} & extra:  # a misspelt name or post: fix that line by hand
        return "目录在此通知下另有此人或此职务的记录 / the directory holds another line of this notice for this person or post"
    return None
