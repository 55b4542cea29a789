"""Directory queries and the appointments an administrator records after the gazette."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.calendar.dates import add_months_last_day
from dongcheng.core.basis import Basis
from dongcheng.core.time import today_local
from dongcheng.directory import repository, rules
from dongcheng.directory.models import Person, PortfolioEntry, Post, Tenure, Unit
from dongcheng.directory.rules import PortfolioLine, choose_supervisor, holds_on
from dongcheng.directory.units import UnitIndex, UnitRow

# Reads the service offers as the repository answers them (other modules call them by these names).
list_units = repository.list_units
get_unit = repository.get_unit
get_person = repository.get_person
list_people = repository.list_people
find_post = repository.find_post
posts_of_unit = repository.posts_of_unit
tenures_of_post = repository.tenures_of_post
tenures_of = repository.tenures_of
leader_seats = repository.leader_seats


def portfolio_of(session: Session, post: Post, on: date | None = None) -> list:
    """A seat's portfolio lines held on ``on`` (today by default): a line a later division of work moved ends."""
    day = on or today_local()
    return [e for e in repository.portfolio_of(session, post) if holds_on(e.starts_on, e.ends_on, day)]


def portfolio_recorded_from(session: Session, on: date | None) -> tuple[date, str] | None:
    """(first day, document) of the directory's earliest division of work when ``on`` is before it: on such a day
    the directory records no portfolio at all (a fresh database's lines start on its seed's division, 2021-12-24)."""
    first = repository.first_portfolio_start(session)
    return first if first is not None and on is not None and on < first[0] else None


def find_unit(session: Session, name: str) -> Unit | None:
    """By canonical name, full name or any alias printed in the gazette."""
    unit = repository.unit_by_name(session, name)
    if unit:
        return unit
    units = repository.list_units(session)
    index = UnitIndex([UnitRow(u.name, u.full_name, u.kind, tuple(u.aliases or ()), None, u.clause, "", 0)
                       for u in units])
    canonical = index.resolve(name)
    return next((u for u in units if u.name == canonical), None) if canonical else None


def holders_of(session: Session, post: Post, on: date | None = None) -> list[tuple[Person, Tenure]]:
    """Who holds post P on date D (a deputy post can have several holders)."""
    day = on or today_local()
    return [(p, t) for p, t in repository.tenures_of_post(session, post) if holds_on(t.starts_on, t.ends_on, day)]


def posts_held(session: Session, person_id: int | None, on: date | None = None) -> list[Post]:
    if person_id is None:
        return []
    day = on or today_local()
    return [post for post, t in repository.posts_and_tenures(session, person_id) if holds_on(t.starts_on, t.ends_on, day)]


@dataclass(frozen=True)
class LeaderRef:
    relation: str
    post_code: str
    post_title: str
    person: str | None
    text: str
    clause: str
    via_unit: str

    def to_dict(self) -> dict:
        return {"relation": self.relation, "post": self.post_title, "post_code": self.post_code,
                "person": self.person, "portfolio_line": self.text, "basis": self.clause, "via_unit": self.via_unit}


@dataclass(frozen=True)
class SupervisingLeader:
    unit: str
    leader: LeaderRef | None
    assisting: tuple[LeaderRef, ...]
    basis: Basis

    def to_dict(self) -> dict:
        return {"unit": self.unit, "leader": self.leader.to_dict() if self.leader else None,
                "assisting": [a.to_dict() for a in self.assisting], "basis": str(self.basis),
                "must_designate": self.leader is None}


def supervising_leader(session: Session, unit: Unit, on: date | None = None) -> SupervisingLeader:
    """分管 first, then 协助分管, then 联系; a unit with no line of its own takes its parent's (东政办发〔2021〕18号)."""
    day = on or today_local()
    current: Unit | None = unit
    lines: list[PortfolioLine] = []
    seats: dict[str, Post] = {}
    while current is not None and not lines:
        for entry, post in repository.supervision_lines(session, current, day):
            seats[post.code] = post
            lines.append(PortfolioLine(post.code, post.title, entry.relation, entry.text, entry.clause, current.name))
        current = repository.unit(session, current.parent_id)
    choice = choose_supervisor(lines)

    def ref(line: PortfolioLine) -> LeaderRef:
        holders = holders_of(session, seats[line.seat_code], day)
        person = holders[0][0].name if holders else None
        return LeaderRef(line.relation, line.seat_code, line.seat_title, person, line.text, line.clause, line.via_unit)

    return SupervisingLeader(
        unit.name, ref(choice.primary) if choice.primary else None, tuple(ref(a) for a in choice.assisting),
        choice.basis,
    )


