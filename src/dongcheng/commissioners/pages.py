"""服务专员 pages (Chinese) for the clerk: every step of the API on a page. The streets with quota against
commissioners and the fund applications waiting for a step; a street's people, month pay sheet, its retiree count,
the hiring form and the fund application; a commissioner's term with the rating, 意向书, renewal and ending forms; a
fund application with its five steps (112号 第五条) and the self-report. Thin: every step calls the same service
function as the API (forms.py parses the form into the API's body); a refused step shows its form again with the
field named in words (409, 422) or the error page (403, 404); a step done redirects with its success notice (web/steps.py)."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.commissioners import forms, repository, rules, service, views
from dongcheng.commissioners.enums import RATING_LABELS, ROUTE_LABELS, HiringRoute, Rating
from dongcheng.core import idempotency as form_keys
from dongcheng.core.errors import DomainError
from dongcheng.core.time import today_local
from dongcheng.directory.models import Unit
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
Year = Annotated[int | None, Query(ge=2000, le=2099)]
Month = Annotated[int | None, Query(ge=1, le=12)]
FORM_TOKEN = "form_token"  # the hiring form's one-time token (the API's Idempotency-Key)


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v)[:2000] for k, v in (await request.form()).items() if isinstance(v, str)}


FormDep = Annotated[dict[str, str], Depends(_form)]


def _step(request: Request, session: Session, form: dict[str, str], key: str, parse: Callable[[], Any],
          call: Callable[[Any], Any], redirect: Callable[[Any], tuple[str, str]],
          again: Callable[[forms.Failed, int], Any]):
    """One page step (steps.run): parse the form into the API's body, call the service in a savepoint (a refused step
    leaves nothing behind), redirect with the success notice; a refusal of this input or this moment shows the form
    again with its field named, one of who may act (403) or of what (404) the error page, in words."""
    check_csrf(request, form.get("csrf_token"))
    return steps.run(lambda: call(parse()), then=redirect, savepoint=session,
                     refused=lambda exc: again(forms.failed(exc, key, form), exc.status_code),
                     reword=lambda exc: forms.worded(exc, key))


def _done(url: str, step: str) -> tuple[str, str]:
    """The page after a step and the step's success notice (web/steps.py)."""
    return url, f"commissioners.{step}"


# --- the streets --------------------------------------------------------------------------------------------------


@router.get("/commissioners")
def streets_page(request: Request, session: SessionDep, caller: PageUser):
    streets = service.visible_streets(session, caller)
    today = today_local()
    pending = []
    for row in repository.fund_applications(session, [s.id for s in streets]):
        step, body = service.pending_step(row)
        if step is not None:
            pending.append({**views.fund_application_dict(service.fund_application_record(session, row), today),
                            "pending_step": forms.STEP_LABELS[step], "pending_by": body})
    return render(request, "commissioners/streets.html", {
        "active": "commissioners", "rows": views.street_rows(streets, service.street_counts(session)),
        "basis": str(rules.quota(0)[1]), "adjust_basis": str(rules.ADJUSTMENT_CLAUSE), "pending": pending,
        })


def _street_page(request: Request, session: Session, caller: Caller, unit: Unit, year: int | None = None,
                 month: int | None = None, *, failed: forms.Failed | None = None,
                 status_code: int = 200):
    today = today_local()
    year, month = year or today.year, month or today.month
    people = [views.commissioner_dict(service.commissioner_record(session, p), today)
              for p in repository.in_street(session, unit.id)]
    token = (failed.values.get(FORM_TOKEN) if failed else None) or secrets.token_urlsafe(18)
    return render(request, "commissioners/street.html", {
        "active": "commissioners", "street": unit.name,
        "row": views.street_rows([unit], service.street_counts(session))[0], "people": people,
        "sheet": views.pay_sheet(unit, year, month, service.street_pay(session, unit, year)), "year": year,
        "month": month, "today": today.isoformat(),
        "applications": [views.fund_application_dict(service.fund_application_record(session, r), today)
                         for r in repository.fund_applications(session, [unit.id])],
        "chain": " → ".join(rules.APPROVAL_STEPS), "routes": [(r.value, ROUTE_LABELS[r]) for r in HiringRoute],
        "may_over_quota": service.may_mark_over_quota(session, caller).allowed, "form_token": token,
        "failed": failed, "labels": forms.LABELS}, status_code=status_code)


