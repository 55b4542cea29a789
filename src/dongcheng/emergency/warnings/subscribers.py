"""The subscriber registry of §3.2.8: residents and units by street, their channels, and the flags that call for a
targeted notice (老、幼、病、残、孕; 学校、医院、旅游景点、交通枢纽; 警报盲区). Never commits; every change is audited.

A subscriber is never deleted: deliveries already made name them. Unsubscribing sets ``active`` false, so no
later fan-out reaches them and coverage no longer counts them.
"""
from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.permissions import scope_for
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.db import get_or_404
from dongcheng.core.time import utcnow
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_unit, list_units
from dongcheng.emergency.warnings import dissemination_rules, repository, rules
from dongcheng.emergency.warnings.models import Subscriber
from dongcheng.emergency.warnings.schemas import SubscriberCreate, SubscriberUpdate
from dongcheng.reference.service import list_items

BASIS = dissemination_rules.DISSEMINATION
ACTION = "warnings.subscribers"  # auth/permissions.py
TARGET = "subscriber"


def street_in_scope(session: Session, caller: Caller, street: str | None) -> str | None:
    """The street whose registry the caller may read or change; None = every street (the 区应急办, admins).

    Subscribers' contacts are personal data: a department user sees and changes its own street's only.
    """
    authorize(caller, ACTION, find_unit(session, street) if street else None)
    if street is None and scope_for(ACTION, caller.user.role) == "own_unit":
        dissemination_rules.may_list_own_street(caller.unit.kind if caller.unit else None).require()
        return caller.unit.name
    return street


def get_in_scope(session: Session, caller: Caller, subscriber_id: int) -> Subscriber:
    sub = get_subscriber(session, subscriber_id)
    authorize(caller, ACTION, find_unit(session, sub.street))
    return sub


def _check_input(session: Session, *, street: str | None = None, channels=None, groups=None,
                 place=None) -> Unit | None:
    """The street is a Dongcheng street; channels, groups and places are the gazette's lists (data/emergency/lists.yaml,
    §3.2.8): a 422 naming each input that is not. Returns the street's unit."""
    checks = []
    unit = None
    if street is not None:
        unit = find_unit(session, street)
        checks.append(dissemination_rules.subscriber_street(street, unit.kind if unit else None))
    if channels is not None:
        checks.append(dissemination_rules.known_channels(channels, (i.text for i in list_items(session, "warning_channels"))))
    if groups:
        checks.append(dissemination_rules.known_groups(groups, (i.text for i in list_items(session, "vulnerable_groups"))))
    if place:
        checks.append(dissemination_rules.known_place(place, (i.text for i in list_items(session, "special_places"))))
    rules.all_of(checks, BASIS).require()
    return unit


def _snapshot(sub: Subscriber) -> dict:
    return {"kind": sub.kind, "name": sub.name, "street": sub.street, "contact": sub.contact,
            "channels": list(sub.channels or ()), "vulnerable_groups": list(sub.vulnerable_groups or ()),
            "special_place": sub.special_place, "blind_spot": sub.blind_spot, "targeted": sub.targeted,
            "active": sub.active}


def add_subscriber(session: Session, *, actor: audit.Actor, data: SubscriberCreate) -> Subscriber:
    street = _check_input(session, street=data.street, channels=data.channels, groups=data.vulnerable_groups,
                          place=data.special_place)
    sub = Subscriber(kind=data.kind, name=data.name.strip(), street=street.name, contact=data.contact.strip(),
                     channels=list(dict.fromkeys(data.channels)), vulnerable_groups=list(dict.fromkeys(data.vulnerable_groups)),
                     special_place=data.special_place or None, blind_spot=data.blind_spot,
                     targeted=dissemination_rules.is_targeted(vulnerable_groups=data.vulnerable_groups,
                                                special_place=data.special_place, blind_spot=data.blind_spot),
                     active=True, created_at=utcnow())
    session.add(sub)
    session.flush()
    audit.record(session, actor=actor, action="warnings.subscriber_add", target_type=TARGET, target_id=sub.id,
                 basis=BASIS, after=_snapshot(sub))
    return sub


def get_subscriber(session: Session, subscriber_id: int) -> Subscriber:
    return get_or_404(session, Subscriber, subscriber_id, "订阅者", "subscriber")


