"""What every workflow step on a page does around its service call: answer with a success notice after the redirect,
and — for a step that cannot be undone — ask for a reason and a confirmation first.

Success notice (Post/Redirect/Get): a step redirects to its page with ``?done=<key>``; ``render`` shows the key's
sentence from the table below in base.html. Only sentences registered here are ever shown — never text from the URL —
so a link cannot put words on a page. Each module registers its own keys (``register``) at import.

Around the call (``posted`` and ``run``): the form read with its CSRF token checked; the service called; a refusal of
this input or this moment (422, 409) shows the page again with its error (each field it names by the form's label:
``field_errors``), any other (403, 404) the error page; done, the redirect with the notice.

Confirmation: an irreversible step's form carries a reason and a required check-box ("确认…？此操作不可撤销",
``web/templates/_steps.html``); the browser will not send the form without it, and the server refuses it without it
too (a 422 naming the field), so the step needs no JavaScript.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit, urlunsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from dongcheng.api.errors import validation_fields
from dongcheng.core.errors import DomainError, FieldError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

QUERY = "done"
CONFIRM = "confirm"
_NOTICES: dict[str, str] = {}
T = TypeVar("T")
Refusal = ValidationError | DomainError


def register(texts: Mapping[str, str]) -> Mapping[str, str]:
    """Add a module's notices (key → sentence); a key means one sentence platform-wide."""
    for key, text in texts.items():
        if _NOTICES.get(key, text) != text:
            raise ValueError(f"notice {key!r} is registered twice with different texts")
        _NOTICES[key] = text
    return texts


def done_url(url: str, key: str) -> str:
    """``url`` with ``?done=key`` (before its #fragment)."""
    if key not in _NOTICES:
        raise KeyError(f"no notice registered for {key!r}")
    parts = urlsplit(url)
    query = f"{parts.query}&{QUERY}={key}" if parts.query else f"{QUERY}={key}"
    return urlunsplit(parts._replace(query=query))


def done(url: str, key: str) -> RedirectResponse:
    """The redirect after a step: its page, with the step's success notice."""
    return RedirectResponse(done_url(url, key), status_code=303)


def notice_for(request: Request) -> str | None:
    """The success notice the page shows, if it was reached from a step."""
    return _NOTICES.get(request.query_params.get(QUERY, ""))


async def posted(request: Request, limit: int = 2000) -> dict[str, str]:
    """A step's form, its CSRF token checked first (403): each text field cut to ``limit`` characters, the token left
    out. A file field is not text: a step that takes one reads it from ``await request.form()``."""
    from dongcheng.web.templating import check_csrf  # templating imports this module

    raw = await request.form()
    token = raw.get("csrf_token")
    check_csrf(request, token[:limit] if isinstance(token, str) else None)
    return {k: v[:limit] for k, v in raw.items() if k != "csrf_token" and isinstance(v, str)}


def refusal(exc: Refusal, labels: Mapping[str, str] | Callable[[str], str], en: str = "Invalid input") -> DomainError:
    """A refusal as a page shows it: a DomainError as it is; pydantic's errors as one 422 naming each field by the
    form's label (``labels``: a table, or a function of the field's name), e.g. "输入有误：金额（元） 必填". ``en`` may
    name the fields with ``{fields}``."""
    if isinstance(exc, DomainError):
        return exc
    label = _labeller(labels)
    fields = validation_fields(exc)
    return DomainError("输入有误：" + "；".join(f"{label(f.field)} {f.zh}" for f in fields),
                       en.format(fields=", ".join(f.field for f in fields)), 422, fields)


def field_errors(exc: Refusal, labels: Mapping[str, str] | Callable[[str], str], fallback: str = "form") -> list[dict]:
    """A refusal as the list a page shows by its form: one ``{field, label, zh, en}`` per field it names — pydantic's
    or a DomainError's — each by the form's label (``labels``: a table, or a function of the field's name). A
    DomainError naming no field is about the whole form: one entry for ``fallback`` with no label (a page shows
    just its words)."""
    if isinstance(exc, ValidationError):
        fields = validation_fields(exc)
    elif exc.fields:
        fields = exc.fields
    else:
        return [{"field": fallback, "label": "", "zh": exc.zh, "en": exc.en}]
    label = _labeller(labels)
    return [{"field": f.field, "label": label(f.field), "zh": f.zh, "en": f.en} for f in fields]


def _labeller(labels: Mapping[str, str] | Callable[[str], str]) -> Callable[[str], str]:
    return labels if callable(labels) else (lambda field: labels.get(field, field))


def status_of(exc: Refusal) -> int:
    """The status a refused step's page answers with: a form pydantic refused is 422, a DomainError its own."""
    return 422 if isinstance(exc, ValidationError) else exc.status_code


def run(do: Callable[[], T], *, then: tuple[str, str] | Callable[[T], tuple[str, str]],
        refused: Callable[[Refusal], Response], statuses: tuple[int, ...] = (409, 422),
        savepoint: Session | None = None, reword: Callable[[DomainError], Exception] | None = None) -> Response:
    """One step on a page around its service call ``do()``.

    Done: the redirect to ``then`` — (url, notice key), or a function of what ``do`` returned giving them. Refused by a
    schema (ValidationError) or by a DomainError whose status is in ``statuses``: ``refused(exc)``, the page again
    with the error (``status_of(exc)`` is the usual status). Any other DomainError (403, 404) goes on to the error
    page, through ``reword`` if given. With ``savepoint`` the call runs in a nested transaction, so a refusal leaves
    nothing half-written."""
    try:
        if savepoint is None:
            result = do()
        else:
            with savepoint.begin_nested():
                result = do()
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code not in statuses:
            if reword is None:
                raise
            raise reword(exc) from None
        return refused(exc)
    url, key = then(result) if callable(then) else then
    return done(url, key)


def require_reason(value: str | None, field: str = "reason", label: str = "理由") -> str:
    """An irreversible step states why; blank → 422 naming the field."""
    text = (value or "").strip()
    if not text:
        raise DomainError("输入有误", "Invalid input", 422,
                          [FieldError(field, f"请填写{label}（此操作不可撤销，须说明理由）",
                                      f"{field}: a reason is required for a step that cannot be undone")])
    return text


def require_confirmation(value: str | None, what_zh: str) -> None:
    """The second step of an irreversible action: the check-box "确认{what}？此操作不可撤销" ticked, or a 422."""
    if (value or "").strip().lower() not in ("yes", "on", "1", "true"):
        raise DomainError(f"未确认{what_zh}", f"Not confirmed: {CONFIRM} is required", 422,
                          [FieldError(CONFIRM, f"请勾选“确认{what_zh}？此操作不可撤销”",
                                      "tick the confirmation: this step cannot be undone")])


def irreversible(form: Mapping[str, str], what_zh: str, *, reason_field: str = "reason",
                 reason_label: str = "理由") -> str:
    """Both parts of an irreversible step at once — the reason and the confirmation — so the page names every missing
    field in one answer; returns the reason."""
    fields: list[FieldError] = []
    reason = ""
    try:
        reason = require_reason(form.get(reason_field), reason_field, reason_label)
    except DomainError as exc:
        fields += exc.fields
    try:
        require_confirmation(form.get(CONFIRM), what_zh)
    except DomainError as exc:
        fields += exc.fields
    if fields:
        raise DomainError(f"未办理：{what_zh}须填写{reason_label}并勾选确认", f"Not done: {what_zh} needs a reason and a "
                          "confirmation", 422, fields)
    return reason
