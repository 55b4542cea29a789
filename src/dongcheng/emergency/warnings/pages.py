"""Warning pages (Chinese): list and inbox, drafting form, warning page (coverage, checklists, history), and the
public warnings page (no login, readable on a phone). Thin: every step calls the same service as the API.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from pydantic import BaseModel, ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.auth.permissions import scope_for
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import BEIJING
from dongcheng.directory.service import list_units
from dongcheng.emergency.warnings import authority, dissemination, rules, service, subscribers
from dongcheng.emergency.warnings.enums import STATUS_LABELS, Level, Status
from dongcheng.emergency.warnings.schemas import SubscriberCreate, SubscriberUpdate, WarningCreate, WarningUpdate
from dongcheng.emergency.warnings.views import warning_dict
from dongcheng.reference.service import list_event_types, list_items
from dongcheng.web import steps
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
PageId = Id
STEPS = {"submit", "approve", "return", "publish", "lift", "change-level"}
steps.register({
    "warning.draft": "草稿已保存；内容填写完整后可报送审批", "warning.edit": "修改已保存",
    "warning.submit": "已报送审批", "warning.approve": "已批准，可以发布", "warning.return": "已退回起草单位修改",
    "warning.publish": "预警已发布", "warning.change-level": "预警级别已调整，已通报相关单位",
    "warning.lift": "预警已解除，已备案并通报相关单位", "warning.tick": "措施已办结",
    "subscriber.register": "订阅者已登记", "subscriber.unsubscribe": "已退订（记录保留）",
    "warnings.subscriber-saved": "订阅者信息已保存"})


def _streets(session) -> list[str]:
    return [u.name for u in list_units(session, "street")] + [u.name for u in list_units(session, "key_area")]


def _form_context(session, **extra) -> dict:
    return {"active": "warnings", "levels": list(Level), "event_types": list_event_types(session),
            "streets": _streets(session), **extra}


def _shown(session, w, caller, *, detail: bool = True) -> dict:
    return warning_dict(w, service.warning_facts(session, w, caller, detail=detail))


@router.get("/warnings")
def warnings_page(request: Request, session: SessionDep, caller: PageUser, status: str | None = None):
    rows = [_shown(session, w, caller, detail=False) for w in service.list_warnings(session, caller, status=status)]
    waiting = [(_shown(session, w, caller, detail=False), step) for w, step in service.inbox(session, caller)]
    return render(request, "warnings/list.html", {
        "active": "warnings", "rows": rows, "waiting": waiting, "status": status, "statuses": STATUS_LABELS,
        "may_draft": rules.may_draft(authority.acting_of(session, caller)).allowed,
        "may_register": scope_for(subscribers.ACTION, caller.user.role) is not None,
    })


@router.get("/warnings/new")
def new_warning_page(request: Request, session: SessionDep, caller: PageUser):
    return render(request, "warnings/new.html", _form_context(session, form={"public": True, "level": "黄色"}))


# The form's fields in the words of §3.2.4, for its errors: a refusal names the field as the form labels it.
FIELD_LABELS = {"level": "预警级别", "title": "标题", "event_type": "事件类型", "starts_at": "起始时间",
                "expected_duration_hours": "预计持续时间", "area_streets": "可能影响范围", "precautions": "警示事项",
                "measures": "应采取的措施", "public": "发布范围", "reason": "理由", "confirm": "确认",
                "form": "表单"}
FIELD_PROBLEMS = {"title": "请填写标题（不超过200字）", "level": "请选择预警级别",
                  "expected_duration_hours": "应为大于0的小时数（不超过一年）", "area_streets": "最多选择40个街道",
                  "starts_at": "时间格式应为 年-月-日 时:分", "event_type": "请从表中选择事件类型",
                  "precautions": "不超过4000字", "measures": "不超过4000字"}


def _field_errors(fields) -> list[dict]:
    """Errors as the page shows them: the field's label (never its key) and what is wrong, in words."""
    out = []
    for f in fields:
        field = f["field"] if isinstance(f, dict) else f.field
        zh = f["zh"] if isinstance(f, dict) else f.zh
        en = f["en"] if isinstance(f, dict) else f.en
        out.append({"field": field, "label": FIELD_LABELS.get(field, ""), "zh": zh, "en": en})
    return out