def update_subscriber(session: Session, *, actor: audit.Actor, sub: Subscriber, data: SubscriberUpdate) -> Subscriber:
    dissemination_rules.may_change_subscriber(sub.active).require()
    given = data.model_fields_set
    street = _check_input(session, street=data.street, channels=data.channels, groups=data.vulnerable_groups,
                          place=data.special_place)
    before = _snapshot(sub)
    if data.name is not None:
        sub.name = data.name.strip()
    if street is not None:
        sub.street = street.name
    if data.contact is not None:
        sub.contact = data.contact.strip()
    if data.channels is not None:
        sub.channels = list(dict.fromkeys(data.channels))
    if data.vulnerable_groups is not None:
        sub.vulnerable_groups = list(dict.fromkeys(data.vulnerable_groups))
    if "special_place" in given:
        sub.special_place = data.special_place or None
    if data.blind_spot is not None:
        sub.blind_spot = data.blind_spot
    sub.targeted = dissemination_rules.is_targeted(vulnerable_groups=sub.vulnerable_groups, special_place=sub.special_place,
                                     blind_spot=sub.blind_spot)
    session.flush()
    audit.record(session, actor=actor, action="warnings.subscriber_update", target_type=TARGET, target_id=sub.id,
                 basis=BASIS, before=before, after=_snapshot(sub))
    return sub


def unsubscribe(session: Session, *, actor: audit.Actor, sub: Subscriber, reason: str = "") -> Subscriber:
    dissemination_rules.may_unsubscribe(sub.active).require()
    before = _snapshot(sub)
    sub.active = False
    session.flush()
    audit.record(session, actor=actor, action="warnings.subscriber_remove", target_type=TARGET, target_id=sub.id,
                 basis=BASIS, before=before, after={**_snapshot(sub), "reason": reason})
    return sub


def list_subscribers(session: Session, *, street: str | None = None, query: str | None = None,
                     targeted: bool | None = None, include_inactive: bool = False, limit: int = 50,
                     offset: int = 0) -> tuple[list[Subscriber], int]:
    """A page of the registry, newest first, and how many match in all."""
    return repository.subscribers_page(session, street=street, query=query, targeted=targeted,
                                       include_inactive=include_inactive, limit=limit, offset=offset)


def subscriber_stats(session: Session, *, street: str | None = None) -> list[dict]:
    """Active subscribers per street, all and targeted (§3.2.8)."""
    return [{"street": s, "subscribers": n, "targeted": t}
            for s, n, t in repository.subscribers_per_street(session, street=street)]


SEED_CHANNELS = (["手机短信"], ["手机客户端"], ["手机短信", "手机客户端"], ["互联网"], ["电子显示屏"], ["应急广播"])


def seed_subscribers(session: Session, *, actor: audit.Actor, count: int, streets: list[str] | None = None,
                     seed: int = 20221, chunk: int = 20000, progress: Callable[[int], None] | None = None) -> int:
    """N synthetic subscribers spread over the streets, ~12 % targeted; bulk insert (COPY on PostgreSQL).
    ``progress(n)`` hears every 10,000 rows written."""
    names = streets or [u.name for u in list_units(session, "street")]
    rng = random.Random(seed)
    groups = ["老", "幼", "病", "残", "孕"]
    places = ["学校", "医院", "旅游景点", "交通枢纽"]
    now = utcnow()
    start = repository.next_subscriber_id(session)

    def rows():
        for i in range(count):
            r = rng.random()
            vg = [rng.choice(groups)] if r < 0.10 else []
            sp = rng.choice(places) if 0.10 <= r < 0.11 else None
            bs = 0.11 <= r < 0.12
            kind = "unit" if sp else "resident"
            yield (kind, f"订阅者{start + i}", names[i % len(names)], f"1{rng.randrange(3000000000, 9999999999)}",
                   rng.choice(SEED_CHANNELS), vg, sp, bs, bool(vg or sp or bs))
            if progress is not None and (i + 1) % 10000 == 0:
                progress(10000)
        if progress is not None and count % 10000:
            progress(count % 10000)

    repository.insert_subscribers(session, rows(), now=now, chunk=chunk)
    audit.record(session, actor=actor, action="warnings.subscribers_seed", target_type=TARGET,
                 target_id=f"{start}+{count}", basis=dissemination_rules.SYNTHETIC_SUBSCRIBERS,
                 after={"count": count, "streets": len(names)})
    return count
