"""Pure rules of the directory: who holds a post on a date, and who supervises a unit.

SPEC §2.1: ``supervising_leader(unit)`` is the 分管 leader first, then 协助分管, then 联系 (东政办发〔2021〕18号);
if no leader has the unit in their portfolio, the 区应急办 must designate one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dongcheng.core.basis import DIVISION_OF_WORK, Basis
from dongcheng.core.decision import Decision

RELATION_PRIORITY = ("分管", "协助分管", "联系")


def holds_on(starts_on: date | None, ends_on: date | None, day: date) -> bool:
    """A tenure covers [starts_on, ends_on); an unknown start means 'since before the gazette'."""
    return (starts_on is None or starts_on <= day) and (ends_on is None or day < ends_on)


@dataclass(frozen=True)
class PortfolioLine:
    seat_code: str
    seat_title: str
    relation: str
    text: str
    clause: str
    via_unit: str  # the unit whose portfolio line matched (the unit itself or a parent)


@dataclass(frozen=True)
class SupervisorChoice:
    primary: PortfolioLine | None
    assisting: tuple[PortfolioLine, ...]
    basis: Basis


def choose_supervisor(lines: list[PortfolioLine]) -> SupervisorChoice:
    """分管 beats 协助分管 beats 联系; the lines of the next relation down are the assisting leaders."""
    by_relation = {r: [line for line in lines if line.relation == r] for r in RELATION_PRIORITY}
    for relation in RELATION_PRIORITY:
        group = by_relation[relation]
        if group:
            primary = group[0]
            assisting = tuple(group[1:]) + (tuple(by_relation["协助分管"]) if relation == "分管" else ())
            return SupervisorChoice(
                primary, assisting,
                Basis(primary.clause, f"{primary.relation} {primary.text}", "分管 > 协助分管 > 联系"),
            )
    return SupervisorChoice(
        None, (), Basis(DIVISION_OF_WORK, "", "分工未列此单位：由区应急办指定"),
    )


# --- recording a 任命 / 免去 after the gazette -------------------------------------------------------------------


def post_found(found: bool, unit_name: str, title: str, document: str) -> Decision:
    """A 免去 names a post the unit has (a 任命 to a new title creates it); 422 naming ``title``."""
    if not found:
        return Decision(False, Basis(document), f"{unit_name}没有“{title}”职务", f"{unit_name} has no post {title!r}",
                        422, field="title")
    return Decision(True, Basis(document))


def holds_to_remove(holds: bool, person_name: str, unit_name: str, post_title: str, on: date,
                    document: str) -> Decision:
    """免去 ends a tenure the person holds on that day; 422 naming ``person``."""
    if not holds:
        return Decision(False, Basis(document), f"{person_name}在{on}未担任{unit_name}{post_title}",
                        f"{person_name} does not hold {unit_name} {post_title} on {on}", 422, field="person")
    return Decision(True, Basis(document))


def not_yet_holding(holds: bool, person_name: str, post: str, on: date, document: str) -> Decision:
    """任命 of someone who already holds the post that day records nothing new; 409 naming ``person``."""
    if holds:
        return Decision(False, Basis(document), f"{person_name}在{on}已担任{post}", f"{person_name} already holds {post} on {on}",
                        409, field="person")
    return Decision(True, Basis(document))


def holds_any(holds: bool, person_name: str, on: date, document: str) -> Decision:
    """免去某某职务 (no post named) ends every post held that day; holding none, it is refused (422 naming ``person``)."""
    if not holds:
        return Decision(False, Basis(document), f"{person_name}在{on}未担任任何职务，无可免去",
                        f"{person_name} holds no post on {on}: nothing to remove", 422, field="person")
    return Decision(True, Basis(document))


def holds_a_seat(holds: bool, person_name: str, on: date, document: str) -> Decision:
    """A division-of-work line belongs to a leader seat: the person must hold one that day (confirm the 任命 first)."""
    if not holds:
        return Decision(False, Basis(document), f"{person_name}在{on}未担任区政府领导职务（请先确认其任命）",
                        f"{person_name} holds no district leader seat on {on} (confirm the appointment first)", 422,
                        field="person")
    return Decision(True, Basis(document))