class WarningForm(BaseModel):
    """The drafting form as posted (every field a string); ``content`` turns it into the API's body."""

    level: str = ""
    event_type: str = ""
    title: str = ""
    starts_at: str = ""
    expected_duration_hours: str = ""
    area_streets: list[str] = []
    precautions: str = ""
    measures: str = ""
    public: str = ""

    def shown(self) -> dict:
        return {**self.model_dump(), "public": self.public == "on"}

    def content(self) -> dict:
        """The API's body (WarningCreate / WarningUpdate); a value no field accepts → 422 naming the field."""
        problems = []
        starts_at = hours = None
        if self.starts_at:
            try:
                starts_at = datetime.fromisoformat(self.starts_at).replace(tzinfo=BEIJING)
            except ValueError:
                problems.append(FieldError("starts_at", FIELD_PROBLEMS["starts_at"], "not a date and time"))
        if self.expected_duration_hours:
            try:
                hours = float(self.expected_duration_hours)
            except ValueError:
                problems.append(FieldError("expected_duration_hours", "应为数字（小时）", "not a number"))
        if problems:
            raise DomainError("输入有误", "Invalid input", 422, problems)
        return {"level": self.level or None, "event_type": self.event_type or None, "title": self.title.strip(),
                "starts_at": starts_at, "expected_duration_hours": hours, "area_streets": self.area_streets,
                "precautions": self.precautions, "measures": self.measures, "public": self.public == "on"}


def _warning_form(
    level: Annotated[str, Form(max_length=10)] = "", event_type: Annotated[str, Form(max_length=200)] = "",
    title: Annotated[str, Form(max_length=400)] = "", starts_at: Annotated[str, Form(max_length=40)] = "",
    expected_duration_hours: Annotated[str, Form(max_length=40)] = "",
    area_streets: Annotated[list[str] | None, Form()] = None, precautions: Annotated[str, Form(max_length=8000)] = "",
    measures: Annotated[str, Form(max_length=8000)] = "", public: Annotated[str, Form(max_length=10)] = "",
) -> WarningForm:
    return WarningForm(level=level, event_type=event_type, title=title, starts_at=starts_at,
                       expected_duration_hours=expected_duration_hours, area_streets=(area_streets or [])[:60],
                       precautions=precautions, measures=measures, public=public)


WarningFormDep = Annotated[WarningForm, Depends(_warning_form)]


def _validated(model: type[BaseModel], content: dict):
    """The API's own validation of the body; its errors in words, per field."""
    try:
        return model.model_validate(content)
    except ValidationError as exc:
        raise DomainError("输入有误", "Invalid input", 422, [
            FieldError(str(e["loc"][0]) if e["loc"] else "form",
                       FIELD_PROBLEMS.get(str(e["loc"][0]) if e["loc"] else "", "取值无效"), e["msg"])
            for e in exc.errors()]) from None


def _draft_form(request: Request, session, form: dict, error: DomainError | None = None, warning=None):
    status = error.status_code if error else 200
    return render(request, "warnings/new.html", _form_context(
        session, form=form, warning=warning, error=error, errors=_field_errors(error.fields) if error else [],
        by_field={f.field: f.zh for f in error.fields} if error else {}), status_code=status)


