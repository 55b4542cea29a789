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

# ── What in a text makes it a statement about each restricted topic ────────────────────────────────────────────────
# 伤亡数字 (casualty figures), as Chinese official reports and news write them. Each form is (name, pattern, example);
# the examples are held by tests/emergency/statements/test_casualties.py. The clause forbids releasing the figures
# unapproved, and "no one was hurt" is a figure too (0, and the one most often corrected later): 无人员伤亡 /
# 未造成人员伤亡 are held like 3人受伤 — erring, as the issue asks, on the side of the leader's approval.
#
# Linear time (a fuzz found a 20,000-digit statement taking 5 s): a count is matched only from its first character
# ((?<![…]) before a run of digits / numerals), every gap is bounded, and no quantifier is nested in another.
_NUMERAL = "0-9０-９零〇一二两三四五六七八九十百千万"
_COUNT = (rf"(?:(?<![{_NUMERAL}])[{_NUMERAL}]+[ \t\u3000]{{0,2}}(?:余|多)?"  # 3, 十二, 10余, 二十多
          r"|数十|数|几|若干|多|一些|部分)")  # 数人, 几名, 若干人, 多名, 部分群众
_UNIT = r"(?:名|人|位|例|个人)"
# What happened to the counted people: death, injury (with or without a severity word), missing, trapped, poisoned.
_FATE = (r"伤员|伤者|抢救无效|无生命体征|下落不明"
         r"|死亡|遇难|罹难|身亡|丧生|殒命|离世|去世|遇害|牺牲|受伤|负伤|伤亡|死伤|失踪|失联|被困|被埋|中毒|窒息"
         r"|送医|入院|住院|就医|轻微伤|重伤|轻伤|[烧烫砸撞摔灼擦划割刺咬挤压冻踩]伤|伤(?!心|感|害)|死(?!角|胡同)|亡")
_GAP = r"[^。；;！!？?，,\n]{0,8}?"  # the words between the count and its fate, inside one clause of the sentence
CASUALTY_FORMS: tuple[tuple[str, str, str], ...] = (
    # name, pattern, an example as reports print it
    ("none (a figure: 0)", r"(?:无|未造成|未发现|未有|没有|暂无|未接到)[^。；;，,\n]{0,4}?(?:伤亡|死亡|受伤|伤者|伤员)",
     "未造成人员伤亡"),
    ("N死N伤 compact", rf"{_COUNT}[ \t]{{0,2}}(?:死(?!角|胡同)|亡)(?:[、，,]?{_COUNT}[ \t]{{0,2}}伤)?", "事故致1死3伤"),
    ("N伤 compact", rf"(?<![{_NUMERAL}])[{_NUMERAL}]+[ \t]{{0,2}}(?:人)?伤(?!心|感|害|痕|疤)", "造成两伤"),
    ("count + people + fate", rf"{_COUNT}[ \t\u3000]{{0,2}}{_UNIT}{_GAP}(?:{_FATE})",
     "2名工人被砸伤"),
    ("fate + count", rf"(?:死亡|遇难|受伤|伤亡|死伤|失踪|失联|被困|重伤|轻伤)[^。；;\n]{{0,4}}?{_COUNT}[ \t]{{0,2}}{_UNIT}",
     "伤亡20余人"),
    ("death without 死亡", r"遇难|罹难|身亡|丧生|丧命|殒命|毙命|遇害|牺牲|不幸离世|去世|逝世|亡故|死者|尸体|遗体"
     r"|抢救无效|无生命体征|没有生命体征|无人生还|生还|幸存", "1名老人不幸离世"),
    ("death", r"死亡|致死|死伤", "事故造成三人死亡"),
    ("injury", r"受伤|负伤|伤亡|伤者|伤员|伤情|伤势|重伤|轻伤|轻微伤|伤残|骨折|烧伤|烫伤|生命体征", "伤者已送医"),
    ("missing or trapped", r"失踪|失联|下落不明|被困|被埋|被压", "另有2人失联"),
)
_CASUALTY_SIGN = re.compile("|".join(f"(?:{pattern})" for _, pattern, _ in CASUALTY_FORMS))

