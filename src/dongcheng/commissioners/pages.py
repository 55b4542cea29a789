"""服务专员 pages (Chinese) for the clerk: the streets with quota against commissioners, a street's commissioners and
month pay sheet, a commissioner's term, trial, renewal-notice day and ratings (with the monthly rating form).
Thin: every change calls the same service as the API."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.errors import validation_fields
from dongcheng.commissioners import repository, rules, service, views
from dongcheng.commissioners.enums import RATING_LABELS, Rating
from dongcheng.commissioners.schemas import RatingIn
from dongcheng.core.errors import DomainError
from dongcheng.core.time import today_local
from dongcheng.core.types import Id
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
Year = Annotated[int | None, Query(ge=2000, le=2099)]
Month = Annotated[int | None, Query(ge=1, le=12)]


@router.get("/commissioners")
def streets_page(request: Request, session: SessionDep, caller: PageUser):
    rows = views.street_rows(session, service.visible_streets(session, caller))
    return render(request, "commissioners/streets.html", {
        "active": "commissioners", "rows": rows, "basis": str(rules.quota(0)[1]),
        "adjust_basis": str(rules.ADJUSTMENT_CLAUSE)})


@router.get("/commissioners/streets/{street}")
def street_page(street: str, request: Request, session: SessionDep, caller: PageUser, year: Year = None,
                month: Month = None):
    unit = service.street_for_reading(session, caller, street[:50])
    today = today_local()
    year, month = year or today.year, month or today.month
    people = [views.commissioner_dict(session, p, today) for p in repository.in_street(session, unit.id)]
    return render(request, "commissioners/street.html", {
        "active": "commissioners", "street": unit.name, "row": views.street_rows(session, [unit])[0],
        "people": people, "sheet": views.pay_sheet(session, unit, year, month), "year": year, "month": month,
        "applications": [views.fund_application_dict(session, r, today)
                         for r in repository.fund_applications(session, [unit.id])],
        "chain": " → ".join(rules.APPROVAL_STEPS)})


def _person_page(request: Request, session, person, error: DomainError | None = None, status_code: int = 200):
    today = today_local()
    return render(request, "commissioners/detail.html", {
        "active": "commissioners", "c": views.commissioner_dict(session, person, today),
        "pay": [views._pay_row(person, m) for m in service.year_pay(session, person, today.year)],
        "year": today.year, "ratings": [(r.value, RATING_LABELS[r]) for r in Rating], "error": error,
        "rating_basis": str(rules.RATING_BASIS), "pay_basis": str(rules.PAY_BASIS)},
        status_code=status_code)


@router.get("/commissioners/{commissioner_id}")
def commissioner_page(commissioner_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return _person_page(request, session, service.commissioner_for_reading(session, caller, commissioner_id))


@router.post("/commissioners/{commissioner_id}/ratings")
async def rate_from_form(commissioner_id: Id, request: Request, session: SessionDep, caller: PageUser):
    form = {k: str(v)[:2000] for k, v in (await request.form()).items()}
    check_csrf(request, form.pop("csrf_token", None))
    try:
        body = RatingIn.model_validate({k: v for k, v in form.items() if v != ""})
        service.rate(session, caller=caller, commissioner_id=commissioner_id, data=body)
    except ValidationError as exc:
        fields = validation_fields(exc)
        error = DomainError("输入有误：" + "；".join(f"{f.field} {f.zh}" for f in fields), "Invalid input", 422)
        return _person_page(request, session, repository.get(session, commissioner_id), error, 422)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _person_page(request, session, repository.get(session, commissioner_id), exc, exc.status_code)
    return RedirectResponse(f"/commissioners/{commissioner_id}", status_code=303)
