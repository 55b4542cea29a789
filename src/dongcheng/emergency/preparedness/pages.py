"""应急保障 pages (Chinese, usable at 390 px): the overview with the §6.2.2 registries and stock alerts, material
dispatch (list, request form, the order page with approve / return / issue / receive), stock per lot, each registry
(list, search, filters, create, edit; shelters opened by the 区政府), team call-ups. Thin: the same services as the
API; a bad form re-renders with each field's error (422), nothing half-saved."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.auth.service import authorize, permitted
from dongcheng.core.errors import DomainError, FieldError, invalid
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.preparedness import (
    authority,
    callups,
    registries,
    registry_rules,
    repository,
    requisition_rules,
    requisitions,
    service,
    stock,
    stock_rules,
    views,
    xlsx,
)
from dongcheng.emergency.preparedness.enums import MOVEMENT_LABELS, ORIGIN_LABELS
from dongcheng.emergency.preparedness.schemas import (
    ArriveIn,
    CallUpIn,
    CompensationIn,
    CountIn,
    DispatchIn,
    IssueIn,
    ItemIn,
    ReceiptIn,
    ReceiveIn,
    RequisitionIn,
    RequisitionReturnIn,
    ScrapIn,
    ShelterOpenIn,
    TransferIn,
    WarehouseIn,
)
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
steps.register({
    "preparedness.request": "物资需求已提出，等待批准", "preparedness.approve": "已批准，调拨指令已下达",
    "preparedness.return": "已退回申请单位", "preparedness.resubmit": "已重新提交",
    "preparedness.issue": "已确认出库", "preparedness.receive": "已确认签收", "preparedness.receipt": "已入库",
    "preparedness.record": "记录已登记", "preparedness.record-saved": "修改已保存",
    "preparedness.shelter-open": "应急避难场所已启用", "preparedness.shelter-close": "应急避难场所已关闭",
    "preparedness.call-up": "队伍已调用", "preparedness.arrive": "队伍已到达现场，已向现场指挥部报到",
    "preparedness.scrap": "报废申请已提交，等待区应急办批准", "preparedness.scrap-approve": "已批准报废，已从库存中减去",
    "preparedness.scrap-refuse": "已不批准该报废申请", "preparedness.transfer": "调库已登记（调出、调入各一笔）",
    "preparedness.count": "盘点已登记，差额已入账", "preparedness.warehouse": "仓库已登记",
    "preparedness.item": "物资已加入目录", "preparedness.import": "物资目录已导入",
    "preparedness.import-records": "已导入全部行",
    "preparedness.requisition": "征用已登记", "preparedness.requisition-return": "已登记返还",
    "preparedness.requisition-compensate": "已登记补偿，该征用已办结"})
MAX_UPLOAD = 5 * 1024 * 1024  # as the API's imports
FIELD = 20000  # a text field's longest (steps.posted)
READ = "preparedness.read"
CHOICES = {"risk_grade": registry_rules.RISK_GRADES, "readiness": registry_rules.READINESS,
           "field": registry_rules.EXPERT_FIELDS, "availability": registry_rules.AVAILABILITY,
           "kind": tuple(k.code for k in registry_rules.TEAM_KINDS)}
KIND_LABELS = {k.code: f"{k.name}（{k.clause}）" for k in registry_rules.TEAM_KINDS}
NUMBERS = ("size", "capacity", "occupancy")
DATES = ("last_inspected_on", "next_due_on")
LONG = ("equipment", "note", "body")
FILTERS = {"hazards": ("risk_grade",), "teams": ("kind", "readiness"), "experts": ("field", "availability"),
           "shelters": (), "knowledge": ()}


# Each form field by its Chinese label, so an error names what the user sees (a step's own words override these).
LABELS = {"warehouse_id": "仓库", "item_id": "物资", "lot_no": "批号", "expires_on": "有效期至", "quantity": "数量",
          "kind": "类别", "reason": "理由", "lot_id": "批次", "to_warehouse_id": "调入仓库", "counted": "实盘数",
          "counted_on": "盘点日期", "lines": "明细", "confirm": "确认", "name": "名称", "address": "地址",
          "street": "所在街道", "owner_unit": "所属单位", "category": "类别", "unit_of_measure": "计量单位",
          "min_level": "最低储备量", "reserve_kind": "储备方式", "file": "文件", "owner_name": "被征用单位或个人",
          "owner_contact": "联系方式", "description": "财产说明", "decided_by": "作出决定的区领导",
          "incident_id": "突发事件编号", "condition": "状况", "amount_yuan": "补偿金额（元）", "note": "说明",
          "destination": "送达地点", "needed_by": "需求时间", "purpose": "用途", "requesting_unit": "提出需求的主责部门",
          "headcount": "到场人数", "form": ""}


def _label(field: str, labels: dict | None = None) -> str:
    """``lines.0.counted`` → 第1行 实盘数; ``rows.2.name`` → 第2行 名称 (an import names the sheet's row); ``form``
    (the whole form) → no label."""
    names = {**LABELS, **(labels or {})}
    parts = field.split(".")
    if len(parts) == 3 and parts[1].isdigit():
        row = int(parts[1]) + (1 if parts[0] == "lines" else 0)
        return f"第{row}行 {names.get(parts[2], parts[2])}".strip()
    return names.get(field, field)


def _errors(exc: steps.Refusal, labels: dict | None = None) -> list[dict]:
    """The refusal's fields by this module's labels (a step's own words override them), rows named by number."""
    return steps.field_errors(exc, lambda field: _label(field, labels))


@router.get("/preparedness")
def overview(request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, READ)
    keys = {r.name: f"/preparedness/registries/{k}" for k, r in registries.REGISTRIES.items()}
    keys["应急物资库"] = "/preparedness/stock"
    rows = [{"seq": i, "name": n, "url": keys.get(n)} for i, n in enumerate(registry_rules.REGISTRIES, 1)]
    return render(request, "preparedness/overview.html", {
        "active": "preparedness", "registries": rows, "alerts": stock.alerts_for(session, caller),
        "days": stock.expiry_alert_days(), "basis": str(registry_rules.REGISTRIES_BASIS),
        "dispatches": [views.dispatch_summary(d) for d in repository.dispatches(session, limit=10)],
        "reports": [views.call_up_dict(c) for c in repository.call_ups(session, reports_only=True)][:10]})


# --- dispatch ------------------------------------------------------------------------------------------------------


def _dispatch_context(session, caller, **extra) -> dict:
    acting = authority.acting_of(caller)
    return {"active": "preparedness", "rows": [views.dispatch_summary(d) for d in repository.dispatches(session)],
            "items": [views.item_dict(i) for i in repository.items(session)],
            "incidents": incidents.open_incidents(session), "origins": ORIGIN_LABELS,
            "for_committee": bool(acting and acting.for_committee), "form": {}, **extra}


@router.get("/preparedness/dispatches")
def dispatches_page(request: Request, session: SessionDep, caller: PageUser,
                    incident: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None):
    authorize(caller, READ)
    return render(request, "preparedness/dispatches.html",
                  _dispatch_context(session, caller, form={"incident_id": str(incident or "")}))


@router.post("/preparedness/dispatches")
async def request_from_form(request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)
    lines = []
    for n in range(5):
        if form.get(f"item_{n}"):
            lines.append({"item_id": form.get(f"item_{n}"), "quantity": form.get(f"quantity_{n}") or "0",
                          "destination": form.get(f"destination_{n}", ""),
                          "needed_by": (form.get(f"needed_by_{n}") or "") + ":00+08:00"})
    body = {"origin": form.get("origin") or "district", "purpose": form.get("purpose", ""), "lines": lines,
            "incident_id": form.get("incident_id") or None, "requesting_unit": form.get("requesting_unit") or None,
            "requesting_party": form.get("requesting_party", "")}
    return steps.run(
        lambda: service.create_request(session, caller=caller, data=DispatchIn.model_validate(body)),
        then=lambda d: (f"/preparedness/dispatches/{d.id}", "preparedness.request"),
        refused=lambda exc: render(request, "preparedness/dispatches.html",
                                   _dispatch_context(session, caller, form=form, errors=_errors(exc)), status_code=422))


def _dispatch_page(request, session, caller, dispatch_id: int, errors=None, status_code=200):
    d = repository.dispatch(session, dispatch_id)
    warehouse = repository.warehouse(session, d.warehouse_id).name if d.warehouse_id else None
    data = views.dispatch_dict(d, approver=authority.required_approver(session, d),
                               events=repository.events(session, d.id),
                               allowed=service.allowed_actions(session, d, caller), warehouse=warehouse)
    return render(request, "preparedness/dispatch.html", {
        "active": "preparedness", "d": data, "errors": errors,
        "warehouses": [views.warehouse_dict(w) for w in repository.warehouses(session)]}, status_code=status_code)


@router.get("/preparedness/dispatches/{dispatch_id}")
def dispatch_page(dispatch_id: Id, request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, READ)
    return _dispatch_page(request, session, caller, dispatch_id)


@router.post("/preparedness/dispatches/{dispatch_id}/{action}")
async def dispatch_step(dispatch_id: Id, action: str, request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)
    lines = [{"line_id": k.split("_", 1)[1], "quantity": v} for k, v in form.items() if k.startswith("line_") and v]

    def take() -> None:
        if action == "approve":
            service.approve(session, caller=caller, dispatch_id=dispatch_id)
        elif action == "return":
            if not form.get("reason", "").strip():
                raise DomainError("输入有误", "Invalid input", 422, [FieldError("reason", "请填写退回理由",
                                                                                 "a reason is required")])
            service.return_request(session, caller=caller, dispatch_id=dispatch_id, reason=form["reason"].strip())
        elif action == "resubmit":
            service.resubmit(session, caller=caller, dispatch_id=dispatch_id)
        elif action == "issue":
            service.issue(session, caller=caller, dispatch_id=dispatch_id, data=IssueIn.model_validate(
                {"warehouse_id": form.get("warehouse_id") or 0, "lines": lines}))
        elif action == "receive":
            service.receive(session, caller=caller, dispatch_id=dispatch_id, data=ReceiveIn.model_validate(
                {"lines": lines, "note": form.get("note", "")}))
        else:
            raise DomainError("不支持的操作", f"unknown step {action}", 404)

    return steps.run(take, then=(f"/preparedness/dispatches/{dispatch_id}", f"preparedness.{action}"),
                     refused=lambda exc: _dispatch_page(request, session, caller, dispatch_id, _errors(exc),
                                                        steps.status_of(exc)))


# --- stock ---------------------------------------------------------------------------------------------------------


def _stock_context(session, caller, warehouse: int | None, item: int | None, **extra) -> dict:
    rows = [views.lot_dict(lot, b) for lot, b in repository.stock_rows(session, warehouse_id=warehouse, item_id=item)]
    acting = authority.acting_of(caller)
    scraps = [views.scrap_dict(sc, may_decide=bool(acting) and stock_rules.may_approve_scrap(
        acting, sc.proposed_by, caller.user.username).allowed) for sc in repository.pending_scraps(session)]
    return {"active": "preparedness", "rows": rows, "warehouse": warehouse, "item": item,
            "warehouses": [views.warehouse_dict(w) for w in repository.warehouses(session)],
            "items": [views.item_dict(i) for i in repository.items(session)],
            # the step forms offer only what the caller may book (the warehouse's unit, or the 区应急办 for all)
            "lots": [views.lot_dict(lot, b) for lot, b in repository.stock_rows(session) if b > 0 and acting
                     and stock_rules.may_handle_stock(acting, lot.warehouse.owner_unit_id).allowed],
            "may_count": bool(warehouse and acting and stock_rules.may_handle_stock(
                acting, repository.warehouse(session, warehouse).owner_unit_id).allowed),
            "alerts": stock.alerts_for(session, caller), "days": stock.expiry_alert_days(),
            "movements": [views.movement_dict(m) for m in repository.movements(session, limit=30)],
            "labels": MOVEMENT_LABELS, "ledger_basis": str(stock_rules.LEDGER), "count_basis": str(stock_rules.COUNT),
            "scrap_basis": str(stock_rules.SCRAP), "scraps": scraps, "may_stock": permitted(caller, stock.ACTION),
            "reserve_kinds": ("实物储备", "产能储备"), "import_columns": [label for _, label in xlsx.COLUMNS["items"]],
            "caller_unit": caller.unit.name if caller.unit else "", "form": {}, "step": None, **extra}


Pos = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get("/preparedness/stock")
def stock_page(request: Request, session: SessionDep, caller: PageUser, warehouse: Pos = None, item: Pos = None):
    authorize(caller, READ)
    return render(request, "preparedness/stock.html", _stock_context(session, caller, warehouse, item))


def _stock_refused(request, session, caller, step: str | None, form: dict, labels: dict | None = None,
                   warehouse: int | None = None, status: int | None = None):
    """A refused stock step (steps.run's ``refused``): the page again with the step's form and its errors by label."""
    return lambda exc: render(request, "preparedness/stock.html", _stock_context(
        session, caller, warehouse, None, form=form, step=step, errors=_errors(exc, labels)),
        status_code=status or steps.status_of(exc))


def _given(form: dict) -> dict:
    return {k: v for k, v in form.items() if v != "" and k != steps.CONFIRM}


@router.post("/preparedness/stock/receipts")
async def receipt_from_form(request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)
    return steps.run(
        lambda: stock.receive(session, caller=caller, data=ReceiptIn.model_validate(
            {k: v for k, v in form.items() if v != ""})),
        then=("/preparedness/stock", "preparedness.receipt"),
        refused=_stock_refused(request, session, caller, None, form, status=422))


@router.post("/preparedness/stock/scraps")
async def scrap_from_form(request: Request, session: SessionDep, caller: PageUser):
    """报废申请 (§6.4.1): a lot, a quantity and why; the 区应急办 approves it below."""
    form = await steps.posted(request, FIELD)
    return steps.run(lambda: stock.propose_scrap(session, caller=caller, data=ScrapIn.model_validate(_given(form))),
                     then=("/preparedness/stock#scraps", "preparedness.scrap"),
                     refused=_stock_refused(request, session, caller, "scrap", form, {"reason": "报废原因"}))


@router.post("/preparedness/stock/scraps/{scrap_id}/{decision}")
async def scrap_decision(scrap_id: Id, decision: str, request: Request, session: SessionDep, caller: PageUser):
    """批准报废 books the scrapping out of the lot — it cannot be undone: a reason and the confirmation first;
    不批准 with a reason."""
    form = await steps.posted(request, FIELD)
    if decision not in ("approve", "refuse"):
        raise DomainError("不支持的操作", f"unknown decision {decision}", 404)
    labels = {"reason": "批准理由" if decision == "approve" else "不批准理由"}

    def decide() -> None:
        authorize(caller, stock.ACTION)  # the role first (403), as the API's route does
        if decision == "approve":
            note = steps.irreversible(form, "批准报废", reason_label="批准理由")
        else:
            note = steps.require_reason(form.get("reason"), label="不批准理由")
        stock.decide_scrap(session, caller=caller, scrap_id=scrap_id, approve=decision == "approve", note=note)

    return steps.run(decide, then=("/preparedness/stock#scraps", f"preparedness.scrap-{decision}"),
                     refused=_stock_refused(request, session, caller, f"scrap-{scrap_id}", form, labels))


@router.post("/preparedness/stock/transfers")
async def transfer_from_form(request: Request, session: SessionDep, caller: PageUser):
    """调库: out of a lot into the same lot number of another warehouse, both movements at once."""
    form = await steps.posted(request, FIELD)
    return steps.run(lambda: stock.transfer(session, caller=caller, data=TransferIn.model_validate(_given(form))),
                     then=("/preparedness/stock", "preparedness.transfer"),
                     refused=_stock_refused(request, session, caller, "transfer", form, {"reason": "调库原因"}))


@router.post("/preparedness/warehouses/{warehouse_id}/counts")
async def count_from_form(warehouse_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """盘点: the counted quantity per lot of the warehouse (a blank lot is not counted); differences are booked."""
    form = await steps.posted(request, FIELD)
    lines = [{"lot_id": k.split("_", 1)[1], "counted": v} for k, v in form.items()
             if k.startswith("counted_") and v.strip()]
    body = {"lines": lines, "reason": form.get("reason", ""), "counted_on": form.get("counted_on") or None}
    return steps.run(
        lambda: stock.count(session, caller=caller, warehouse_id=warehouse_id, data=CountIn.model_validate(body)),
        then=(f"/preparedness/stock?warehouse={warehouse_id}", "preparedness.count"),
        refused=_stock_refused(request, session, caller, "count", form,
                               {"reason": "调整原因", "lines": "实盘数（至少填一个批次）"}, warehouse_id))


@router.post("/preparedness/warehouses")
async def warehouse_from_form(request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)
    return steps.run(
        lambda: stock.create_warehouse(session, caller=caller, data=WarehouseIn.model_validate(_given(form))),
        then=lambda w: (f"/preparedness/stock?warehouse={w.id}", "preparedness.warehouse"),
        refused=_stock_refused(request, session, caller, "warehouse", form, {"name": "仓库名称"}))


@router.post("/preparedness/items")
async def item_from_form(request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)
    return steps.run(lambda: stock.create_item(session, caller=caller, data=ItemIn.model_validate(_given(form))),
                     then=lambda i: (f"/preparedness/stock?item={i.id}", "preparedness.item"),
                     refused=_stock_refused(request, session, caller, "item", form, {"name": "物资名称"}))


async def _upload(request: Request) -> bytes | None:
    """The form's file, read to one byte past MAX_UPLOAD (None: no file chosen)."""
    upload = (await request.form()).get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return None
    return await upload.read(MAX_UPLOAD + 1)


def _xlsx(content: bytes | None) -> bytes:
    """The .xlsx as the API takes it (at most MAX_UPLOAD bytes), or a 422 naming the file field."""
    if content is None:
        raise invalid("file", "请选择要导入的 .xlsx 文件", "choose an .xlsx file")
    if len(content) > MAX_UPLOAD:
        raise invalid("file", "文件超过5MB", "the file is larger than 5 MB")
    return content


@router.post("/preparedness/items/import")
async def import_items_from_form(request: Request, session: SessionDep, caller: PageUser):
    """物资目录 from .xlsx, as the API's import: every row or none."""
    await steps.posted(request, FIELD)
    content = await _upload(request)

    def import_items() -> None:
        authorize(caller, stock.ACTION)
        registries.import_rows(session, caller=caller, key="items", rows=xlsx.read("items", _xlsx(content)))

    return steps.run(import_items, then=("/preparedness/stock#catalogue", "preparedness.import"),
                     refused=_stock_refused(request, session, caller, "import", {}, dict(xlsx.COLUMNS["items"])))


# --- registries ----------------------------------------------------------------------------------------------------


def _fields(key: str) -> list[dict]:
    out = []
    for field, label in xlsx.COLUMNS[key]:
        kind = "select" if field in CHOICES else "number" if field in NUMBERS else "date" if field in DATES else \
            "textarea" if field in LONG else "text"
        out.append({"name": field, "label": label, "kind": kind, "required": field in xlsx.REQUIRED[key],
                    "choices": [(c, KIND_LABELS.get(c, c)) for c in CHOICES.get(field, ())],
                    "hint": "多个以“、”分隔" if field in xlsx.LISTS else ""})
    return out


def _registry_context(session, caller, key: str, q: str, filters: dict, **extra) -> dict:
    reg = registries.registry(key)
    acting = authority.acting_of(caller)
    rows = [views.record_dict(key, r, contact_visible=registry_rules.may_see_contact(acting, r.owner_unit_id))
            for r in repository.records(session, key, q=q or None, filters=filters)]
    return {"active": "preparedness", "key": key, "name": reg.name, "rows": rows, "q": q, "filters": filters,
            "filter_fields": [f for f in _fields(key) if f["name"] in FILTERS[key]], "fields": _fields(key),
            "kind_labels": KIND_LABELS, "basis": str(registry_rules.REGISTRIES_BASIS), "form": {},
            "may_keep": bool(acting and acting.role in ("department", "duty_officer")), "step": None, **extra}


def _body(key: str, form: dict) -> dict:
    body = {}
    for f in _fields(key):
        value = form.get(f["name"], "")
        if f["name"] in xlsx.LISTS:
            body[f["name"]] = [v.strip() for v in value.replace("，", "、").replace(",", "、").split("、") if v.strip()]
        elif value != "":
            body[f["name"]] = value
    return body


Short = Annotated[str, Query(max_length=100)]


@router.get("/preparedness/registries/{key}")
def registry_page(key: str, request: Request, session: SessionDep, caller: PageUser, q: Short = "",
                  risk_grade: Short = "", kind: Short = "", readiness: Short = "", field: Short = "",
                  availability: Short = ""):
    authorize(caller, READ)
    registries.registry(key)
    given = {"risk_grade": risk_grade, "kind": kind, "readiness": readiness, "field": field,
             "availability": availability}
    filters = {k: v for k, v in given.items() if k in FILTERS[key] and v}
    return render(request, "preparedness/registry.html", _registry_context(session, caller, key, q, filters))


@router.post("/preparedness/registries/{key}")
async def create_from_form(key: str, request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)
    reg = registries.registry(key)
    return steps.run(
        lambda: registries.create(session, caller=caller, key=key, data=reg.schema.model_validate(_body(key, form))),
        then=lambda row: (f"/preparedness/registries/{key}/{row.id}", "preparedness.record"), statuses=(422,),
        refused=lambda exc: render(request, "preparedness/registry.html", _registry_context(
            session, caller, key, "", {}, form=form, errors=_errors(exc, dict(xlsx.COLUMNS[key]))), status_code=422))


@router.post("/preparedness/registries/{key}/import")
async def import_records_from_form(key: str, request: Request, session: SessionDep, caller: PageUser):
    """A registry from .xlsx, as the API's import: every row or none; a bad cell named by its row and column."""
    await steps.posted(request, FIELD)
    registries.registry(key)
    content = await _upload(request)

    def import_records() -> None:
        authorize(caller, registries.ACTION)
        registries.import_rows(session, caller=caller, key=key, rows=xlsx.read(key, _xlsx(content)))

    return steps.run(import_records, then=(f"/preparedness/registries/{key}", "preparedness.import-records"),
                     refused=lambda exc: render(request, "preparedness/registry.html", _registry_context(
                         session, caller, key, "", {}, step="import", errors=_errors(exc, dict(xlsx.COLUMNS[key]))),
                         status_code=422))


def _record_page(request, session, caller, key: str, record_id: int, form=None, errors=None, status_code=200):
    reg = registries.registry(key)
    row = repository.record(session, key, record_id)
    acting = authority.acting_of(caller)
    data = views.record_dict(key, row, contact_visible=registry_rules.may_see_contact(acting, row.owner_unit_id))
    may_edit = bool(acting) and registry_rules.may_keep(acting, row.owner_unit_id).allowed
    if form is None:
        form = {k: ("、".join(v) if isinstance(v, list) else "" if v is None else str(v)) for k, v in data.items()}
        if not data["contact_visible"]:
            form = {k: v for k, v in form.items() if k not in registries.PERSONAL}
    return render(request, "preparedness/record.html", {
        "active": "preparedness", "key": key, "name": reg.name, "r": data, "fields": _fields(key), "form": form,
        "errors": errors, "may_edit": may_edit, "kind_labels": KIND_LABELS,
        "may_open": key == "shelters" and acting is not None and (acting.role == "leader" or acting.for_committee),
        "call_ups": [views.call_up_dict(c) for c in repository.call_ups(session) if c.team_id == record_id]
        if key == "teams" else [],
        "shelter_basis": str(registry_rules.SHELTER_BASIS)}, status_code=status_code)


@router.get("/preparedness/registries/{key}/{record_id}")
def record_page(key: str, record_id: Id, request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, READ)
    return _record_page(request, session, caller, key, record_id)


@router.post("/preparedness/registries/{key}/{record_id}")
async def update_from_form(key: str, record_id: Id, request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)
    reg = registries.registry(key)
    return steps.run(
        lambda: registries.update(session, caller=caller, key=key, record_id=record_id,
                                  data=reg.schema.model_validate(_body(key, form))),
        then=(f"/preparedness/registries/{key}/{record_id}", "preparedness.record-saved"), statuses=(422,),
        refused=lambda exc: _record_page(request, session, caller, key, record_id, form,
                                         _errors(exc, dict(xlsx.COLUMNS[key])), 422))


@router.post("/preparedness/shelters/{shelter_id}/{action}")
async def shelter_step(shelter_id: Id, action: str, request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)

    def take() -> None:
        if action == "open":
            registries.open_shelter(session, caller=caller, shelter_id=shelter_id, data=ShelterOpenIn.model_validate(
                {"reason": form.get("reason", ""), "decided_by": form.get("decided_by", "")}))
        elif action == "close":
            registries.close_shelter(session, caller=caller, shelter_id=shelter_id, reason=form.get("reason", ""))
        else:
            raise DomainError("不支持的操作", f"unknown step {action}", 404)

    return steps.run(take, then=(f"/preparedness/registries/shelters/{shelter_id}", f"preparedness.shelter-{action}"),
                     refused=lambda exc: _record_page(request, session, caller, "shelters", shelter_id, None,
                                                      _errors(exc), 422))


@router.post("/preparedness/call-ups")
async def call_up_from_form(request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, FIELD)
    team_id = form.get("team_id") or "0"
    body = {"team_id": team_id, "incident_id": form.get("incident_id") or None, "task": form.get("task", ""),
            "other_district": form.get("other_district") or None, "city_requested": form.get("city_requested") == "on",
            "city_requester": form.get("city_requester", "")}
    return steps.run(lambda: callups.call_up(session, caller=caller, data=CallUpIn.model_validate(body)),
                     then=(f"/preparedness/registries/teams/{team_id}", "preparedness.call-up"),
                     refused=lambda exc: _record_page(request, session, caller, "teams",
                                                      int(team_id) if team_id.isdigit() else 1, None, _errors(exc), 422))


@router.post("/preparedness/call-ups/{call_up_id}/arrive")
async def arrive_from_form(call_up_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """到达现场 (§4.4.2, §6.1.2) from the team's page, as the API's …/arrive: the command post's check-in."""
    form = await steps.posted(request, FIELD)
    row = repository.call_up(session, call_up_id)
    return steps.run(
        lambda: callups.arrive(session, caller=caller, call_up_id=call_up_id,
                               data=ArriveIn.model_validate({"headcount": form.get("headcount") or None})),
        then=(f"/preparedness/registries/teams/{row.team_id}#call-ups", "preparedness.arrive"),
        statuses=(404, 409, 422),  # 404: no command post yet
        refused=lambda exc: _record_page(request, session, caller, "teams", row.team_id, None, _errors(exc), 422))


# --- requisition (§6.4.5; 突发事件应对法 第十二条) ---------------------------------------------------------------------


def _requisitions_page(request, session, caller, form=None, step=None, errors=None, status_code=200):
    acting = authority.acting_of(caller)
    visible = requisition_rules.may_see_contact(acting)
    return render(request, "preparedness/requisitions.html", {
        "active": "preparedness", "form": form or {}, "step": step, "errors": errors,
        "rows": [views.requisition_dict(r, contact_visible=visible) for r in repository.requisitions(session)],
        "may_requisition": permitted(caller, requisitions.ACTION), "kinds": requisition_rules.KINDS,
        "conditions": requisition_rules.CONDITIONS, "incidents": incidents.open_incidents(session),
        "basis": str(requisition_rules.REQUISITION), "return_basis": str(requisition_rules.RETURN),
        "compensation_basis": str(requisition_rules.COMPENSATION)}, status_code=status_code)


@router.get("/preparedness/requisitions")
def requisitions_page(request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, READ)
    return _requisitions_page(request, session, caller)


def _requisition_refused(request, session, caller, step: str, form: dict, labels: dict | None = None):
    return lambda exc: _requisitions_page(request, session, caller, form, step, _errors(exc, labels),
                                          steps.status_of(exc))


@router.post("/preparedness/requisitions")
async def requisition_from_form(request: Request, session: SessionDep, caller: PageUser):
    """征用 in the government's name: a district leader, or the 区应急办 naming the leader who decided."""
    form = await steps.posted(request, FIELD)
    return steps.run(
        lambda: requisitions.requisition(session, caller=caller, data=RequisitionIn.model_validate(_given(form))),
        then=("/preparedness/requisitions", "preparedness.requisition"),
        refused=_requisition_refused(request, session, caller, "requisition", form))


@router.post("/preparedness/requisitions/{requisition_id}/{action}")
async def requisition_step(requisition_id: Id, action: str, request: Request, session: SessionDep, caller: PageUser):
    """返还 with the condition found; 补偿 closes the requisition — it cannot be undone: a reason and the
    confirmation first (the reason is kept as the compensation's note)."""
    form = await steps.posted(request, FIELD)
    labels = {"note": "补偿说明"} if action == "compensate" else {"note": "说明"}

    def take() -> None:
        if action == "return":
            requisitions.return_property(session, caller=caller, requisition_id=requisition_id,
                                         data=RequisitionReturnIn.model_validate(_given(form)))
        elif action == "compensate":
            authorize(caller, requisitions.ACTION)  # the role first (403), as the API's route does
            note = steps.irreversible(form, "补偿并办结该征用", reason_field="note", reason_label="补偿说明")
            requisitions.compensate(session, caller=caller, requisition_id=requisition_id,
                                    data=CompensationIn.model_validate({**_given(form), "note": note}))
        else:
            raise DomainError("不支持的操作", f"unknown step {action}", 404)

    return steps.run(take, then=(f"/preparedness/requisitions#requisition-{requisition_id}",
                                 f"preparedness.requisition-{action}"),
                     refused=_requisition_refused(request, session, caller, f"{action}-{requisition_id}", form, labels))
