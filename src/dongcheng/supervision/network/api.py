"""The first-aid network API (东政办发〔2021〕17号 三（二）4): the programme at a glance, its workbook, recording a
station's progress. Thin over service.py."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from dongcheng.api.deps import SessionDep, SettingsDep, require
from dongcheng.auth.service import Caller
from dongcheng.supervision.network import service, views
from dongcheng.supervision.network.schemas import RecordIn
from dongcheng.supervision.network.xlsx import network_workbook
from dongcheng.supervision.tasks.files import read_tasks

router = APIRouter(prefix="/api/supervision/network", tags=["supervision 医疗卫生行业综合监管：急救网络"])

Reader = Annotated[Caller, Depends(require(service.READ))]
Recorder = Annotated[Caller, Depends(require(service.RECORD))]
Key = Annotated[str, Path(max_length=20, pattern=r"^[a-z0-9]+$", description="s01…s17 or centre")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DISPOSITION = "attachment; filename=\"first-aid-network.xlsx\"; filename*=UTF-8''" + quote("急救网络.xlsx")


def _view(session, settings, caller):
    network = service.load_network(settings.data_dir)
    signed_on = read_tasks(settings.data_dir).signed_on
    return service.network_view(session, caller=caller, network=network, signed_on=signed_on)


@router.get("", summary="Stations, milestones (2021-12-31, 2022-12-31) met or missed, coverage of the 17 streets")
def get_network(session: SessionDep, settings: SettingsDep, caller: Reader) -> dict:
    return views.network_dict(_view(session, settings, caller))


@router.get("/export.xlsx", summary="The same as a workbook", response_class=Response,
            responses={200: {"content": {XLSX: {}}}})
def export_network(session: SessionDep, settings: SettingsDep, caller: Reader) -> Response:
    body = network_workbook(views.network_dict(_view(session, settings, caller)))
    return Response(body, media_type=XLSX, headers={"Content-Disposition": DISPOSITION})


@router.post("/stations/{key}/records", status_code=201, summary="Record a station's state on a day")
def post_record(key: Key, body: RecordIn, session: SessionDep, settings: SettingsDep, caller: Recorder) -> dict:
    network = service.load_network(settings.data_dir)
    row = service.record(session, caller=caller, network=network, administering=service.administering_unit(
        settings.data_dir), key=key, data=body)
    return {"id": row.id, "station": row.station_key, "state": row.state, "on": row.day.isoformat(), "note": row.note,
            "unit": row.unit, "basis": row.basis}