@router.get("/commissioners/streets/{street}")
def street_page(street: str, request: Request, session: SessionDep, caller: PageUser, year: Year = None,
                month: Month = None):
    unit = service.street_for_reading(session, caller, street[:50])
    return _street_page(request, session, caller, unit, year, month)


def _street_step(street: str, request: Request, session: Session, caller: Caller, form: dict[str, str], key: str,
                 parse: Callable[[], Any], call: Callable[[Any], Any], redirect: Callable[[Any], str]):
    unit = service.street_for_reading(session, caller, street[:50])
    return _step(request, session, form, key, parse, call, redirect,
                 lambda failed, status: _street_page(request, session, caller, unit, failed=failed,
                                                     status_code=status))


@router.post("/commissioners/streets/{street}/retirees")
def retirees_from_form(street: str, request: Request, session: SessionDep, caller: PageUser, form: FormDep):
    return _street_step(street, request, session, caller, form, "retirees", lambda: forms.retirees(form),
                        lambda data: service.set_retirees(session, caller=caller, street_name=street[:50], data=data),
                        lambda _: _done(f"/commissioners/streets/{quote(street[:50])}", "retirees"))


@router.post("/commissioners/streets/{street}/hire")
def hire_from_form(street: str, request: Request, session: SessionDep, caller: PageUser, form: FormDep):
    """The form carries a one-time token (core/idempotency.py, the API's Idempotency-Key): a second submit of the
    same form — a double click, a retry, two tabs — goes to the commissioner the first one hired."""

    def hire(data):
        held = None
        if token := form.get(FORM_TOKEN, "")[:form_keys.MAX_KEY_LENGTH]:
            held = form_keys.claim(session, user_id=caller.user.id, key=token,
                                   fp=form_keys.fingerprint("POST", "/commissioners/hire", None))
            if held.replay is not None:
                return held.replay[1]["id"], "resubmitted"
        person = service.hire(session, caller=caller, data=data)
        if held is not None:
            form_keys.store(session, held, 303, {"id": person.id})
        return person.id, "hire"

    return _street_step(street, request, session, caller, form, "hire", lambda: forms.hire(form, street[:50]), hire,
                        lambda done: _done(f"/commissioners/{done[0]}", done[1]))


@router.post("/commissioners/streets/{street}/fund-applications")
def file_from_form(street: str, request: Request, session: SessionDep, caller: PageUser, form: FormDep):
    return _street_step(street, request, session, caller, form, "file",
                        lambda: forms.fund_application(form, street[:50]),
                        lambda data: service.file_fund_application(session, caller=caller, data=data),
                        lambda row: _done(f"/commissioners/fund-applications/{row.id}", "filed"))


# --- a fund application (112号 第五条, 第九条) ------------------------------------------------------------------------


def _fund_page(request: Request, session: Session, caller: Caller, row, *,
               failed: forms.Failed | None = None, status_code: int = 200):
    today = today_local()
    options = [{"step": step, "label": forms.STEP_LABELS[step], "allowed": d.allowed, "refusal": d.zh,
                "final": step in forms.FINAL_STEPS}
               for step, d in service.fund_step_options(session, caller, row)]
    return render(request, "commissioners/fund.html", {
        "active": "commissioners", "a": views.fund_application_dict(service.fund_application_record(session, row), today),
        "options": options, "step_labels": {**forms.STEP_LABELS, "submit": "街道申报"},
        "status_labels": rules.FUND_STATUS_LABELS, "may_self_report": service.self_report_open(row),
        "today": today.isoformat(), "failed": failed}, status_code=status_code)


@router.get("/commissioners/fund-applications/{application_id}")
def fund_page(application_id: Id, request: Request, session: SessionDep, caller: PageUser):
    row = service.fund_application_for_reading(session, caller, application_id)
    return _fund_page(request, session, caller, row)


def _fund_step(application_id: int, request: Request, session: Session, caller: Caller, form: dict[str, str],
               key: str, parse: Callable[[], Any], call: Callable[[Any], Any]):
    row = service.fund_application_for_reading(session, caller, application_id)
    return _step(request, session, form, key, parse, call,
                 lambda _: _done(f"/commissioners/fund-applications/{application_id}", key),
                 lambda failed, status: _fund_page(request, session, caller, repository.get_fund_application(
                     session, row.id), failed=failed, status_code=status))


