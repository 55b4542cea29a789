"""The gazette as the checked source of the directory (SPEC §2.1, §2.7): read the 任免 notices (东政任〔…〕N号) and the
division of work (区长、副区长工作分工, 东政办发〔2021〕18号) from a document's text; ``notices_check`` compares what they
say with the directory. Pure: document text in, frozen dataclasses out; no I/O.

What the PDF extraction gives (2022年第3期): a notice's items end in ``；`` or ``;`` (the last in ``。``) and wrap over
lines anywhere, even before a bracket (``…副主任`` / ``(试用期一年);``); brackets are full- or half-width; a name may
carry a stray space (``田 静同志``); a division-of-work line wraps inside a name (``各街道办`` / ``事处``).

Reading choices (where the gazette is silent, the directory's transcription rules of the README hold):
- an appointment takes effect on the 常务会议 decision date the notice prints (``经2021年11月15日…研究决定``), not on
  its 成文日期; 试用期一年 ends the day before that date's anniversary;
- 挂职期为2021年9月至2022年9月 ends on the last day of the month printed, then 到期自动免职;
- （兼） is an 任命 held concurrently; （副处职） / （副处级） is a rank note;
- the division of work names no post: 领导区政府全面工作 is the 区长, 负责区政府常务工作 the 常务副区长, others 副区长.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from dongcheng.calendar.dates import add_months_last_day, end_of_month
from dongcheng.gazette.rules import key
from dongcheng.reference.files import split_post

_OPEN, _CLOSE = "（(〔[", "）)〕]"
_INTRO = re.compile(r"经(\d{4})年(\d{1,2})月(\d{1,2})日[^，,：]*?(第\d+次常务会议)?研究决定[^：]*?如下：")
_FULL_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_STATED = re.compile(r"等(.{1,3})名同志")
_APPOINT = re.compile(r"^任命(.+?为.+)$")  # the name may end in 为 (任命顾承为为…): see _split_appointment
_APPOINT_SHORT = re.compile(r"^([\u4e00-\u9fff·]{2,6}?)(?:同志)?任((?:北京市|区).+)$")  # 周敏任北京市东城区…
_REMOVE_SAME = re.compile(r"^免去其(.+?)职务$")
_REMOVE_NAMED = re.compile(r"^免去(.+?)的(.+?)职务$")
_REMOVE_ALL = re.compile(r"^免去([\u4e00-\u9fff·]{2,6}?)(?:同志)?(?:的)?(?:一切|全部|所任|现任)?职务$")  # 免去缪军职务
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")
_PROBATION = re.compile(r"^(?:任职)?试用期为?(.+)$")  # 试用期一年, 任职试用期为一年
_RANK = re.compile(r"^[正副]?[厅局处科]级$|^[正副]?[厅局处科]职$")
_TERM = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?至(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_LEADER = re.compile(r"^(?!协助)([\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3})同志\s*(?=领导|负责|分管)")
_ASSIST_RESPONSIBILITY = re.compile(r"^协助(.+?)同志负责(.+?)(?:方面)?工作$")
_RESPONSIBLE = re.compile(r"^负责(.+?)(?:方面)?工作$")
_FROM_DATE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起")
_SIGNED = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNIT_RELATIONS = ("分管", "协助分管", "联系")
LEADER_TITLES = ("常务副区长", "副区长", "区长")  # the district's leader seats (北京市东城区人民政府副区长)


def post_parts(post_text: str) -> tuple[str, str]:
    """(unit as printed, title); a leader seat's title first, then the unit titles of the reference data."""
    for title in LEADER_TITLES:
        if post_text.endswith(title) and len(post_text) > len(title):
            return post_text[:-len(title)], title
    return split_post(post_text)


class DocumentText(Protocol):
    """What a parsed (rules.ParsedDocument) or stored (models.GazetteDocument) document offers."""

    number: str
    title: str
    body: str
    signed_on: date | None


def is_appointment_notice(doc: DocumentText) -> bool:
    """关于…任免职的通知; also 关于…任职 / 免职的通知."""
    return bool(re.search(r"任免|任职的|免职的", doc.title))


def is_division_of_work(doc: DocumentText) -> bool:
    return "工作分工" in doc.title


