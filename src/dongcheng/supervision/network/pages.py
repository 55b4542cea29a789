"""急救网络 page (Chinese, 390 px): what a leader reads at a glance — the two milestones met or missed, the streets
without a planned station, the street listed twice — then every station; the recording form for the 区卫生健康委
and the streets. Thin: the same service as the API."""
from __future__ import annotations

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep, SettingsDep
from dongcheng.supervision.network import rules, service, views
from dongcheng.supervision.network.schemas import RecordIn
from dongcheng.supervision.tasks.files import read_tasks
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
steps.register({"supervision.station-recorded": "急救工作站情况已记录"})
FIELD_LABELS = {"state": "状态", "on": "日期", "note": "说明", "station": "站点"}


def _page(request, session, settings, caller, *, errors=None, form=None, status_code=200):
    network = service.load_network(settings.data_dir)
    view = service.network_view(session, caller=caller, network=network,
                                signed_on=read_tasks(settings.data_dir).signed_on)
    data = views.network_dict(view)
    admin = service.administering_unit(settings.data_dir)
    unit = caller.unit.name if caller.unit else None
    recordable = [s for s in data["stations"] if rules.may_record_for(unit, s["street"], admin).allowed] \
        if caller.user.role == "department" else []
    return render(request, "supervision_network/network.html", {
        "active": "supervision_network", "n": data, "recordable": recordable, "states": rules.STATES,
        "errors": errors or [], "form": form or {}, "premises": str(rules.PREMISES_BASIS)}, status_code=status_code)


@router.get("/supervision/network")
def network_page(request: Request, session: SessionDep, settings: SettingsDep, caller: PageUser):
    return _page(request, session, settings, caller)


@router.post("/supervision/network/record")
async def record_from_form(request: Request, session: SessionDep, settings: SettingsDep, caller: PageUser):
    form = await steps.posted(request, 1000)

    def record() -> None:
        data = RecordIn.model_validate({"state": form.get("state", ""), "on": form.get("on") or None,
                                        "note": form.get("note", "")})
        service.record(session, caller=caller, network=service.load_network(settings.data_dir),
                       administering=service.administering_unit(settings.data_dir), key=form.get("station", "")[:20],
                       data=data)

    def again(exc: steps.Refusal):
        errors = steps.field_errors(exc, FIELD_LABELS, "station")
        status = steps.status_of(exc)
        return _page(request, session, settings, caller, errors=errors, form=form,
                     status_code=422 if status == 404 else status)

    return steps.run(record, then=("/supervision/network#stations", "supervision.station-recorded"),
                     statuses=(404, 409, 422), refused=again)