@router.post("/commissioners/fund-applications/{application_id}/steps/{step}")
def fund_step_from_form(application_id: Id, step: str, request: Request, session: SessionDep, caller: PageUser,
                        form: FormDep):
    if step not in forms.STEP_LABELS:
        raise DomainError("没有这个办理环节", f"No such step: {step[:40]}", 404)
    return _fund_step(application_id, request, session, caller, form, step, lambda: forms.fund_step(form, step),
                      lambda data: service.fund_step(session, caller=caller, application_id=application_id,
                                                     step=step, data=data))


@router.post("/commissioners/fund-applications/{application_id}/self-report")
def self_report_from_form(application_id: Id, request: Request, session: SessionDep, caller: PageUser,
                          form: FormDep):
    return _fund_step(application_id, request, session, caller, form, "self-report", lambda: forms.self_report(form),
                      lambda data: service.record_self_report(session, caller=caller, application_id=application_id,
                                                              data=data))


# --- a commissioner -----------------------------------------------------------------------------------------------


def _person_page(request: Request, session: Session, caller: Caller, person, *,
                 failed: forms.Failed | None = None, status_code: int = 200):
    today = today_local()
    return render(request, "commissioners/detail.html", {
        "active": "commissioners", "c": views.commissioner_dict(service.commissioner_record(session, person), today),
        "pay": [views.pay_row(person, m) for m in service.year_pay(session, person, today.year)],
        "year": today.year, "month": today.month, "today": today.isoformat(),
        "ratings": [(r.value, RATING_LABELS[r]) for r in Rating],
        "grounds": [*rules.END_GROUNDS.items(), ("expiry", rules.end_ground("expiry")[0])],
        "may_waive": service.may_waive_notice(caller).allowed,
        "rating_basis": str(rules.RATING_BASIS), "pay_basis": str(rules.PAY_BASIS),
        "failed": failed}, status_code=status_code)


@router.get("/commissioners/{commissioner_id}")
def commissioner_page(commissioner_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return _person_page(request, session, caller, service.commissioner_for_reading(session, caller, commissioner_id))


def _person_step(commissioner_id: int, request: Request, session: Session, caller: Caller, form: dict[str, str],
                 key: str, parse: Callable[[], Any], call: Callable[[Any], Any], anchor: str):
    person = service.commissioner_for_reading(session, caller, commissioner_id)
    return _step(request, session, form, key, parse, call,
                 lambda _: _done(f"/commissioners/{commissioner_id}#{anchor}", key),
                 lambda failed, status: _person_page(request, session, caller, repository.get(session, person.id),
                                                     failed=failed, status_code=status))


@router.post("/commissioners/{commissioner_id}/ratings")
def rate_from_form(commissioner_id: Id, request: Request, session: SessionDep, caller: PageUser, form: FormDep):
    return _person_step(commissioner_id, request, session, caller, form, "rating", lambda: forms.rating(form),
                        lambda data: service.rate(session, caller=caller, commissioner_id=commissioner_id, data=data),
                        "ratings")


@router.post("/commissioners/{commissioner_id}/notice")
def notice_from_form(commissioner_id: Id, request: Request, session: SessionDep, caller: PageUser, form: FormDep):
    return _person_step(commissioner_id, request, session, caller, form, "notice", lambda: forms.notice(form),
                        lambda data: service.record_notice(session, caller=caller, commissioner_id=commissioner_id,
                                                           data=data), "term")


@router.post("/commissioners/{commissioner_id}/renew")
def renew_from_form(commissioner_id: Id, request: Request, session: SessionDep, caller: PageUser, form: FormDep):
    return _person_step(commissioner_id, request, session, caller, form, "renew", lambda: forms.renew(form),
                        lambda data: service.renew(session, caller=caller, commissioner_id=commissioner_id,
                                                   data=data), "term")


@router.post("/commissioners/{commissioner_id}/end")
def end_from_form(commissioner_id: Id, request: Request, session: SessionDep, caller: PageUser, form: FormDep):
    return _person_step(commissioner_id, request, session, caller, form, "end", lambda: forms.end(form),
                        lambda data: service.end(session, caller=caller, commissioner_id=commissioner_id, data=data),
                        "status")