# --- 任免 notices --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoticeAction:
    """One person, one post: ``任命刘羽为北京市东城区教育委员会副主任（试用期一年）``."""

    seq: int  # order in the notice, one per person and post
    action: str  # 任命 | 免去
    person: str
    post_text: str  # as printed, remarks removed, brackets full-width
    unit_text: str  # 北京市东城区教育委员会
    title: str  # 副主任 ("" when the post does not end in a known title)
    concurrent: bool = False  # （兼）
    probation_months: int | None = None
    probation_ends_on: date | None = None
    secondment_starts_on: date | None = None
    secondment_ends_on: date | None = None  # last day; the tenure ends the day after
    auto_removal: bool = False  # 到期自动免职
    all_posts: bool = False  # 免去缪军职务: a removal naming no post ends every post the person holds
    rank_note: str = ""  # 副处职 / 副处级
    text: str = ""  # the clause as printed (whitespace removed)
    notes: tuple[str, ...] = ()  # what could not be read with certainty


@dataclass(frozen=True)
class AppointmentNotice:
    number: str
    title: str
    decided_on: date | None  # 常务会议 date
    meeting: str  # 第135次常务会议
    signed_on: date | None  # 成文日期
    stated_people: int | None  # 等七名同志
    actions: tuple[NoticeAction, ...]
    notes: tuple[str, ...] = ()

    @property
    def people(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.person for a in self.actions))


def parse_appointment_notice(doc: DocumentText) -> AppointmentNotice:
    """Every 任命 / 免去 of a 任免 notice, in printed order."""
    raw = re.sub(r"\s+", "", doc.body)
    keyed = key(raw)  # same length as raw: key() only changes brackets once whitespace is gone
    notes: list[str] = []
    decided_on, meeting, start = None, "", 0
    if m := _INTRO.search(keyed):
        decided_on, meeting, start = date(int(m[1]), int(m[2]), int(m[3])), m[4] or "", m.end()
    else:
        notes.append("未找到“经…研究决定…如下：”（常务会议日期）")
    items = raw[start:]
    if signature := _FULL_DATE.search(items):
        items = items[:signature.start()]
    # the last item ends in 。; without it, what follows the items is the signing organ
    items = items[:items.rindex("。") + 1] if "。" in items else items.removesuffix(doc.title.partition("关于")[0])
    actions: list[NoticeAction] = []
    for item in split_outside_brackets(items, "；;。"):
        previous: list[str] = []
        for clause in split_outside_brackets(item, "，,"):
            parsed = _clause(clause, previous, decided_on, len(actions))
            if not parsed:
                notes.append(f"无法识别的任免行文：{clause}")
                continue
            actions += parsed
            previous = list(dict.fromkeys(a.person for a in parsed))
    stated = _STATED.search(key(doc.title))
    count = _count(stated[1]) if stated else None
    people = len(dict.fromkeys(a.person for a in actions))
    if count is not None and count != people:
        notes.append(f"标题称{stated[1]}名同志，正文读出 {people} 人")
    return AppointmentNotice(doc.number, key(doc.title), decided_on, meeting, doc.signed_on, count, tuple(actions),
                             tuple(notes))


def _clause(clause: str, previous: list[str], decided_on: date | None, seq0: int) -> list[NoticeAction]:
    k = key(clause)
    if m := _APPOINT.match(k):
        who, posts = _split_appointment(m[1])
        action, names = "任命", split_outside_brackets(who, "、")
    elif m := _APPOINT_SHORT.match(k):
        action, names, posts = "任命", [m[1]], m[2]
    elif m := _REMOVE_SAME.match(k):
        action, names, posts = "免去", previous, m[1]
    elif m := _REMOVE_NAMED.match(k):
        action, names, posts = "免去", split_outside_brackets(m[1], "、"), m[2]
    elif m := _REMOVE_ALL.match(k):
        return [NoticeAction(seq0 + 1, "免去", m[1], "", "", "", all_posts=True, text=clause)]
    else:
        return []
    names = [name.removesuffix("同志") for name in names]  # 任命林晓同志为…
    out: list[NoticeAction] = []
    for name in names or ["?"]:
        for post in split_outside_brackets(posts, "、"):
            out.append(_action(seq0 + len(out) + 1, action, name, post, decided_on, clause))
    return out


