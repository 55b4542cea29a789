"""The §6.2.2 registries kept up to date (及时维护更新): hazards and risk sources, teams (§6.1), experts (§6.1.6),
shelters (§6.7, opened by the 区政府) and the knowledge base. Create / edit through one path per registry: units by
name from the directory, choices checked by registry_rules, the owner unit or the 区应急办 only, audited."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.decision import Decision
from dongcheng.core.errors import DomainError, FieldError, invalid
from dongcheng.core.time import utcnow
from dongcheng.core.transition import move
from dongcheng.directory.service import holders_of, leader_seats
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.preparedness import authority, registry_rules, repository
from dongcheng.emergency.preparedness import schemas as s
from dongcheng.emergency.preparedness.models import Expert, Hazard, KnowledgeEntry, Shelter, Team
from dongcheng.emergency.preparedness.stock import unit_named
from dongcheng.reference import service as reference

ACTION = "preparedness.registry"
SHELTER_ACTION = "preparedness.shelter_open"
STREETS = ("street", "key_area")


@dataclass(frozen=True)
class Registry:
    key: str
    name: str  # as §6.2.2 prints it
    model: Any
    schema: type[BaseModel]
    units: dict[str, str]  # input field -> column (unit id)
    title: str  # the column that names a record


REGISTRIES = {
    "hazards": Registry("hazards", "风险与隐患监控数据库", Hazard, s.HazardIn,
                        {"street": "street_unit_id", "owner_unit": "owner_unit_id"}, "name"),
    "teams": Registry("teams", "应急队伍库", Team, s.TeamIn, {"owner_unit": "owner_unit_id"}, "name"),
    "experts": Registry("experts", "应急专家库", Expert, s.ExpertIn, {"owner_unit": "owner_unit_id"}, "name"),
    "shelters": Registry("shelters", "应急避难场所库", Shelter, s.ShelterIn,
                         {"street": "street_unit_id", "owner_unit": "owner_unit_id"}, "name"),
    "knowledge": Registry("knowledge", "辅助决策知识库", KnowledgeEntry, s.KnowledgeIn, {"owner_unit": "owner_unit_id"},
                          "title"),
}


def registry(key: str) -> Registry:
    if key not in REGISTRIES:
        raise DomainError("未找到该登记库", f"no registry {key}", 404)
    return REGISTRIES[key]


def _checks(session: Session, key: str, data: BaseModel) -> list[Decision]:
    """Every choice of the record checked against its clause's list (all at once: one 422 naming each field)."""
    r, b = registry_rules, registry_rules.REGISTRIES_BASIS
    out: list[Decision] = []
    if key == "hazards":
        out.append(r.check_choice(data.risk_grade, r.RISK_GRADES, "risk_grade", "风险等级", b))
        if data.last_inspected_on and data.next_due_on and data.next_due_on < data.last_inspected_on:
            out.append(Decision(False, b, "下次检查日期不能早于最近检查日期", "next_due_on is before last_inspected_on",
                                422, "next_due_on"))
    elif key == "teams":
        out += [r.check_team_kind(data.kind), r.check_choice(data.readiness, r.READINESS, "readiness", "备勤状态", b)]
    elif key == "experts":
        out += [r.check_choice(data.field, r.EXPERT_FIELDS, "field", "专家领域", r.TEAM_KIND["expert"].basis),
                r.check_choice(data.availability, r.AVAILABILITY, "availability", "可联系状态", b)]
    elif key == "shelters":
        out.append(r.check_occupancy(data.capacity, data.occupancy))
    elif key == "knowledge":
        types = {t.name for t in reference.list_event_types(session)}
        plans = {p.name for p in reference.list_plans(session)}
        out += [Decision(False, b, f"未知事件类型“{t}”", f"unknown event type {t!r}", 422, f"event_types.{i}")
                for i, t in enumerate(data.event_types) if t not in types]
        out += [Decision(False, b, f"未知预案“{p}”（§8.3 目录）", f"unknown plan {p!r}", 422, f"plans.{i}")
                for i, p in enumerate(data.plans) if p not in plans]
    return [d for d in out if not d.allowed]


