"""信息发布 (东政发〔2022〕3号 §4.7.1): who drafts and who releases what the public is told about an incident. Pure.

The clause, paragraph by paragraph:
  ① 区委宣传部 manages and coordinates with the lead department (事件处置主责部门);
  ② for a 一般 incident the lead department itself runs the press work, 区委宣传部 coordinating;
  ③ for 较大 and above a 宣传信息组 of the on-site command post handles it, under 区委宣传部;
  ④ when the incident exceeds the district, information release moves to the city with the command;
  ⑤ 未经相关应急指挥机构批准 no unit or person may release the cause, the casualty figures or accountability
     (事件原因、伤亡数字、责任追究).
So: a statement touching any of those three is released only with the approval of the command — a district
leader, who heads the 区应急委 and the special HQs; any other statement may be released by the lead department,
the 区委宣传部 or the 区应急办. The topics are what the drafter declares plus what the text itself shows, so a
casualty figure cannot slip out untagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dongcheng.core.basis import EMERGENCY_PLAN, Basis
from dongcheng.core.decision import Decision

PUBLICITY_DEPARTMENT = "区委宣传部"
CAUSE, CASUALTIES, ACCOUNTABILITY = "事件原因", "伤亡数字", "责任追究"
RESTRICTED_TOPICS = (CAUSE, CASUALTIES, ACCOUNTABILITY)  # §4.7.1 ⑤

# What in a text makes it a statement about each restricted topic.
_SIGNS = {
    CAUSE: re.compile(r"原因|起因|诱因|系因|由于.{0,20}(导致|引发|造成)|(导致|引发)了?(事故|事件|火灾|爆炸)"),
    # (?<!\d): a figure is matched from its first digit only, so a long run of digits costs one pass, not n² steps
    CASUALTIES: re.compile(r"死亡|遇难|身亡|罹难|伤亡|受伤|伤者|失踪|被困"
                           r"|(?<!\d)\d+[ \t]{0,3}(名|人|位)[ \t]{0,3}(死|伤|遇难|失踪|被困)"),
    ACCOUNTABILITY: re.compile(r"追责|问责|责任人|追究.{0,6}责任|处分|立案调查|刑事拘留|控制.{0,4}嫌疑人"),
}


def clause(note: str = "", paragraph: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, "§4.7.1" + (f" {paragraph}" if paragraph else ""), note)


def topics_in(text: str) -> tuple[str, ...]:
    """The restricted topics a text speaks of, in the clause's order."""
    return tuple(topic for topic in RESTRICTED_TOPICS if _SIGNS[topic].search(text))


def restricted_topics(declared: tuple[str, ...] | list[str], title: str, body: str) -> tuple[str, ...]:
    found = set(declared) | set(topics_in(f"{title}\n{body}"))
    return tuple(topic for topic in RESTRICTED_TOPICS if topic in found)


@dataclass(frozen=True)
class Speaker:
    """Who is acting: role, and what their unit is for this incident."""

    role: str
    is_lead_department: bool = False
    is_publicity_department: bool = False
    is_emergency_office: bool = False



def may_draft(speaker: Speaker) -> Decision:
    """① ②: the lead department writes, the 区委宣传部 coordinates; the 区应急办 and leaders may too."""
    if speaker.role in ("leader", "duty_officer") or speaker.is_lead_department or speaker.is_publicity_department \
            or speaker.is_emergency_office:
        return Decision(True, clause("区委宣传部会同事件处置主责部门管理与协调"))
    return Decision(False, clause("区委宣传部会同事件处置主责部门管理与协调"),
                    "只有处置主责部门、区委宣传部、区应急办和区领导可以起草信息发布稿",
                    "Only the lead department, the publicity department, the emergency office and leaders draft")


def may_release(speaker: Speaker, topics: tuple[str, ...], *, handed_over: bool) -> Decision:
    if handed_over:  # ④
        return Decision(False, clause("信息发布与舆论引导随指挥权一并移交市级部门"),
                        "事件已移交市级指挥，信息发布随指挥权移交市级部门（§4.7.1）",
                        "Command has passed to the city; so has information release (§4.7.1)", 409)
    if topics:  # ⑤
        basis = clause(f"{'、'.join(topics)}须经应急指挥机构批准后发布")
        if speaker.role == "leader":
            return Decision(True, basis)
        return Decision(False, basis, f"涉及{'、'.join(topics)}的信息须经应急指挥机构（区领导）批准后发布",
                        f"A statement on {', '.join(topics)} is released only with the command's (a leader's) "
                        "approval")
    basis = clause("主责部门具体负责新闻发布工作")  # ②
    if speaker.role in ("leader", "duty_officer") or speaker.is_lead_department or speaker.is_publicity_department \
            or speaker.is_emergency_office:
        return Decision(True, basis)
    return Decision(False, basis, "只有处置主责部门、区委宣传部、区应急办和区领导可以发布",
                    "Only the lead department, the publicity department, the emergency office and leaders release")


def is_public(*, released: bool, drill: bool) -> bool:
    """A released statement of a real incident is public; drafts never are, nor anything from an exercise."""
    return released and not drill