def _split_appointment(text: str) -> tuple[str, str]:
    """``顾承为为北京市东城区人民政府副区长`` → (顾承为, 北京市东城区人民政府副区长): of the places the text could be cut at a
    为, the first after which a post (a unit and a known title) follows; a post never starts with 为."""
    cuts = [i for i, ch in enumerate(text) if ch == "为" and 0 < i < len(text) - 1]
    for i in cuts:
        post = strip_remarks(text[i + 1:])[0]
        if post.startswith("为"):
            continue
        try:
            post_parts(post)
        except ValueError:
            continue
        return text[:i], text[i + 1:]
    return text[:cuts[0]], text[cuts[0] + 1:]  # no reading gives a post: the first 为 (the post is then 不明)


def _action(seq: int, action: str, person: str, post: str, decided_on: date | None, text: str) -> NoticeAction:
    post_text, remarks = strip_remarks(post)
    notes: list[str] = [] if _NAME.match(person) else [f"人名不明：“{person}”"]
    try:
        unit_text, title = post_parts(post_text)
    except ValueError:
        unit_text, title = post_text, ""
        notes.append(f"职务名称不明：“{post_text}”")
    fields: dict = {}
    for remark in remarks:
        if remark == "兼":
            fields["concurrent"] = True
        elif (p := _PROBATION.match(remark)) and (months := _months(p[1])):
            fields["probation_months"] = months
            if decided_on:
                fields["probation_ends_on"] = add_months_last_day(decided_on, months)
        elif _RANK.match(remark):
            fields["rank_note"] = remark
        elif "挂职" in remark:
            fields.update(_secondment(remark, decided_on, notes))
        else:
            notes.append(f"无法识别的备注：（{remark}）")
    return NoticeAction(seq, action, person, post_text, unit_text, title, text=text, notes=tuple(notes), **fields)


def _secondment(remark: str, decided_on: date | None, notes: list[str]) -> dict:
    """挂职一年，挂职期为2021年9月至2022年9月，到期自动免职 → first and last day of the term."""
    out: dict = {"auto_removal": "到期自动免职" in remark}
    if m := _TERM.search(remark):
        y1, m1, d1, y2, m2, d2 = m.groups()
        out["secondment_starts_on"] = date(int(y1), int(m1), int(d1 or 1))
        out["secondment_ends_on"] = date(int(y2), int(m2), int(d2)) if d2 else end_of_month(f"{y2}-{m2}")
    elif (length := re.search(r"(?:期限为?|挂职)(.{1,4}?)(?:[，,]|到期|$)", remark)) and (months := _months(length[1])) \
            and decided_on:
        out["secondment_starts_on"] = decided_on
        out["secondment_ends_on"] = add_months_last_day(decided_on, months)
        notes.append(f"挂职期限未印起止月份，按常务会议日期起算：（{remark}）")
    else:
        notes.append(f"挂职期限无法确定：（{remark}）")
    return out


def strip_remarks(post: str) -> tuple[str, list[str]]:
    """``…副主任（兼）（试用期一年）`` → (``…副主任``, [``兼``, ``试用期一年``]); a bracket inside the name stays."""
    remarks: list[str] = []
    while post.endswith("）"):
        depth = 0
        for i in range(len(post) - 1, -1, -1):
            depth += (post[i] == "）") - (post[i] == "（")
            if depth == 0:
                break
        else:
            break  # unbalanced: leave it as printed
        remarks.insert(0, post[i + 1:-1])
        post = post[:i]
    return post, remarks


def _months(text: str) -> int | None:
    if text == "半年":
        return 6
    if m := re.fullmatch(r"(\d+|[一两二三四五六七八九])(个月|年)", text):
        n = int(m[1]) if m[1].isdigit() else _NUMBERS[m[1]]
        return n * (12 if m[2] == "年" else 1)
    return None


def _count(text: str) -> int | None:
    """Chinese numerals up to 九十九 (十六 → 16, 八 → 8)."""
    tens, sep, ones = text.partition("十")
    if not sep:
        return _NUMBERS.get(text)
    return (_NUMBERS.get(tens, 0) if tens else 1) * 10 + (_NUMBERS.get(ones, 0) if ones else 0)


def split_outside_brackets(text: str, separators: str) -> list[str]:
    """Split on separators outside brackets; empty pieces dropped."""
    out, depth, current = [], 0, []
    for ch in text:
        depth += (ch in _OPEN) - (ch in _CLOSE and depth > 0)
        if depth == 0 and ch in separators:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [piece for piece in out if piece]