def _values(session: Session, reg: Registry, data: BaseModel) -> dict:
    values = data.model_dump()
    for field, column in reg.units.items():
        unit = unit_named(session, values.pop(field), field, kinds=STREETS if field == "street" else None)
        values[column] = unit.id
    return values


def validate(session: Session, key: str, data: BaseModel) -> dict:
    """The record's column values, or one 422 naming every bad field (an import asks this per row)."""
    reg = registry(key)
    if key == "teams":
        data = data.model_copy(update={"kind": registry_rules.team_kind_code(data.kind)})
    refused = _checks(session, key, data)
    if refused:
        raise DomainError("输入有误", "Invalid input", 422, [FieldError(d.field or "form", d.zh, d.en) for d in refused])
    return _values(session, reg, data)


def _unique(session: Session, reg: Registry, values: dict, record_id: int | None = None) -> None:
    if reg.key in ("teams", "shelters"):
        found = repository.record_named(session, reg.key, values["name"])
        if found is not None and found.id != record_id:
            raise invalid("name", f"已有同名记录“{values['name']}”", f"a record named {values['name']!r} exists")


def create(session: Session, *, caller: Caller, key: str, data: BaseModel) -> Any:
    authorize(caller, ACTION)
    reg = registry(key)
    values = validate(session, key, data)
    registry_rules.may_keep(authority.acting_of(caller), values["owner_unit_id"]).require()
    _unique(session, reg, values)
    row = reg.model(**values, updated_at=utcnow(), updated_by=caller.user.username)
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action=f"preparedness.{key}.create", target_type=key, target_id=row.id,
                 basis=registry_rules.REGISTRIES_BASIS, after=_audit_view(key, values))
    return row


def update(session: Session, *, caller: Caller, key: str, record_id: int, data: BaseModel) -> Any:
    authorize(caller, ACTION)
    reg = registry(key)
    row = repository.record(session, key, record_id)
    acting = authority.acting_of(caller)
    registry_rules.may_keep(acting, row.owner_unit_id).require()
    values = validate(session, key, data)
    registry_rules.may_keep(acting, values["owner_unit_id"]).require()
    _unique(session, reg, values, row.id)
    if key == "shelters" and row.status == "open" and values["occupancy"] > values["capacity"]:
        raise invalid("occupancy", "在场人数超过容量", "occupancy exceeds capacity")
    before = {k: _plain(getattr(row, k)) for k in values}
    for k, v in values.items():
        setattr(row, k, v)
    row.updated_at, row.updated_by = utcnow(), caller.user.username
    session.flush()
    audit.record(session, actor=caller.actor, action=f"preparedness.{key}.update", target_type=key, target_id=row.id,
                 basis=registry_rules.REGISTRIES_BASIS, before=_audit_view(key, before),
                 after=_audit_view(key, values))
    return row


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


PERSONAL = ("contact_person", "contact_phone")


def _audit_view(key: str, values: dict) -> dict:
    """The audit keeps that a contact changed, not the contact itself (personal data stays in its record)."""
    return {k: ("（已记录）" if k in PERSONAL and v else _plain(v)) for k, v in values.items()}


def leader_holding_post(session: Session, name: str) -> str | None:
    """The leader seat ``name`` holds today (a 区领导 whose decision the 区应急办 records), or None."""
    for seat in leader_seats(session):
        if any(person.name == name for person, _ in holders_of(session, seat)):
            return seat.title
    return None


def open_shelter(session: Session, *, caller: Caller, shelter_id: int, data: s.ShelterOpenIn) -> Shelter:
    """启用 (§6.7): the 区政府 decides — a district leader holding a post, or the 区应急办 recording that leader's
    decision (the leader named, holding a post today)."""
    authorize(caller, SHELTER_ACTION)
    shelter = repository.shelter(session, shelter_id)
    acting = authority.acting_of(caller)
    decided_post = leader_holding_post(session, data.decided_by) if data.decided_by else None
    registry_rules.may_open_shelter(acting, decided_by_holds_post=decided_post is not None).require()
    if shelter.status == "open":
        raise DomainError("该避难场所已启用", "the shelter is already open", 409)
    if data.incident_id:
        incidents.get(session, data.incident_id)
    if acting.role == "leader":
        decided = f"{caller.user.person.name if caller.user.person else caller.user.username}（" \
                  f"{'、'.join(p.full_title for p in caller.posts)}）"
    else:
        decided = f"{data.decided_by}（{decided_post}）"
    move(session, shelter, "open", what_zh="该避难场所", what_en="this shelter", opened_at=utcnow(),
         opened_by=caller.user.username, decided_by=decided, opened_basis=str(registry_rules.SHELTER_BASIS),
         opened_reason=data.reason, incident_id=data.incident_id, closed_at=None)
    audit.record(session, actor=caller.actor, action="preparedness.shelters.open", target_type="shelters",
                 target_id=shelter.id, basis=registry_rules.SHELTER_BASIS, before={"status": "closed"},
                 after={"status": "open", "decided_by": decided, "incident_id": data.incident_id}, note=data.reason)
    return shelter