def record_appointment(
    session: Session, *, actor: audit.Actor, person_name: str, unit: Unit, title: str, action: str,
    effective_on: date, document: str, text: str = "", concurrent: bool = False, probation_months: int | None = None,
) -> Tenure:
    """Record a 任命 or 免去 decided after the gazette; the approval rights of the post move with it."""
    person_name = person_name.strip()
    post = repository.unit_post(session, unit, title)
    if unit.name == "区政府":
        post = repository.leader_seat(session, title) or post
    if action == "任命" and post is None:
        post = Post(code=f"{unit.name}/{title}", title=title, kind="unit", unit_id=unit.id,
                    full_title=f"{unit.full_name}{title}", clause=document)
        session.add(post)
        session.flush()
    rules.post_found(post is not None, unit.name, title, document).require()
    person = repository.person_by_name(session, person_name)
    if action == "任命":
        if person is None:
            person = Person(name=person_name)
            session.add(person)
            session.flush()
        if post.kind == "leader":
            # A leader seat has one holder: the incumbent's tenure ends when the successor's begins.
            for _, current in holders_of(session, post, effective_on):
                current.ends_on, current.removed_by = effective_on, document
        tenure = Tenure(person_id=person.id, post_id=post.id, starts_on=effective_on, concurrent=concurrent,
                        probation_ends_on=add_months_last_day(effective_on, probation_months)
                        if probation_months else None,
                        appointed_by=document, appointed_text=text)
        session.add(tenure)
        before = None
    else:
        open_tenures = [t for p, t in holders_of(session, post, effective_on) if person and p.id == person.id]
        rules.holds_to_remove(bool(open_tenures), person_name, unit.name, post.title, effective_on, document).require()
        tenure = open_tenures[0]
        before = {"ends_on": None}
        tenure.ends_on, tenure.removed_by, tenure.removed_text = effective_on, document, text
    session.flush()
    audit.record(session, actor=actor, action=f"directory.{'appoint' if action == '任命' else 'remove'}",
                 target_type="tenure", target_id=tenure.id, basis=document, before=before,
                 after={"person": person_name, "post": post.full_title, "starts_on": tenure.starts_on,
                        "ends_on": tenure.ends_on, "document": document})
    return tenure


# --- changes confirmed from the gazette (gazette/directory_service.py) --------------------------------------------

LEADER_TITLES = ("区长", "常务副区长", "副区长")  # the seats of 区政府: each its own post, one holder at a time


def _leader_seat_for(session: Session, person: Person | None, title: str, day: date) -> Post | None:
    """The 区政府 seat of this title the person holds on ``day``."""
    if person is None:
        return None
    return next((p for p in posts_held(session, person.id, day) if p.kind == "leader" and p.title == title), None)


def appoint_from_gazette(
    session: Session, *, actor: audit.Actor, person_name: str, unit: Unit, title: str, effective_on: date,
    document: str, seq: int, text: str, concurrent: bool = False, probation_ends_on: date | None = None,
    secondment_ends_on: date | None = None, rank_note: str = "", post_text: str = "",
) -> Tenure:
    """任命 as printed: a 区政府 leader title takes a seat vacant on that day (its portfolio, and so the approval
    rights, go with it) or a new seat; a unit post is found or created. 挂职 ends the day after its term (到期自动免职)."""
    if unit.name == "区政府" and title in LEADER_TITLES:
        seats = [p for p in repository.leader_seats(session) if p.title == title]
        post = next((s for s in seats if not holders_of(session, s, effective_on)), None)
        if post is None:
            post = Post(code=f"{document}#{seq}", title=title, kind="leader", unit_id=unit.id,
                        full_title=f"{unit.full_name}{title}", sort_order=repository.next_seat_order(session),
                        clause=document)
    else:
        post = repository.unit_post(session, unit, title) or Post(
            code=f"{unit.name}/{title}", title=title, kind="unit", unit_id=unit.id,
            full_title=post_text or f"{unit.full_name}{title}", clause=document)  # the post as the notice prints it
    if post.id is None:
        session.add(post)
        session.flush()
    person = repository.person_by_name(session, person_name)
    if person is None:
        person = Person(name=person_name)
        session.add(person)
        session.flush()
    already = any(p.id == person.id for p, _ in holders_of(session, post, effective_on))
    rules.not_yet_holding(already, person_name, post.full_title, effective_on, document).require()
    tenure = Tenure(person_id=person.id, post_id=post.id, starts_on=effective_on, concurrent=concurrent,
                    probation_ends_on=probation_ends_on, secondment_ends_on=secondment_ends_on, rank_note=rank_note,
                    appointed_by=document, appointed_text=text, source_key=f"{document}#{seq}")
    if secondment_ends_on:
        tenure.ends_on = secondment_ends_on + timedelta(days=1)
        tenure.removed_by, tenure.removed_text = document, "挂职期满，到期自动免职"
    session.add(tenure)
    session.flush()
    audit.record(session, actor=actor, action="directory.appoint", target_type="tenure", target_id=tenure.id,
                 basis=document, after={"person": person_name, "post": post.full_title, "post_code": post.code,
                                        "starts_on": effective_on, "ends_on": tenure.ends_on, "document": document})
    return tenure