# --- the division of work --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LeaderPortfolio:
    seq: int
    name: str  # 田静 (the extraction's space removed)
    post: str  # 区长 | 常务副区长 | 副区长
    leads: tuple[str, ...]  # 领导区政府全面工作, 负责区政府常务工作
    responsible_for: tuple[str, ...]  # 负责 … 方面工作
    assists_responsibility: tuple[tuple[str, tuple[str, ...]], ...]  # 协助周金星同志负责审计方面工作
    supervises: tuple[str, ...]  # 分管, each unit as printed (brackets full-width)
    assists_supervision: tuple[str, ...]  # 协助分管
    liaises_with: tuple[str, ...]  # 联系
    notes: tuple[str, ...] = ()

    def lines(self) -> list[tuple[str, str]]:
        """(relation, text) in the directory's form: one line per domain or unit."""
        return ([("负责", d) for d in self.responsible_for]
                + [("协助负责", f"协助{who}负责{'、'.join(domains)}") for who, domains in self.assists_responsibility]
                + [("分管", u) for u in self.supervises] + [("协助分管", u) for u in self.assists_supervision]
                + [("联系", u) for u in self.liaises_with])


@dataclass(frozen=True)
class DivisionOfWork:
    number: str
    title: str
    signed_on: date | None
    leaders: tuple[LeaderPortfolio, ...]
    effective_on: date | None = None  # 自2022年4月1日起 when printed, else the 成文日期


def parse_division_of_work(doc: DocumentText) -> DivisionOfWork:
    """One portfolio per ``某某同志`` paragraph after ``分工如下：``; a line not starting a paragraph continues it."""
    lines = [line.strip() for line in doc.body.split("\n")]
    start = next((i + 1 for i, line in enumerate(lines) if re.search("分工(?:调整)?如下", key(line))), 0)
    from_text = _FROM_DATE.search(key("".join(lines[:start])))
    effective_on = date(int(from_text[1]), int(from_text[2]), int(from_text[3])) if from_text else doc.signed_on
    # the 落款 (organ, then its date alone on a line) closes the paragraphs
    filled = [i for i in range(start, len(lines)) if lines[i]]
    end = next((i for prev, i in zip(filled, filled[1:], strict=False)
                if _SIGNED.match(lines[i]) and not _LEADER.match(lines[prev]) and len(lines[prev]) <= 40), None)
    if end is not None:
        lines = lines[:max(p for p in filled if p < end)]
    paragraphs: list[list[str]] = []
    for line in lines[start:]:
        if m := _LEADER.match(line):
            paragraphs.append([key(m[1]), line[m.end():]])
        elif line and paragraphs:
            paragraphs[-1][1] += line
    leaders = [_portfolio(seq, name, text) for seq, (name, text) in enumerate(paragraphs, 1)]
    return DivisionOfWork(doc.number, key(doc.title), doc.signed_on, tuple(leaders), effective_on)


def _portfolio(seq: int, name: str, text: str) -> LeaderPortfolio:
    parts: dict[str, list] = defaultdict(list)
    notes: list[str] = []
    for sentence in split_outside_brackets(key(text), "。；"):
        for clause in split_outside_brackets(sentence, "，"):
            if clause.startswith("领导") or re.fullmatch(r"负责区政府.+工作", clause):
                parts["leads"].append(clause)
            elif m := re.match(r"^(协助分管|分管|联系)(.+)$", clause):
                parts[m[1]] += split_outside_brackets(m[2], "、")
            elif m := _ASSIST_RESPONSIBILITY.match(clause):
                parts["协助负责"].append((m[1], tuple(split_outside_brackets(m[2], "、"))))
            elif m := _RESPONSIBLE.match(clause):
                parts["负责"] += split_outside_brackets(m[1], "、")
            else:
                notes.append(f"{name}：无法识别的分工行文：{clause}")
    leads = tuple(parts["leads"])
    post = ("区长" if any("全面工作" in x for x in leads) else "常务副区长" if any("常务工作" in x for x in leads)
            else "副区长")
    return LeaderPortfolio(seq, name, post, leads, tuple(parts["负责"]), tuple(parts["协助负责"]),
                           tuple(parts["分管"]), tuple(parts["协助分管"]), tuple(parts["联系"]), tuple(notes))