_SIGNS = {
    CAUSE: re.compile(r"原因|起因|诱因|系因|由于.{0,20}(导致|引发|造成)|(导致|引发)了?(事故|事件|火灾|爆炸)"),
    CASUALTIES: _CASUALTY_SIGN,
    ACCOUNTABILITY: re.compile(r"追责|问责|责任人|追究.{0,6}责任|处分|立案调查|刑事拘留|控制.{0,4}嫌疑人"),
}
MAX_PHRASES = 5  # phrases shown per topic: enough to see why, short enough for a phone


def clause(note: str = "", paragraph: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, "§4.7.1" + (f" {paragraph}" if paragraph else ""), note)


def phrases_in(text: str) -> dict[str, tuple[str, ...]]:
    """Each restricted topic the text speaks of → the phrases that show it (first ones, no repeats), clause order."""
    found: dict[str, tuple[str, ...]] = {}
    for topic in RESTRICTED_TOPICS:
        seen: list[str] = []
        for match in _SIGNS[topic].finditer(text):
            phrase = match.group(0).strip()
            if phrase and phrase not in seen:
                seen.append(phrase)
                if len(seen) == MAX_PHRASES:
                    break
        if seen:
            found[topic] = tuple(seen)
    return found


def topics_in(text: str) -> tuple[str, ...]:
    """The restricted topics a text speaks of, in the clause's order."""
    return tuple(topic for topic in RESTRICTED_TOPICS if _SIGNS[topic].search(text))


def restricted_topics(declared: tuple[str, ...] | list[str], title: str, body: str) -> tuple[str, ...]:
    found = set(declared) | set(topics_in(f"{title}\n{body}"))
    return tuple(topic for topic in RESTRICTED_TOPICS if topic in found)


def held_because(topics: tuple[str, ...] | list[str], title: str, body: str) -> list[dict]:
    """Why a statement waits for the command's approval (⑤), as the drafter sees it on the page and in the API: per
    topic, the phrases of the title and body that show it (``source: "text"``), or, when the text shows none, that the
    drafter declared it (``source: "drafter"``). ``topics`` is what the statement is held for (declared + found)."""
    found = phrases_in(f"{title}\n{body}")
    return [{"topic": topic, "source": "text" if topic in found else "drafter", "phrases": list(found.get(topic, ()))}
            for topic in RESTRICTED_TOPICS if topic in topics or topic in found]


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


def _why(topics: tuple[str, ...], phrases: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    """The topics as the refusal names them, each with the phrases found (正文中的“1死3伤”)."""
    zh = "、".join(topic + (f"（正文：{'、'.join(f'“{p}”' for p in phrases[topic])}）" if phrases.get(topic) else "")
                  for topic in topics)
    en = ", ".join(topic + (f" (text: {', '.join(phrases[topic])})" if phrases.get(topic) else "") for topic in topics)
    return zh, en


def may_release(speaker: Speaker, topics: tuple[str, ...], *, handed_over: bool,
                phrases: dict[str, tuple[str, ...]] | None = None) -> Decision:
    if handed_over:  # ④
        return Decision(False, clause("信息发布与舆论引导随指挥权一并移交市级部门"),
                        "事件已移交市级指挥，信息发布随指挥权移交市级部门（§4.7.1）",
                        "Command has passed to the city; so has information release (§4.7.1)", 409)
    if topics:  # ⑤
        basis = clause(f"{'、'.join(topics)}须经应急指挥机构批准后发布")
        if speaker.role == "leader":
            return Decision(True, basis)
        zh, en = _why(topics, phrases or {})
        return Decision(False, basis, f"涉及{zh}的信息须经应急指挥机构（区领导）批准后发布",
                        f"A statement on {en} is released only with the command's (a leader's) approval")
    basis = clause("主责部门具体负责新闻发布工作")  # ②
    if speaker.role in ("leader", "duty_officer") or speaker.is_lead_department or speaker.is_publicity_department \
            or speaker.is_emergency_office:
        return Decision(True, basis)
    return Decision(False, basis, "只有处置主责部门、区委宣传部、区应急办和区领导可以发布",
                    "Only the lead department, the publicity department, the emergency office and leaders release")


def is_public(*, released: bool, drill: bool) -> bool:
    """A released statement of a real incident is public; drafts never are, nor anything from an exercise."""
    return released and not drill
