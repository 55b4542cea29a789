"""What an imported issue asks of the directory (SPEC §2.1, §2.7): its 任免 notices and division-of-work notices read
(``gazette.notices``) into proposed changes — 任命 / 免去 of a post, 免去 of every post (免去缪军职务), a portfolio line
(负责 / 分管 / 协助分管 / 联系) from a date — and the lines the reader cannot place, listed with the reason, never guessed.
Pure: documents and the units' names in, proposals out; the service drops what the directory already holds and an
administrator confirms or rejects each line.

Reading choices: a 任免 takes effect on the 常务会议 date the notice prints; a division of work from the date it prints
(``自2022年4月1日起``), else its 成文日期; a line is unplaced when its person, unit, title or date is not certain (a
note of ``notices``), or its unit is not in the units data.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date

from dongcheng.directory.units import UnitIndex
from dongcheng.gazette.notices import (
    UNIT_RELATIONS,
    DocumentText,
    is_appointment_notice,
    is_division_of_work,
    parse_appointment_notice,
    parse_division_of_work,
    strip_remarks,
)
from dongcheng.gazette.rules import key

KINDS = ("remove", "remove_all", "appoint", "portfolio")  # the order changes of one day are applied in


@dataclass(frozen=True)
class ProposedChange:
    document: str  # 东政任〔2022〕3号
    seq: int  # order of the line in its document
    kind: str  # appoint | remove | remove_all | portfolio
    person: str
    effective_on: date
    text: str  # the clause or line as printed
    unit: str | None = None  # canonical unit name (任免: the post's unit; portfolio: the unit supervised, if any)
    title: str = ""  # 副局长, 副区长
    post_text: str = ""  # 北京市东城区应急管理局副局长
    concurrent: bool = False  # （兼）
    probation_ends_on: date | None = None
    secondment_ends_on: date | None = None  # 挂职: last day; 到期自动免职 the day after
    rank_note: str = ""
    relation: str = ""  # portfolio: 负责 | 协助负责 | 分管 | 协助分管 | 联系
    leader_post: str = ""  # portfolio: 区长 | 常务副区长 | 副区长, as the division of work reads it

    @property
    def summary(self) -> str:
        """The line as an administrator reads it in the diff."""
        day = f"{self.effective_on.year}年{self.effective_on.month}月{self.effective_on.day}日起"
        if self.kind == "appoint":
            extra = "".join(x for x in (
                "（兼）" if self.concurrent else "",
                f"（试用期至{self.probation_ends_on}）" if self.probation_ends_on else "",
                f"（挂职至{self.secondment_ends_on}，到期自动免职）" if self.secondment_ends_on else "",
                f"（{self.rank_note}）" if self.rank_note else "") if x)
            return f"任命 {self.person} 为 {self.unit}{self.title}{extra}，{day}"
        if self.kind == "remove":
            return f"免去 {self.person} 的 {self.unit}{self.title} 职务，{day}"
        if self.kind == "remove_all":
            return f"免去 {self.person} 的全部现任职务，{day}"
        return f"{self.person}（{self.leader_post}）{self.relation} {self.text}，{day}"

    def payload(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class UnplacedLine:
    document: str
    text: str
    zh: str
    en: str
    relation: str = ""  # for a division-of-work line: so a line the directory already holds is not listed
    seq: int = 0  # a division-of-work line: its place among the document's lines (ProposedChange.seq)


def propose(documents: Iterable[DocumentText], units: UnitIndex) -> tuple[list[ProposedChange], list[UnplacedLine]]:
    changes: list[ProposedChange] = []
    unplaced: list[UnplacedLine] = []
    for doc in documents:
        if is_appointment_notice(doc):
            found, lost = _from_notice(doc, units)
        elif is_division_of_work(doc):
            found, lost = _from_division(doc, units)
        else:
            continue
        changes += found
        unplaced += lost
    return changes, unplaced


def _from_notice(doc: DocumentText, units: UnitIndex) -> tuple[list[ProposedChange], list[UnplacedLine]]:
    notice = parse_appointment_notice(doc)
    changes: list[ProposedChange] = []
    unplaced = [UnplacedLine(doc.number, note.partition("：")[2] or doc.title, note,
                             "the reader cannot place this part of the notice") for note in notice.notes]
    day = notice.decided_on
    for act in notice.actions:
        if act.notes:
            unplaced.append(UnplacedLine(doc.number, act.text, "；".join(act.notes), "a doubtful reading: not guessed"))
            continue
        if day is None:
            unplaced.append(UnplacedLine(doc.number, act.text, "通知未印常务会议日期，无法确定生效日期",
                                         "the notice prints no decision date: no effective date"))
            continue
        if act.all_posts:
            changes.append(ProposedChange(doc.number, act.seq, "remove_all", act.person, day, act.text))
            continue
        unit = units.resolve(act.unit_text)
        if unit is None:
            unplaced.append(UnplacedLine(doc.number, act.text, f"单位“{act.unit_text}”不在单位数据中",
                                         f"unit {act.unit_text!r} is not in the units data"))
            continue
        changes.append(ProposedChange(
            doc.number, act.seq, "appoint" if act.action == "任命" else "remove", act.person, day, act.text, unit,
            act.title, act.post_text, act.concurrent, act.probation_ends_on, act.secondment_ends_on, act.rank_note))
    return changes, unplaced


def _from_division(doc: DocumentText, units: UnitIndex) -> tuple[list[ProposedChange], list[UnplacedLine]]:
    division = parse_division_of_work(doc)
    changes: list[ProposedChange] = []
    unplaced: list[UnplacedLine] = []
    day = division.effective_on
    seq = 0
    for leader in division.leaders:
        unplaced += [UnplacedLine(doc.number, note.partition("：")[2], note, "the reader cannot place this line")
                     for note in leader.notes]
        for relation, text in leader.lines():
            seq += 1
            unit = units.resolve(strip_remarks(key(text))[0]) if relation in UNIT_RELATIONS else None
            if relation in UNIT_RELATIONS and unit is None:
                unplaced.append(UnplacedLine(doc.number, f"{leader.name} {relation}{text}",
                                             f"单位“{text}”不在单位数据中", f"unit {text!r} is not in the units data",
                                             relation, seq))
            elif day is None:
                unplaced.append(UnplacedLine(doc.number, f"{leader.name} {relation}{text}",
                                             "分工未印生效日期，亦无成文日期", "no effective date printed", relation, seq))
            else:
                changes.append(ProposedChange(doc.number, seq, "portfolio", leader.name, day, key(text), unit,
                                              relation=relation, leader_post=leader.post))
    return changes, unplaced