@router.post("/warnings/new")
def create_warning_from_form(request: Request, session: SessionDep, caller: PageUser,
                             form: WarningFormDep, csrf_token: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    return steps.run(lambda: service.create_draft(session, caller=caller, data=_validated(WarningCreate, form.content())),
                     then=lambda warning: (f"/warnings/{warning.id}", "warning.draft"), statuses=(422,),
                     refused=lambda exc: _draft_form(request, session, form.shown(), exc))


def _editable(session, caller, warning_id: int):
    """The draft, if the caller's unit may edit it now (403/409 otherwise, as in the API)."""
    w = service.get_warning(session, warning_id, caller)
    rules.may_edit(w.drafting_unit.name, Status(w.status), authority.acting_of(session, caller)).require()
    return w


def _form_of(w) -> dict:
    starts = w.starts_at.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M") if w.starts_at else ""
    hours = w.expected_duration_hours
    return {"level": w.level, "title": w.title, "event_type": w.event_type.name if w.event_type else "",
            "starts_at": starts, "expected_duration_hours": f"{hours:g}" if hours else "",
            "area_streets": list(w.area_streets or ()), "precautions": w.precautions, "measures": w.measures,
            "public": w.public}


@router.get("/warnings/{warning_id}/edit")
def edit_warning_page(warning_id: PageId, request: Request, session: SessionDep, caller: PageUser):
    """修改草稿: a fresh draft, or one sent back (退回修改) with the approver's reason above the form."""
    w = _editable(session, caller, warning_id)
    return _draft_form(request, session, _form_of(w), warning=_shown(session, w, caller, detail=False))


@router.post("/warnings/{warning_id}/edit")
def edit_warning_from_form(warning_id: PageId, request: Request, session: SessionDep, caller: PageUser,
                           form: WarningFormDep, csrf_token: Annotated[str, Form()] = "",
                           then: Annotated[str, Form()] = ""):
    """Save the draft as the API's PATCH does (every field of the form); with ``then=submit`` also 报送 it — both or
    neither: a submission refused (e.g. content incomplete) leaves the draft as it was and the form as typed."""
    check_csrf(request, csrf_token)
    _editable(session, caller, warning_id)

    def save() -> None:
        service.update_draft(session, caller=caller, warning_id=warning_id, data=_validated(WarningUpdate, form.content()))
        if then == "submit":
            service.submit(session, caller=caller, warning_id=warning_id)

    def again(exc: DomainError):
        session.expire_all()
        w = service.get_warning(session, warning_id, caller)
        return _draft_form(request, session, form.shown(), exc, warning=_shown(session, w, caller, detail=False))

    return steps.run(save, then=(f"/warnings/{warning_id}", "warning.submit" if then == "submit" else "warning.edit"),
                     savepoint=session, refused=again)


# The registry's pages come before /warnings/{warning_id}, which would otherwise take “subscribers” for an id.
SUBSCRIBER_PAGE = 50


def _subscriber_context(session, caller, street: str | None, q: str, page: int, **extra) -> dict:
    street = subscribers.street_in_scope(session, caller, street or None)
    rows, total = subscribers.list_subscribers(session, street=street, query=q or None,
                                               limit=SUBSCRIBER_PAGE, offset=(page - 1) * SUBSCRIBER_PAGE)
    own_only = subscribers.street_in_scope(session, caller, None) is not None
    return {"active": "subscribers", "rows": rows, "total": total, "street": street, "q": q, "page": page,
            "pages": max(1, -(-total // SUBSCRIBER_PAGE)), "own_only": own_only,
            "stats": subscribers.subscriber_stats(session, street=street if own_only else None),
            "streets": [street] if own_only else _streets(session),
            "channels": [i.text for i in list_items(session, "warning_channels")],
            "groups": [i.text for i in list_items(session, "vulnerable_groups")],
            "places": [i.text for i in list_items(session, "special_places")], **extra}


@router.get("/warnings/subscribers")
def subscribers_page(request: Request, session: SessionDep, caller: PageUser, street: str = "", q: str = "",
                     page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                     registered: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None):
    """§3.2.8 registry: who in which street receives warnings, by which channels, and who needs a targeted notice."""
    return render(request, "warnings/subscribers.html",
                  _subscriber_context(session, caller, street[:40], q[:120], page, form={},
                                                     registered=registered))


@router.post("/warnings/subscribers")
def register_subscriber_from_form(
    request: Request, session: SessionDep, caller: PageUser,
    csrf_token: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "resident",
    name: Annotated[str, Form()] = "", street: Annotated[str, Form()] = "", contact: Annotated[str, Form()] = "",
    channels: Annotated[list[str] | None, Form()] = None, vulnerable_groups: Annotated[list[str] | None, Form()] = None,
    special_place: Annotated[str, Form()] = "", blind_spot: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    form = {"kind": kind, "name": name, "street": street, "contact": contact, "channels": channels or [],
            "vulnerable_groups": vulnerable_groups or [], "special_place": special_place, "blind_spot": blind_spot}

    def register():
        subscribers.street_in_scope(session, caller, street or None)
        data = SubscriberCreate(kind=kind, name=name, street=street, contact=contact, channels=channels or [],
                                vulnerable_groups=vulnerable_groups or [], special_place=special_place or None,
                                blind_spot=blind_spot == "on")
        return subscribers.add_subscriber(session, actor=caller.actor, data=data)

    return steps.run(register, then=lambda sub: (f"/warnings/subscribers?street={quote(sub.street)}&registered={sub.id}",
                                                 "subscriber.register"), statuses=(422,),
                     refused=lambda exc: render(request, "warnings/subscribers.html", _subscriber_context(
                         session, caller, None, "", 1, form=form, errors=_subscriber_errors(_fields_of(exc))),
                         status_code=422))


@router.post("/warnings/subscribers/{subscriber_id}/unsubscribe")
def unsubscribe_from_form(subscriber_id: PageId, request: Request, session: SessionDep, caller: PageUser,
                          csrf_token: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    sub = subscribers.get_in_scope(session, caller, subscriber_id)
    subscribers.unsubscribe(session, actor=caller.actor, sub=sub, reason=reason[:500])
    return steps.done(f"/warnings/subscribers?street={quote(sub.street)}", "subscriber.unsubscribe")


SUBSCRIBER_LABELS = {"kind": "类别", "name": "姓名或单位名称", "street": "街道", "contact": "联系方式",
                     "channels": "接收渠道", "vulnerable_groups": "须定向通知的群体", "special_place": "特殊场所",
                     "blind_spot": "警报盲区"}


def _subscriber_page(request: Request, session, caller, sub, *, form: dict | None = None, errors=None,
                     error: DomainError | None = None, status_code: int = 200):
    """One subscriber and the form to change them — only for a caller who may read them (subscribers.get_in_scope,
    as the API's GET): the contact is personal data."""
    own_only = subscribers.street_in_scope(session, caller, None) is not None
    return render(request, "warnings/subscriber.html", {
        "active": "subscribers", "s": sub, "form": form or {}, "errors": errors or [], "error": error,
        "labels": SUBSCRIBER_LABELS, "streets": [caller.unit.name] if own_only and caller.unit else _streets(session),
        "channels": [i.text for i in list_items(session, "warning_channels")],
        "groups": [i.text for i in list_items(session, "vulnerable_groups")],
        "places": [i.text for i in list_items(session, "special_places")]}, status_code=status_code)


@router.get("/warnings/subscribers/{subscriber_id}")
def subscriber_page(subscriber_id: PageId, request: Request, session: SessionDep, caller: PageUser):
    return _subscriber_page(request, session, caller, subscribers.get_in_scope(session, caller, subscriber_id))


@router.post("/warnings/subscribers/{subscriber_id}")
def update_subscriber_from_form(
    subscriber_id: PageId, request: Request, session: SessionDep, caller: PageUser,
    csrf_token: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "", street: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "", channels: Annotated[list[str] | None, Form()] = None,
    vulnerable_groups: Annotated[list[str] | None, Form()] = None, special_place: Annotated[str, Form()] = "",
    blind_spot: Annotated[str, Form()] = "",
):
    """The API's PATCH with every field of the form: the subscriber read in scope, a new street checked in scope too;
    the answer names no contact (the notice and the URL carry only the record's number)."""
    check_csrf(request, csrf_token)
    sub = subscribers.get_in_scope(session, caller, subscriber_id)
    form = {"name": name, "street": street, "contact": contact, "channels": channels or [],
            "vulnerable_groups": vulnerable_groups or [], "special_place": special_place, "blind_spot": blind_spot}

    def save() -> None:
        if street and street != sub.street:
            subscribers.street_in_scope(session, caller, street)
        data = SubscriberUpdate(name=name, street=street, contact=contact, channels=channels or [],
                                vulnerable_groups=vulnerable_groups or [], special_place=special_place or None,
                                blind_spot=blind_spot == "on")
        subscribers.update_subscriber(session, actor=caller.actor, sub=sub, data=data)

    return steps.run(save, then=(f"/warnings/subscribers/{subscriber_id}", "warnings.subscriber-saved"),
                     refused=lambda exc: _subscriber_page(
                         request, session, caller, sub, form=form, errors=_subscriber_errors(_fields_of(exc)),
                         error=None if isinstance(exc, ValidationError) else exc, status_code=steps.status_of(exc)))


def _fields_of(exc: ValidationError | DomainError) -> list:
    """A refused subscriber form's fields: the DomainError's, or pydantic's with the hint for each field."""
    if isinstance(exc, DomainError):
        return exc.fields
    return [{"field": ".".join(str(p) for p in e["loc"]) or "form", "zh": FIELD_HINTS.get(
        str(e["loc"][0]) if e["loc"] else "", "取值无效"), "en": e["msg"]} for e in exc.errors()]


def _subscriber_errors(fields) -> list[dict]:
    out = []
    for f in fields:
        field = f["field"] if isinstance(f, dict) else f.field
        zh = f["zh"] if isinstance(f, dict) else f.zh
        out.append({"field": field, "label": SUBSCRIBER_LABELS.get(field.split(".", 1)[0], ""), "zh": zh})
    return out


FIELD_HINTS = {"name": "请填写姓名或单位名称", "channels": "请至少选择一个接收渠道", "street": "请选择街道",
               "contact": "联系方式过长"}


def _warning_page(request: Request, session, caller, warning_id: int, *, action: str | None = None,
                  error: DomainError | None = None, form: dict | None = None):
    w = service.get_warning(session, warning_id, caller)
    data = _shown(session, w, caller)
    by_unit: dict[str, list[dict]] = {}
    for item in data["checklist"]:
        by_unit.setdefault(item["unit"], []).append(item)
    acting = authority.acting_of(session, caller)
    return render(request, "warnings/detail.html", {
        "active": "warnings", "w": data, "checklists": by_unit, "levels": list(Level),
        "my_units": {u for u in by_unit if acting and acting.in_unit(u)},
        "may_edit": rules.may_edit(w.drafting_unit.name, Status(w.status), acting).allowed,
        "change_levels": [a.split(":", 1)[1] for a in data["allowed_actions"] if a.startswith("change_level:")],
        "action": action, "error": error, "errors": _field_errors(error.fields) if error else [],
        "by_field": {f.field: f.zh for f in error.fields} if error else {}, "form": form or {},
        "step_labels": STEP_LABELS,
    }, status_code=error.status_code if error else 200)


@router.get("/warnings/{warning_id}")
def warning_page(warning_id: PageId, request: Request, session: SessionDep, caller: PageUser):
    return _warning_page(request, session, caller, warning_id)


STEP_LABELS = {"submit": "报送审批", "approve": "批准", "return": "退回修改", "publish": "发布", "lift": "解除预警",
               "change-level": "调整级别"}


def _take_step(session, caller, warning_id: int, action: str, reason: str, level: str, confirm: str) -> None:
    if action == "submit":
        service.submit(session, caller=caller, warning_id=warning_id)
    elif action == "approve":
        service.approve(session, caller=caller, warning_id=warning_id)
    elif action == "return":
        service.return_for_revision(session, caller=caller, warning_id=warning_id, reason=reason)
    elif action == "publish":
        service.publish(session, caller=caller, warning_id=warning_id)
    elif action == "lift":  # §3.2.7: cannot be undone — a reason (filed and told to the units) and a confirmation
        reason = steps.irreversible({"reason": reason, "confirm": confirm}, "解除预警", reason_label="解除理由")
        service.lift(session, caller=caller, warning_id=warning_id, reason=reason)
    else:
        try:
            new_level = Level(level)
        except ValueError:
            raise DomainError("输入有误", "Invalid input", 422,
                              [FieldError("level", "请选择调整后的级别", "choose the new level")]) from None
        service.change_level(session, caller=caller, warning_id=warning_id, level=new_level, reason=reason)


@router.post("/warnings/{warning_id}/{action}")
def warning_step(
    warning_id: PageId, action: str, request: Request, session: SessionDep, caller: PageUser,
    csrf_token: Annotated[str, Form()] = "", reason: Annotated[str, Form(max_length=2000)] = "",
    level: Annotated[str, Form(max_length=10)] = "", confirm: Annotated[str, Form(max_length=10)] = "",
):
    """A step of the warning page; a refusal (out of order, content incomplete, a reason missing) is shown on the
    page beside the steps, its fields by their labels, nothing saved."""
    check_csrf(request, csrf_token)
    if action not in STEPS:
        raise DomainError("不支持的操作", f"unknown step {action}", 404)

    def again(exc: DomainError):
        session.expire_all()
        return _warning_page(request, session, caller, warning_id, action=action, error=exc,
                             form={"reason": reason, "level": level})

    return steps.run(lambda: _take_step(session, caller, warning_id, action, reason, level, confirm),
                     then=(f"/warnings/{warning_id}", f"warning.{action}"), savepoint=session, refused=again)


@router.post("/warnings/checklist/{item_id}/tick")
def tick_page(item_id: PageId, request: Request, session: SessionDep, caller: PageUser,
              csrf_token: Annotated[str, Form()] = "", note: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    item = service.tick_checklist_item(session, caller=caller, item_id=item_id, note=note)
    return steps.done(f"/warnings/{item.warning_id}#checklists", "warning.tick")


@router.get("/public/warnings")
def public_page(request: Request, session: SessionDep, caller: PageCaller):
    """No login: the published, unlifted public warnings (§3.2.3(3)), for a phone first."""
    rows = [(w, dissemination.messages_of(session, w)[-1:]) for w in service.public_warnings(session)]
    return render(request, "warnings/public.html", {"active": "public_warnings", "rows": rows,
                                                    "ends_at": rules.ends_at, "Level": Level,
                                                    "published": Status.PUBLISHED})
