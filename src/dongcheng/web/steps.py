"""What every workflow step on a page does around its service call: answer with a success notice after the redirect,
and — for a step that cannot be undone — ask for a reason and a confirmation first.

Success notice (Post/Redirect/Get): a step redirects to its page with ``?done=<key>``; ``render`` shows the key's
sentence from the table below in base.html. Only sentences registered here are ever shown — never text from the URL —
so a link cannot put words on a page. Each module registers its own keys (``register``) at import.

Confirmation: an irreversible step's form carries a reason and a required check-box ("确认…？此操作不可撤销",
``web/templates/_steps.html``); the browser will not send the form without it, and the server refuses it without it
too (a 422 naming the field), so the step needs no JavaScript.
"""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from fastapi import Request
from fastapi.responses import RedirectResponse

from dongcheng.core.errors import DomainError, FieldError

QUERY = "done"
CONFIRM = "confirm"
_NOTICES: dict[str, str] = {}


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
