"""The duty contacts page ``/duty-contacts`` (值班联系方式, for the platform administrator): where the reporting clock's
escalation waves go — a unit's duty room or a leader seat's office, by unit or by seat, never by person. Thin: the same
service functions as ``dongcheng duty-contacts add|list|remove`` and ``/api/duty-contacts``."""
from __future__ import annotations

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.auth.service import authorize
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.directory import service as directory
from dongcheng.emergency.incidents import escalation
from dongcheng.emergency.incidents.duty_contacts_api import PERMISSION, contact_dict
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
steps.register({"duty-contacts.added": "值班联系方式已登记，报送时限提醒将发往该处",
                "duty-contacts.removed": "值班联系方式已删除，报送时限提醒不再发往该处"})
LABELS = {"kind": "接收方", "unit": "单位", "post": "领导职务", "channel": "渠道", "contact": "联系方式",
          "label": "名称"}


def _page(request: Request, session, error: DomainError | None = None, form: dict | None = None):
    rows = [contact_dict(session, row, target) for row, target in escalation.duty_contacts(session)]
    return render(request, "incidents/duty_contacts.html", {
        "active": "duty_contacts", "rows": rows, "labels": LABELS, "error": error, "form": form or {},
        "units": directory.list_units(session), "seats": directory.leader_seats(session),
        "basis": escalation.CONTACT_BASIS}, status_code=error.status_code if error else 200)


@router.get("/duty-contacts")
def duty_contacts_page(request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, PERMISSION)
    return _page(request, session)


@router.post("/duty-contacts")
async def add_from_form(request: Request, session: SessionDep, caller: PageUser):
    """As ``dongcheng duty-contacts add`` and ``POST /api/duty-contacts``: a unit or a seat, the channel, the address."""
    form = {k: str(v)[:200] for k, v in (await request.form()).items()}
    check_csrf(request, form.pop("csrf_token", None))
    authorize(caller, PERMISSION)
    kind = form.get("kind", "")
    try:
        if kind not in ("unit", "post"):
            raise DomainError("输入有误", "Invalid input", 422, [FieldError(
                "kind", "请选择接收方：单位的值班室，或领导职务的办公室", "choose a unit or a leader seat")])
        row = escalation.add_duty_contact(
            session, actor=caller.actor, unit_name=form.get("unit") if kind == "unit" else None,
            post_code=form.get("post") if kind == "post" else None, channel=form.get("channel", "").strip() or "sms",
            contact=form.get("contact", ""), label=form.get("label", "").strip() or "值班室")
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _page(request, session, exc, form)
    return steps.done(f"/duty-contacts#contact-{row.id}", "duty-contacts.added")


@router.post("/duty-contacts/{contact_id}/remove")
async def remove_from_form(contact_id: Id, request: Request, session: SessionDep, caller: PageUser):
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "")[:200] or None)
    authorize(caller, PERMISSION)
    escalation.remove_duty_contact(session, actor=caller.actor, contact_id=contact_id)
    return steps.done("/duty-contacts", "duty-contacts.removed")
