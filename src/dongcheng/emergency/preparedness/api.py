"""Preparedness API (东政发〔2022〕3号 §6): registries (§6.2.2), stock (§6.4.1), material dispatch (§6.4.3), team
call-up (§6.1.2), shelters (§6.7). Thin handlers over the services."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.errors import DomainError, invalid
from dongcheng.core.validation import field_errors
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
    views,
    xlsx,
)
from dongcheng.emergency.preparedness.schemas import (
    ArriveIn,
    CallUpIn,
    CompensationIn,
    CountIn,
    DispatchIn,
    IssueIn,
    ItemIn,
    ReasonIn,
    ReceiptIn,
    ReceiveIn,
    RequisitionIn,
    RequisitionReturnIn,
    ScrapIn,
    ShelterOpenIn,
    TransferIn,
    WarehouseIn,
)

router = APIRouter(prefix="/api/preparedness", tags=["preparedness"])

Reader = Annotated[Caller, Depends(require("preparedness.read"))]
Keeper = Annotated[Caller, Depends(require("preparedness.registry"))]
Stocker = Annotated[Caller, Depends(require("preparedness.stock"))]
Requester = Annotated[Caller, Depends(require("preparedness.dispatch_request"))]
Approver = Annotated[Caller, Depends(require("preparedness.dispatch_approve"))]
Handler = Annotated[Caller, Depends(require("preparedness.dispatch_handle"))]
ShelterOpener = Annotated[Caller, Depends(require("preparedness.shelter_open"))]
CallUpper = Annotated[Caller, Depends(require("preparedness.callup"))]
Requisitioner = Annotated[Caller, Depends(require("preparedness.requisition"))]
XLSX_RESPONSE = {200: {"content": {xlsx.XLSX: {}}}}
MAX_UPLOAD = 5 * 1024 * 1024


def _file(data: bytes, name: str) -> Response:
    return Response(data, media_type=xlsx.XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{quote(name)}\"; filename*=UTF-8''{quote(name)}"})


@router.get("/registries", summary="The eight §6.2.2 registries, as printed, and where each is kept")
def list_registries(caller: Reader) -> dict:
    keys = {r.name: k for k, r in registries.REGISTRIES.items()} | {"应急物资库": "stock"}
    return {"basis": str(registry_rules.REGISTRIES_BASIS),
            "registries": [{"seq": i, "name": n, "key": keys.get(n)} for i, n in
                           enumerate(registry_rules.REGISTRIES, 1)],
            "team_kinds": [{"code": k.code, "name": k.name, "basis": str(k.basis)} for k in registry_rules.TEAM_KINDS]}


# --- dispatch (§6.4.3) ---------------------------------------------------------------------------------------------


def dispatch_view(session, d, caller) -> dict:
    warehouse = repository.warehouse(session, d.warehouse_id).name if d.warehouse_id else None
    return views.dispatch_dict(d, approver=authority.required_approver(session, d),
                               events=repository.events(session, d.id),
                               allowed=service.allowed_actions(session, d, caller), warehouse=warehouse)


@router.get("/dispatches", summary="Dispatch requests and orders (§6.4.3)")
def list_dispatches(session: SessionDep, caller: Reader, status: Annotated[str | None, Query(max_length=20)] = None,
                    incident_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> list[dict]:
    return [views.dispatch_summary(d) for d in repository.dispatches(session, status=status, incident_id=incident_id)]


@router.post("/dispatches", status_code=201, summary="提出应急物资需求 (§6.4.3)")
def create_dispatch(body: DispatchIn, session: SessionDep, caller: Requester) -> dict:
    return dispatch_view(session, service.create_request(session, caller=caller, data=body), caller)


@router.get("/dispatches/{dispatch_id}", summary="A dispatch request / order with its approver, lines and timeline")
def get_dispatch(dispatch_id: Id, session: SessionDep, caller: Reader) -> dict:
    return dispatch_view(session, repository.dispatch(session, dispatch_id), caller)


@router.post("/dispatches/{dispatch_id}/approve", summary="经主管区领导批准，下达调拨指令 (§6.4.3)")
def approve_dispatch(dispatch_id: Id, session: SessionDep, caller: Approver) -> dict:
    return dispatch_view(session, service.approve(session, caller=caller, dispatch_id=dispatch_id), caller)


@router.post("/dispatches/{dispatch_id}/return", summary="退回 with a reason (the approver)")
def return_dispatch(dispatch_id: Id, body: ReasonIn, session: SessionDep, caller: Approver) -> dict:
    return dispatch_view(session, service.return_request(session, caller=caller, dispatch_id=dispatch_id,
                                                         reason=body.reason), caller)


@router.post("/dispatches/{dispatch_id}/resubmit", summary="重新提交 a returned request")
def resubmit_dispatch(dispatch_id: Id, session: SessionDep, caller: Requester) -> dict:
    return dispatch_view(session, service.resubmit(session, caller=caller, dispatch_id=dispatch_id), caller)


@router.post("/dispatches/{dispatch_id}/issue", summary="仓库确认出库 (stock movements; 409 when short)")
def issue_dispatch(dispatch_id: Id, body: IssueIn, session: SessionDep, caller: Handler) -> dict:
    return dispatch_view(session, service.issue(session, caller=caller, dispatch_id=dispatch_id, data=body), caller)


@router.post("/dispatches/{dispatch_id}/receive", summary="接收单位确认签收 (partial quantities: shortfall)")
def receive_dispatch(dispatch_id: Id, session: SessionDep, caller: Handler, body: ReceiveIn | None = None) -> dict:
    return dispatch_view(session, service.receive(session, caller=caller, dispatch_id=dispatch_id,
                                                  data=body or ReceiveIn()), caller)


# --- stock (§6.4.1) ------------------------------------------------------------------------------------------------


@router.get("/warehouses", summary="Warehouses")
def list_warehouses(session: SessionDep, caller: Reader) -> list[dict]:
    return [views.warehouse_dict(w) for w in repository.warehouses(session)]


@router.post("/warehouses", status_code=201, summary="A warehouse")
def create_warehouse(body: WarehouseIn, session: SessionDep, caller: Stocker) -> dict:
    return views.warehouse_dict(stock.create_warehouse(session, caller=caller, data=body))


@router.get("/items", summary="The catalogue (物资目录)")
def list_items(session: SessionDep, caller: Reader) -> list[dict]:
    return [views.item_dict(i) for i in repository.items(session)]


@router.post("/items", status_code=201, summary="A catalogue item")
def create_item(body: ItemIn, session: SessionDep, caller: Stocker) -> dict:
    return views.item_dict(stock.create_item(session, caller=caller, data=body))


@router.get("/items.xlsx", summary="The catalogue with stock totals as .xlsx", response_class=Response,
            responses=XLSX_RESPONSE)
def export_items(session: SessionDep, caller: Reader) -> Response:
    return _file(xlsx.export("items", [views.item_dict(i) for i in repository.items(session)]), "物资目录.xlsx")


@router.post("/items/import", status_code=201, summary="Import catalogue items from .xlsx (all rows or none)")
async def import_items(session: SessionDep, caller: Stocker, file: Annotated[UploadFile, File()]) -> dict:
    rows = xlsx.read("items", await _read(file))
    created = registries.import_rows(session, caller=caller, key="items", rows=rows)
    return {"created": len(created), "ids": [r.id for r in created]}


@router.get("/stock", summary="Balance per lot (sum of its movements)")
def list_stock(session: SessionDep, caller: Reader,
               warehouse_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
               item_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> list[dict]:
    return [views.lot_dict(lot, b) for lot, b in repository.stock_rows(session, warehouse_id=warehouse_id,
                                                                        item_id=item_id)]


@router.get("/stock/movements", summary="The ledger: movements, newest first")
def list_movements(session: SessionDep, caller: Reader,
                   lot_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                   dispatch_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> list[dict]:
    return [views.movement_dict(m) for m in repository.movements(session, lot_id=lot_id, dispatch_id=dispatch_id)]


@router.post("/stock/receipts", status_code=201, summary="入库 / 归还入库")
def receive_stock(body: ReceiptIn, session: SessionDep, caller: Stocker) -> dict:
    return views.movement_dict(stock.receive(session, caller=caller, data=body))


@router.post("/stock/transfers", status_code=201, summary="调库 between warehouses")
def transfer_stock(body: TransferIn, session: SessionDep, caller: Stocker) -> list[dict]:
    return [views.movement_dict(m) for m in stock.transfer(session, caller=caller, data=body)]


@router.post("/warehouses/{warehouse_id}/counts", status_code=201, summary="盘点: counted vs booked per lot")
def count_stock(warehouse_id: Id, body: CountIn, session: SessionDep, caller: Stocker) -> dict:
    record = stock.count(session, caller=caller, warehouse_id=warehouse_id, data=body)
    return {"id": record.id, "counted_on": record.counted_on.isoformat(),
            "lines": [{"lot_id": ln.lot_id, "booked": ln.booked, "counted": ln.counted,
                       "difference": ln.counted - ln.booked} for ln in record.lines]}


@router.post("/stock/scraps", status_code=201, summary="报废申请 (approved by the 区应急办)")
def propose_scrap(body: ScrapIn, session: SessionDep, caller: Stocker) -> dict:
    sc = stock.propose_scrap(session, caller=caller, data=body)
    return {"id": sc.id, "status": sc.status, "lot_id": sc.lot_id, "quantity": sc.quantity}


@router.post("/stock/scraps/{scrap_id}/{decision}", summary="批准 (approve) / 不批准 (refuse) a scrapping")
def decide_scrap(scrap_id: Id, decision: str, session: SessionDep, caller: Stocker) -> dict:
    if decision not in ("approve", "refuse"):
        raise DomainError("不支持的操作", f"unknown decision {decision}", 404)
    sc = stock.decide_scrap(session, caller=caller, scrap_id=scrap_id, approve=decision == "approve")
    return {"id": sc.id, "status": sc.status}


@router.get("/alerts", summary="Below minimum level; lots expiring within N days (default: expiry_alert_days)")
def list_alerts(session: SessionDep, caller: Reader, days: Annotated[int | None, Query(ge=1, le=3650)] = None) -> dict:
    n = days or stock.expiry_alert_days()
    return {"days": n, "alerts": [a.to_dict() for a in stock.alerts(session, days=n)]}


# --- registries (§6.2.2) -------------------------------------------------------------------------------------------

FILTERS = {"hazards": ("risk_grade",), "teams": ("kind", "readiness"), "experts": ("field", "availability"),
           "shelters": ("status",), "knowledge": ("category",)}


def _rows(session, caller, key: str, q: str | None, filters: dict) -> list[dict]:
    acting = authority.acting_of(caller)
    return [views.record_dict(key, r, contact_visible=registry_rules.may_see_contact(acting, r.owner_unit_id))
            for r in repository.records(session, key, q=q, filters=filters)]


def _filters(key: str, kind, readiness, risk_grade, field, availability, status, category) -> dict:
    given = {"kind": kind, "readiness": readiness, "risk_grade": risk_grade, "field": field,
             "availability": availability, "status": status, "category": category}
    return {k: v for k, v in given.items() if k in FILTERS[key] and v}


Text = Annotated[str | None, Query(max_length=60)]


@router.get("/registries/{key}.xlsx", summary="A registry as .xlsx (contacts masked as on the page)",
            response_class=Response, responses=XLSX_RESPONSE)
def export_records(key: str, session: SessionDep, caller: Reader) -> Response:
    reg = registries.registry(key)
    return _file(xlsx.export(key, _rows(session, caller, key, None, {})), f"{reg.name}.xlsx")


@router.get("/registries/{key}", summary="A registry's records: search (q) and filters")
def list_records(key: str, session: SessionDep, caller: Reader, q: Annotated[str | None, Query(max_length=100)] = None,
                 kind: Text = None, readiness: Text = None, risk_grade: Text = None, field: Text = None,
                 availability: Text = None, status: Text = None, category: Text = None) -> list[dict]:
    registries.registry(key)
    return _rows(session, caller, key, q, _filters(key, kind, readiness, risk_grade, field, availability, status,
                                                   category))


def _parse(key: str, body: dict):
    try:
        return registries.registry(key).schema.model_validate(body)
    except ValidationError as exc:
        raise DomainError("输入有误", "Invalid input", 422, field_errors(exc.errors())) from None


@router.post("/registries/{key}", status_code=201, summary="A new record (the owner unit or the 区应急办)")
def create_record(key: str, body: dict, session: SessionDep, caller: Keeper) -> dict:
    row = registries.create(session, caller=caller, key=key, data=_parse(key, body))
    return views.record_dict(key, row, contact_visible=True)


async def _read(file: UploadFile) -> bytes:
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise invalid("file", "文件超过5MB", "the file is larger than 5 MB")
    return content


@router.post("/registries/{key}/import", status_code=201, summary="Import records from .xlsx (all rows or none; "
             "422 lists each bad cell as rows.N.field)")
async def import_records(key: str, session: SessionDep, caller: Keeper, file: Annotated[UploadFile, File()]) -> dict:
    registries.registry(key)
    rows = xlsx.read(key, await _read(file))
    created = registries.import_rows(session, caller=caller, key=key, rows=rows)
    return {"created": len(created), "ids": [r.id for r in created]}


@router.get("/registries/{key}/{record_id}", summary="One record")
def get_record(key: str, record_id: Id, session: SessionDep, caller: Reader) -> dict:
    registries.registry(key)
    row = repository.record(session, key, record_id)
    return views.record_dict(key, row, contact_visible=registry_rules.may_see_contact(authority.acting_of(caller),
                                                                                        row.owner_unit_id))


@router.put("/registries/{key}/{record_id}", summary="Edit a record (the owner unit or the 区应急办)")
def update_record(key: str, record_id: Id, body: dict, session: SessionDep, caller: Keeper) -> dict:
    data = _parse(key, body)
    row = registries.update(session, caller=caller, key=key, record_id=record_id, data=data)
    return views.record_dict(key, row, contact_visible=True)


@router.post("/shelters/{shelter_id}/open", summary="启用应急避难场所 by the 区政府 (§6.7)")
def open_shelter(shelter_id: Id, body: ShelterOpenIn, session: SessionDep, caller: ShelterOpener) -> dict:
    row = registries.open_shelter(session, caller=caller, shelter_id=shelter_id, data=body)
    return views.record_dict("shelters", row, contact_visible=True)


@router.post("/shelters/{shelter_id}/close", summary="关闭应急避难场所")
def close_shelter(shelter_id: Id, body: ReasonIn, session: SessionDep, caller: ShelterOpener) -> dict:
    row = registries.close_shelter(session, caller=caller, shelter_id=shelter_id, reason=body.reason)
    return views.record_dict("shelters", row, contact_visible=True)


# --- call-up (§6.1.2) ----------------------------------------------------------------------------------------------


@router.get("/call-ups", summary="Team call-ups; reports=true: the deployments reported to the 区应急办")
def list_call_ups(session: SessionDep, caller: Reader, incident_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)]
                  = None, reports: bool = False) -> list[dict]:
    return [views.call_up_dict(c) for c in repository.call_ups(session, incident_id=incident_id, reports_only=reports)]


@router.post("/call-ups", status_code=201, summary="调用 a registry team (§6.1.2)")
def call_up(body: CallUpIn, session: SessionDep, caller: CallUpper) -> dict:
    return views.call_up_dict(callups.call_up(session, caller=caller, data=body))


@router.post("/call-ups/{call_up_id}/arrive", summary="到达现场: the command-post check-in (§4.4.2, §6.1.2)")
def arrive(call_up_id: Id, session: SessionDep, caller: CallUpper, body: ArriveIn | None = None) -> dict:
    return views.call_up_dict(callups.arrive(session, caller=caller, call_up_id=call_up_id, data=body or ArriveIn()))


# --- requisition (§6.4.5) ------------------------------------------------------------------------------------------


def _requisition(caller, r) -> dict:
    return views.requisition_dict(r, contact_visible=requisition_rules.may_see_contact(authority.acting_of(caller)))


@router.get("/requisitions", summary="征用 records (§6.4.5)")
def list_requisitions(session: SessionDep, caller: Reader,
                      incident_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> list[dict]:
    return [_requisition(caller, r) for r in repository.requisitions(session, incident_id=incident_id)]


@router.post("/requisitions", status_code=201, summary="征用 in the government's name (§6.4.5)")
def create_requisition(body: RequisitionIn, session: SessionDep, caller: Requisitioner) -> dict:
    return _requisition(caller, requisitions.requisition(session, caller=caller, data=body))


@router.post("/requisitions/{requisition_id}/return", summary="返还 (突发事件应对法 第十二条)")
def return_requisition(requisition_id: Id, body: RequisitionReturnIn, session: SessionDep,
                       caller: Requisitioner) -> dict:
    return _requisition(caller, requisitions.return_property(session, caller=caller, requisition_id=requisition_id,
                                                             data=body))


@router.post("/requisitions/{requisition_id}/compensate", summary="补偿 (突发事件应对法 第十二条)")
def compensate_requisition(requisition_id: Id, body: CompensationIn, session: SessionDep,
                           caller: Requisitioner) -> dict:
    return _requisition(caller, requisitions.compensate(session, caller=caller, requisition_id=requisition_id,
                                                        data=body))