def remove_from_gazette(session: Session, *, actor: audit.Actor, person_name: str, effective_on: date, document: str,
                        text: str, unit: Unit | None = None, title: str = "", seq: int | None = None,
                        rank_note: str = "", earlier_unrecorded: bool = False, post_text: str = "") -> list[Tenure]:
    """免去 a post (``unit`` + ``title``) or, naming none (免去缪军职务), every post the person holds that day.

    ``earlier_unrecorded`` (a fresh database built from its first issue, never an administrator's confirmation): the
    notice is the directory's first record of the post, so a 免去 of a tenure the directory does not hold records
    that tenure — start not printed, ending on the day — instead of being refused."""
    person = repository.person_by_name(session, person_name)
    held = [t for p, t in repository.posts_and_tenures(session, person.id)
            if holds_on(t.starts_on, t.ends_on, effective_on)] if person else []
    if unit is not None:
        seat = _leader_seat_for(session, person, title, effective_on) if unit.name == "区政府" else None
        post = seat or repository.unit_post(session, unit, title)
        held = [t for t in held if post is not None and t.post_id == post.id]
        if not held and earlier_unrecorded and not (unit.name == "区政府" and title in LEADER_TITLES):
            held = [_unrecorded_tenure(session, person_name, post, unit, title, document, seq, post_text)]
        rules.holds_to_remove(bool(held), person_name, unit.name, title, effective_on, document).require()
    else:
        rules.holds_any(bool(held), person_name, effective_on, document).require()
    for tenure in held:
        before = {"ends_on": tenure.ends_on}
        tenure.ends_on, tenure.removed_by, tenure.removed_text = effective_on, document, text
        tenure.rank_note = tenure.rank_note or rank_note  # 免去其…主任职务（副处职）
        session.flush()
        audit.record(session, actor=actor, action="directory.remove", target_type="tenure", target_id=tenure.id,
                     basis=document, before=before, after={"person": person_name, "ends_on": effective_on,
                                                           "document": document})
    return held


def _unrecorded_tenure(session: Session, person_name: str, post: Post | None, unit: Unit, title: str, document: str,
                       seq: int | None, post_text: str) -> Tenure:
    """The tenure a 免去 ends when the directory has no earlier record of it (``remove_from_gazette``)."""
    if post is None:
        post = Post(code=f"{unit.name}/{title}", title=title, kind="unit", unit_id=unit.id,
                    full_title=post_text or f"{unit.full_name}{title}", clause=document)
        session.add(post)
    person = repository.person_by_name(session, person_name) or Person(name=person_name)
    session.add(person)
    session.flush()
    tenure = Tenure(person_id=person.id, post_id=post.id, source_key=f"{document}#{seq}" if seq else None)
    session.add(tenure)
    session.flush()
    return tenure


def open_leader_seat(session: Session, *, actor: audit.Actor, code: str, title: str, person_name: str,
                     document: str, sort_order: int) -> Tenure:
    """A 区政府 seat as a division of work names its holder (周金星同志 区长): the seat (its ``code`` is the platform's
    identifier, data/directory/leaders.yaml) and the holder's tenure, start not printed. For a fresh database."""
    government = repository.unit_by_name(session, "区政府")
    post = Post(code=code, title=title, kind="leader", unit_id=government.id,
                full_title=f"{government.full_name}{title}", clause=document, sort_order=sort_order)
    person = repository.person_by_name(session, person_name) or Person(name=person_name)
    session.add_all([post, person])
    session.flush()
    tenure = Tenure(person_id=person.id, post_id=post.id, appointed_by=document,
                    appointed_text=f"{person_name}同志（{document}）", source_key=f"{document}#{code}")
    session.add(tenure)
    session.flush()
    audit.record(session, actor=actor, action="directory.seat", target_type="tenure", target_id=tenure.id,
                 basis=document, after={"seat": code, "post": post.full_title, "person": person_name})
    return tenure


def assign_portfolio_line(session: Session, *, actor: audit.Actor, person_name: str, relation: str, text: str,
                          unit: Unit | None, effective_on: date, document: str,
                          unit_kind: str | None = None) -> tuple[PortfolioEntry, list[str]]:
    """A division of work's line (分管区城市管理委员会) for the seat the person holds that day, from that day; a unit has
    one 分管 leader, so another seat's open 分管 line of the unit ends that day. Returns the line and the seats it
    took the unit from."""
    person = repository.person_by_name(session, person_name)
    seats = [p for p in posts_held(session, person.id, effective_on) if p.kind == "leader"] if person else []
    rules.holds_a_seat(bool(seats), person_name, effective_on, document).require()
    seat = seats[0]
    moved: list[str] = []
    if relation == "分管" and unit is not None:
        for entry, post in repository.open_lines_of_unit(session, unit.id, relation):
            if post.id != seat.id:
                entry.ends_on = effective_on
                moved.append(post.code)
    entry = PortfolioEntry(post_id=seat.id, relation=relation, seq=repository.next_portfolio_seq(session, seat.id),
                           text=text, unit_id=unit.id if unit else None, unit_kind=unit_kind, clause=document,
                           starts_on=effective_on)
    session.add(entry)
    session.flush()
    audit.record(session, actor=actor, action="directory.portfolio", target_type="portfolio_entry", target_id=entry.id,
                 basis=document, after={"seat": seat.code, "person": person_name, "relation": relation, "text": text,
                                        "starts_on": effective_on, "taken_from": moved})
    return entry, moved