def close_shelter(session: Session, *, caller: Caller, shelter_id: int, reason: str) -> Shelter:
    authorize(caller, SHELTER_ACTION)
    shelter = repository.shelter(session, shelter_id)
    registry_rules.may_close_shelter(authority.acting_of(caller)).require()
    if shelter.status != "open":
        raise DomainError("该避难场所未启用", "the shelter is not open", 409)
    move(session, shelter, "closed", what_zh="该避难场所", what_en="this shelter", closed_at=utcnow(), occupancy=0)
    audit.record(session, actor=caller.actor, action="preparedness.shelters.close", target_type="shelters",
                 target_id=shelter.id, basis=registry_rules.SHELTER_BASIS, before={"status": "open"},
                 after={"status": "closed"}, note=reason)
    return shelter


def import_rows(session: Session, *, caller: Caller, key: str, rows: list[tuple[int, dict]]) -> list[Any]:
    """Import a workbook's rows: every row checked first (schema, choices, units, the caller's authority, names unique
    in the file and the registry); any bad row → one 422 listing each bad cell as ``rows.N.field`` and nothing is
    saved; all good → every record created (audited one by one) in this one transaction."""
    from pydantic import ValidationError

    from dongcheng.core.validation import field_errors
    from dongcheng.emergency.preparedness import stock

    authorize(caller, ACTION if key != "items" else stock.ACTION)
    acting = authority.acting_of(caller)
    schema = s.ItemIn if key == "items" else registry(key).schema
    errors: list[FieldError] = []
    good: list[BaseModel] = []
    seen: dict[str, int] = {}

    def fail(number: int, field: str, zh: str, en: str) -> None:
        errors.append(FieldError(f"rows.{number}.{field}", f"第{number}行 {field}：{zh}", f"row {number} {field}: {en}"))

    if not rows:
        raise invalid("file", "文件中没有数据行", "the workbook has no data rows")
    for number, record in rows:
        try:
            data = schema.model_validate(record)
        except ValidationError as exc:
            for f in field_errors(exc.errors()):
                fail(number, f.field, f.zh, f.en)
            continue
        try:
            if key == "items":
                owner = unit_named(session, data.owner_unit, "owner_unit")
                if repository.item_named(session, data.name):
                    raise invalid("name", f"物资目录已有“{data.name}”", f"the catalogue has {data.name!r}")
            else:
                values = validate(session, key, data)
                owner_id = values["owner_unit_id"]
                _unique(session, registry(key), values)
                owner = repository.unit_by_id(session, owner_id)
        except DomainError as exc:
            for f in exc.fields or [FieldError("form", exc.zh, exc.en)]:
                fail(number, f.field, f.zh, f.en)
            continue
        keep = registry_rules.may_keep(acting, owner.id)
        if not keep.allowed:
            fail(number, "owner_unit", keep.zh, keep.en)
        name = getattr(data, "name", None) or getattr(data, "title", "")
        if key in ("teams", "shelters", "items") and name in seen:
            fail(number, "name", f"与第{seen[name]}行重名", f"same name as row {seen[name]}")
        seen.setdefault(name, number)
        good.append(data)
    if errors:
        raise DomainError(f"导入未完成：{len({e.field.split('.')[1] for e in errors})}行有误，未保存任何记录",
                          "Import refused: some rows are invalid, nothing was saved", 422, errors)
    if key == "items":
        return [stock.create_item(session, caller=caller, data=d) for d in good]
    return [create(session, caller=caller, key=key, data=d) for d in good]
