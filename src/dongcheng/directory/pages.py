"""Directory pages: units, the district leaders' division of work, people and their appointments.

Read-only views of what ``/api/directory`` returns (东政办发〔2021〕18号, 东政任〔2021〕21/22号, 东政任〔2022〕1/2号).
"""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep
from dongcheng.core.errors import invalid, not_found
from dongcheng.core.time import today_local
from dongcheng.directory import service as directory
from dongcheng.directory.models import Unit
from dongcheng.reference import service as reference
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)

KIND_LABELS = {
    "command": "指挥机构",
    "party": "区委部门",
    "government": "区政府部门",
    "agency": "事业单位",
    "police": "公安消防武警",
    "special_hq": "专项指挥部",
    "street": "街道",
    "key_area": "重点地区",
    "city": "市级单位",
    "enterprise": "企业",
    "assembly": "人大政协司法",
    "mass_org": "群团组织",
    "central": "驻区单位",
}

# The order of a leader's portfolio lines in the division of work (东政办发〔2021〕18号).
RELATIONS = ("负责", "协助负责", "分管", "协助分管", "联系")
RELATION_CLASS = {"分管": "fg", "协助分管": "xz", "联系": "lx"}


def _parse_day(value: str | None) -> date | None:
    """The optional ?on= date of a GET form; an empty field means today."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid("on", f"日期“{value}”格式应为 YYYY-MM-DD", f"date {value!r} should be YYYY-MM-DD") from None


def _matches(unit: Unit, q: str) -> bool:
    return any(q in name for name in (unit.name, unit.full_name, *(unit.aliases or ())))


@router.get("/directory/units")
def units_page(request: Request, session: SessionDep, caller: PageCaller,
               kind: str | None = None, q: str | None = None):
    kind = (kind or "").strip() or None
    if kind and kind not in KIND_LABELS:
        raise not_found("单位类别", "unit kind", kind)
    everything = directory.list_units(session)
    counts = {k: sum(1 for u in everything if u.kind == k) for k in KIND_LABELS}
    q = (q or "").strip()
    shown = [u for u in everything if (not kind or u.kind == kind) and (not q or _matches(u, q))]
    names = {u.id: u.name for u in everything}
    groups = [(k, KIND_LABELS[k], [u for u in shown if u.kind == k]) for k in KIND_LABELS]
    groups += [(k, k, [u for u in shown if u.kind == k])
               for k in sorted({u.kind for u in shown} - set(KIND_LABELS))]
    return render(request, "directory/units.html", {
        "active": "units", "kind": kind, "q": q, "kinds": KIND_LABELS, "counts": counts,
        "total": len(everything), "shown": len(shown), "names": names,
        "groups": [g for g in groups if g[2]],
    })


@router.get("/directory/units/{unit_id}")
def unit_page(unit_id: int, request: Request, session: SessionDep, caller: PageCaller, on: str | None = None):
    day = _parse_day(on)
    unit = directory.get_unit(session, unit_id)
    parent = directory.get_unit(session, unit.parent_id) if unit.parent_id else None
    everything = directory.list_units(session)
    children = [u for u in everything if u.parent_id == unit.id]
    supervisor = directory.supervising_leader(session, unit, day).to_dict()
    # a day before the directory's first division of work: it records no supervising leader, none is missing
    supervisor["recorded_from"] = directory.portfolio_recorded_from(session, day)
    seat_ids = {seat.code: seat.id for seat in directory.leader_seats(session)}
    person_ids = {p.name: p.id for p in directory.list_people(session)}
    posts = [{
        "post": post,
        "holders": directory.holders_of(session, post, day),
        "history": directory.tenures_of_post(session, post),
    } for post in directory.posts_of_unit(session, unit)]
    event_types = [et for et in reference.list_event_types(session) if any(lead.unit_id == unit.id
                                                                            for lead in et.leads)]
    plans = [p for p in reference.list_plans(session) if p.lead_unit_id == unit.id]
    return render(request, "directory/unit.html", {
        "active": "units", "unit": unit, "kind_label": KIND_LABELS.get(unit.kind, unit.kind),
        "parent": parent, "children": children, "supervisor": supervisor, "seat_ids": seat_ids,
        "person_ids": person_ids, "posts": posts, "on": day, "today": today_local(),
        "event_types": event_types, "plans": plans,
    })


@router.get("/directory/leaders")
def leaders_page(request: Request, session: SessionDep, caller: PageCaller):
    seats = []
    for seat in directory.leader_seats(session):
        entries = directory.portfolio_of(session, seat)
        by_relation = [(r, [e for e in entries if e.relation == r]) for r in RELATIONS]
        by_relation += [(r, [e for e in entries if e.relation == r])
                        for r in sorted({e.relation for e in entries} - set(RELATIONS))]
        seats.append({"seat": seat, "holders": directory.holders_of(session, seat),
                      "portfolio": [(r, rows) for r, rows in by_relation if rows]})
    return render(request, "directory/leaders.html", {
        "active": "leaders", "seats": seats, "relation_class": RELATION_CLASS, "kinds": KIND_LABELS,
    })


@router.get("/directory/people")
def people_page(request: Request, session: SessionDep, caller: PageCaller):
    people = [(person, directory.posts_held(session, person.id)) for person in directory.list_people(session)]
    return render(request, "directory/people.html", {"active": "people", "people": people, "today": today_local()})


@router.get("/directory/people/{person_id}")
def person_page(person_id: int, request: Request, session: SessionDep, caller: PageCaller):
    person = directory.get_person(session, person_id)
    tenures = directory.tenures_of(session, person)
    current = {t.id for post in {post.id: post for post, _, _ in tenures}.values()
               for holder, t in directory.holders_of(session, post) if holder.id == person.id}
    return render(request, "directory/person.html", {
        "active": "people", "person": person, "tenures": tenures, "current": current,
    })

