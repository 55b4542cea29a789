"""The subscriber registry of §3.2.8: residents and units by street, their channels, and the flags that call for a
targeted notice (老、幼、病、残、孕; 学校、医院、旅游景点、交通枢纽; 警报盲区). Never commits; every change is audited.

A subscriber is never deleted: deliveries already made name them. Unsubscribing sets ``active`` false, so no
later fan-out reaches them and coverage no longer counts them.
"""
from __future__ import annotations

import json
import random

from sqlalchemy import case, func, insert, or_, select
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.permissions import scope_for
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.db import get_or_404
from dongcheng.core.errors import DomainError, FieldError, conflict, forbidden
from dongcheng.core.time import utcnow
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_unit, list_units
from dongcheng.emergency.warnings import rules
from dongcheng.emergency.warnings.models import Subscriber
from dongcheng.emergency.warnings.schemas import SubscriberCreate, SubscriberUpdate
from dongcheng.reference.service import list_items

BASIS = rules.clause("§3.2.8")
ACTION = "warnings.subscribers"  # auth/permissions.py
TARGET = "subscriber"


def street_in_scope(session: Session, caller: Caller, street: str | None) -> str | None:
    """The street whose registry the caller may read or change; None = every street (the 区应急办, admins).

    Subscribers' contacts are personal data: a department user sees and changes its own street's only.
    """
    authorize(caller, ACTION, find_unit(session, street) if street else None)
    if street is None and scope_for(ACTION, caller.user.role) == "own_unit":
        if caller.unit is None or caller.unit.kind not in ("street", "key_area"):
            raise forbidden("只有街道可以查看本辖区的订阅者，其他单位请指定街道",
                            "Only a street may list its own subscribers; other units name a street")
        return caller.unit.name
    return street


def get_in_scope(session: Session, caller: Caller, subscriber_id: int) -> Subscriber:
    sub = get_subscriber(session, subscriber_id)
    authorize(caller, ACTION, find_unit(session, sub.street))
    return sub


def _street(session: Session, name: str, errors: list[FieldError]) -> Unit | None:
    street = find_unit(session, name)
    if street is None or street.kind not in ("street", "key_area"):
        errors.append(FieldError("street", f"“{name}”不是东城区的街道或重点地区", f"{name!r} is not a Dongcheng street"))
        return None
    return street


def _check_lists(session: Session, errors: list[FieldError], *, channels=None, groups=None, place=None) -> None:
    """Channels, groups and places are the gazette's lists (data/emergency/lists.yaml, §3.2.8)."""
    if channels is not None:
        allowed = {i.text for i in list_items(session, "warning_channels")}
        bad = [c for c in channels if c not in allowed]
        if bad:
            errors.append(FieldError("channels", f"未知的发布渠道：{'、'.join(bad)}（§3.2.8）", f"unknown channels: {bad}"))
    if groups is not None and any(g not in {i.text for i in list_items(session, "vulnerable_groups")} for g in groups):
        errors.append(FieldError("vulnerable_groups", "群体应为 老、幼、病、残、孕（§3.2.8）",
                                 "groups are 老 幼 病 残 孕 (§3.2.8)"))
    if place and place not in {i.text for i in list_items(session, "special_places")}:
        errors.append(FieldError("special_place", "特殊场所应为 学校、医院、旅游景点、交通枢纽（§3.2.8）",
                                 "special places are 学校 医院 旅游景点 交通枢纽 (§3.2.8)"))


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)


def _snapshot(sub: Subscriber) -> dict:
    return {"kind": sub.kind, "name": sub.name, "street": sub.street, "contact": sub.contact,
            "channels": list(sub.channels or ()), "vulnerable_groups": list(sub.vulnerable_groups or ()),
            "special_place": sub.special_place, "blind_spot": sub.blind_spot, "targeted": sub.targeted,
            "active": sub.active}


def add_subscriber(session: Session, *, actor: audit.Actor, data: SubscriberCreate) -> Subscriber:
    errors: list[FieldError] = []
    street = _street(session, data.street, errors)
    _check_lists(session, errors, channels=data.channels, groups=data.vulnerable_groups, place=data.special_place)
    _raise(errors)
    sub = Subscriber(kind=data.kind, name=data.name.strip(), street=street.name, contact=data.contact.strip(),
                     channels=list(dict.fromkeys(data.channels)), vulnerable_groups=list(dict.fromkeys(data.vulnerable_groups)),
                     special_place=data.special_place or None, blind_spot=data.blind_spot,
                     targeted=rules.is_targeted(vulnerable_groups=data.vulnerable_groups,
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
    if not sub.active:
        raise conflict("该订阅者已退订，请重新登记", "This subscriber has unsubscribed; register them again")
    given = data.model_fields_set
    errors: list[FieldError] = []
    street = _street(session, data.street, errors) if data.street is not None else None
    _check_lists(session, errors, channels=data.channels, groups=data.vulnerable_groups, place=data.special_place)
    _raise(errors)
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
    sub.targeted = rules.is_targeted(vulnerable_groups=sub.vulnerable_groups, special_place=sub.special_place,
                                     blind_spot=sub.blind_spot)
    session.flush()
    audit.record(session, actor=actor, action="warnings.subscriber_update", target_type=TARGET, target_id=sub.id,
                 basis=BASIS, before=before, after=_snapshot(sub))
    return sub


def unsubscribe(session: Session, *, actor: audit.Actor, sub: Subscriber, reason: str = "") -> Subscriber:
    if not sub.active:
        raise conflict("该订阅者已退订", "This subscriber has already unsubscribed")
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
    conditions = []
    if street:
        conditions.append(Subscriber.street == street)
    if query:
        like = f"%{query.strip()}%"
        conditions.append(or_(Subscriber.name.like(like), Subscriber.contact.like(like)))
    if targeted is not None:
        conditions.append(Subscriber.targeted.is_(targeted))
    if not include_inactive:
        conditions.append(Subscriber.active.is_(True))
    total = session.scalar(select(func.count()).select_from(Subscriber).where(*conditions)) or 0
    rows = session.scalars(select(Subscriber).where(*conditions).order_by(Subscriber.id.desc())
                           .limit(limit).offset(offset))
    return list(rows), total


def subscriber_stats(session: Session, *, street: str | None = None) -> list[dict]:
    """Active subscribers per street, all and targeted (§3.2.8)."""
    targeted = func.sum(case((Subscriber.targeted.is_(True), 1), else_=0))
    query = (select(Subscriber.street, func.count(), targeted).where(Subscriber.active.is_(True))
             .group_by(Subscriber.street).order_by(Subscriber.street))
    if street:
        query = query.where(Subscriber.street == street)
    return [{"street": s, "subscribers": n, "targeted": int(t or 0)} for s, n, t in session.execute(query).all()]


SEED_CHANNELS = (["手机短信"], ["手机客户端"], ["手机短信", "手机客户端"], ["互联网"], ["电子显示屏"], ["应急广播"])


def seed_subscribers(session: Session, *, actor: audit.Actor, count: int, streets: list[str] | None = None,
                     seed: int = 20221, chunk: int = 20000) -> int:
    """N synthetic subscribers spread over the streets, ~12 % targeted; bulk insert (COPY on PostgreSQL)."""
    names = streets or [u.name for u in list_units(session, "street")]
    rng = random.Random(seed)
    groups = ["老", "幼", "病", "残", "孕"]
    places = ["学校", "医院", "旅游景点", "交通枢纽"]
    now = utcnow()
    start = (session.scalar(select(func.max(Subscriber.id))) or 0) + 1

    def rows():
        for i in range(count):
            r = rng.random()
            vg = [rng.choice(groups)] if r < 0.10 else []
            sp = rng.choice(places) if 0.10 <= r < 0.11 else None
            bs = 0.11 <= r < 0.12
            kind = "unit" if sp else "resident"
            yield (kind, f"订阅者{start + i}", names[i % len(names)], f"1{rng.randrange(3000000000, 9999999999)}",
                   rng.choice(SEED_CHANNELS), vg, sp, bs, bool(vg or sp or bs))

    if session.get_bind().dialect.name == "postgresql":
        cursor = session.connection().connection.driver_connection.cursor()
        with cursor.copy("COPY subscribers (kind, name, street, contact, channels, vulnerable_groups, special_place, "
                         "blind_spot, targeted, active, created_at) FROM STDIN") as copy:
            for kind, name, street, contact, ch, vg, sp, bs, tg in rows():
                copy.write_row((kind, name, street, contact, json.dumps(ch, ensure_ascii=False),
                                json.dumps(vg, ensure_ascii=False), sp, bs, tg, True, now))
    else:
        table = Subscriber.__table__
        buffer: list[dict] = []
        for kind, name, street, contact, ch, vg, sp, bs, tg in rows():
            buffer.append({"kind": kind, "name": name, "street": street, "contact": contact, "channels": ch,
                           "vulnerable_groups": vg, "special_place": sp, "blind_spot": bs, "targeted": tg,
                           "active": True, "created_at": now})
            if len(buffer) >= chunk:
                session.execute(insert(table), buffer)
                buffer = []
        if buffer:
            session.execute(insert(table), buffer)
    audit.record(session, actor=actor, action="warnings.subscribers_seed", target_type=TARGET,
                 target_id=f"{start}+{count}", basis="SPEC §2.2 (synthetic subscribers for demos and benchmarks)",
                 after={"count": count, "streets": len(names)})
    return count
